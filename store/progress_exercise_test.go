package store

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"gradjudge"
)

// TestExerciseRecordsOfExercise checks ExerciseRecords against ProgressRecords' records and
// events of the same exercise, on random records of several exercises in two courses, for the
// short user list (sent as ids) and the long one (the whole course), and for an exercise nobody
// tried.
func TestExerciseRecordsOfExercise(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		teacher := mustUser(t, db, "teacher@example.com", gradjudge.RoleInstructor)
		var courses []int64
		for _, title := range []string{"Big", "Other"} {
			c, err := db.CreateCourse(ctx, gradjudge.Course{Title: title, CreatedBy: teacher.ID})
			if err != nil {
				t.Fatal(err)
			}
			courses = append(courses, c.ID)
		}
		rng := rand.New(rand.NewPCG(3, 17))
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		var ids []int64
		for i := range wholeCourseUsers + 12 {
			u := mustUser(t, db, "s"+strconv.Itoa(i)+"@example.com", gradjudge.RoleStudent)
			ids = append(ids, u.ID)
			for _, course := range courses {
				for e := range 5 {
					ex := "exercise-" + strconv.Itoa(e)
					if rng.IntN(3) == 0 {
						continue
					}
					row := randomProgress(rng, course, u.ID, ex)
					if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
						t.Fatal(err)
					}
					if rng.IntN(2) == 0 {
						addEvent(t, db, course, u.ID, ex, at.Add(time.Duration(rng.IntN(1000))*time.Minute))
					}
				}
			}
		}
		for _, list := range [][]int64{ids[:3], ids[1:]} {
			all, err := db.ProgressRecords(ctx, courses[0], list)
			if err != nil {
				t.Fatal(err)
			}
			for _, ex := range []string{"exercise-0", "exercise-3", "exercise-9"} {
				got, err := db.ExerciseRecords(ctx, courses[0], ex, list)
				if err != nil {
					t.Fatal(err)
				}
				if want := all.OfExercise(ex); !reflect.DeepEqual(got, want) {
					t.Errorf("%d users, %s:\n got %+v\nwant %+v", len(list), ex, got, want)
				}
				if ex == "exercise-0" && (len(got.Exercises) == 0 || len(got.Events) == 0) {
					t.Errorf("%d users, %s: %d records, %d events; want some of each", len(list), ex, len(got.Exercises), len(got.Events))
				}
			}
		}
	})
}

// addEvent stores a submission of user's on the exercise that showed a misconception at at.
func addEvent(t *testing.T, db *DB, courseID, userID int64, exercise string, at time.Time) {
	t.Helper()
	var sid int64
	if err := db.gorm.Raw("INSERT INTO submissions (user_id, course_id, exercise_id, seed, answer, content_hash, status, created_at) VALUES (?, ?, ?, 1, '{}', 'h', 'done', ?) RETURNING id",
		userID, courseID, exercise, at).Scan(&sid).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.gorm.Exec("INSERT INTO misconception_events (user_id, course_id, exercise_id, tag, submission_id, at) VALUES (?, ?, ?, 'chain-rule-add', ?, ?)",
		userID, courseID, exercise, sid, at).Error; err != nil {
		t.Fatal(err)
	}
}
