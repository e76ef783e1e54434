package store

import (
	"fmt"
	"testing"
	"time"

	"gradjudge"
)

// BenchmarkCourseAttempts measures reading the attempts the grades of a large course need when
// every exercise's policy grades by more than the best score (app.gradeRecords' worst case): 500
// students × 27 exercises × 3 judged attempts, one query.
func BenchmarkCourseAttempts(b *testing.B) {
	const students, exercises, attempts = 500, 27, 3
	ctx := b.Context()
	db, err := Open(ctx, Config{DataDir: b.TempDir(), Passwords: fastArgon2})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	teacher, _ := db.CreateUser(ctx, gradjudge.User{Email: "t@example.com", Role: gradjudge.RoleInstructor}, "long enough")
	var exIDs []string
	for e := range exercises {
		exIDs = append(exIDs, fmt.Sprintf("e%d", e))
	}
	course, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Big", CreatedBy: teacher.ID, ExerciseIDs: exIDs})
	if err != nil {
		b.Fatal(err)
	}
	var userIDs []int64
	var subs []submissionRow
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for u := range students {
		user, err := db.CreateUser(ctx, gradjudge.User{Email: fmt.Sprintf("s%d@example.edu", u), Name: "s", Role: gradjudge.RoleStudent}, "long enough")
		if err != nil {
			b.Fatal(err)
		}
		userIDs = append(userIDs, user.ID)
		for _, e := range exIDs {
			for range attempts {
				subs = append(subs, submissionRow{UserID: user.ID, CourseID: course.ID, ExerciseID: e, Answer: "{}", Status: "done", CreatedAt: at})
			}
		}
	}
	if err := db.gorm.CreateInBatches(&subs, 1000).Error; err != nil {
		b.Fatal(err)
	}
	verdicts := make([]verdictRow, len(subs))
	for i, s := range subs {
		verdicts[i] = verdictRow{SubmissionID: s.ID, Status: string(gradjudge.StatusPartial), Score: 0.5, Body: "{}", CreatedAt: at}
	}
	if err := db.gorm.CreateInBatches(&verdicts, 1000).Error; err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		got, err := db.CourseAttempts(ctx, course.ID, exIDs, userIDs)
		if err != nil || len(got) != students {
			b.Fatalf("%d students, %v", len(got), err)
		}
	}
}
