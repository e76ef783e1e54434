package api

import (
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/ratelimit"
)

const (
	userIDKey = "user_id" // int64, set by authenticate
	userKey   = "user"    // gradjudge.User, set by authenticate
	viaKeyKey = "via_key" // bool, set by authenticate: the caller sent an API key, not a login token
)

// currentUser returns the caller, set by authenticate.
func currentUser(c *gin.Context) gradjudge.User {
	u, _ := c.Get(userKey)
	user, _ := u.(gradjudge.User)
	return user
}

// authenticate accepts a JWT or an API key, in `Authorization: Bearer` or `X-API-Key`, and loads
// the caller. The user is read afresh on every request, so that a changed role takes effect at
// once and a deleted user's tokens stop working.
func (s *Server) authenticate(c *gin.Context) {
	u, viaKey, err := s.caller(c.Request)
	if err != nil {
		if gradjudge.ErrorCode(err) == gradjudge.EUNAUTHORIZED {
			s.unauthorized(c, gradjudge.ErrorMessage(err))
		} else {
			s.writeError(c, err)
		}
		return
	}
	c.Set(userKey, u)
	c.Set(userIDKey, u.ID)
	c.Set(viaKeyKey, viaKey)
	c.Next()
}

// Authenticate returns the user whose API credentials (a JWT or an API key) r carries, checked
// exactly as every API route checks them: EUNAUTHORIZED when there are none or they are invalid.
// Another front door mounted beside the API (the LTI registration routes) uses it.
func (s *Server) Authenticate(r *http.Request) (gradjudge.User, error) {
	u, _, err := s.caller(r)
	return u, err
}

// caller authenticates r and says whether it used an API key.
func (s *Server) caller(r *http.Request) (gradjudge.User, bool, error) {
	cred, isKey := credential(r)
	if cred == "" {
		return gradjudge.User{}, false, errorf(gradjudge.EUNAUTHORIZED, "sign in: send Authorization: Bearer <token> or X-API-Key")
	}
	var u gradjudge.User
	var err error
	viaKey := isKey || !looksLikeJWT(cred)
	if viaKey {
		u, err = s.Users.AuthenticateAPIKey(r.Context(), cred)
	} else {
		u, err = s.userFromToken(r, cred)
	}
	if code := gradjudge.ErrorCode(err); code == gradjudge.ENOTFOUND || code == gradjudge.EUNAUTHORIZED {
		return u, viaKey, errorf(gradjudge.EUNAUTHORIZED, "the credentials are invalid or expired")
	}
	return u, viaKey, err
}

func (s *Server) userFromToken(r *http.Request, token string) (gradjudge.User, error) {
	sub, err := s.Tokens.Verify(token)
	if err != nil {
		return gradjudge.User{}, errorf(gradjudge.EUNAUTHORIZED, "invalid token")
	}
	id, err := strconv.ParseInt(sub, 10, 64)
	if err != nil {
		return gradjudge.User{}, errorf(gradjudge.EUNAUTHORIZED, "invalid token")
	}
	return s.Users.User(r.Context(), id)
}

// credential returns the caller's credential and whether it came as an API key header.
func credential(r *http.Request) (string, bool) {
	if k := strings.TrimSpace(r.Header.Get("X-API-Key")); k != "" {
		return k, true
	}
	return bearerToken(r), false
}

// bearerToken returns the token of an `Authorization: Bearer` header, "" when there is none.
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func (s *Server) unauthorized(c *gin.Context, msg string) {
	c.Header("WWW-Authenticate", `Bearer realm="gradjudge"`)
	s.writeError(c, errorf(gradjudge.EUNAUTHORIZED, "%s", msg))
}

// requireSiteRole lets through only callers with one of roles.
func (s *Server) requireSiteRole(roles ...gradjudge.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		r := currentUser(c).Role
		for _, want := range roles {
			if r == want {
				c.Next()
				return
			}
		}
		s.writeError(c, errorf(gradjudge.EFORBIDDEN, "this needs the %s role", roles[0]))
	}
}

type loginRequest struct {
	Email    string `json:"email" binding:"required"`
	Password string `json:"password" binding:"required"`
}

type tokenDTO struct {
	Token     string    `json:"token"`
	TokenType string    `json:"token_type"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userDTO   `json:"user"`
}

func (s *Server) login(c *gin.Context) {
	var req loginRequest
	// The client's limit comes first, so that a client past it spends no email's attempts.
	if !s.bind(c, &req) || !allow(s, c, s.loginsByClient, ratelimit.ClientKey(c.ClientIP())) ||
		!allow(s, c, s.logins, emailKey(req.Email)) || !s.takeHashSlot(c) {
		return
	}
	u, err := s.Users.Authenticate(c.Request.Context(), req.Email, req.Password)
	<-s.hashSlots
	if err != nil {
		s.writeError(c, err)
		return
	}
	tok, exp, err := s.Tokens.Issue(strconv.FormatInt(u.ID, 10))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, tokenDTO{Token: tok, TokenType: "Bearer", ExpiresAt: exp, User: toUserDTO(u)})
}

// loginSlotWait is how long a sign-in waits for a free password-hashing slot before it is told
// to come back (Server.hashWait, which tests shorten).
const loginSlotWait = 2 * time.Second

// takeHashSlot waits up to s.hashWait for a password-hashing slot, or answers 429 with
// Retry-After. The caller releases the slot with <-s.hashSlots.
func (s *Server) takeHashSlot(c *gin.Context) bool {
	wait := time.NewTimer(s.hashWait)
	defer wait.Stop()
	select {
	case s.hashSlots <- struct{}{}:
		return true
	case <-wait.C:
	case <-c.Request.Context().Done():
	}
	c.Header("Retry-After", "1")
	s.writeError(c, errorf(gradjudge.ERATELIMIT, "too many sign-ins at once: try again in a second"))
	return false
}

// emailKey is the rate-limit key of an email address.
func emailKey(email string) int64 {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	return int64(h.Sum64())
}

// allow takes a token from l for key, or answers 429 with Retry-After. It is a function, not a
// method, because methods cannot have type parameters.
func allow[K comparable](s *Server, c *gin.Context, l *ratelimit.Limiter[K], key K) bool {
	ok, retry := l.Allow(key)
	if !ok {
		seconds := ratelimit.RetryAfterSeconds(retry)
		c.Header("Retry-After", strconv.Itoa(seconds))
		s.writeError(c, errorf(gradjudge.ERATELIMIT, "too many requests: try again in %s", time.Duration(seconds)*time.Second))
	}
	return ok
}
