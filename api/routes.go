package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/web"
)

// routes registers every route. openapi.json lists the same routes; TestOpenAPIMatchesRoutes
// keeps the two equal.
func (s *Server) routes() *gin.Engine {
	e := s.newEngine()
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.requireMetricsToken, gin.WrapH(s.metrics.handler()))

	v1 := e.Group("/api/v1")
	v1.GET("/openapi.json", s.openAPI)
	v1.POST("/auth/login", s.login)

	authed := v1.Group("", s.authenticate)
	authed.GET("/me", s.me)
	authed.GET("/me/api-keys", s.listAPIKeys)
	authed.POST("/me/api-keys", s.createAPIKey)
	authed.DELETE("/me/api-keys/:kid", s.revokeAPIKey)
	authed.GET("/misconceptions", s.misconceptions)
	authed.GET("/submissions/:sid", s.getSubmission)

	admin := authed.Group("", s.requireSiteRole(gradjudge.RoleAdmin))
	admin.GET("/users", s.listUsers)
	admin.POST("/users", s.createUser)

	teacher := authed.Group("", s.requireSiteRole(gradjudge.RoleInstructor, gradjudge.RoleAdmin))
	teacher.POST("/courses", s.createCourse)
	teacher.POST("/graph/eval", s.graphEval)
	authed.GET("/courses", s.myCourses)

	course := authed.Group("/courses/:id", s.inCourse)
	course.GET("", s.getCourse)
	course.GET("/exercises", s.listExercises)
	course.GET("/exercises/:eid", s.getExercise)
	course.POST("/exercises/:eid/submissions", s.submit)
	course.GET("/submissions", s.listSubmissions)
	course.GET("/progress", s.myProgress)

	staff := course.Group("", s.requireStaff)
	staff.GET("/enrollments", s.enrollments)
	staff.GET("/students/:uid/progress", s.studentProgress)
	staff.GET("/stats", s.stats)
	staff.GET("/grades.csv", s.grades)

	instructor := course.Group("", s.requireInstructor)
	instructor.POST("/enrollments", s.enroll)
	instructor.DELETE("/enrollments/:uid", s.unenroll)
	instructor.PUT("/exercises", s.setCourseExercises)
	if s.Web != nil {
		e.NoRoute(s.web)
	}
	return e
}

// web hands every path outside /api/ to the web pages, with the client's address as the API sees
// it (Deps.TrustedProxies); under /api/ an unknown route stays a JSON 404. gin presets 404 for
// unmatched routes, so the status is reset for the pages to set their own.
func (s *Server) web(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		s.writeError(c, errorf(gradjudge.ENOTFOUND, "no such route: %s", c.Request.URL.Path))
		return
	}
	c.Status(http.StatusOK)
	r := c.Request.WithContext(web.WithClientIP(c.Request.Context(), c.ClientIP()))
	s.Web.ServeHTTP(c.Writer, r)
}
