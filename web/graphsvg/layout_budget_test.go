package graphsvg

import (
	"fmt"
	"testing"
)

// TestOrderWorkBounded: ordering the layers of a graph whose long edges cross many layers stops
// at orderWorkPairs (plus the one count that ends a sweep) instead of comparing billions of
// pairs, and still gives every vertex a place.
func TestOrderWorkBounded(t *testing.T) {
	nodes := []nodeSpec{{name: "x", w: 40, h: 20}}
	for i := 1; i <= 40; i++ {
		n := nodeSpec{name: fmt.Sprintf("a%d", i), w: 40, h: 20, reads: []string{"x"}}
		for j := max(1, i-8); j < i; j++ {
			n.reads = append(n.reads, fmt.Sprintf("a%d", j))
		}
		nodes = append(nodes, n)
	}
	lg := newLayered(nodes)
	lg.order()
	if limit := orderWorkPairs + 2*lg.crossingsWork(); lg.work > limit {
		t.Errorf("ordering compared %d pairs of segments, want at most %d", lg.work, limit)
	}
	placed := 0
	for _, layer := range lg.layers {
		placed += len(layer)
	}
	if placed != len(lg.verts) {
		t.Errorf("%d of %d vertices placed", placed, len(lg.verts))
	}
}

// crossingsWork is the pairs one count of every gap's crossings compares.
func (lg *layered) crossingsWork() int {
	before := lg.work
	lg.crossings()
	n := lg.work - before
	lg.work = before
	return n
}
