package app

import (
	"fmt"
	"strings"
	"testing"

	"gradjudge"
)

// chainProgram is a chain of n statements, each reading the one before and every name of also:
// the data input x fans out to every statement, so that its edges cross every layer.
func chainProgram(n int, also ...string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d = a%d", i+1, i)
		for _, name := range also {
			b.WriteString(" * " + name)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestExploreLimits: the explorer refuses, as too large, a graph or inputs past its limits, and
// opens one at them; the limits hold for staff too.
func TestExploreLimits(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	list := func(n int) string { return "[" + strings.TrimSuffix(strings.Repeat("0.5,", n), ",") + "]" }
	for _, c := range []struct {
		name string
		req  ExploreRequest
		code string
	}{
		{"at the limits", ExploreRequest{Program: chainProgram(MaxExploreEdges/2-1, "x") + fmt.Sprintf("L = sum(a%d)", MaxExploreEdges/2-1), Inputs: map[string]string{"x": list(MaxExploreNumbers - 1)}}, ""}, // and a0 = 1,
		{"too many edges", ExploreRequest{Program: chainProgram(MaxExploreEdges/2+1, "x")}, gradjudge.ETOOLARGE},
		{"data edges count", ExploreRequest{Program: chainProgram(MaxExploreEdges/4+1, "x", "y", "t")}, gradjudge.ETOOLARGE},
		{"too many names", ExploreRequest{Program: chainProgram(MaxExploreNodes)}, gradjudge.ETOOLARGE},
		{"too long", ExploreRequest{Program: "L = x # " + strings.Repeat("x", MaxExploreProgramBytes)}, gradjudge.ETOOLARGE},
		{"too many numbers", ExploreRequest{Program: "L = sum(x) + sum(y)", Inputs: map[string]string{"x": list(40), "y": list(40)}}, gradjudge.ETOOLARGE},
		{"one input too long", ExploreRequest{Program: "L = sum(x)", Inputs: map[string]string{"x": list(MaxExploreNumbers + 1)}}, gradjudge.EINVALID},
	} {
		_, err := f.app.Explore(ctx, f.inst, c.req)
		wantCode(t, c.name, err, c.code)
	}
}
