package lti_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/lti"
)

// TestRosterSync: NRPS members arrive page by page (Link: rel="next"); active members with a
// role are enrolled, so students who never launched are in the course; inactive ones are not.
func TestRosterSync(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, brightspace)
	h.register(fp)
	fp.members = []map[string]any{
		{"user_id": prof.sub, "name": prof.name, "roles": prof.roles, "status": "Active"},
		{"user_id": "sub-cy", "name": "Cy Neverlaunched", "email": "cy@school.example", "roles": []string{roleLearner}, "status": "Active"},
		{"user_id": "sub-di", "given_name": "Di", "family_name": "Quiet", "roles": []string{"Learner"}},
		{"user_id": "sub-ed", "name": "Ed Gone", "roles": []string{roleLearner}, "status": "Inactive"},
		{"user_id": "sub-ta", "name": "Tim", "roles": []string{roleInstructor, roleTA}, "status": "Active"},
	}
	b := newBrowser()
	course := courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, prof, launchOpts{})))
	if err := h.tool.SyncRosters(t.Context()); err != nil {
		t.Fatal(err)
	}
	es, err := h.db.Enrollments(t.Context(), course)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]gradjudge.CourseRole{}
	for _, e := range es {
		roles[e.Name] = e.Role
	}
	want := map[string]gradjudge.CourseRole{prof.name: gradjudge.CourseInstructor, "Cy Neverlaunched": gradjudge.CourseStudent,
		"Di Quiet": gradjudge.CourseStudent, "Tim": gradjudge.CourseTA}
	if len(roles) != len(want) {
		t.Errorf("enrolled %v, want %v", roles, want)
	}
	for name, role := range want {
		if roles[name] != role {
			t.Errorf("%s: %q, want %q", name, roles[name], role)
		}
	}
	if n := len(fp.tokens); n != 1 || fp.tokens[0].scope != lti.ScopeMembership {
		t.Errorf("token requests %+v, want one for the membership scope", fp.tokens)
	}
	// On demand, from the instructor's page: the instructor is signed in to the pages.
	p := b.do(t, http.MethodPost, h.url+"/lti/courses/"+itoa(course)+"/roster", url.Values{}, nil)
	if p.status != http.StatusOK || !strings.Contains(p.body, "4 members") {
		t.Errorf("sync on demand: %d %s", p.status, p.body)
	}
	// A student may not; nor may someone of another course (told it does not exist).
	sb := newBrowser()
	signedInTo(t, sb, h.url, h.launch(t, sb, fp, ann, launchOpts{}))
	if p := sb.do(t, http.MethodPost, h.url+"/lti/courses/"+itoa(course)+"/roster", url.Values{}, nil); p.status != http.StatusForbidden {
		t.Errorf("a student's sync: %d", p.status)
	}
	if p := sb.do(t, http.MethodPost, h.url+"/lti/courses/"+itoa(course+1)+"/roster", url.Values{}, nil); p.status != http.StatusNotFound {
		t.Errorf("a student's sync: %d", p.status)
	}
}
