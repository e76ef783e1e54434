package gradjudge

import (
	"encoding/json"
	"testing"
)

// TestQuarantineHash: a code answer is the same answer whoever sends it for whichever variant; a
// numeric or choice answer only on the same variant; nothing is the same across exercises.
func TestQuarantineHash(t *testing.T) {
	code := Answer{Code: "package solution\n"}
	num := Answer{Fields: map[string]json.RawMessage{"x": json.RawMessage(`"1"`)}}
	choice := Answer{Choice: "b"}
	for _, c := range []struct {
		name     string
		ex1, ex2 string
		s1, s2   uint64
		a1, a2   Answer
		same     bool
	}{
		{"code, another variant", "e", "e", 1, 2, code, code, true},
		{"code, another exercise", "e", "f", 1, 1, code, code, false},
		{"code, other source", "e", "e", 1, 1, code, Answer{Code: "package solution\n// x\n"}, false},
		{"numbers, same variant", "e", "e", 1, 1, num, num, true},
		{"numbers, another variant", "e", "e", 1, 2, num, num, false},
		{"choice, another variant", "e", "e", 1, 2, choice, choice, false},
		{"choice, same variant", "e", "e", 1, 1, choice, choice, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := QuarantineHash(c.ex1, c.s1, c.a1) == QuarantineHash(c.ex2, c.s2, c.a2); got != c.same {
				t.Errorf("same hash %v, want %v", got, c.same)
			}
		})
	}
}
