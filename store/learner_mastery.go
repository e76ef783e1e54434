package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/migrations"
)

// CourseMastery implements gradjudge.LearnerService in one query: every student of the course
// with the Summary of their model (an unknown course has none). The database takes the few
// fields apart from each stored model and packs them into two texts per student (see
// masteryQuery): a course page of 500 students would otherwise decode a megabyte of JSON, most
// of it times and words the summary does not read.
func (db *DB) CourseMastery(ctx context.Context, courseID int64) ([]gradjudge.LearnerState, error) {
	var out []gradjudge.LearnerState
	err := db.scanRows(ctx, func(rows *sql.Rows) error {
		var (
			st                    = gradjudge.LearnerState{CourseID: courseID}
			concepts, misconcepts sql.NullString
			err                   error
		)
		if err := rows.Scan(&st.UserID, &concepts, &misconcepts); err != nil {
			return err
		}
		if st.Concepts, err = parsePackedConcepts(concepts.String); err != nil {
			return err
		}
		if st.Misconceptions, err = parsePackedMisconceptions(misconcepts.String); err != nil {
			return err
		}
		out = append(out, st)
		return nil
	}, db.masteryQuery(), courseID, string(gradjudge.CourseStudent))
	return out, dbError("store.CourseMastery", "", err)
}

// masteryQuery lists the students of a course (by user id) with their model's concepts packed as
// "p|observations|concept" and its misconceptions as "active|tag", each list joined by
// recordSep in the model's order; NULL for none. A student without a model has neither.
// SQLite's printf %!.17g writes a REAL with 17 significant digits, which read back exactly;
// PostgreSQL's ->> gives a JSON number's own text. An "active" is 1 or 0 on SQLite, true or
// false on PostgreSQL.
func (db *DB) masteryQuery() string {
	sep := strconv.Itoa(recordSep)
	if db.dialect == migrations.SQLite {
		return `SELECT e.user_id,
			(SELECT group_concat(printf('%!.17g', c.value ->> 'p') || '|' || (c.value ->> 'observations') || '|' || (c.value ->> 'concept'), char(` + sep + `))
				FROM json_each(l.model, '$.concepts') c WHERE c.type = 'object'),
			(SELECT group_concat((m.value ->> 'active') || '|' || (m.value ->> 'tag'), char(` + sep + `))
				FROM json_each(l.model, '$.misconceptions') m WHERE m.type = 'object')
			FROM enrollments e LEFT JOIN learner_models l ON l.course_id = e.course_id AND l.user_id = e.user_id
			WHERE e.course_id = ? AND e.role = ? ORDER BY e.user_id`
	}
	list := func(key, item string) string {
		return `(SELECT string_agg(` + item + `, chr(` + sep + `) ORDER BY i)
			FROM json_array_elements(CASE WHEN json_typeof(l.model::json -> '` + key + `') = 'array' THEN l.model::json -> '` + key + `' END)
				WITH ORDINALITY AS t(x, i))`
	}
	return `SELECT e.user_id, ` +
		list("concepts", `(x ->> 'p') || '|' || (x ->> 'observations') || '|' || (x ->> 'concept')`) + `, ` +
		list("misconceptions", `(x ->> 'active') || '|' || (x ->> 'tag')`) + `
		FROM enrollments e LEFT JOIN learner_models l ON l.course_id = e.course_id AND l.user_id = e.user_id
		WHERE e.course_id = ? AND e.role = ? ORDER BY e.user_id`
}

// parsePackedConcepts reads masteryQuery's packed concepts; "" is none.
func parsePackedConcepts(s string) ([]gradjudge.ConceptMastery, error) {
	if s == "" {
		return nil, nil
	}
	sep := string(rune(recordSep))
	out := make([]gradjudge.ConceptMastery, 0, strings.Count(s, sep)+1)
	for rec := range strings.SplitSeq(s, sep) {
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

// parsePackedMisconceptions reads masteryQuery's packed misconceptions; "" is none.
func parsePackedMisconceptions(s string) ([]gradjudge.MisconceptionStatus, error) {
	if s == "" {
		return nil, nil
	}
	sep := string(rune(recordSep))
	out := make([]gradjudge.MisconceptionStatus, 0, strings.Count(s, sep)+1)
	for rec := range strings.SplitSeq(s, sep) {
		active, tag, ok := strings.Cut(rec, "|")
		switch {
		case !ok:
			return nil, fmt.Errorf("store: unreadable misconception status %q", rec)
		case active == "1" || active == "true":
			out = append(out, gradjudge.MisconceptionStatus{Tag: tag, Active: true})
		case active == "0" || active == "false":
			out = append(out, gradjudge.MisconceptionStatus{Tag: tag})
		default:
			return nil, fmt.Errorf("store: unreadable misconception status %q", rec)
		}
	}
	return out, nil
}
