package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"gradjudge"
)

// MaxJSONBodyBytes caps any request body, in bytes.
const MaxJSONBodyBytes = 256 << 10

const requestIDKey = "request_id"

// requestID returns the id given to this request by withRequestID.
func requestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// withRequestID gives every request a random id, sent back in X-Request-ID and logged with it.
func withRequestID(c *gin.Context) {
	b := make([]byte, 8)
	rand.Read(b)
	id := hex.EncodeToString(b)
	c.Set(requestIDKey, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

// observe logs every request as one slog line and counts it in the metrics.
func (s *Server) observe(c *gin.Context) {
	start := s.now()
	c.Next()
	took := s.now().Sub(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	s.metrics.observeRequest(c.Request.Method, route, status, took)
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String("request_id", requestID(c)), slog.String("method", c.Request.Method),
		slog.String("route", route), slog.Int("status", status), slog.Duration("took", took),
		slog.Int64("user_id", c.GetInt64(userIDKey)))
}

// recoverPanic turns a handler panic into a logged internal error instead of a dropped connection.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.writeError(c, &gradjudge.Error{Code: gradjudge.EINTERNAL, Op: "panic", Err: fmt.Errorf("%v", r)})
		}
	}()
	c.Next()
}

// limitBody caps every request body; reading past the cap fails with *http.MaxBytesError.
func limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBodyBytes)
	}
	c.Next()
}

// noStore keeps every API answer out of caches (they hold grades and tokens) and tells browsers
// not to guess a type other than the one declared.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Next()
}

// bind decodes the JSON body into dst (see decodeJSON). A body over the cap becomes 413; any
// other failure is the client's mistake, answered 400 with what was wrong in plain words.
func (s *Server) bind(c *gin.Context, dst any) bool {
	if err := decodeJSON(c.Request.Body, dst); err != nil {
		s.writeError(c, err)
		return false
	}
	return true
}
