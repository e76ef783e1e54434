package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gradjudge"
	"gradjudge/migrations"
)

// progressRow is a row of progress.
type progressRow struct {
	CourseID        int64  `gorm:"primaryKey"`
	UserID          int64  `gorm:"primaryKey"`
	ExerciseID      string `gorm:"primaryKey"`
	Attempts        int
	BestScore       float64
	AttemptsToSolve *int
	SolvedAt        *time.Time
	LastAttemptAt   *time.Time
	Grade           *float64 // the course grade under the exercise's policy; nil: the best score (see grade.go)
}

func (progressRow) TableName() string { return "progress" }

// wholeCourseUsers is the number of users past which ProgressRecords reads the whole course and
// keeps the users asked for, rather than sending their ids: a course page asks for every student,
// and matching hundreds of ids costs the database more than skipping the few other users' rows.
const wholeCourseUsers = 64

// ProgressRecords implements gradjudge.ProgressService with three queries (a count, the records,
// the events), whatever the number of users. A record's Grade is its stored course grade (see
// grade.go), its best score where the policy grades by that. A course page of 500 students reads
// some ten thousand progress rows, so they are read as plainly as the database allows: see
// progressQuery.
func (db *DB) ProgressRecords(ctx context.Context, courseID int64, userIDs []int64) (gradjudge.ProgressRecords, error) {
	return db.progressRecords(ctx, "store.ProgressRecords", courseID, "", userIDs)
}

// ExerciseRecords implements gradjudge.ProgressService: ProgressRecords with the exercise's rows
// only, which the primary key finds.
func (db *DB) ExerciseRecords(ctx context.Context, courseID int64, exerciseID string, userIDs []int64) (gradjudge.ProgressRecords, error) {
	return db.progressRecords(ctx, "store.ExerciseRecords", courseID, exerciseID, userIDs)
}

// progressRecords reads the records of userIDs in the course, of exerciseID only unless it is "".
func (db *DB) progressRecords(ctx context.Context, op string, courseID int64, exerciseID string, userIDs []int64) (gradjudge.ProgressRecords, error) {
	recs := gradjudge.ProgressRecords{Exercises: []gradjudge.ExerciseRecord{}, Events: []gradjudge.MisconceptionEvent{}}
	if len(userIDs) == 0 {
		return recs, nil
	}
	users, args := db.userFilter(courseID, userIDs)
	if exerciseID != "" {
		users.where += " AND exercise_id = ?"
		args = append(args, exerciseID)
	}
	var n int64 // the rows, counted from the primary key, so that the records are not copied as they grow
	if err := db.read.WithContext(ctx).Raw("SELECT count(*) FROM progress WHERE "+users.where, args...).Scan(&n).Error; err != nil {
		return recs, dbError(op, "", err)
	}
	recs.Exercises = make([]gradjudge.ExerciseRecord, 0, n)
	query, scan := db.progressQuery(users.where)
	err := db.scanRows(ctx, func(rows *sql.Rows) error {
		return scan(rows, func(r gradjudge.ExerciseRecord) {
			if users.has(r.UserID) {
				recs.Exercises = append(recs.Exercises, r)
			}
		})
	}, query, args...)
	if err != nil {
		return recs, dbError(op, "", err)
	}
	err = db.scanRows(ctx, func(rows *sql.Rows) error {
		e, err := scanEvent(rows)
		if err == nil && users.has(e.UserID) {
			recs.Events = append(recs.Events, e)
		}
		return err
	}, "SELECT id, user_id, course_id, exercise_id, tag, submission_id, "+db.timeText("at")+
		" FROM misconception_events WHERE "+users.where+" ORDER BY at, id", args...)
	return recs, dbError(op, "", err)
}

// userSet is the users a ProgressRecords query asks for: its WHERE clause, and, when that
// clause names only the course, the set of ids its rows are kept by.
type userSet struct {
	where string
	ids   map[int64]bool // nil: every row the clause matches
}

func (u userSet) has(id int64) bool { return u.ids == nil || u.ids[id] }

func (db *DB) userFilter(courseID int64, userIDs []int64) (userSet, []any) {
	if len(userIDs) <= wholeCourseUsers {
		return userSet{where: "course_id = ? AND user_id IN ?"}, []any{courseID, userIDs}
	}
	u := userSet{where: "course_id = ?", ids: make(map[int64]bool, len(userIDs))}
	for _, id := range userIDs {
		u.ids[id] = true
	}
	return u, []any{courseID}
}

// progressQuery is the query of ProgressRecords' progress rows matching where, by user then
// exercise, and the function that reads one row of it into records. PostgreSQL sends a row per
// record, each column in binary. SQLite's driver costs a call into C per column and parses each
// timestamp through every layout it knows, which made up most of a course page's time; so on
// SQLite the database packs each user's records into one text (see parsePackedRecord), and the
// page reads some 500 rows of two columns instead of 11,000 of seven.
func (db *DB) progressQuery(where string) (string, func(*sql.Rows, func(gradjudge.ExerciseRecord)) error) {
	if db.dialect != migrations.SQLite {
		return "SELECT user_id, exercise_id, attempts, best_score, attempts_to_solve, solved_at, last_attempt_at, grade FROM progress WHERE " +
			where + " ORDER BY user_id, exercise_id", scanProgress
	}
	// printf's %!.17g writes a REAL with 17 significant digits, which read back exactly.
	return "SELECT user_id, group_concat(attempts || '|' || printf('%!.17g', best_score) || '|' || ifnull(attempts_to_solve, '') || '|' || " +
		"ifnull(solved_at, '') || '|' || ifnull(last_attempt_at, '') || '|' || CASE WHEN grade IS NULL THEN '' ELSE printf('%!.17g', grade) END || '|' || exercise_id, char(" +
		strconv.Itoa(recordSep) + ") ORDER BY exercise_id) " +
		"FROM progress WHERE " + where + " GROUP BY user_id ORDER BY user_id", scanPackedProgress
}

// recordSep separates the records of one user in progressQuery's packed text: the ASCII record
// separator, which no exercise id holds.
const recordSep = 0x1e

// scanProgress reads one row of progressQuery's columns.
func scanProgress(rows *sql.Rows, emit func(gradjudge.ExerciseRecord)) error {
	var (
		r                       gradjudge.ExerciseRecord
		attempts                int64
		toSolve                 sql.NullInt64
		solvedAt, lastAttemptAt timeCol
		grade                   sql.NullFloat64
	)
	if err := rows.Scan(&r.UserID, &r.ExerciseID, &attempts, &r.BestScore, &toSolve, &solvedAt, &lastAttemptAt, &grade); err != nil {
		return err
	}
	r.Attempts, r.AttemptsToSolve = int(attempts), int(toSolve.Int64)
	r.Grade = r.BestScore
	if grade.Valid {
		r.Grade = grade.Float64
	}
	r.SolvedAt, r.LastAttemptAt = solvedAt.ptr(), lastAttemptAt.ptr()
	emit(r)
	return nil
}

// scanPackedProgress reads one user's row of progressQuery's packed records. Their times share
// one allocation: a course page reads tens of thousands.
func scanPackedProgress(rows *sql.Rows, emit func(gradjudge.ExerciseRecord)) error {
	var (
		user   int64
		packed string
	)
	if err := rows.Scan(&user, &packed); err != nil {
		return err
	}
	sep := string(rune(recordSep))
	times := make([]time.Time, 0, 2*(strings.Count(packed, sep)+1))
	for rec := range strings.SplitSeq(packed, sep) {
		r, err := parsePackedRecord(rec, &times)
		if err != nil {
			return err
		}
		r.UserID = user
		emit(r)
	}
	return nil
}

// parsePackedRecord reads "attempts|best score|attempts to solve|solved at|last attempt at|
// grade|exercise", where a NULL is empty. The exercise id comes last, so that it may hold a '|'.
// Its times are appended to times, which must have room for two.
func parsePackedRecord(s string, times *[]time.Time) (gradjudge.ExerciseRecord, error) {
	var (
		r  gradjudge.ExerciseRecord
		f  [6]string
		ok = true
	)
	rest := s
	for i := range f {
		var found bool
		f[i], rest, found = strings.Cut(rest, "|")
		ok = ok && found
	}
	r.ExerciseID = rest
	attempts, err1 := strconv.Atoi(f[0])
	score, err2 := strconv.ParseFloat(f[1], 64)
	if !ok || err1 != nil || err2 != nil {
		return r, errPackedProgress(s)
	}
	r.Attempts, r.BestScore, r.Grade = attempts, score, score
	if f[5] != "" {
		if r.Grade, err1 = strconv.ParseFloat(f[5], 64); err1 != nil {
			return r, errPackedProgress(s)
		}
	}
	if f[2] != "" {
		n, err := strconv.Atoi(f[2])
		if err != nil {
			return r, errPackedProgress(s)
		}
		r.AttemptsToSolve = n
	}
	var err error
	if r.SolvedAt, err = optionalTime(f[3], times); err != nil {
		return r, err
	}
	r.LastAttemptAt, err = optionalTime(f[4], times)
	return r, err
}

func errPackedProgress(s string) error {
	return fmt.Errorf("store: unreadable progress record %q", s)
}

// optionalTime parses a stored time into the next place of times (which has room for it);
// empty is NULL.
func optionalTime(s string, times *[]time.Time) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := parseSQLiteTime(s)
	*times = append(*times, t)
	return &(*times)[len(*times)-1], err
}

// scanEvent reads one row of ProgressRecords' second query.
func scanEvent(rows *sql.Rows) (gradjudge.MisconceptionEvent, error) {
	var (
		e  gradjudge.MisconceptionEvent
		at timeCol
	)
	err := rows.Scan(&e.ID, &e.UserID, &e.CourseID, &e.ExerciseID, &e.Tag, &e.SubmissionID, &at)
	e.At = at.t
	return e, err
}

// timeText is the column expression that reads timestamp column col into a timeCol: on SQLite
// its text (the driver would parse it itself, more slowly than parseStoredTime), on PostgreSQL
// the column.
func (db *DB) timeText(col string) string {
	if db.dialect == migrations.SQLite {
		return "CAST(" + col + " AS TEXT)"
	}
	return col
}

// scanRows runs query on the read pool (GORM expands its slice arguments) and calls scan for
// every row.
func (db *DB) scanRows(ctx context.Context, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := db.read.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
