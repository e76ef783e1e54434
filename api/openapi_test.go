package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gradjudge/internal/app"
)

type openAPIDocument struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Parameters map[string]struct {
			Name string `json:"name"`
			In   string `json:"in"`
		} `json:"parameters"`
		Schemas   map[string]json.RawMessage `json:"schemas"`
		Responses map[string]json.RawMessage `json:"responses"`
		Headers   map[string]json.RawMessage `json:"headers"`
	} `json:"components"`
}

type openAPIOperation struct {
	Summary    string                     `json:"summary"`
	Responses  map[string]json.RawMessage `json:"responses"`
	Parameters []struct {
		Ref string `json:"$ref"`
	} `json:"parameters"`
}

// TestOpenAPIMatchesRoutes keeps the served OpenAPI document equal to the registered routes: every
// route is documented, every documented operation exists, and every path parameter is declared.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	w := e.do("", "GET", "/api/v1/openapi.json", nil)
	wantStatus(t, w, http.StatusOK)
	doc := decode[openAPIDocument](t, w)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	ginParam := regexp.MustCompile(`:(\w+)`)
	var routes, documented []string
	for _, r := range e.srv.engine.Routes() {
		routes = append(routes, r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}"))
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			checkOperation(t, doc, method, path, op)
		}
	}
	sort.Strings(routes)
	sort.Strings(documented)
	if strings.Join(routes, "\n") != strings.Join(documented, "\n") {
		t.Errorf("routes and openapi.json differ:\n%s", diffLines(routes, documented))
	}
}

func checkOperation(t *testing.T, doc openAPIDocument, method, path string, op openAPIOperation) {
	t.Helper()
	if op.Summary == "" || len(op.Responses) == 0 {
		t.Errorf("%s %s: no summary or responses", method, path)
	}
	declared := map[string]bool{}
	for _, p := range op.Parameters {
		name := strings.TrimPrefix(p.Ref, "#/components/parameters/")
		param, ok := doc.Components.Parameters[name]
		if !ok {
			t.Errorf("%s %s: parameter %s is not in components", method, path, p.Ref)
		}
		if param.In == "path" {
			declared[param.Name] = true
		}
	}
	for _, m := range regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(path, -1) {
		if !declared[m[1]] {
			t.Errorf("%s %s: path parameter %s is not declared", method, path, m[1])
		}
	}
}

// TestOpenAPIRefsResolve checks that every $ref names a component that exists.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"#/components/(\w+)/([\w-]+)"`).FindAllStringSubmatch(string(openAPIDoc), -1) {
		var found bool
		switch m[1] {
		case "schemas":
			_, found = doc.Components.Schemas[m[2]]
		case "parameters":
			_, found = doc.Components.Parameters[m[2]]
		case "responses":
			_, found = doc.Components.Responses[m[2]]
		case "headers":
			_, found = doc.Components.Headers[m[2]]
		}
		if !found {
			t.Errorf("dangling reference %s", m[0])
		}
	}
}

func diffLines(a, b []string) string {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	ina, inb := in(a), in(b)
	var out []string
	for _, x := range a {
		if !inb[x] {
			out = append(out, "route not documented: "+x)
		}
	}
	for _, x := range b {
		if !ina[x] {
			out = append(out, "documented, no route: "+x)
		}
	}
	return strings.Join(out, "\n")
}

// TestOpenAPIDocumentsAPIKeyExpiry keeps the documented bound of expires_in_days equal to the one
// the server enforces, and the expiry in the key's schema.
func TestOpenAPIDocumentsAPIKeyExpiry(t *testing.T) {
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	var req struct {
		Properties map[string]struct {
			Type             string
			Minimum, Maximum int
		}
	}
	var key struct{ Properties map[string]json.RawMessage }
	if err := json.Unmarshal(doc.Components.Schemas["CreateAPIKeyRequest"], &req); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc.Components.Schemas["APIKey"], &key); err != nil {
		t.Fatal(err)
	}
	days := req.Properties["expires_in_days"]
	if days.Type != "integer" || days.Minimum != 1 || days.Maximum != app.MaxAPIKeyDays {
		t.Errorf("expires_in_days documented as %+v, want an integer from 1 to %d", days, app.MaxAPIKeyDays)
	}
	if _, ok := key.Properties["expires_at"]; !ok {
		t.Error("the APIKey schema has no expires_at")
	}
}
