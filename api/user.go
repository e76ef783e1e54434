package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/app"
)

// userDTO is a user as the API shows it.
type userDTO struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

func toUserDTO(u gradjudge.User) userDTO {
	return userDTO{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), CreatedAt: u.CreatedAt}
}

// createUserRequest is an admin's request for a new account. Only admins reach it, so it may name
// a role.
type createUserRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

type apiKeyDTO struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"` // absent: the key never expires
	// Secret is set only in the answer that creates the key.
	Secret string `json:"secret,omitempty"`
}

func toAPIKeyDTO(k gradjudge.APIKey) apiKeyDTO {
	return apiKeyDTO{ID: k.ID, Name: k.Name, Prefix: k.Prefix, CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt, ExpiresAt: k.ExpiresAt}
}

type createAPIKeyRequest struct {
	Name string `json:"name"`
	// ExpiresInDays is read by apiKeyDays: kept raw so that a fraction, a string or a number out
	// of range all get the same clear answer rather than a decoder's message.
	ExpiresInDays json.RawMessage `json:"expires_in_days"`
}

// apiKeyDays reads expires_in_days: a whole number of days from 1 to app.MaxAPIKeyDays, or absent
// (or null) for a key that never expires, which is 0.
func apiKeyDays(raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	days, err := strconv.Atoi(string(raw))
	if err != nil || days < 1 || days > app.MaxAPIKeyDays {
		return 0, errorf(gradjudge.EINVALID, "expires_in_days must be a whole number of days from 1 to %d, or left out for a key that never expires", app.MaxAPIKeyDays)
	}
	return days, nil
}

func (s *Server) me(c *gin.Context) { c.JSON(http.StatusOK, toUserDTO(currentUser(c))) }

func (s *Server) createUser(c *gin.Context) {
	var req createUserRequest
	if !s.bind(c, &req) {
		return
	}
	u := gradjudge.User{Email: req.Email, Name: req.Name, Role: gradjudge.Role(req.Role)}
	created, err := s.App.CreateUser(c.Request.Context(), currentUser(c), u, req.Password)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toUserDTO(created))
}

func (s *Server) listUsers(c *gin.Context) {
	users, err := s.App.Users(c.Request.Context(), currentUser(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"users": mapSlice(users, toUserDTO)})
}

func (s *Server) createAPIKey(c *gin.Context) {
	var req createAPIKeyRequest
	if !s.bind(c, &req) {
		return
	}
	days, err := apiKeyDays(req.ExpiresInDays)
	var k gradjudge.APIKey
	var secret string
	if err == nil {
		k, secret, err = s.App.CreateAPIKey(c.Request.Context(), currentUser(c), c.GetBool(viaKeyKey), req.Name, days)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	dto := toAPIKeyDTO(k)
	dto.Secret = secret
	c.JSON(http.StatusCreated, dto)
}

func (s *Server) listAPIKeys(c *gin.Context) {
	keys, err := s.App.APIKeys(c.Request.Context(), currentUser(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"api_keys": mapSlice(keys, toAPIKeyDTO)})
}

func (s *Server) revokeAPIKey(c *gin.Context) {
	id, ok := s.pathID(c, "kid")
	if !ok {
		return
	}
	if err := s.App.RevokeAPIKey(c.Request.Context(), currentUser(c), id); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
