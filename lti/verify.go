package lti

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
)

// Limits of the id_token checks.
const (
	// ClockLeeway is the clock skew tolerated on exp, iat and nbf.
	ClockLeeway = time.Minute
	// MaxTokenAge is how old an id_token's iat may be: a launch is posted seconds after it is
	// signed, and an old token is a replay candidate.
	MaxTokenAge = 10 * time.Minute
	// jwksRefresh is how often a platform's JWKS is fetched again without being asked to; an
	// unknown kid fetches it at once (rate limited by keyfunc to one a five minutes).
	jwksRefresh = time.Hour
)

// platformKeys is the keyfunc of one platform JWKS URL.
type platformKeys struct{ kf keyfunc.Keyfunc }

// keyfuncFor returns the keyfunc of jwksURL, made on first use and kept: keyfunc refreshes it
// hourly and on an unknown kid (a platform's key rotation).
func (t *Tool) keyfuncFor(jwksURL string) (keyfunc.Keyfunc, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if k, ok := t.jwks[jwksURL]; ok {
		return k.kf, nil
	}
	kf, err := keyfunc.NewDefaultOverrideCtx(t.ctx, []string{jwksURL}, keyfunc.Override{
		Client: t.client, HTTPTimeout: HTTPTimeout, RefreshInterval: jwksRefresh,
		RateLimitWaitMax: 5 * time.Second,
		RefreshErrorHandlerFunc: func(u string) func(context.Context, error) {
			return func(_ context.Context, err error) {
				t.log.Warn("lti: platform JWKS refresh failed", "url", u, "err", err)
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("lti: platform keys: %w", err)
	}
	t.jwks[jwksURL] = platformKeys{kf}
	return kf, nil
}

// launchError is a launch refused: a message for the page, and the reason for the log.
type launchError struct {
	msg    string
	reason error
}

func (e *launchError) Error() string { return e.msg + ": " + e.reason.Error() }

func refuse(msg string, format string, args ...any) error {
	return &launchError{msg: msg, reason: fmt.Errorf(format, args...)}
}

// verifyIDToken checks raw, an id_token that platform p posted, against every check of the IMS
// security framework and LTI core that concerns the token alone: the RS256 signature by p's key,
// iss, aud, azp, exp (required), iat (not in the future, not older than MaxTokenAge), nonce, and
// the LTI claims (see checkClaims). The state and its browser were checked before.
func (t *Tool) verifyIDToken(ctx context.Context, p gradjudge.LTIPlatform, raw, nonce string) (*idClaims, error) {
	kf, err := t.keyfuncFor(p.JWKSURL)
	if err != nil {
		return nil, err
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}), // never none, never HS256 with the public key
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(p.Issuer),
		jwt.WithLeeway(ClockLeeway),
		jwt.WithTimeFunc(t.now),
	)
	var c idClaims
	if _, err := parser.ParseWithClaims(raw, &c, kf.KeyfuncCtx(ctx)); err != nil {
		return nil, refuse("The launch's signature or dates are not valid.", "id_token: %w", err)
	}
	if c.IssuedAt == nil || t.now().Sub(c.IssuedAt.Time) > MaxTokenAge+ClockLeeway {
		return nil, refuse("The launch is too old. Open the link in your course again.", "iat %v too old", c.IssuedAt)
	}
	if err := t.checkAudience(ctx, p, &c); err != nil {
		return nil, err
	}
	if c.Nonce == "" || c.Nonce != nonce {
		return nil, refuse("The launch was not started here, or was used already.", "nonce mismatch")
	}
	if c.TargetLinkURI != "" && !t.ours(c.TargetLinkURI) {
		return nil, refuse("The link does not lead to this tool.", "target_link_uri %q is not ours", c.TargetLinkURI)
	}
	return &c, checkClaims(p, &c)
}

// checkAudience requires our client_id in aud, refuses any audience that is not a client_id we
// registered with the same issuer (golang-jwt's WithAudience would accept ["ours", "evil"]), and
// with several audiences requires azp to be ours.
func (t *Tool) checkAudience(ctx context.Context, p gradjudge.LTIPlatform, c *idClaims) error {
	const msg = "The launch was not meant for this tool."
	aud := c.Audience
	if !contains(aud, p.ClientID) {
		return refuse(msg, "aud %q lacks client_id %q", aud, p.ClientID)
	}
	if len(aud) > 1 {
		trusted, err := t.cfg.Platforms.LTIPlatformsByIssuer(ctx, p.Issuer)
		if err != nil {
			return err
		}
		for _, a := range aud {
			if !registeredClient(trusted, a) {
				return refuse(msg, "untrusted extra audience %q", a)
			}
		}
		if c.AZP != p.ClientID {
			return refuse(msg, "several audiences and azp %q is not client_id %q", c.AZP, p.ClientID)
		}
	}
	if c.AZP != "" && c.AZP != p.ClientID {
		return refuse(msg, "azp %q is not client_id %q", c.AZP, p.ClientID)
	}
	return nil
}

func registeredClient(ps []gradjudge.LTIPlatform, clientID string) bool {
	for _, p := range ps {
		if p.ClientID == clientID {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkClaims checks the LTI claims: version 1.3.0, a known message type with its required
// claims, a deployment registered for p, a sub, and identifiers of at most
// gradjudge.MaxLTIIdentifier characters.
func checkClaims(p gradjudge.LTIPlatform, c *idClaims) error {
	const msg = "The launch is not a valid LTI 1.3 launch."
	switch {
	case c.Version != ltiVersion:
		return refuse(msg, "version %q", c.Version)
	case c.MessageType != messageResourceLink && c.MessageType != messageDeepLinking:
		return refuse(msg, "message type %q", c.MessageType)
	case c.DeploymentID == "":
		return refuse(msg, "no deployment_id")
	case !contains(p.DeploymentIDs, c.DeploymentID):
		return refuse("This deployment of the tool is not registered. Ask your administrator to add it.",
			"unknown deployment %q", c.DeploymentID)
	case c.Subject == "":
		return refuse("gradjudge needs to know who you are: anonymous launches are not supported.", "no sub")
	case c.Roles == nil:
		return refuse(msg, "no roles claim")
	case c.TargetLinkURI == "":
		return refuse(msg, "no target_link_uri")
	}
	if err := checkMessageClaims(c); err != nil {
		return err
	}
	for name, id := range identifiers(c) {
		if len(id) > gradjudge.MaxLTIIdentifier {
			return refuse(msg, "%s longer than %d characters", name, gradjudge.MaxLTIIdentifier)
		}
	}
	return nil
}

// checkMessageClaims checks the claims each message type requires.
func checkMessageClaims(c *idClaims) error {
	const msg = "The launch is not a valid LTI 1.3 launch."
	if c.MessageType == messageResourceLink {
		if c.ResourceLink == nil || c.ResourceLink.ID == "" {
			return refuse(msg, "resource link launch without resource_link.id")
		}
	} else if c.DeepLinking == nil || c.DeepLinking.ReturnURL == "" || !contains(c.DeepLinking.AcceptTypes, "ltiResourceLink") {
		return refuse("This platform cannot take gradjudge exercises as links.", "deep linking settings lack a return URL or ltiResourceLink")
	}
	if c.Context == nil || c.Context.ID == "" {
		return refuse("Launch gradjudge from a course: the launch names none.", "no context")
	}
	return nil
}

func identifiers(c *idClaims) map[string]string {
	ids := map[string]string{"sub": c.Subject, "deployment_id": c.DeploymentID, "context.id": c.Context.ID}
	if c.ResourceLink != nil {
		ids["resource_link.id"] = c.ResourceLink.ID
	}
	return ids
}

// asLaunchError returns err's launchError, or nil.
func asLaunchError(err error) *launchError {
	var le *launchError
	if errors.As(err, &le) {
		return le
	}
	return nil
}
