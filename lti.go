package gradjudge

import (
	"net/url"
	"strings"
	"time"
)

// LTIPlatform is one LMS registered to launch gradjudge with LTI 1.3. A registration is keyed on
// (Issuer, ClientID): hosted Canvas uses one issuer for every school, so the issuer alone names
// no registration.
type LTIPlatform struct {
	ID           int64
	Issuer       string // the platform's iss, e.g. https://canvas.instructure.com
	ClientID     string // the client_id the platform gave gradjudge; the aud of its id_tokens
	AuthLoginURL string // the platform's OIDC authorization endpoint
	TokenURL     string // the platform's OAuth 2 token endpoint
	JWKSURL      string // the platform's public keys
	// TokenAudience is the aud of our client assertions; empty means TokenURL. Brightspace's
	// differs from its token URL.
	TokenAudience string
	// DeploymentIDs are the deployments of the tool on the platform that may launch it; a launch
	// from any other deployment is refused.
	DeploymentIDs []string
	CreatedAt     time.Time
}

// Audience is the aud a client assertion for p carries: TokenAudience, or TokenURL without one.
func (p LTIPlatform) Audience() string {
	if p.TokenAudience != "" {
		return p.TokenAudience
	}
	return p.TokenURL
}

// MaxLTIIdentifier is the longest identifier (sub, context id, resource link id, deployment id,
// client id) accepted from a platform, in bytes: the LTI core specification caps them at 255
// ASCII characters.
const MaxLTIIdentifier = 255

// Validate checks that p can be registered: an issuer, a client id and a deployment each at most
// MaxLTIIdentifier bytes, and absolute http(s) URLs. EINVALID names the first field at fault.
func (p LTIPlatform) Validate() error {
	for _, f := range []struct{ name, v string }{{"issuer", p.Issuer}, {"client_id", p.ClientID}} {
		if strings.TrimSpace(f.v) == "" || len(f.v) > MaxLTIIdentifier {
			return Errorf(EINVALID, "%s must be 1 to %d characters", f.name, MaxLTIIdentifier)
		}
	}
	for _, f := range []struct{ name, v string }{
		{"issuer", p.Issuer}, {"auth_login_url", p.AuthLoginURL}, {"token_url", p.TokenURL}, {"jwks_url", p.JWKSURL},
	} {
		if !isWebURL(f.v) {
			return Errorf(EINVALID, "%s must be an absolute http or https URL, not %q", f.name, f.v)
		}
	}
	if p.TokenAudience != "" && strings.TrimSpace(p.TokenAudience) != p.TokenAudience {
		return Errorf(EINVALID, "token_audience has surrounding spaces")
	}
	if len(p.DeploymentIDs) == 0 {
		return Errorf(EINVALID, "at least one deployment id is needed: the platform shows it when the tool is deployed")
	}
	for _, d := range p.DeploymentIDs {
		if d == "" || len(d) > MaxLTIIdentifier {
			return Errorf(EINVALID, "a deployment id must be 1 to %d characters", MaxLTIIdentifier)
		}
	}
	return nil
}

// isWebURL reports whether s is an absolute http or https URL with a host.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// LTIKey is one of the tool's own RSA signing keys, published in its JWKS. At most one key is
// active (signs); a retired key is still published until RetiredAt plus the retention the tool
// chooses, so that signatures made just before a rotation still verify.
type LTIKey struct {
	KID        string
	PrivatePEM []byte // PKCS #8, PEM; never leaves the server
	CreatedAt  time.Time
	RetiredAt  *time.Time // nil for the active key
}

// LTIContext is an LMS course (an LTI context) mapped to the gradjudge course it became on its
// first launch.
type LTIContext struct {
	PlatformID int64
	ContextID  string
	CourseID   int64
	// MembershipsURL is the NRPS endpoint of the context; empty when the platform offers none.
	MembershipsURL string
}

// LTIResourceLink is one placement of an exercise in an LMS course: what a launch of it opens and
// where its scores go.
type LTIResourceLink struct {
	PlatformID     int64
	ResourceLinkID string
	CourseID       int64
	ExerciseID     string
	// LineItemURL is the AGS line item of the link; empty when the platform gave none or did
	// not grant the score scope, and then no score is sent.
	LineItemURL string
}

// LTIScoreMaximum is the scoreMaximum of every score sent and of every line item the tool
// asks for: the platform scales scoreGiven / scoreMaximum to its line item's points.
const LTIScoreMaximum = 100

// LTIScoreState is where one queued score is on its way to the LMS.
type LTIScoreState string

// The score states. A score moves from pending to exactly one of the others, or back to pending
// when an instructor resends it.
const (
	LTIScorePending    LTIScoreState = "pending"    // waiting to be sent, or to be retried
	LTIScoreSent       LTIScoreState = "sent"       // the platform accepted it
	LTIScoreSuperseded LTIScoreState = "superseded" // a newer score for the same line item and user replaced it unsent
	LTIScoreRejected   LTIScoreState = "rejected"   // the platform refused it (a 4xx other than 422): not retried
	LTIScoreNotGraded  LTIScoreState = "not_graded" // 422: the user is not a gradable student there (Canvas's test student)
)

// LTIScore is one score in the passback outbox: written in the same transaction as the verdict
// that caused it and sent by the outbox worker.
type LTIScore struct {
	ID           int64
	PlatformID   int64
	CourseID     int64
	UserID       int64
	ExerciseID   string
	SubmissionID int64
	LineItemURL  string
	UserSub      string // the user's sub on the platform: the score's userId
	ScoreGiven   float64
	ScoreMaximum float64
	// ActivityProgress and GradingProgress are the AGS values, e.g. Completed and FullyGraded.
	ActivityProgress string
	GradingProgress  string
	// Comment says how the latest attempt went; Misconception is the tag of its first
	// misconception, "" for none: the tool adds its title to the comment it sends.
	Comment       string
	Misconception string
	// Timestamp is the score's AGS timestamp: strictly increasing per (line item, user), or the
	// platform drops the update.
	Timestamp     time.Time
	State         LTIScoreState
	Attempts      int // sends tried
	NextAttemptAt time.Time
	LastError     string // what the platform last answered, for the instructor
	SentAt        *time.Time
	CreatedAt     time.Time
}
