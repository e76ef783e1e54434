package graphsvg

import (
	"gradjudge"
	"gradjudge/exercises"
)

// States marks the nodes of e's graph after verdict v of a numeric exercise. Each asked quantity
// belongs to a node: a value or a gradient to the name it stands for, a local derivative
// grad(a, z) to the statement a whose backward rule it is (unless a is the output: then it is z's
// gradient too); quantities of any other form (a
// gradient-descent step) mark no node. A node with several quantities shows the most telling
// state: first wrong, then wrong, consistent with the student's earlier answer, not judged, right.
func States(e *exercises.Exercise, v gradjudge.Verdict) map[string]State {
	out := map[string]State{}
	if e.Graph == nil {
		return out
	}
	for _, r := range v.Results {
		i := e.Quantity(r.ID)
		if i < 0 {
			continue
		}
		q := e.Quantities[i]
		node := q.Stands
		if q.Local && q.Of != e.Graph.Output() {
			node = q.Of
		}
		if node == "" {
			continue
		}
		if st := resultState(r, v.FirstWrong); rank(st) > rank(out[node]) {
			out[node] = st
		}
	}
	return out
}

func resultState(r gradjudge.Result, firstWrong string) State {
	switch {
	case r.ID == firstWrong:
		return FirstWrong
	case r.ConsistentWith != "":
		return Consistent
	case r.Status == gradjudge.StatusAccepted:
		return Right
	case r.Status == gradjudge.StatusInvalid || r.Status == "":
		return Unknown
	}
	return Wrong
}

// rank orders states by how much a student needs to see them.
func rank(s State) int {
	switch s {
	case FirstWrong:
		return 5
	case Wrong:
		return 4
	case Consistent:
		return 3
	case Unknown:
		return 2
	case Right:
		return 1
	}
	return 0
}
