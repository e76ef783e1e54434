package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// deployFiles are the repository's deployment files, relative to this package.
var deployFiles = []string{"../../docker-compose.yml", "../../Dockerfile"}

// TestDeployFilesUseRealConfig checks that every GRADJUDGE_* variable and every flag the
// deployment files set is one that serve, worker or migrate reads: a misspelt name would be
// ignored silently.
func TestDeployFilesUseRealConfig(t *testing.T) {
	var help strings.Builder
	for _, cmd := range []string{"serve", "worker", "migrate"} {
		_, out, errs := runCLI(t, "", cmd, "--help")
		help.WriteString(out + errs)
	}
	vars := regexp.MustCompile(`\bGRADJUDGE_[A-Z0-9_]+`)
	flags := regexp.MustCompile(`"--([a-z0-9-]+)"`)
	for _, name := range deployFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vars.FindAllString(string(data), -1) {
			if !strings.Contains(help.String(), "$"+v+"]") {
				t.Errorf("%s sets %s, which no command reads", filepath.Base(name), v)
			}
		}
		for _, m := range flags.FindAllStringSubmatch(string(data), -1) {
			if !strings.Contains(help.String(), "  -"+m[1]+" ") && !strings.Contains(help.String(), "  -"+m[1]+"\n") {
				t.Errorf("%s passes --%s, which no command has", filepath.Base(name), m[1])
			}
		}
	}
}

// TestDockerCompose checks docker-compose.yml with `docker-compose config -q` (Debian's
// docker-compose; .ci/run installs it), and that it refuses to start without a JWT secret.
func TestDockerCompose(t *testing.T) {
	bin, err := exec.LookPath("docker-compose")
	if err != nil {
		t.Skip("docker-compose is not installed (apt-get install docker-compose): docker-compose.yml is not checked")
	}
	config := func(env ...string) (string, error) {
		cmd := exec.Command(bin, "--file", deployFiles[0], "config", "-q")
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := config("GRADJUDGE_JWT_SECRET=" + strings.Repeat("s", 32)); err != nil {
		t.Errorf("docker-compose config: %v\n%s", err, out)
	}
	if out, err := config("GRADJUDGE_JWT_SECRET="); err == nil || !strings.Contains(out, "GRADJUDGE_JWT_SECRET") {
		t.Errorf("without GRADJUDGE_JWT_SECRET: got %v, %q; want an error naming it", err, out)
	}
}
