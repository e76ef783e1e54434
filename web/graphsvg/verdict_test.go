package graphsvg

import (
	"maps"
	"testing"

	"gradjudge"
	"gradjudge/exercises"
)

func TestStates(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	e, err := cat.Lookup("single-neuron-relu-backward")
	if err != nil {
		t.Fatal(err)
	}
	res := func(id string, st gradjudge.Status, consistent string) gradjudge.Result {
		return gradjudge.Result{ID: id, Status: st, ConsistentWith: consistent}
	}
	ok, wrong := gradjudge.StatusAccepted, gradjudge.StatusWrongAnswer
	for _, tc := range []struct {
		name string
		v    gradjudge.Verdict
		want map[string]State
	}{
		{"all right", gradjudge.Verdict{Results: []gradjudge.Result{res("z", ok, ""), res("a", ok, ""), res("dL_da", ok, ""),
			res("da_dz", ok, ""), res("dL_dz", ok, ""), res("dL_dw", ok, ""), res("dL_db", ok, "")}},
			map[string]State{"z": Right, "a": Right, "w": Right, "b": Right}},
		// ∂a/∂z is the ReLU's local derivative: it marks a; ∂L/∂z builds on it and marks z.
		{"relu gate ignored", gradjudge.Verdict{FirstWrong: "da_dz", Results: []gradjudge.Result{res("z", ok, ""), res("a", ok, ""),
			res("dL_da", ok, ""), res("da_dz", wrong, ""), res("dL_dz", wrong, "da_dz"), res("dL_dw", wrong, "da_dz"), res("dL_db", wrong, "")}},
			map[string]State{"z": Consistent, "a": FirstWrong, "w": Consistent, "b": Wrong}},
		{"unreadable", gradjudge.Verdict{Results: []gradjudge.Result{res("z", gradjudge.StatusInvalid, ""), res("no-such-id", ok, "")}},
			map[string]State{"z": Unknown}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := States(e, tc.v); !maps.Equal(got, tc.want) {
				t.Errorf("States = %v, want %v", got, tc.want)
			}
		})
	}
}
