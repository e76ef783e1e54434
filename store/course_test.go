package store

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"gradjudge"
)

func TestCourses(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		if got := f.course.ExerciseIDs; !slices.Equal(got, []string{"e1", "e2"}) {
			t.Errorf("ExerciseIDs = %v", got)
		}
		t.Run("creator is instructor", func(t *testing.T) {
			role, err := db.CourseRole(ctx, f.course.ID, f.teacher.ID)
			if err != nil || role != gradjudge.CourseInstructor {
				t.Errorf("CourseRole = %q, %v", role, err)
			}
		})
		t.Run("create", func(t *testing.T) {
			_, err := db.CreateCourse(ctx, gradjudge.Course{Title: "  ", CreatedBy: f.teacher.ID})
			wantCode(t, err, gradjudge.EINVALID)
			_, err = db.CreateCourse(ctx, gradjudge.Course{Title: "Orphan", CreatedBy: 9999})
			wantCode(t, err, gradjudge.ENOTFOUND)
		})
		t.Run("enroll", func(t *testing.T) {
			for _, c := range []struct {
				name     string
				course   int64
				email    string
				role     gradjudge.CourseRole
				code     string
				wantRole gradjudge.CourseRole
			}{
				{"promote to ta", f.course.ID, "BOB@example.com", gradjudge.CourseTA, "", gradjudge.CourseTA},
				{"unknown email", f.course.ID, "carol@example.com", gradjudge.CourseStudent, gradjudge.ENOTFOUND, ""},
				{"unknown course", 9999, "bob@example.com", gradjudge.CourseStudent, gradjudge.ENOTFOUND, ""},
				{"bad role", f.course.ID, "bob@example.com", "admin", gradjudge.EINVALID, ""},
			} {
				t.Run(c.name, func(t *testing.T) {
					e, err := db.Enroll(ctx, c.course, c.email, c.role)
					wantCode(t, err, c.code)
					if err == nil && (e.UserID != f.bob.ID || e.Role != c.wantRole || e.Email != f.bob.Email) {
						t.Errorf("Enroll = %+v", e)
					}
				})
			}
		})
		t.Run("roles", func(t *testing.T) {
			carol := mustUser(t, db, "carol@example.com", gradjudge.RoleStudent)
			for _, c := range []struct {
				name   string
				course int64
				user   int64
				want   gradjudge.CourseRole
				code   string
			}{
				{"student", f.course.ID, f.ann.ID, gradjudge.CourseStudent, ""},
				{"ta", f.course.ID, f.bob.ID, gradjudge.CourseTA, ""},
				{"not enrolled", f.course.ID, carol.ID, "", ""},
				{"no course", 9999, carol.ID, "", gradjudge.ENOTFOUND},
			} {
				t.Run(c.name, func(t *testing.T) {
					got, err := db.CourseRole(ctx, c.course, c.user)
					wantCode(t, err, c.code)
					if got != c.want {
						t.Errorf("CourseRole = %q, want %q", got, c.want)
					}
				})
			}
		})
		t.Run("lists", func(t *testing.T) {
			other, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Other", CreatedBy: f.ann.ID})
			if err != nil {
				t.Fatal(err)
			}
			mine, err := db.CoursesOf(ctx, f.ann.ID)
			if err != nil || len(mine) != 2 || mine[0].Role != gradjudge.CourseStudent || mine[1].Course.ID != other.ID || mine[1].Role != gradjudge.CourseInstructor {
				t.Errorf("CoursesOf(ann) = %+v, %v", mine, err)
			}
			all, err := db.Courses(ctx)
			if err != nil || len(all) != 2 {
				t.Errorf("Courses = %+v, %v", all, err)
			}
			enr, err := db.Enrollments(ctx, f.course.ID)
			if err != nil || len(enr) != 3 {
				t.Errorf("Enrollments = %+v, %v", enr, err)
			}
		})
		t.Run("exercises", func(t *testing.T) {
			if err := db.SetCourseExercises(ctx, f.course.ID, []string{"e3", "e1", "e3"}); err != nil {
				t.Fatal(err)
			}
			c, err := db.Course(ctx, f.course.ID)
			if err != nil || !slices.Equal(c.ExerciseIDs, []string{"e3", "e1"}) {
				t.Errorf("after SetCourseExercises: %v, %v", c.ExerciseIDs, err)
			}
			wantCode(t, db.SetCourseExercises(ctx, 9999, nil), gradjudge.ENOTFOUND)
		})
		t.Run("unenroll", func(t *testing.T) {
			if err := db.Unenroll(ctx, f.course.ID, f.bob.ID); err != nil {
				t.Fatal(err)
			}
			wantCode(t, db.Unenroll(ctx, f.course.ID, f.bob.ID), gradjudge.ENOTFOUND)
			if role, _ := db.CourseRole(ctx, f.course.ID, f.bob.ID); role != "" {
				t.Errorf("bob still has role %q", role)
			}
		})
	})
}

// TestLastInstructorStays checks that a course keeps an instructor: its last one can neither
// leave nor take another role (ECONFLICT, nothing changed), while one of two may.
func TestLastInstructorStays(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		wantCode(t, db.Unenroll(ctx, f.course.ID, f.teacher.ID), gradjudge.ECONFLICT)
		for _, r := range []gradjudge.CourseRole{gradjudge.CourseStudent, gradjudge.CourseTA} {
			_, err := db.Enroll(ctx, f.course.ID, f.teacher.Email, r)
			wantCode(t, err, gradjudge.ECONFLICT)
		}
		if _, err := db.Enroll(ctx, f.course.ID, f.teacher.Email, gradjudge.CourseInstructor); err != nil {
			t.Errorf("re-enrolling the last instructor as instructor: %v", err)
		}
		wantRole(t, db, f.course.ID, f.teacher.ID, gradjudge.CourseInstructor)

		if _, err := db.Enroll(ctx, f.course.ID, f.ann.Email, gradjudge.CourseInstructor); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enroll(ctx, f.course.ID, f.teacher.Email, gradjudge.CourseTA); err != nil {
			t.Errorf("demoting one of two instructors: %v", err)
		}
		wantCode(t, db.Unenroll(ctx, f.course.ID, f.ann.ID), gradjudge.ECONFLICT)
		if err := db.Unenroll(ctx, f.course.ID, f.bob.ID); err != nil {
			t.Errorf("unenrolling a student: %v", err)
		}
		wantRole(t, db, f.course.ID, f.ann.ID, gradjudge.CourseInstructor)
	})
}

// TestInstructorsDemotingEachOther has the two instructors of a course demote each other, or
// leave, at the same moment, a few times over: one wins, the other is refused, and the course
// always keeps an instructor. It catches a check that reads outside the writers' lock.
func TestInstructorsDemotingEachOther(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		for round := range 6 {
			for _, u := range []gradjudge.User{f.teacher, f.ann} {
				if _, err := db.Enroll(ctx, f.course.ID, u.Email, gradjudge.CourseInstructor); err != nil {
					t.Fatal(err)
				}
			}
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, u := range []gradjudge.User{f.teacher, f.ann} {
				wg.Go(func() {
					if round%2 == 0 {
						_, errs[i] = db.Enroll(ctx, f.course.ID, u.Email, gradjudge.CourseStudent)
					} else {
						errs[i] = db.Unenroll(ctx, f.course.ID, u.ID)
					}
				})
			}
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) || gradjudge.ErrorCode(errors.Join(errs...)) != gradjudge.ECONFLICT {
				t.Fatalf("round %d: %v; want one change and one ECONFLICT", round, errs)
			}
		}
	})
}

func wantRole(t *testing.T, db *DB, courseID, userID int64, want gradjudge.CourseRole) {
	t.Helper()
	if got, err := db.CourseRole(t.Context(), courseID, userID); err != nil || got != want {
		t.Errorf("role of user %d = %q, %v; want %q", userID, got, err, want)
	}
}
