package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/app"
)

// statusClientClosed is recorded (nginx's convention) for a request whose client left first.
const statusClientClosed = 499

// errorDTO is the body of every error response.
type errorDTO struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// writeError answers err with its status (app.HTTPStatus, the one table) and client-safe message,
// and Retry-After for a rate limit. Internal errors are logged with the request id; the client
// sees only "internal error" and that id.
func (s *Server) writeError(c *gin.Context, err error) {
	if c.Request.Context().Err() != nil && errors.Is(err, c.Request.Context().Err()) {
		// The client went away (or the server is shutting down): nobody reads an answer, and it
		// is not a failure of the service.
		c.AbortWithStatus(statusClientClosed)
		return
	}
	code := gradjudge.ErrorCode(err)
	status := app.HTTPStatus(code)
	rid := requestID(c)
	if status == http.StatusServiceUnavailable {
		// Back-pressure (a full connection pool), answered with Retry-After: worth a warning, not
		// an error.
		s.log.WarnContext(c.Request.Context(), "request refused: busy", slog.String("request_id", rid),
			slog.String("method", c.Request.Method), slog.String("route", c.FullPath()), slog.Any("error", err))
	} else if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", slog.String("request_id", rid),
			slog.String("method", c.Request.Method), slog.String("route", c.FullPath()), slog.Any("error", err))
	}
	if secs := app.RetryAfterSeconds(err); secs > 0 {
		c.Header("Retry-After", strconv.Itoa(secs))
	}
	if status == http.StatusUnauthorized {
		// Every 401, a failed sign-in's too, names the scheme that would do (RFC 9110 §11.6.1).
		c.Header("WWW-Authenticate", `Bearer realm="gradjudge"`)
	}
	c.AbortWithStatusJSON(status, errorDTO{Error: errorBody{Code: code, Message: gradjudge.ErrorMessage(err), RequestID: rid}})
}

// errorf is a shorthand for an application error with a client-safe message.
func errorf(code, format string, args ...any) error { return gradjudge.Errorf(code, format, args...) }
