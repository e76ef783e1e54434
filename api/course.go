package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/app"
)

const visitKey = "visit" // app.Visit, set by inCourse

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
	Title       string   `json:"title"`
	ExerciseIDs []string `json:"exercise_ids"`
}

type setExercisesRequest struct {
	ExerciseIDs *[]string `json:"exercise_ids"`
}

type enrollRequest struct {
	Email string `json:"email"`
	Role  string `json:"role"`
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

// inCourse opens the course named by :id for the caller through the core, which answers a
// course the caller is not enrolled in exactly as one that does not exist.
func (s *Server) inCourse(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	v, err := s.App.OpenCourse(c.Request.Context(), currentUser(c), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Set(visitKey, v)
	c.Next()
}

// currentVisit returns the caller's visit to the course, set by inCourse.
func currentVisit(c *gin.Context) app.Visit {
	v, _ := c.Get(visitKey)
	visit, _ := v.(app.Visit)
	return visit
}

func (s *Server) createCourse(c *gin.Context) {
	var req createCourseRequest
	if !s.bind(c, &req) {
		return
	}
	course, err := s.App.CreateCourse(c.Request.Context(), currentUser(c), req.Title, req.ExerciseIDs)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toCourseDTO(course, gradjudge.CourseInstructor))
}

func (s *Server) myCourses(c *gin.Context) {
	ms, err := s.App.Courses(c.Request.Context(), currentUser(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"courses": mapSlice(ms, func(m gradjudge.Membership) courseDTO { return toCourseDTO(m.Course, m.Role) })})
}

func (s *Server) getCourse(c *gin.Context) {
	v := currentVisit(c)
	c.JSON(http.StatusOK, toCourseDTO(v.Course, v.Role))
}

func (s *Server) setCourseExercises(c *gin.Context) {
	var req setExercisesRequest
	if !s.bind(c, &req) {
		return
	}
	if req.ExerciseIDs == nil {
		s.writeError(c, errorf(gradjudge.EINVALID, "exercise_ids is required: the list of exercise ids the course uses"))
		return
	}
	v := currentVisit(c)
	course, err := s.App.SetCourseExercises(c.Request.Context(), v, *req.ExerciseIDs)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toCourseDTO(course, v.Role))
}

func (s *Server) enroll(c *gin.Context) {
	var req enrollRequest
	if !s.bind(c, &req) {
		return
	}
	e, err := s.App.Enroll(c.Request.Context(), currentVisit(c), req.Email, gradjudge.CourseRole(req.Role))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toEnrollmentDTO(e))
}

func (s *Server) enrollments(c *gin.Context) {
	es, err := s.App.Enrollments(c.Request.Context(), currentVisit(c))
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
	if err := s.App.Unenroll(c.Request.Context(), currentVisit(c), uid); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
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
