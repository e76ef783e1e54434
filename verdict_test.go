package gradjudge

import "testing"

// TestCountsAsAttempt: what the student could not have got right by thinking (an unreadable
// answer, code that does not build or that vet refuses, the judge's own failure) costs nothing.
func TestCountsAsAttempt(t *testing.T) {
	for _, tc := range []struct {
		status Status
		want   bool
	}{
		{StatusAccepted, true}, {StatusPartial, true}, {StatusWrongAnswer, true},
		{StatusRuntimeError, true}, {StatusTimeLimit, true}, {StatusMemoryLimit, true}, {StatusOutputLimit, true},
		{StatusInvalid, false}, {StatusCompileError, false}, {StatusInternalError, false},
	} {
		if got := tc.status.CountsAsAttempt(); got != tc.want {
			t.Errorf("%s: CountsAsAttempt() = %v, want %v", tc.status, got, tc.want)
		}
	}
}
