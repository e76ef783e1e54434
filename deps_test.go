package gradjudge_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the root package, autograd and the rate limiter free of any
// non-standard import, including each other: they are the base every other package builds on.
func TestStandardLibraryOnly(t *testing.T) {
	for _, pkg := range []string{"gradjudge", "gradjudge/autograd", "gradjudge/internal/ratelimit"} {
		for _, dep := range nonStandardDeps(t, pkg) {
			if dep != pkg {
				t.Errorf("%s imports %s: it may import only the standard library", pkg, dep)
			}
		}
	}
}

// TestTechnologyOwners keeps each technology in its one package (STYLE rule 2).
func TestTechnologyOwners(t *testing.T) {
	owners := map[string]string{ // import path prefix → the only package tree allowed to import it
		"github.com/gin-gonic/gin":      "gradjudge/api",
		"gorm.io/":                      "gradjudge/store",
		"github.com/riverqueue/":        "gradjudge/store",
		"github.com/pressly/goose":      "gradjudge/store",
		"github.com/tetratelabs/wazero": "gradjudge/judge/sandbox",
		"github.com/yuin/goldmark":      "gradjudge/web/statement",
	}
	for _, pkg := range nonStandardDeps(t, "gradjudge/...") {
		if !strings.HasPrefix(pkg, "gradjudge") {
			continue
		}
		for _, dep := range directImports(t, pkg) {
			for tech, owner := range owners {
				if strings.HasPrefix(dep, tech) && !strings.HasPrefix(pkg, owner) {
					t.Errorf("%s imports %s; only %s may", pkg, dep, owner)
				}
			}
		}
	}
}

func nonStandardDeps(t *testing.T, pkg string) []string {
	t.Helper()
	return goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg)
}

func directImports(t *testing.T, pkg string) []string {
	t.Helper()
	return goList(t, "-f", `{{join .Imports "\n"}}`, pkg)
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Fields(string(out))
}

// TestDoorsApart keeps the front doors side by side (DESIGN "Layout"): no door imports another,
// the application core imports none, and nothing imports cmd.
func TestDoorsApart(t *testing.T) {
	doors := []string{"gradjudge/api", "gradjudge/web", "gradjudge/lti"}
	for _, pkg := range nonStandardDeps(t, "gradjudge/...") {
		if !strings.HasPrefix(pkg, "gradjudge") {
			continue
		}
		for _, dep := range directImports(t, pkg) {
			if strings.HasPrefix(dep, "gradjudge/cmd") {
				t.Errorf("%s imports %s: nothing imports cmd", pkg, dep)
			}
			for _, door := range doors {
				if dep == door && !strings.HasPrefix(pkg, "gradjudge/cmd") && pkg != door && !strings.HasPrefix(pkg, door+"/") {
					t.Errorf("%s imports the front door %s; only cmd mounts doors", pkg, dep)
				}
			}
		}
	}
}

// TestLTIDeclaresItsPorts keeps the LTI tool an adapter over the core: it reaches storage only
// through the small interfaces it declares (lti/ports.go), never the store itself.
func TestLTIDeclaresItsPorts(t *testing.T) {
	for _, dep := range directImports(t, "gradjudge/lti") {
		if dep == "gradjudge/store" {
			t.Errorf("gradjudge/lti imports %s", dep)
		}
	}
}
