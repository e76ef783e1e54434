package lti

import (
	"context"
	"net/http"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
)

// The interfaces below are what the tool needs from the rest of gradjudge, declared here, by
// their one consumer. store.DB implements the storage ones; cmd/gradjudge adapts the pages'
// session and the API's admin check.

// Platforms keeps the platform registrations.
type Platforms interface {
	CreateLTIPlatform(ctx context.Context, p gradjudge.LTIPlatform) (gradjudge.LTIPlatform, error)
	LTIPlatform(ctx context.Context, issuer, clientID string) (gradjudge.LTIPlatform, error)
	LTIPlatformByID(ctx context.Context, id int64) (gradjudge.LTIPlatform, error)
	LTIPlatformsByIssuer(ctx context.Context, issuer string) ([]gradjudge.LTIPlatform, error)
	LTIPlatforms(ctx context.Context) ([]gradjudge.LTIPlatform, error)
	RemoveLTIPlatform(ctx context.Context, id int64) error
}

// KeyStore keeps the tool's signing keys.
type KeyStore interface {
	// LTIKeys returns the active key and the keys retired after since, newest first.
	LTIKeys(ctx context.Context, since time.Time) ([]gradjudge.LTIKey, error)
	// AddLTIKey stores k as the active key; see store.DB.AddLTIKey.
	AddLTIKey(ctx context.Context, k gradjudge.LTIKey, rotate bool) (bool, error)
}

// Once keeps values that may be taken once before they expire: login states and hand-over
// tickets.
type Once interface {
	PutOnce(ctx context.Context, kind, value, payload string, expires time.Time) error
	// TakeOnce returns value's payload and deletes it; ENOTFOUND when absent, taken or expired.
	TakeOnce(ctx context.Context, kind, value string) (string, error)
}

// Directory maps LMS people, courses and placements to gradjudge's.
type Directory interface {
	// LTIUser finds or creates the user (issuer, sub) is, updating name and email.
	LTIUser(ctx context.Context, issuer, sub, name, email string) (gradjudge.User, error)
	// LTIUserSub returns the sub of user userID at issuer.
	LTIUserSub(ctx context.Context, issuer string, userID int64) (string, error)
	// LTICourse finds or creates the course of an LMS context, without enrolling creator.
	LTICourse(ctx context.Context, c gradjudge.LTIContext, title string, creator int64) (gradjudge.Course, error)
	// LTIContexts lists the contexts with a roster endpoint; LTIContextOf the one of a course.
	LTIContexts(ctx context.Context) ([]gradjudge.LTIContext, error)
	LTIContextOf(ctx context.Context, courseID int64) (gradjudge.LTIContext, error)
	// LTIEnroll sets user userID's role in the course, as the LMS says.
	LTIEnroll(ctx context.Context, courseID, userID int64, role gradjudge.CourseRole) error
	// SaveLTIResourceLink records where a placement's launches go and its scores go.
	SaveLTIResourceLink(ctx context.Context, l gradjudge.LTIResourceLink) error
}

// Outbox is the score passback queue, written by the store with each verdict.
type Outbox interface {
	ClaimLTIScores(ctx context.Context, n int, lease time.Duration) ([]gradjudge.LTIScore, error)
	FinishLTIScore(ctx context.Context, id int64, state gradjudge.LTIScoreState, detail string, retryAt time.Time) error
	LTIScores(ctx context.Context, courseID int64) ([]gradjudge.LTIScore, error)
	ResendLTIScore(ctx context.Context, courseID, id int64) (gradjudge.LTIScore, error)
}

// Sessions is the student pages' sign-in, which a launch opens and the tool's own pages read.
type Sessions interface {
	// SignIn opens a session of the pages for user userID on the response: the pages' own
	// cookie. It works only in a top-level window: see the package documentation.
	SignIn(w http.ResponseWriter, r *http.Request, userID int64) error
	// User returns the user signed in to the pages on r; EUNAUTHORIZED when nobody is.
	User(r *http.Request) (gradjudge.User, error)
	// ExercisePath is the path of the page that shows exercise exerciseID of the course.
	ExercisePath(courseID int64, exerciseID string) string
}

// CourseAccess is the application core's rule of who may open a course, as what.
type CourseAccess interface {
	// OpenCourse returns u's visit to course id; ENOTFOUND when u may not open it.
	OpenCourse(ctx context.Context, u gradjudge.User, id int64) (app.Visit, error)
}

// Admins authenticates the API's administrators for the registration routes.
type Admins interface {
	// Admin returns the admin whose API credentials r carries: EUNAUTHORIZED without valid
	// credentials, EFORBIDDEN for a user who is not an admin.
	Admin(r *http.Request) (gradjudge.User, error)
}
