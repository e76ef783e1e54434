package app

import (
	"context"
	"encoding/csv"
	"io"
	"strings"
	"time"

	"gradjudge"
	"gradjudge/internal/ratelimit"
)

// Rules of enrolling by paste.
const (
	// SetPasswordLinkTTL is how long a set-password link works.
	SetPasswordLinkTTL = 7 * 24 * time.Hour
	// MaxPastedStudents bounds one paste: each new account hashes a password.
	MaxPastedStudents = 1000
	// MaxPasteBytes bounds the pasted text.
	MaxPasteBytes = 256 << 10
)

// Mailer sends set-password links; the implementation knows the site's public address, so the
// core deals only in secrets.
type Mailer interface {
	// SendSetPasswordLink mails u the link made of secret, for course.
	SendSetPasswordLink(ctx context.Context, u gradjudge.User, course gradjudge.Course, secret string) error
}

// Enrolled is the outcome of one pasted line.
type Enrolled struct {
	Email, Name string
	UserID      int64
	// New says the account was made by this paste. Then Secret is its set-password token (shown
	// once, stored hashed), and Mailed says it was mailed.
	New    bool
	Secret string
	Mailed bool
}

// Person is one line of a paste: an email and an optional name.
type Person struct{ Email, Name string }

// ParsePaste reads pasted students: one email per line, or CSV lines "name,email" (either order;
// a header line is skipped), blank lines ignored. An error names the first bad line.
func ParsePaste(text string) ([]Person, error) {
	if len(text) > MaxPasteBytes {
		return nil, gradjudge.Errorf(gradjudge.ETOOLARGE, "the list is longer than %d KiB", MaxPasteBytes>>10)
	}
	if err := gradjudge.CheckText("list", text); err != nil {
		return nil, err
	}
	text = strings.TrimPrefix(text, "\ufeff") // a spreadsheet's byte-order mark
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord, r.TrimLeadingSpace = -1, true
	var out []Person
	seen := map[string]bool{}
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, gradjudge.Errorf(gradjudge.EINVALID, "line %d cannot be read: %v", line, err)
		}
		p, ok, err := personOf(rec, line)
		if err != nil {
			return nil, err
		}
		if ok && !seen[p.Email] {
			seen[p.Email] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, gradjudge.Errorf(gradjudge.EINVALID, "the list has no email address")
	}
	if len(out) > MaxPastedStudents {
		return nil, gradjudge.Errorf(gradjudge.ETOOLARGE, "one list holds at most %d students", MaxPastedStudents)
	}
	return out, nil
}

// personOf reads one record; ok is false for a blank line or a header.
func personOf(rec []string, line int) (Person, bool, error) {
	var p Person
	var words []string
	for _, f := range rec {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case strings.Contains(f, "@"):
			if p.Email != "" {
				return p, false, gradjudge.Errorf(gradjudge.EINVALID, "line %d has two email addresses", line)
			}
			p.Email = strings.ToLower(f)
		default:
			words = append(words, f)
		}
	}
	p.Name = strings.Join(words, " ")
	if p.Email == "" {
		if line == 1 || p.Name == "" {
			return p, false, nil // a header ("name,email") or a blank line
		}
		return p, false, gradjudge.Errorf(gradjudge.EINVALID, "line %d has no email address", line)
	}
	if err := checkEmail(p.Email); err != nil {
		return p, false, gradjudge.Errorf(gradjudge.EINVALID, "line %d: %s", line, gradjudge.ErrorMessage(err))
	}
	if err := checkName(p.Name); err != nil {
		return p, false, gradjudge.Errorf(gradjudge.EINVALID, "line %d: %s", line, gradjudge.ErrorMessage(err))
	}
	return p, true, nil
}

// EnrolPasted enrols the pasted students in the visit's course, for its instructors. An email
// without an account gets one (a student, named as pasted) and a set-password link; the link is
// mailed when a Mailer is configured and listed in the result either way. The list is checked
// whole before anyone is enrolled.
func (a *App) EnrolPasted(ctx context.Context, v Visit, text string) ([]Enrolled, error) {
	if err := v.RequireInstructor(); err != nil {
		return nil, err
	}
	people, err := ParsePaste(text)
	if err != nil {
		return nil, err
	}
	out := make([]Enrolled, 0, len(people))
	for _, p := range people {
		e, err := a.enrolOne(ctx, v, p)
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (a *App) enrolOne(ctx context.Context, v Visit, p Person) (Enrolled, error) {
	e := Enrolled{Email: p.Email, Name: p.Name}
	u, err := a.d.Users.UserByEmail(ctx, p.Email)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
		u, e.Secret, err = a.invite(ctx, p)
		e.New = err == nil
	}
	if err != nil {
		return e, err
	}
	e.UserID, e.Name = u.ID, u.Name
	if role, err := a.d.Courses.CourseRole(ctx, v.Course.ID, u.ID); err != nil || role != "" {
		return e, err // enrolled already, in whatever role: a paste never demotes anyone
	}
	if _, err := a.d.Courses.Enroll(ctx, v.Course.ID, u.Email, gradjudge.CourseStudent); err != nil {
		return e, err
	}
	if e.New {
		e.Mailed = a.mail(ctx, u, v.Course, e.Secret)
	}
	return e, nil
}

// invite makes a student account for p without a password, and its set-password link: the only
// way in.
func (a *App) invite(ctx context.Context, p Person) (gradjudge.User, string, error) {
	if a.d.PasswordTokens == nil {
		return gradjudge.User{}, "", gradjudge.Errorf(gradjudge.EINVALID, "%s has no account, and this server cannot make accounts by enrolment", p.Email)
	}
	name := p.Name
	if name == "" {
		name, _, _ = strings.Cut(p.Email, "@")
	}
	return a.d.PasswordTokens.Invite(ctx, gradjudge.User{Email: p.Email, Name: name, Role: gradjudge.RoleStudent}, SetPasswordLinkTTL)
}

// mail sends the link when a Mailer is configured; a failure is logged, not fatal: the link is
// listed for the instructor anyway.
func (a *App) mail(ctx context.Context, u gradjudge.User, c gradjudge.Course, secret string) bool {
	if a.d.Mailer == nil {
		return false
	}
	if err := a.d.Mailer.SendSetPasswordLink(ctx, u, c, secret); err != nil {
		a.log.WarnContext(ctx, "app: mail set-password link", "user", u.ID, "error", err)
		return false
	}
	return true
}

// NewSetPasswordLink makes a fresh set-password link for student userID of the visit's course,
// for its instructors: for a student who lost theirs or let it expire. Only an account made by
// enrolment whose password nobody has chosen yet gets one (EFORBIDDEN otherwise): a link for any
// other would let an instructor take over an account in use, an admin's pasted into a course.
func (a *App) NewSetPasswordLink(ctx context.Context, v Visit, userID int64) (string, error) {
	if err := v.RequireInstructor(); err != nil {
		return "", err
	}
	if err := a.requireStudent(ctx, v.Course.ID, userID); err != nil {
		return "", err
	}
	if a.d.PasswordTokens == nil {
		return "", gradjudge.Errorf(gradjudge.EINVALID, "this server cannot make set-password links")
	}
	return a.d.PasswordTokens.RenewPasswordToken(ctx, userID, SetPasswordLinkTTL)
}

// Unclaimed returns those of the course's enrolled people whom NewSetPasswordLink would give a
// new link (accounts made by enrolment whose password nobody has chosen), for its instructors;
// nobody on a server without set-password links.
func (a *App) Unclaimed(ctx context.Context, v Visit, people []gradjudge.Enrollment) (map[int64]bool, error) {
	if err := v.RequireInstructor(); err != nil {
		return nil, err
	}
	if a.d.PasswordTokens == nil {
		return map[int64]bool{}, nil
	}
	ids := make([]int64, 0, len(people))
	for _, p := range people {
		if p.Role == gradjudge.CourseStudent {
			ids = append(ids, p.UserID)
		}
	}
	return a.d.PasswordTokens.Unclaimed(ctx, ids)
}

// SetPasswordWithLink sets the password of the link's user and spends the link; the user may
// sign in with it at once. The sign-in limits apply, so that links cannot be guessed quickly.
func (a *App) SetPasswordWithLink(ctx context.Context, secret, password, clientIP string) (gradjudge.User, error) {
	if a.d.PasswordTokens == nil {
		return gradjudge.User{}, gradjudge.Errorf(gradjudge.ENOTFOUND, "this server has no set-password links")
	}
	if err := gradjudge.CheckText("password", password); err != nil {
		return gradjudge.User{}, err
	}
	if ok, retry := a.signInsByClient.Allow(ratelimit.ClientKey(clientIP)); !ok {
		return gradjudge.User{}, rateLimited(retry, "too many attempts from your network")
	}
	if !a.takeHashSlot(ctx) {
		return gradjudge.User{}, rateLimited(time.Second, "too many sign-ins at once")
	}
	defer func() { <-a.hashSlots }()
	return a.d.PasswordTokens.UsePasswordToken(ctx, secret, password)
}

// SetRole gives enrolled user userID the role in the visit's course (making a student a TA, or
// back), for its instructors.
func (a *App) SetRole(ctx context.Context, v Visit, userID int64, role gradjudge.CourseRole) error {
	if err := v.RequireInstructor(); err != nil {
		return err
	}
	u, err := a.d.Users.User(ctx, userID)
	if err != nil {
		return err
	}
	if r, err := a.d.Courses.CourseRole(ctx, v.Course.ID, userID); err != nil || r == "" {
		return errStudentNotFound
	}
	_, err = a.Enroll(ctx, v, u.Email, role)
	return err
}
