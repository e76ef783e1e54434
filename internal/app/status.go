package app

import (
	"net/http"

	"gradjudge"
	"gradjudge/internal/ratelimit"
)

// statusByCode maps every application error code to its HTTP status. It is the one table, used
// by every door that answers over HTTP: a code missing here is answered as 500.
var statusByCode = map[string]int{
	gradjudge.EINVALID:      http.StatusBadRequest,
	gradjudge.ENOTFOUND:     http.StatusNotFound,
	gradjudge.EUNAUTHORIZED: http.StatusUnauthorized,
	gradjudge.EFORBIDDEN:    http.StatusForbidden,
	gradjudge.ECONFLICT:     http.StatusConflict,
	gradjudge.ERATELIMIT:    http.StatusTooManyRequests,
	gradjudge.EINTERNAL:     http.StatusInternalServerError,
	gradjudge.ETOOLARGE:     http.StatusRequestEntityTooLarge,
}

// HTTPStatus returns the HTTP status for an application error code; 500 for anything that is not
// a client mistake.
func HTTPStatus(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// RetryAfterSeconds is the Retry-After header's value for err, in whole seconds rounded up: at
// least 1 for a rate-limit error, 0 (no header) for anything else.
func RetryAfterSeconds(err error) int {
	if gradjudge.ErrorCode(err) != gradjudge.ERATELIMIT {
		return 0
	}
	return max(ratelimit.RetryAfterSeconds(gradjudge.RetryAfter(err)), 1)
}
