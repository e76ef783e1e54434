package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestExploreErrorKeepsForm: an input that is not a number is named, kept in its field to be
// corrected, and the learning-rate field shows the rate an empty one means rather than nothing.
func TestExploreErrorKeepsForm(t *testing.T) {
	e := newEnv(t)
	w := e.get(inst, "/explore?in.w1=abc")
	body := w.Body.String()
	for _, want := range []string{`id="explore-message"`, `name="in.w1" value="abc"`, `name="lr" id="lr" value="0.01"`} {
		if w.Code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("status %d, want %d with %s in\n%.2000s", w.Code, http.StatusBadRequest, want, body)
		}
	}
}
