package gradebook

import (
	"encoding/csv"
	"io"
	"strconv"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/mastery"
)

// WriteLearningCSV writes the class's learner model to w: a header, one row per student with
// their id, email and name from its roster, their probability of mastery of each concept (four
// decimals), the status of each misconception any student showed ("active", "resolved" or
// empty) and their counts of active and resolved misconceptions; then a row "(class)" with each
// concept's mean probability over the students with evidence and each misconception's counts,
// "N active, M resolved". Cells a spreadsheet would run as a formula are defused.
func WriteLearningCSV(w io.Writer, cl app.ClassLearning) error {
	cw := csv.NewWriter(w)
	header := []string{"user_id", "email", "name"}
	for _, c := range cl.Concepts {
		header = append(header, "mastery:"+c.Concept)
	}
	for _, t := range cl.Tags {
		header = append(header, "misconception:"+t.Tag)
	}
	cw.Write(append(header, "active", "resolved"))
	people := map[int64]gradjudge.Enrollment{}
	for _, e := range cl.Roster {
		people[e.UserID] = e
	}
	for _, s := range cl.Students {
		cw.Write(learningRow(s, people[s.UserID], cl))
	}
	class := []string{"", "", "(class)"}
	for _, c := range cl.Concepts {
		class = append(class, strconv.FormatFloat(c.MeanP, 'f', 4, 64))
	}
	active, resolved := 0, 0
	for _, t := range cl.Tags {
		class = append(class, strconv.Itoa(t.Active)+" active, "+strconv.Itoa(t.Resolved)+" resolved")
		active, resolved = active+t.Active, resolved+t.Resolved
	}
	cw.Write(append(class, strconv.Itoa(active), strconv.Itoa(resolved)))
	cw.Flush()
	return cw.Error()
}

func learningRow(s app.Learning, who gradjudge.Enrollment, cl app.ClassLearning) []string {
	rec := []string{strconv.FormatInt(s.UserID, 10), csvSafe(who.Email), csvSafe(who.Name)}
	p := map[string]float64{}
	for _, e := range s.Concepts {
		p[e.Concept] = e.P
	}
	for _, c := range cl.Concepts {
		rec = append(rec, strconv.FormatFloat(p[c.Concept], 'f', 4, 64))
	}
	status := map[string]mastery.MisconceptionView{}
	for _, m := range s.Misconceptions {
		status[m.Tag] = m
	}
	active, resolved := 0, 0
	for _, t := range cl.Tags {
		m, ok := status[t.Tag]
		switch {
		case !ok:
			rec = append(rec, "")
		case m.Active:
			rec, active = append(rec, "active"), active+1
		default:
			rec, resolved = append(rec, "resolved"), resolved+1
		}
	}
	return append(rec, strconv.Itoa(active), strconv.Itoa(resolved))
}
