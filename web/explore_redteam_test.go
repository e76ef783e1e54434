package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// denseProgram is n statements, each reading the nine before it: before the explorer had limits,
// twenty of them (640 bytes) kept a core busy for seconds laying the graph out.
func denseProgram(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d = x", i+1)
		for j := max(0, i-8); j <= i; j++ {
			fmt.Fprintf(&b, " + a%d", j)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestExploreTypedGraphs: a typed graph is for instructors; one past the explorer's limits is
// refused as too large with the limit named, not laid out; names and values never reach the page
// unescaped.
func TestExploreTypedGraphs(t *testing.T) {
	e := newEnv(t)
	typed := func(p string, extra ...string) string {
		return "/explore?program=" + url.QueryEscape(p) + strings.Join(extra, "")
	}
	for _, c := range []struct {
		name, path string
		user       int64
		status     int
		want       string
	}{
		{"a student types a graph", typed("L = x*x"), alice, http.StatusForbidden, "only instructors"},
		{"dense graph", typed(denseProgram(20)), inst, http.StatusRequestEntityTooLarge, "at most 40 names and 60 edges"},
		{"long program", typed("L = x*x\n" + strings.Repeat("# padding\n", 300)), inst, http.StatusRequestEntityTooLarge, "longer than 2 KiB"},
		{"many numbers", typed("L = sum(x) + sum(y)", "&in.x=["+strings.Repeat("1,", 40)+"1]&in.y=["+strings.Repeat("1,", 40)+"1]"), inst, http.StatusRequestEntityTooLarge, "more than 64 numbers"},
		{"overflow", typed("L = exp(exp(x))", "&in.x=100"), inst, http.StatusBadRequest, "overflows"},
		{"markup in an input", typed("L = x*x", "&in.x=%3Cscript%3E"), admin, http.StatusBadRequest, "&lt;script&gt;"},
		{"a small graph", typed("é = w*x\nL = é^2"), admin, http.StatusOK, "é"},
	} {
		w := e.get(c.user, c.path)
		body := w.Body.String()
		if w.Code != c.status || !strings.Contains(body, c.want) || strings.Contains(body, "<script>") {
			t.Errorf("%s: %d, want %d with %q in\n%.600s", c.name, w.Code, c.status, c.want, body)
		}
	}
}
