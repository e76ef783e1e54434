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
	gradjudge.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// HTTPStatus returns the HTTP status for an application error code; 500 for anything that is not
// a client mistake.
func HTTPStatus(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// unavailableRetrySeconds is the Retry-After of an EUNAVAILABLE error (a 503): a full database
// connection pool frees up within milliseconds to seconds.
const unavailableRetrySeconds = 1

// RetryAfterSeconds is the Retry-After header's value for err, in whole seconds rounded up: at
// least 1 for a rate-limit error, unavailableRetrySeconds for an unavailable service, 0 (no
// header) for anything else.
func RetryAfterSeconds(err error) int {
	switch gradjudge.ErrorCode(err) {
	case gradjudge.ERATELIMIT:
		return max(ratelimit.RetryAfterSeconds(gradjudge.RetryAfter(err)), 1)
	case gradjudge.EUNAVAILABLE:
		return unavailableRetrySeconds
	}
	return 0
}
