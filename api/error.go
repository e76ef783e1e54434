package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"gradjudge"
)

// codeTooLarge is the one code the HTTP edge adds to the application's list: a body or code over
// its cap.
const codeTooLarge = "too_large"

// statusClientClosed is recorded (nginx's convention) for a request whose client left first.
const statusClientClosed = 499

// statusByCode maps every application error code to its HTTP status. It is the one table: a code
// missing here is answered as 500.
var statusByCode = map[string]int{
	gradjudge.EINVALID:      http.StatusBadRequest,
	gradjudge.ENOTFOUND:     http.StatusNotFound,
	gradjudge.EUNAUTHORIZED: http.StatusUnauthorized,
	gradjudge.EFORBIDDEN:    http.StatusForbidden,
	gradjudge.ECONFLICT:     http.StatusConflict,
	gradjudge.ERATELIMIT:    http.StatusTooManyRequests,
	gradjudge.EINTERNAL:     http.StatusInternalServerError,
	gradjudge.EUNAVAILABLE:  http.StatusServiceUnavailable,
	codeTooLarge:            http.StatusRequestEntityTooLarge,
}

// unavailableRetryAfter is the Retry-After, in seconds, of a 503: a full connection pool frees up
// within milliseconds to seconds.
const unavailableRetryAfter = "1"

// HTTPStatus returns the HTTP status for an application error code.
func HTTPStatus(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorDTO is the body of every error response.
type errorDTO struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// writeError answers err with its status and client-safe message. Internal errors are logged with
// the request id; the client sees only "internal error" and that id.
func (s *Server) writeError(c *gin.Context, err error) {
	if c.Request.Context().Err() != nil && errors.Is(err, c.Request.Context().Err()) {
		// The client went away (or the server is shutting down): nobody reads an answer, and it
		// is not a failure of the service.
		c.AbortWithStatus(statusClientClosed)
		return
	}
	code := gradjudge.ErrorCode(err)
	status := HTTPStatus(code)
	rid := requestID(c)
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", unavailableRetryAfter)
	}
	if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", slog.String("request_id", rid),
			slog.String("method", c.Request.Method), slog.String("route", c.FullPath()), slog.Any("error", err))
	}
	c.AbortWithStatusJSON(status, errorDTO{Error: errorBody{Code: code, Message: gradjudge.ErrorMessage(err), RequestID: rid}})
}

// errorf is a shorthand for an application error with a client-safe message.
func errorf(code, format string, args ...any) error { return gradjudge.Errorf(code, format, args...) }
