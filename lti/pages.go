package lti

import (
	"context"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

//go:embed templates/*.html templates/autosubmit.js
var assets embed.FS

// views are the tool's page templates.
type views struct{ t *template.Template }

func parseViews() (*views, error) {
	t, err := template.ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &views{t}, nil
}

// view is what every page template gets.
type view struct {
	Title   string
	Message string
	Refresh string // a same-origin path the page moves on to at once
	Link    *link
	Data    any
}

// link is the one action a message page offers.
type link struct {
	URL, Text string
	NewWindow bool
}

// pagePolicy says where a page may be framed and where its forms may go.
type pagePolicy struct {
	frameOrigins []string // besides the registered platforms'
	formOrigins  []string // besides our own
	script       bool     // the page loads /lti/autosubmit.js
}

// render writes page name with status, under a Content-Security-Policy whose frame-ancestors are
// the registered platforms' origins (and pol's): LTI pages open in the LMS's iframe, where the
// student pages' 'none' would block them; any other site still cannot frame them.
func (t *Tool) render(w http.ResponseWriter, r *http.Request, status int, name string, v view, pol pagePolicy) {
	origins := append(t.platformOrigins(r.Context()), pol.frameOrigins...)
	ancestors := "'none'"
	if len(origins) > 0 {
		ancestors = strings.Join(dedupe(origins), " ")
	}
	script := "'none'"
	if pol.script {
		script = "'self'"
	}
	form := strings.Join(append([]string{"'self'"}, dedupe(pol.formOrigins)...), " ")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; script-src "+script+
		"; form-action "+form+"; frame-ancestors "+ancestors+"; base-uri 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := t.views.t.ExecuteTemplate(w, name, v); err != nil {
		t.log.Error("lti: render", "page", name, "err", err)
	}
}

// page answers with a message page.
func (t *Tool) page(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	t.render(w, r, status, "message.html", view{Title: title, Message: msg}, pagePolicy{})
}

// platformOrigins are the origins of every registered platform's issuer and login URL.
func (t *Tool) platformOrigins(ctx context.Context) []string {
	ps, err := t.cfg.Platforms.LTIPlatforms(ctx)
	if err != nil {
		t.log.Warn("lti: platforms for the framing policy", "err", err)
		return nil
	}
	var out []string
	for _, p := range ps {
		for _, u := range []string{p.Issuer, p.AuthLoginURL} {
			if o := origin(u); o != "" {
				out = append(out, o)
			}
		}
	}
	return out
}

// origin is the scheme://host[:port] of raw, or "" when raw is not an absolute http(s) URL.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(u.Host, " ;,'") {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	out := list[:0:0]
	for _, s := range list {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// serveScript serves the one script of the tool's pages.
func (t *Tool) serveScript(w http.ResponseWriter, r *http.Request) {
	b, _ := assets.ReadFile("templates/autosubmit.js")
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write(b)
}
