package app

import (
	"net/http"
	"testing"

	"gradjudge"
)

// TestUnavailableIs503: a database with no connection free answers 503 with Retry-After, on every
// door, never 500.
func TestUnavailableIs503(t *testing.T) {
	err := &gradjudge.Error{Code: gradjudge.EUNAVAILABLE, Message: "busy"}
	if got := HTTPStatus(gradjudge.ErrorCode(err)); got != http.StatusServiceUnavailable {
		t.Errorf("HTTPStatus = %d, want 503", got)
	}
	if got := RetryAfterSeconds(err); got != unavailableRetrySeconds {
		t.Errorf("RetryAfterSeconds = %d, want %d", got, unavailableRetrySeconds)
	}
}
