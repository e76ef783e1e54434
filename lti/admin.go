package lti

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
)

// platformDTO is a registration on the wire of the admin API.
type platformDTO struct {
	ID            int64     `json:"id,omitempty"`
	Issuer        string    `json:"issuer"`
	ClientID      string    `json:"client_id"`
	AuthLoginURL  string    `json:"auth_login_url"`
	TokenURL      string    `json:"token_url"`
	JWKSURL       string    `json:"jwks_url"`
	TokenAudience string    `json:"token_audience,omitempty"`
	DeploymentIDs []string  `json:"deployment_ids"`
	CreatedAt     time.Time `json:"created_at,omitzero"`
}

func toDTO(p gradjudge.LTIPlatform) platformDTO {
	return platformDTO{ID: p.ID, Issuer: p.Issuer, ClientID: p.ClientID, AuthLoginURL: p.AuthLoginURL, TokenURL: p.TokenURL,
		JWKSURL: p.JWKSURL, TokenAudience: p.TokenAudience, DeploymentIDs: p.DeploymentIDs, CreatedAt: p.CreatedAt}
}

// admin serves next to an administrator authenticated as on the API.
func (t *Tool) admin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if t.cfg.Admins == nil {
			t.writeError(w, gradjudge.Errorf(gradjudge.ENOTFOUND, "not found"))
			return
		}
		if _, err := t.cfg.Admins.Admin(r); err != nil {
			t.writeError(w, err)
			return
		}
		next(w, r)
	}
}

func (t *Tool) listPlatforms(w http.ResponseWriter, r *http.Request) {
	ps, err := t.cfg.Platforms.LTIPlatforms(r.Context())
	if err != nil {
		t.writeError(w, err)
		return
	}
	out := make([]platformDTO, len(ps))
	for i, p := range ps {
		out[i] = toDTO(p)
	}
	writeJSON(w, http.StatusOK, out)
}

func (t *Tool) addPlatform(w http.ResponseWriter, r *http.Request) {
	var in platformDTO
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxFormBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.writeError(w, gradjudge.Errorf(gradjudge.EINVALID, "the body is not a platform registration: %v", err))
		return
	}
	p, err := t.cfg.Platforms.CreateLTIPlatform(r.Context(), gradjudge.LTIPlatform{Issuer: in.Issuer, ClientID: in.ClientID,
		AuthLoginURL: in.AuthLoginURL, TokenURL: in.TokenURL, JWKSURL: in.JWKSURL, TokenAudience: in.TokenAudience,
		DeploymentIDs: in.DeploymentIDs})
	if err != nil {
		t.writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, toDTO(p))
}

func (t *Tool) removePlatform(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		t.writeError(w, gradjudge.Errorf(gradjudge.ENOTFOUND, "platform not found"))
		return
	}
	if err := t.cfg.Platforms.RemoveLTIPlatform(r.Context(), id); err != nil {
		t.writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeError answers an API request with err's status and client-safe message, in the API's
// error shape, with the status of the core's one table.
func (t *Tool) writeError(w http.ResponseWriter, err error) {
	code := gradjudge.ErrorCode(err)
	if code == gradjudge.EINTERNAL {
		t.log.Error("lti: internal error", "err", err)
	}
	writeJSON(w, app.HTTPStatus(code), map[string]any{"error": map[string]string{"code": code, "message": gradjudge.ErrorMessage(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// serveJWKS publishes the tool's public keys.
func (t *Tool) serveJWKS(w http.ResponseWriter, r *http.Request) {
	b, err := t.keys.JWKS(r.Context())
	if err != nil {
		t.writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}

// serveConfig is the tool's configuration in Canvas's JSON format (an LTI 1.3 developer key's
// "Paste JSON"); the other LMSs take the same URLs by hand, as the README shows.
func (t *Tool) serveConfig(w http.ResponseWriter, r *http.Request) {
	placement := func(kind, message string) map[string]any {
		return map[string]any{"placement": kind, "message_type": message, "target_link_uri": t.url(PathLaunch),
			"text": "gradjudge", "enabled": true}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"title":               "gradjudge",
		"description":         "Auto-graded backpropagation exercises; grades go to the gradebook.",
		"oidc_initiation_url": t.url(PathLogin),
		"target_link_uri":     t.url(PathLaunch),
		"public_jwk_url":      t.url(PathJWKS),
		"scopes":              []string{ScopeLineItem, ScopeScore, ScopeMembership},
		"extensions": []map[string]any{{
			"platform": "canvas.instructure.com", "privacy_level": "public", "domain": t.base.Host,
			"settings": map[string]any{"placements": []map[string]any{
				placement("assignment_selection", messageDeepLinking),
				placement("link_selection", messageDeepLinking),
			}},
		}},
		"custom_fields": map[string]string{},
	})
}
