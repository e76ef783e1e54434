package mastery

import (
	"cmp"
	"fmt"
	"slices"

	"gradjudge"
)

// MisconceptionView is one misconception as a student reads it on their page.
type MisconceptionView struct {
	gradjudge.MisconceptionStatus
	Title, Explanation string // from the misconception catalog
	Concept            string
	// Words say where it stands: "shown 2 times, last in “Fan-out”", or "resolved on 6 Dec 2026
	// by a right answer to “Fan-out”".
	Words string
}

// Misconceptions returns the student's misconceptions for their page: active ones first, most
// recently shown first, then resolved ones, most recently resolved first.
func (m *Model) Misconceptions(st gradjudge.LearnerState) []MisconceptionView {
	out := make([]MisconceptionView, len(st.Misconceptions))
	for i, s := range st.Misconceptions {
		mc := m.miscs[s.Tag]
		out[i] = MisconceptionView{MisconceptionStatus: s, Title: m.title(s.Tag), Explanation: mc.Explanation,
			Concept: mc.Concept, Words: m.statusWords(s)}
	}
	slices.SortStableFunc(out, func(a, b MisconceptionView) int {
		if a.Active != b.Active {
			return cmp.Compare(boolInt(!a.Active), boolInt(!b.Active))
		}
		if a.Active {
			return b.LastShownAt.Compare(a.LastShownAt)
		}
		return b.ResolvedAt.Compare(*a.ResolvedAt)
	})
	return out
}

func (m *Model) statusWords(s gradjudge.MisconceptionStatus) string {
	if !s.Active && s.ResolvedAt != nil {
		return fmt.Sprintf("resolved on %s by a right answer to %q", s.ResolvedAt.Format("2 Jan 2006"), m.exerciseTitle(s.ResolvedBy))
	}
	times := "once"
	if s.Shown > 1 {
		times = fmt.Sprintf("%d times", s.Shown)
	}
	w := fmt.Sprintf("shown %s, last in %q on %s", times, m.exerciseTitle(s.ShownIn), s.LastShownAt.Format("2 Jan 2006"))
	if s.Reopened > 0 {
		w += ", after it had been resolved"
	}
	return w
}
