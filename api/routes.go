package api

import (
	"github.com/gin-gonic/gin"

	"gradjudge"
)

// routes registers every route. openapi.json lists the same routes; TestOpenAPIMatchesRoutes
// keeps the two equal. Who may call what is the core's to decide: the groups below only load the
// caller and the course for the handlers.
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
	authed.GET("/users", s.listUsers)
	authed.POST("/users", s.createUser)
	authed.POST("/courses", s.createCourse)
	authed.POST("/graph/eval", s.graphEval)
	authed.GET("/courses", s.myCourses)

	course := authed.Group("/courses/:id", s.inCourse)
	course.GET("", s.getCourse)
	course.GET("/exercises", s.listExercises)
	course.GET("/exercises/:eid", s.getExercise)
	course.POST("/exercises/:eid/submissions", s.submit)
	course.GET("/exercises/:eid/standing", s.standing)
	course.GET("/exercises/:eid/policy", s.getPolicy)
	course.PUT("/exercises/:eid/policy", s.setPolicy)
	course.PUT("/exercises/:eid/extensions/:uid", s.setExtension)
	course.DELETE("/exercises/:eid/extensions/:uid", s.deleteExtension)
	course.POST("/exercises/:eid/regrade", s.regrade)
	course.GET("/regrades/:rid", s.getRegrade)
	course.GET("/submissions", s.listSubmissions)
	myProgress, studentProgress := studentRecord(s, s.App.Progress, s.toProgressDTO)
	myLearning, studentLearning := studentRecord(s, s.App.Learning, toLearningDTO)
	course.GET("/progress", myProgress)
	course.GET("/enrollments", s.enrollments)
	course.GET("/students/:uid/progress", studentProgress)
	course.GET("/learning", myLearning)
	course.GET("/learning/class", s.classLearning)
	course.GET("/learning.csv", s.learningCSV)
	course.GET("/students/:uid/learning", studentLearning)
	course.GET("/stats", s.stats)
	course.GET("/grades.csv", s.grades)
	course.POST("/enrollments", s.enroll)
	course.DELETE("/enrollments/:uid", s.unenroll)
	course.PUT("/exercises", s.setCourseExercises)
	return e
}

// noRoute answers a path the API does not have. Only /api/, /healthz, /readyz and /metrics reach
// the API (cmd mounts the pages beside it), so this is always a JSON answer.
func (s *Server) noRoute(c *gin.Context) {
	s.writeError(c, errorf(gradjudge.ENOTFOUND, "no such route: %s", c.Request.URL.Path))
}
