package store

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"gradjudge"
)

// TestProgressRecordsReadsWhatIsStored checks ProgressRecords' hand-read rows against the same
// rows read through GORM's reflection (its former way), on random records: scores of any bits,
// times in other zones and to the nanosecond, NULLs. Both the short user list (sent as ids) and
// the long one (the whole course, filtered here) are read, and a user left out of the list never
// shows.
func TestProgressRecordsReadsWhatIsStored(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		teacher := mustUser(t, db, "teacher@example.com", gradjudge.RoleInstructor)
		course, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Big", CreatedBy: teacher.ID})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(7, 11))
		var ids []int64
		for i := range wholeCourseUsers + 36 {
			u := mustUser(t, db, "s"+strconv.Itoa(i)+"@example.com", gradjudge.RoleStudent)
			ids = append(ids, u.ID)
			for e := range 1 + rng.IntN(8) {
				row := randomProgress(rng, course.ID, u.ID, "exercise-"+strconv.Itoa(e))
				if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, list := range [][]int64{ids[:3], ids[1:]} {
			got, err := db.ProgressRecords(ctx, course.ID, list)
			if err != nil {
				t.Fatal(err)
			}
			var rows []progressRow
			if err := db.read.WithContext(ctx).Where("course_id = ? AND user_id IN ?", course.ID, list).Order("user_id, exercise_id").Find(&rows).Error; err != nil {
				t.Fatal(err)
			}
			want := make([]gradjudge.ExerciseRecord, len(rows))
			for i, r := range rows {
				want[i] = reflectedRecord(r)
			}
			if !reflect.DeepEqual(got.Exercises, want) {
				t.Errorf("%d users: records differ from GORM's:\n got %v\nwant %v", len(list), got.Exercises, want)
			}
		}
	})
}

// randomProgress is a progress row with random values, NULL or not.
func randomProgress(rng *rand.Rand, courseID, userID int64, exercise string) progressRow {
	zone := time.FixedZone("", (rng.IntN(27)-13)*3600+rng.IntN(2)*1800)
	at := func() *time.Time {
		if rng.IntN(3) == 0 {
			return nil
		}
		t := time.Date(2020+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60), []int{0, 1, 500_000_000, rng.IntN(1e9)}[rng.IntN(4)], zone)
		return &t
	}
	score := rng.Float64()
	if rng.IntN(2) == 0 { // any float in [0, 1), subnormals included
		score = math.Float64frombits(rng.Uint64N(math.Float64bits(1)))
	}
	if rng.IntN(3) == 0 {
		score = []float64{0, 1, 1.0 / 3, math.Nextafter(1, 0), 5e-324}[rng.IntN(5)]
	}
	r := progressRow{CourseID: courseID, UserID: userID, ExerciseID: exercise, Attempts: rng.IntN(40), BestScore: score,
		SolvedAt: at(), LastAttemptAt: at()}
	if rng.IntN(2) == 0 { // a grade under a policy; without one, the best score's
		g := []float64{0, 1, math.Nextafter(1, 0), 5e-324, rng.Float64()}[rng.IntN(5)]
		r.Grade = &g
	}
	if rng.IntN(2) == 0 {
		n := rng.IntN(20)
		r.AttemptsToSolve = &n
	}
	return r
}

// reflectedRecord is a row read through GORM as a record, in UTC, graded by the best score where
// its grade is NULL.
func reflectedRecord(r progressRow) gradjudge.ExerciseRecord {
	ep := gradjudge.ExerciseProgress{ExerciseID: r.ExerciseID, Attempts: r.Attempts, BestScore: r.BestScore,
		SolvedAt: utcPtr(r.SolvedAt), LastAttemptAt: utcPtr(r.LastAttemptAt)}
	if r.AttemptsToSolve != nil {
		ep.AttemptsToSolve = *r.AttemptsToSolve
	}
	ep.Grade = r.BestScore
	if r.Grade != nil {
		ep.Grade = *r.Grade
	}
	return gradjudge.ExerciseRecord{UserID: r.UserID, ExerciseProgress: ep}
}

// TestParseSQLiteTime checks the quick parse against time.ParseInLocation with the driver's
// layouts, on the driver's own text of random times and on texts the quick parse leaves to them.
func TestParseSQLiteTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{
		"2024-02-29 23:59:59.999999999+14:00", "2023-02-29 10:00:00+00:00", "2026-12-31 00:00:00-12:30",
		"2026-03-01 09:00:00", "2026-03-01T09:00:00Z", "2026-03-01 09:00:00.5+01:00", "2026-03-01 09:00",
		"2026-03-01", "2026-13-01 09:00:00+00:00", "2026-03-01 24:00:00+00:00", "2026-03-01 09:00:00.+00:00",
		"2026-03-01 09:00:00.1234567891+00:00", "2026-03-01 09:00:00+0100", "garbage", "",
	}
	for range 2000 {
		zone := time.FixedZone("", (rng.IntN(27)-13)*3600+rng.IntN(4)*900)
		at := time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).In(zone)
		texts = append(texts, at.Format("2006-01-02 15:04:05.999999999-07:00"))
	}
	for _, s := range texts {
		got, err := parseSQLiteTime(s)
		want, wantErr := driverTime(s)
		if (err != nil) != (wantErr != nil) || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseSQLiteTime(%q) = %v, %v; the driver's layouts give %v, %v", s, got, err, want, wantErr)
		}
	}
}

// driverTime parses s as the SQLite driver does, in UTC.
func driverTime(s string) (time.Time, error) {
	var err error
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05",
		"2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		var t time.Time
		if len(s) > 0 && s[len(s)-1] == 'Z' {
			t, err = time.ParseInLocation(layout, s[:len(s)-1], time.UTC)
		} else {
			t, err = time.ParseInLocation(layout, s, time.UTC)
		}
		if err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// TestAttemptsOfAsAttempts: the read of every student's attempts on an exercise (a policy
// change's) gives, for each, exactly what Attempts reads for one of them: times, statuses and
// scores of any bits, in the order submitted.
func TestAttemptsOfAsAttempts(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		rng := rand.New(rand.NewPCG(2, 9))
		users, exercises := []int64{f.ann.ID, f.bob.ID}, []string{"e1", "e2"}
		for i := range 12 {
			v := gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: math.Float64frombits(rng.Uint64N(math.Float64bits(1)))}
			if i%5 == 0 {
				v = gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
			}
			s := mustSubmit(t, db, users[rng.IntN(2)], f.course.ID, exercises[rng.IntN(2)], numeric("answer "+strconv.Itoa(i)))
			if _, err := db.recordVerdict(ctx, s, v); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range exercises {
			all, err := attemptsOf(db.read, f.course.ID, e, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				want, err := db.Attempts(ctx, f.course.ID, u, e)
				if err != nil {
					t.Fatal(err)
				}
				if got := all[u]; !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
					t.Errorf("user %d, %s: course-wide %+v, Attempts %+v", u, e, got, want)
				}
			}
		}
	})
}
