package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gradjudge"
)

// CourseMastery implements gradjudge.LearnerService in one query: every student of the course
// with the Summary of their model (an unknown course has none). Each write of a model also
// writes its summary, packed (packSummary), so that a course page of 500 students reads a few
// kilobytes instead of decoding a megabyte of JSON, most of it times and words the summary does
// not need; a row written before the summary existed (NULL) is read from its model.
func (db *DB) CourseMastery(ctx context.Context, courseID int64) ([]gradjudge.LearnerState, error) {
	var out []gradjudge.LearnerState
	err := db.scanRows(ctx, func(rows *sql.Rows) error {
		var (
			userID         int64
			summary, model sql.NullString
		)
		if err := rows.Scan(&userID, &summary, &model); err != nil {
			return err
		}
		st, err := readSummary(courseID, userID, summary, model)
		out = append(out, st)
		return err
	}, `SELECT e.user_id, l.summary, CASE WHEN l.summary IS NULL THEN l.model END
		FROM enrollments e LEFT JOIN learner_models l ON l.course_id = e.course_id AND l.user_id = e.user_id
		WHERE e.course_id = ? AND e.role = ? ORDER BY e.user_id`, courseID, string(gradjudge.CourseStudent))
	return out, dbError("store.CourseMastery", "", err)
}

// readSummary reads a student's summary from its packed text, else from their whole model, else
// (no row) the empty state.
func readSummary(courseID, userID int64, summary, model sql.NullString) (gradjudge.LearnerState, error) {
	switch {
	case summary.Valid:
		st, err := unpackSummary(summary.String)
		st.CourseID, st.UserID = courseID, userID
		return st, err
	case model.Valid:
		st, err := decodeLearner(courseID, userID, &model.String)
		return st.Summary(), err
	}
	return gradjudge.LearnerState{CourseID: courseID, UserID: userID}, nil
}

// Separators of a packed summary: between its concepts and its misconceptions, and between the
// entries of each list. Catalog ids hold neither (packSummary checks).
const (
	summaryListSep  = "\x1d"                  // ASCII group separator
	summaryEntrySep = string(rune(recordSep)) // the ASCII record separator, as in packed progress
)

// packSummary packs st's Summary for the summary column: its concepts as "p|observations|concept"
// (p in the shortest form that reads back exactly), then summaryListSep, then its misconceptions
// as "1|tag" (active) or "0|tag", each list's entries joined by summaryEntrySep, in st's order.
// It is nil (NULL: read the model) if an id holds a separator.
func packSummary(st gradjudge.LearnerState) *string {
	var b strings.Builder
	for i, c := range st.Concepts {
		if strings.ContainsAny(c.Concept, summaryListSep+summaryEntrySep) {
			return nil
		}
		if i > 0 {
			b.WriteString(summaryEntrySep)
		}
		b.WriteString(strconv.FormatFloat(c.P, 'g', -1, 64) + "|" + strconv.Itoa(c.Observations) + "|" + c.Concept)
	}
	b.WriteString(summaryListSep)
	for i, m := range st.Misconceptions {
		if strings.ContainsAny(m.Tag, summaryListSep+summaryEntrySep) {
			return nil
		}
		if i > 0 {
			b.WriteString(summaryEntrySep)
		}
		active := "0|"
		if m.Active {
			active = "1|"
		}
		b.WriteString(active + m.Tag)
	}
	s := b.String()
	return &s
}

// unpackSummary reads packSummary's text into a state without its ids.
func unpackSummary(s string) (gradjudge.LearnerState, error) {
	var st gradjudge.LearnerState
	concepts, miscs, ok := strings.Cut(s, summaryListSep)
	if !ok {
		return st, fmt.Errorf("store: unreadable learner summary %q", s)
	}
	var err error
	if st.Concepts, err = unpackConcepts(concepts); err != nil {
		return st, err
	}
	st.Misconceptions, err = unpackMisconceptions(miscs)
	return st, err
}

func unpackConcepts(s string) ([]gradjudge.ConceptMastery, error) {
	if s == "" {
		return nil, nil
	}
	out := make([]gradjudge.ConceptMastery, 0, strings.Count(s, summaryEntrySep)+1)
	for rec := range strings.SplitSeq(s, summaryEntrySep) {
		p, rest, ok1 := strings.Cut(rec, "|")
		obs, concept, ok2 := strings.Cut(rest, "|")
		pv, err1 := strconv.ParseFloat(p, 64)
		n, err2 := strconv.Atoi(obs)
		if !ok1 || !ok2 || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("store: unreadable concept mastery %q", rec)
		}
		out = append(out, gradjudge.ConceptMastery{Concept: concept, P: pv, Observations: n})
	}
	return out, nil
}

func unpackMisconceptions(s string) ([]gradjudge.MisconceptionStatus, error) {
	if s == "" {
		return nil, nil
	}
	out := make([]gradjudge.MisconceptionStatus, 0, strings.Count(s, summaryEntrySep)+1)
	for rec := range strings.SplitSeq(s, summaryEntrySep) {
		active, tag, ok := strings.Cut(rec, "|")
		if !ok || (active != "0" && active != "1") {
			return nil, fmt.Errorf("store: unreadable misconception status %q", rec)
		}
		out = append(out, gradjudge.MisconceptionStatus{Tag: tag, Active: active == "1"})
	}
	return out, nil
}
