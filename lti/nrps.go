package lti

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gradjudge"
)

// Roster sync settings.
const (
	// RosterInterval is how often every LMS course's roster is synced by RunRosters.
	RosterInterval = 24 * time.Hour
	// MaxRosterPages bounds the pages one sync follows: a platform whose next links never end
	// cannot hold the worker.
	MaxRosterPages      = 1000
	membershipMediaType = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
)

// member is one entry of an NRPS membership container.
type member struct {
	UserID     string   `json:"user_id"`
	Status     string   `json:"status"`
	Name       string   `json:"name"`
	GivenName  string   `json:"given_name"`
	FamilyName string   `json:"family_name"`
	Email      string   `json:"email"`
	Roles      []string `json:"roles"`
}

// SyncRoster reads the NRPS roster of an LMS course, page by page through Link rel="next", and
// creates or updates every active member with a role that gives access, enrolled with it: the
// instructor's lists then include students who never launched. It returns how many members it
// enrolled. Inactive and deleted members are left as they are: their work stays visible.
func (t *Tool) SyncRoster(ctx context.Context, lc gradjudge.LTIContext) (int, error) {
	if lc.MembershipsURL == "" {
		return 0, gradjudge.Errorf(gradjudge.EINVALID, "this course's LMS offers no roster (Names and Role Provisioning Services)")
	}
	p, err := t.cfg.Platforms.LTIPlatformByID(ctx, lc.PlatformID)
	if err != nil {
		return 0, err
	}
	token, err := t.accessToken(ctx, p, []string{ScopeMembership})
	if err != nil {
		return 0, err
	}
	n, next := 0, lc.MembershipsURL
	for page := 0; next != "" && page < MaxRosterPages; page++ {
		var members []member
		if members, next, err = t.rosterPage(ctx, token, next); err != nil {
			return n, err
		}
		for _, m := range members {
			ok, err := t.enrolMember(ctx, p, lc.CourseID, m)
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
	}
	return n, nil
}

func (t *Tool) enrolMember(ctx context.Context, p gradjudge.LTIPlatform, courseID int64, m member) (bool, error) {
	role := CourseRole(m.Roles)
	if role == "" || m.UserID == "" || len(m.UserID) > gradjudge.MaxLTIIdentifier || (m.Status != "" && m.Status != "Active") {
		return false, nil
	}
	name := strings.TrimSpace(m.Name)
	if name == "" {
		name = strings.TrimSpace(m.GivenName + " " + m.FamilyName)
	}
	u, err := t.cfg.Directory.LTIUser(ctx, p.Issuer, m.UserID, name, m.Email)
	if err != nil {
		return false, err
	}
	return true, t.cfg.Directory.LTIEnroll(ctx, courseID, u.ID, role)
}

// rosterPage reads one page of members and the URL of the next page, if any.
func (t *Tool) rosterPage(ctx context.Context, token, pageURL string) ([]member, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", membershipMediaType)
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("lti: roster: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("lti: roster: %s: %s", resp.Status, snippet(body))
	}
	var c struct {
		Members []member `json:"members"`
	}
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, "", fmt.Errorf("lti: roster: %w", err)
	}
	return c.Members, nextLink(resp.Header.Values("Link"), resp.Request.URL), nil
}

// nextLink is the rel="next" target of Link headers, resolved against base; "" when none.
func nextLink(headers []string, base *url.URL) string {
	for _, h := range headers {
		for _, part := range strings.Split(h, ",") {
			segs := strings.Split(part, ";")
			target := strings.TrimSpace(segs[0])
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, s := range segs[1:] {
				k, v, _ := strings.Cut(strings.TrimSpace(s), "=")
				if strings.EqualFold(k, "rel") && containsFold(strings.Fields(strings.Trim(v, `"`)), "next") {
					u, err := base.Parse(strings.Trim(target, "<>"))
					if err == nil {
						return u.String()
					}
				}
			}
		}
	}
	return ""
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// SyncRosters syncs the roster of every LMS course that has one; a failing course is logged
// and the others still synced.
func (t *Tool) SyncRosters(ctx context.Context) error {
	cs, err := t.cfg.Directory.LTIContexts(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, lc := range cs {
		if _, err := t.SyncRoster(ctx, lc); err != nil {
			errs = append(errs, fmt.Errorf("course %d: %w", lc.CourseID, err))
		}
	}
	return errors.Join(errs...)
}

// RunRosters syncs every roster at once and then every RosterInterval until ctx ends.
func (t *Tool) RunRosters(ctx context.Context) {
	tick := time.NewTicker(RosterInterval)
	defer tick.Stop()
	for {
		if err := t.SyncRosters(ctx); err != nil {
			t.log.Warn("lti: roster sync", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
