package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
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
	Email    string `json:"email" binding:"required"`
	Name     string `json:"name"`
	Role     string `json:"role" binding:"required"`
	Password string `json:"password" binding:"required"`
}

type apiKeyDTO struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// Secret is set only in the answer that creates the key.
	Secret string `json:"secret,omitempty"`
}

func toAPIKeyDTO(k gradjudge.APIKey) apiKeyDTO {
	return apiKeyDTO{ID: k.ID, Name: k.Name, Prefix: k.Prefix, CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt}
}

type createAPIKeyRequest struct {
	Name string `json:"name" binding:"required,max=100"`
}

func (s *Server) me(c *gin.Context) { c.JSON(http.StatusOK, toUserDTO(currentUser(c))) }

func (s *Server) createUser(c *gin.Context) {
	var req createUserRequest
	if !s.bind(c, &req) {
		return
	}
	u := gradjudge.User{Email: req.Email, Name: req.Name, Role: gradjudge.Role(req.Role)}
	created, err := s.Users.CreateUser(c.Request.Context(), u, req.Password)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toUserDTO(created))
}

func (s *Server) listUsers(c *gin.Context) {
	users, err := s.Users.Users(c.Request.Context())
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
	k, secret, err := s.Users.CreateAPIKey(c.Request.Context(), currentUser(c).ID, req.Name)
	if err != nil {
		s.writeError(c, err)
		return
	}
	dto := toAPIKeyDTO(k)
	dto.Secret = secret
	c.JSON(http.StatusCreated, dto)
}

func (s *Server) listAPIKeys(c *gin.Context) {
	keys, err := s.Users.APIKeys(c.Request.Context(), currentUser(c).ID)
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
	if err := s.Users.RevokeAPIKey(c.Request.Context(), currentUser(c).ID, id); err != nil {
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
