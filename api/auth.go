package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
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
	if gradjudge.ErrorCode(err) == gradjudge.EUNAUTHORIZED {
		s.unauthorized(c, gradjudge.ErrorMessage(err))
		return
	}
	if err != nil {
		s.writeError(c, err)
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
	viaKey := isKey || !looksLikeJWT(cred)
	if viaKey {
		u, err := s.App.UserByKey(r.Context(), cred)
		return u, true, err
	}
	u, err := s.userFromToken(r, cred)
	return u, false, err
}

func (s *Server) userFromToken(r *http.Request, token string) (gradjudge.User, error) {
	sub, err := s.Tokens.Verify(token)
	if err != nil {
		return gradjudge.User{}, errorf(gradjudge.EUNAUTHORIZED, "the credentials are invalid or expired")
	}
	id, err := strconv.ParseInt(sub, 10, 64)
	if err != nil {
		return gradjudge.User{}, errorf(gradjudge.EUNAUTHORIZED, "the credentials are invalid or expired")
	}
	return s.App.UserByID(r.Context(), id)
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
	s.writeError(c, errorf(gradjudge.EUNAUTHORIZED, "%s", msg))
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type tokenDTO struct {
	Token     string    `json:"token"`
	TokenType string    `json:"token_type"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userDTO   `json:"user"`
}

// login checks an email and password through the core, which owns the sign-in limits shared
// with the web form, and answers a login token.
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.App.SignIn(c.Request.Context(), req.Email, req.Password, s.App.ClientIP(c.Request))
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
