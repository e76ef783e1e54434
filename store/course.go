package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"gradjudge"
)

// courseRow is a row of courses.
type courseRow struct {
	ID        int64 `gorm:"primaryKey"`
	Title     string
	CreatedBy int64
	CreatedAt time.Time
}

func (courseRow) TableName() string { return "courses" }

// courseExerciseRow is a row of course_exercises.
type courseExerciseRow struct {
	CourseID   int64  `gorm:"primaryKey"`
	ExerciseID string `gorm:"primaryKey"`
	Position   int
}

func (courseExerciseRow) TableName() string { return "course_exercises" }

// enrollmentRow is a row of enrollments.
type enrollmentRow struct {
	CourseID  int64 `gorm:"primaryKey"`
	UserID    int64 `gorm:"primaryKey"`
	Role      string
	CreatedAt time.Time
}

func (enrollmentRow) TableName() string { return "enrollments" }

// CreateCourse implements gradjudge.CourseService.
func (db *DB) CreateCourse(ctx context.Context, c gradjudge.Course) (gradjudge.Course, error) {
	const op = "store.CreateCourse"
	row := courseRow{Title: strings.TrimSpace(c.Title), CreatedBy: c.CreatedBy, CreatedAt: db.now()}
	if row.Title == "" {
		return gradjudge.Course{}, invalid(op, "a course needs a title")
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		e := enrollmentRow{CourseID: row.ID, UserID: row.CreatedBy, Role: string(gradjudge.CourseInstructor), CreatedAt: row.CreatedAt}
		if err := tx.Create(&e).Error; err != nil {
			return err
		}
		return setCourseExercises(tx, row.ID, c.ExerciseIDs)
	})
	if isForeignKey(err) {
		return gradjudge.Course{}, notFound(op, "creator")
	}
	if err != nil {
		return gradjudge.Course{}, dbError(op, "course", err)
	}
	return db.Course(ctx, row.ID)
}

// Course implements gradjudge.CourseService.
func (db *DB) Course(ctx context.Context, id int64) (gradjudge.Course, error) {
	const op = "store.Course"
	var row courseRow
	if err := db.read.WithContext(ctx).Take(&row, id).Error; err != nil {
		return gradjudge.Course{}, dbError(op, "course", err)
	}
	ids, err := db.courseExercises(ctx, id)
	if err != nil {
		return gradjudge.Course{}, dbError(op, "", err)
	}
	return gradjudge.Course{ID: row.ID, Title: row.Title, CreatedBy: row.CreatedBy, ExerciseIDs: ids, CreatedAt: utc(row.CreatedAt)}, nil
}

func (db *DB) courseExercises(ctx context.Context, courseID int64) ([]string, error) {
	var ids []string
	err := db.read.WithContext(ctx).Model(&courseExerciseRow{}).Where("course_id = ?", courseID).
		Order("position").Pluck("exercise_id", &ids).Error
	return ids, err
}

// Courses implements gradjudge.CourseService.
func (db *DB) Courses(ctx context.Context) ([]gradjudge.Course, error) {
	var rows []courseRow
	if err := db.read.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError("store.Courses", "", err)
	}
	return db.withExercises(ctx, rows)
}

// withExercises turns rows into courses with their exercise lists.
func (db *DB) withExercises(ctx context.Context, rows []courseRow) ([]gradjudge.Course, error) {
	courses := make([]gradjudge.Course, len(rows))
	for i, r := range rows {
		ids, err := db.courseExercises(ctx, r.ID)
		if err != nil {
			return nil, dbError("store.Courses", "", err)
		}
		courses[i] = gradjudge.Course{ID: r.ID, Title: r.Title, CreatedBy: r.CreatedBy, ExerciseIDs: ids, CreatedAt: utc(r.CreatedAt)}
	}
	return courses, nil
}

// CoursesOf implements gradjudge.CourseService.
func (db *DB) CoursesOf(ctx context.Context, userID int64) ([]gradjudge.Membership, error) {
	var enr []enrollmentRow
	if err := db.read.WithContext(ctx).Where("user_id = ?", userID).Order("course_id").Find(&enr).Error; err != nil {
		return nil, dbError("store.CoursesOf", "", err)
	}
	ms := make([]gradjudge.Membership, 0, len(enr))
	for _, e := range enr {
		c, err := db.Course(ctx, e.CourseID)
		if err != nil {
			return nil, err
		}
		ms = append(ms, gradjudge.Membership{Course: c, Role: gradjudge.CourseRole(e.Role)})
	}
	return ms, nil
}

// SetCourseExercises implements gradjudge.CourseService.
func (db *DB) SetCourseExercises(ctx context.Context, courseID int64, exerciseIDs []string) error {
	const op = "store.SetCourseExercises"
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&courseRow{}, courseID).Error; err != nil {
			return dbError(op, "course", err)
		}
		if err := tx.Where("course_id = ?", courseID).Delete(&courseExerciseRow{}).Error; err != nil {
			return dbError(op, "", err)
		}
		return dbError(op, "exercise", setCourseExercises(tx, courseID, exerciseIDs))
	})
}

func setCourseExercises(tx *gorm.DB, courseID int64, ids []string) error {
	seen := make(map[string]bool, len(ids))
	rows := make([]courseExerciseRow, 0, len(ids))
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		rows = append(rows, courseExerciseRow{CourseID: courseID, ExerciseID: id, Position: len(rows)})
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// Enroll implements gradjudge.CourseService.
func (db *DB) Enroll(ctx context.Context, courseID int64, email string, role gradjudge.CourseRole) (gradjudge.Enrollment, error) {
	const op = "store.Enroll"
	if !role.Valid() {
		return gradjudge.Enrollment{}, invalid(op, "course role %q is not student, ta or instructor", role)
	}
	var e enrollmentRow
	var u userRow
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := lockCourse(tx, courseID); err != nil {
			return dbError(op, "course", err)
		}
		var err error
		if u, err = db.userByEmail(ctx, tx, email); err != nil {
			return dbError(op, "user", err)
		}
		if role != gradjudge.CourseInstructor {
			if err := keepAnInstructor(tx, op, courseID, u.ID, "become a "+string(role)); err != nil {
				return err
			}
		}
		e = enrollmentRow{CourseID: courseID, UserID: u.ID, Role: string(role), CreatedAt: db.now()}
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "course_id"}, {Name: "user_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"role"}),
		}).Create(&e).Error
	})
	if err != nil {
		return gradjudge.Enrollment{}, dbError(op, "enrollment", err)
	}
	return db.enrollment(ctx, courseID, u.ID)
}

// enrollment reads one enrollment with its user.
func (db *DB) enrollment(ctx context.Context, courseID, userID int64) (gradjudge.Enrollment, error) {
	list, err := db.enrollments(ctx, "enrollments.course_id = ? AND enrollments.user_id = ?", courseID, userID)
	if err != nil || len(list) == 0 {
		return gradjudge.Enrollment{}, dbError("store.Enrollment", "enrollment", err)
	}
	return list[0], nil
}

// Unenroll implements gradjudge.CourseService.
func (db *DB) Unenroll(ctx context.Context, courseID, userID int64) error {
	const op = "store.Unenroll"
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := lockCourse(tx, courseID); err != nil {
			return dbError(op, "course", err)
		}
		if err := keepAnInstructor(tx, op, courseID, userID, "leave it"); err != nil {
			return err
		}
		res := tx.Where("course_id = ? AND user_id = ?", courseID, userID).Delete(&enrollmentRow{})
		if res.Error == nil && res.RowsAffected == 0 {
			return notFound(op, "enrollment")
		}
		return dbError(op, "", res.Error)
	})
}

// lockCourse reads the course row in tx, locking it on PostgreSQL until tx ends, so that the
// enrollment changes of one course run one at a time: two instructors demoting each other at
// once must not both see the other as the instructor who stays. SQLite's immediate transactions
// run one at a time anyway (GORM leaves FOR UPDATE out there).
func lockCourse(tx *gorm.DB, courseID int64) error {
	return tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Take(&courseRow{}, courseID).Error
}

// keepAnInstructor refuses (ECONFLICT) to take the instructor role from user userID when they
// are the course's last instructor: nobody but an admin could then manage the course. doing
// says what they tried, for the message. Call it in a transaction that holds lockCourse.
func keepAnInstructor(tx *gorm.DB, op string, courseID, userID int64, doing string) error {
	var instructors []int64
	err := tx.Model(&enrollmentRow{}).Where("course_id = ? AND role = ?", courseID, string(gradjudge.CourseInstructor)).
		Limit(2).Pluck("user_id", &instructors).Error
	if err != nil {
		return dbError(op, "", err)
	}
	if len(instructors) == 1 && instructors[0] == userID {
		return &gradjudge.Error{Code: gradjudge.ECONFLICT, Op: op,
			Message: "the course's last instructor cannot " + doing + ": enroll another instructor first"}
	}
	return nil
}

// Enrollments implements gradjudge.CourseService.
func (db *DB) Enrollments(ctx context.Context, courseID int64) ([]gradjudge.Enrollment, error) {
	list, err := db.enrollments(ctx, "enrollments.course_id = ?", courseID)
	return list, dbError("store.Enrollments", "", err)
}

// enrollments reads the enrollments matching where, with their users, by user id. Every course
// page reads its roster, hundreds of rows, so they are scanned by hand (see timeText).
func (db *DB) enrollments(ctx context.Context, where string, args ...any) ([]gradjudge.Enrollment, error) {
	var list []gradjudge.Enrollment
	err := db.scanRows(ctx, func(rows *sql.Rows) error {
		var (
			e    gradjudge.Enrollment
			role string
			at   timeCol
		)
		err := rows.Scan(&e.CourseID, &e.UserID, &e.Email, &e.Name, &role, &at)
		e.Role, e.CreatedAt = gradjudge.CourseRole(role), at.t
		list = append(list, e)
		return err
	}, "SELECT enrollments.course_id, enrollments.user_id, users.email, users.name, enrollments.role, "+db.timeText("enrollments.created_at")+
		" FROM enrollments JOIN users ON users.id = enrollments.user_id WHERE "+where+" ORDER BY enrollments.user_id", args...)
	return list, err
}

// CourseRole implements gradjudge.CourseService.
func (db *DB) CourseRole(ctx context.Context, courseID, userID int64) (gradjudge.CourseRole, error) {
	const op = "store.CourseRole"
	var roles []string
	err := db.read.WithContext(ctx).Model(&enrollmentRow{}).
		Where("course_id = ? AND user_id = ?", courseID, userID).Pluck("role", &roles).Error
	if err != nil {
		return "", dbError(op, "", err)
	}
	if len(roles) == 1 {
		return gradjudge.CourseRole(roles[0]), nil
	}
	if err := db.read.WithContext(ctx).Take(&courseRow{}, courseID).Error; err != nil {
		return "", dbError(op, "course", err)
	}
	return "", nil
}
