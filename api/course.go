package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
)

const (
	courseKey     = "course"      // gradjudge.Course, set by inCourse
	courseRoleKey = "course_role" // gradjudge.CourseRole, set by inCourse
)

type courseDTO struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	ExerciseIDs []string  `json:"exercise_ids"`
	CreatedAt   time.Time `json:"created_at"`
	Role        string    `json:"role,omitempty"` // the caller's role in the course
}

func toCourseDTO(c gradjudge.Course, role gradjudge.CourseRole) courseDTO {
	ids := c.ExerciseIDs
	if ids == nil {
		ids = []string{}
	}
	return courseDTO{ID: c.ID, Title: c.Title, ExerciseIDs: ids, CreatedAt: c.CreatedAt, Role: string(role)}
}

type createCourseRequest struct {
	Title       string   `json:"title" binding:"required,max=200"`
	ExerciseIDs []string `json:"exercise_ids"`
}

type setExercisesRequest struct {
	ExerciseIDs []string `json:"exercise_ids" binding:"required"`
}

type enrollRequest struct {
	Email string `json:"email" binding:"required"`
	Role  string `json:"role" binding:"required"`
}

type enrollmentDTO struct {
	UserID    int64     `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

func toEnrollmentDTO(e gradjudge.Enrollment) enrollmentDTO {
	return enrollmentDTO{UserID: e.UserID, Email: e.Email, Name: e.Name, Role: string(e.Role), CreatedAt: e.CreatedAt}
}

// inCourse loads the course named by :id and the caller's role in it. A caller who is not enrolled
// is told the course does not exist (404), so that course ids cannot be probed; an admin acts as
// an instructor of every course.
func (s *Server) inCourse(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	u := currentUser(c)
	role, err := s.Courses.CourseRole(ctx, id, u.ID)
	if err == nil && u.Role == gradjudge.RoleAdmin {
		role = gradjudge.CourseInstructor
	}
	if err == nil && role == "" {
		err = errorf(gradjudge.ENOTFOUND, "course %d not found", id)
	}
	var course gradjudge.Course
	if err == nil {
		course, err = s.Courses.Course(ctx, id)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Set(courseKey, course)
	c.Set(courseRoleKey, role)
	c.Next()
}

func currentCourse(c *gin.Context) (gradjudge.Course, gradjudge.CourseRole) {
	course, _ := c.Get(courseKey)
	role, _ := c.Get(courseRoleKey)
	co, _ := course.(gradjudge.Course)
	r, _ := role.(gradjudge.CourseRole)
	return co, r
}

// requireStaff lets through the course's instructors and TAs.
func (s *Server) requireStaff(c *gin.Context) {
	if _, role := currentCourse(c); !role.IsStaff() {
		s.writeError(c, errorf(gradjudge.EFORBIDDEN, "only the course's instructors and TAs may do this"))
		return
	}
	c.Next()
}

// requireInstructor lets through the course's instructors.
func (s *Server) requireInstructor(c *gin.Context) {
	if _, role := currentCourse(c); role != gradjudge.CourseInstructor {
		s.writeError(c, errorf(gradjudge.EFORBIDDEN, "only the course's instructors may do this"))
		return
	}
	c.Next()
}

func (s *Server) createCourse(c *gin.Context) {
	var req createCourseRequest
	if !s.bind(c, &req) || !s.knownExercises(c, req.ExerciseIDs) {
		return
	}
	u := currentUser(c)
	course, err := s.Courses.CreateCourse(c.Request.Context(), gradjudge.Course{Title: req.Title, CreatedBy: u.ID, ExerciseIDs: req.ExerciseIDs})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toCourseDTO(course, gradjudge.CourseInstructor))
}

func (s *Server) myCourses(c *gin.Context) {
	ms, err := s.Courses.CoursesOf(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"courses": mapSlice(ms, func(m gradjudge.Membership) courseDTO { return toCourseDTO(m.Course, m.Role) })})
}

func (s *Server) getCourse(c *gin.Context) {
	course, role := currentCourse(c)
	c.JSON(http.StatusOK, toCourseDTO(course, role))
}

func (s *Server) setCourseExercises(c *gin.Context) {
	var req setExercisesRequest
	if !s.bind(c, &req) || !s.knownExercises(c, req.ExerciseIDs) {
		return
	}
	course, role := currentCourse(c)
	if err := s.Courses.SetCourseExercises(c.Request.Context(), course.ID, req.ExerciseIDs); err != nil {
		s.writeError(c, err)
		return
	}
	course.ExerciseIDs = req.ExerciseIDs
	c.JSON(http.StatusOK, toCourseDTO(course, role))
}

func (s *Server) enroll(c *gin.Context) {
	var req enrollRequest
	if !s.bind(c, &req) {
		return
	}
	role := gradjudge.CourseRole(req.Role)
	if !role.Valid() {
		s.writeError(c, errorf(gradjudge.EINVALID, "role must be student, ta or instructor"))
		return
	}
	course, _ := currentCourse(c)
	e, err := s.Courses.Enroll(c.Request.Context(), course.ID, req.Email, role)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toEnrollmentDTO(e))
}

func (s *Server) enrollments(c *gin.Context) {
	course, _ := currentCourse(c)
	es, err := s.Courses.Enrollments(c.Request.Context(), course.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"enrollments": mapSlice(es, toEnrollmentDTO)})
}

func (s *Server) unenroll(c *gin.Context) {
	uid, ok := s.pathID(c, "uid")
	if !ok {
		return
	}
	course, _ := currentCourse(c)
	if err := s.Courses.Unenroll(c.Request.Context(), course.ID, uid); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// knownExercises checks exercise ids against the catalog, answering 400 for an unknown one.
func (s *Server) knownExercises(c *gin.Context, ids []string) bool {
	known := map[string]bool{}
	for _, e := range s.Catalog.Exercises() {
		known[e.ID] = true
	}
	for _, id := range ids {
		if !known[id] {
			s.writeError(c, errorf(gradjudge.EINVALID, "unknown exercise %q", id))
			return false
		}
	}
	return true
}

// pathID parses the path parameter name as a positive id, answering 400 when it is not one.
func (s *Server) pathID(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(c, errorf(gradjudge.EINVALID, "%s must be a positive integer", name))
		return 0, false
	}
	return id, true
}
