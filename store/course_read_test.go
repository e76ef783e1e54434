package store

import (
	"reflect"
	"testing"
	"time"

	"gradjudge"
)

// TestEnrollmentsReadWhatIsStored checks Enrollments' hand-read rows against the same rows read
// through GORM's reflection (its former way): every field, a name and an email beyond ASCII,
// enrolment times in another zone and to the microsecond, by user id; and a course's students
// only, not another's.
func TestEnrollmentsReadWhatIsStored(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		other, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Other", CreatedBy: f.teacher.ID})
		if err != nil {
			t.Fatal(err)
		}
		zoe, err := db.CreateUser(ctx, gradjudge.User{Email: "zoë@exämple.com", Name: "Zoë \"Z\" Ünal", Role: gradjudge.RoleStudent}, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []int64{f.course.ID, other.ID} {
			if _, err := db.Enroll(ctx, c, zoe.Email, gradjudge.CourseTA); err != nil {
				t.Fatal(err)
			}
		}
		at := time.Date(2026, 3, 1, 9, 30, 15, 123456000, time.FixedZone("CET", 3600))
		if err := db.gorm.Exec("UPDATE enrollments SET created_at = ? WHERE user_id = ?", at, f.bob.ID).Error; err != nil {
			t.Fatal(err)
		}
		got, err := db.Enrollments(ctx, f.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		var want []gradjudge.Enrollment
		err = db.read.WithContext(ctx).Table("enrollments").
			Select("enrollments.course_id, enrollments.user_id, users.email, users.name, enrollments.role, enrollments.created_at").
			Joins("JOIN users ON users.id = enrollments.user_id").
			Where("enrollments.course_id = ?", f.course.ID).Order("enrollments.user_id").Scan(&want).Error
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i].CreatedAt = want[i].CreatedAt.UTC()
		}
		if len(want) != 4 || !reflect.DeepEqual(got, want) {
			t.Errorf("Enrollments:\n got %+v\nwant %+v", got, want)
		}
		if i := len(got) - 1; got[2].UserID != f.bob.ID || !got[2].CreatedAt.Equal(at) || got[i].Name != zoe.Name || got[i].Role != gradjudge.CourseTA {
			t.Errorf("Enrollments = %+v; want bob enrolled at %v and Zoë a TA", got, at)
		}
	})
}
