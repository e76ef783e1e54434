package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// pageClient is a browser without JavaScript: a cookie jar and no redirects followed.
type pageClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newPageClient(t *testing.T, base, email, password string) *pageClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	p := &pageClient{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if code, body := p.post("/signin", url.Values{"email": {email}, "password": {password}}); code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d %s", email, code, body)
	}
	return p
}

func (p *pageClient) do(req *http.Request) (int, string) {
	p.t.Helper()
	resp, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (p *pageClient) get(path string) (int, string) {
	req, _ := http.NewRequest("GET", p.base+path, nil)
	return p.do(req)
}

func (p *pageClient) post(path string, form url.Values) (int, string) {
	req, _ := http.NewRequest("POST", p.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.do(req)
}

// TestInstructorPagesRefuse: client mistakes and strangers get clear pages with 4xx statuses,
// never a 500; staff pages are closed to students.
func TestInstructorPagesRefuse(t *testing.T) {
	m := startMain(t, t.TempDir(), func(c *ServeConfig) { c.Code = false })
	base := m.URL()
	admin := login(t, base, "admin@example.edu", testAdminPassword)
	for _, u := range []struct{ name, role string }{{"inst", "instructor"}, {"stu", "student"}} {
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": u.name + "@example.edu", "name": u.name, "role": u.role, "password": "password-" + u.name}, nil)
	}
	inst := newPageClient(t, base, "inst@example.edu", "password-inst")
	stu := newPageClient(t, base, "stu@example.edu", "password-stu")
	code, _ := inst.post("/courses", url.Values{"title": {"Course"}, "exercise": {"chain-rule-multiply"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create course: %d", code)
	}
	cp := "/courses/1"
	if code, body := inst.post(cp+"/manage/enrol", url.Values{"paste": {"stu@example.edu"}}); code != http.StatusOK || !strings.Contains(body, "had one") {
		t.Fatalf("enrol stu: %d", code)
	}
	for _, c := range []struct {
		name       string
		who        *pageClient
		method     string
		path       string
		form       url.Values
		code       int
		mentioning string
	}{
		{"explorer: a bad number", stu, "GET", "/explore?in.x=two", nil, 400, "The input x must be a number"},
		{"explorer: a bad learning rate", stu, "GET", "/explore?lr=-1", nil, 400, "learning rate"},
		{"explorer: a student types a graph", stu, "GET", "/explore?program=L%3Dx*x", nil, 403, "instructors"},
		{"explorer: a program that does not parse", inst, "GET", "/explore?program=L%3D%3D", nil, 400, "expected a number"},
		{"explorer: an unsolved exercise", stu, "GET", "/explore?course=1&exercise=chain-rule-multiply", nil, 403, "once you have solved it"},
		{"student: settings", stu, "GET", cp + "/manage", nil, 403, "instructors and TAs"},
		{"student: students", stu, "GET", cp + "/students", nil, 403, "instructors and TAs"},
		{"student: misconceptions.csv", stu, "GET", cp + "/misconceptions.csv", nil, 403, ""},
		{"student: create a course", stu, "GET", "/courses/new", nil, 403, "instructors"},
		{"student: enrol", stu, "POST", cp + "/manage/enrol", url.Values{"paste": {"x@example.edu"}}, 403, ""},
		{"new course without a title", inst, "POST", "/courses", url.Values{"title": {" "}}, 400, "title"},
		{"new course with an unknown exercise", inst, "POST", "/courses", url.Values{"title": {"T"}, "exercise": {"nope"}}, 400, "Unknown exercise"},
		{"remove the last exercise", inst, "POST", cp + "/manage/exercises", url.Values{"action": {"remove"}, "exercise": {"chain-rule-multiply"}}, 409, "at least one"},
		{"an unknown action", inst, "POST", cp + "/manage/exercises", url.Values{"action": {"shuffle"}}, 400, "action"},
		{"a paste with a bad line", inst, "POST", cp + "/manage/enrol", url.Values{"paste": {"a@example.edu\nnot an address\n"}}, 400, "Line 2 has no email"},
		{"an unknown student", inst, "GET", cp + "/students/999", nil, 404, "student not found"},
		{"an exercise not in the course", inst, "GET", cp + "/exercises/fan-out/stats", nil, 404, "not part of this course"},
		{"a preview of nothing", inst, "GET", "/catalog/nope", nil, 404, ""},
		{"a bad set-password link", stu, "POST", "/set-password", url.Values{"token": {"forged"}, "password": {"long enough"}, "again": {"long enough"}}, 401, "Ask your instructor for a new link"},
		{"a set-password page without its token", stu, "GET", "/set-password", nil, 200, "needs the whole link"},
		{"passwords that differ", stu, "POST", "/set-password", url.Values{"token": {"forged"}, "password": {"long enough"}, "again": {"other one"}}, 400, "differ"},
	} {
		var code int
		var body string
		if c.method == "GET" {
			code, body = c.who.get(c.path)
		} else {
			code, body = c.who.post(c.path, c.form)
		}
		if code != c.code || !strings.Contains(body, c.mentioning) {
			t.Errorf("%s: %d, want %d mentioning %q\n%s", c.name, code, c.code, c.mentioning, excerpt(body))
		}
	}
	if code, body := inst.get(cp + "/misconceptions.csv"); code != 200 || !strings.HasPrefix(body, "user_id,email,name,tag,misconception,first_seen,last_seen,count\n") {
		t.Errorf("misconceptions.csv: %d %q", code, excerpt(body))
	}
	if code, body := inst.get("/explore?step=99"); code != 200 || !strings.Contains(body, "Step 11 of 11") {
		t.Errorf("a step past the end: %d %s", code, excerpt(body))
	}
	// The settings offer a new set-password link only where one can be made: for the pasted
	// account nobody has claimed, not for stu, who chose a password.
	if code, body := inst.post(cp+"/manage/enrol", url.Values{"paste": {"new@example.edu"}}); code != http.StatusOK || !strings.Contains(body, "new@example.edu") {
		t.Fatalf("enrol new: %d %s", code, excerpt(body))
	}
	code, body := inst.get(cp + "/manage")
	if n := strings.Count(body, `action="/courses/1/manage/link"`); code != 200 || n != 1 || !strings.Contains(body, `aria-label="New link for new to set a password"`) {
		t.Errorf("settings offer %d new-link buttons (%d), want one, for new@example.edu:\n%s", n, code, excerpt(body))
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	return fmt.Sprintf("%.600s", s)
}
