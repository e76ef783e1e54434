package web

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gradjudge"
	"gradjudge/exercises"
)

// fakes are hand-written stand-ins for the services the pages read: a few users, two courses and
// fixed stats and progress. They record whose progress was read, so tests can check that a
// student's page asks for nobody else's.
type fakes struct {
	users    map[int64]gradjudge.User
	password map[string]string // email → password
	courses  map[int64]gradjudge.Course
	roles    map[[2]int64]gradjudge.CourseRole          // {course, user}
	records  map[int64]gradjudge.ProgressRecords        // by course: every user's
	broken   map[int64]bool                             // courses whose progress records fail with an internal error
	learners map[int64]map[int64]gradjudge.LearnerState // by course, by user: the learner models

	mu         sync.Mutex
	progressOf []int64 // user ids whose progress was read, in order
}

var _ gradjudge.UserService = (*fakes)(nil)
var _ gradjudge.CourseService = (*fakes)(nil)
var _ gradjudge.ProgressService = (*fakes)(nil)

func notFound(what string) error { return gradjudge.Errorf(gradjudge.ENOTFOUND, "%s not found", what) }

// errUnsupported answers the methods the pages never call.
var errUnsupported = errors.New("fake: not supported")

func (f *fakes) User(_ context.Context, id int64) (gradjudge.User, error) {
	if u, ok := f.users[id]; ok {
		return u, nil
	}
	return gradjudge.User{}, notFound("user")
}

func (f *fakes) Authenticate(_ context.Context, email, password string) (gradjudge.User, error) {
	for _, u := range f.users {
		if strings.EqualFold(u.Email, email) && f.password[u.Email] == password {
			return u, nil
		}
	}
	return gradjudge.User{}, gradjudge.Errorf(gradjudge.EUNAUTHORIZED, "wrong email or password")
}

func (f *fakes) CreateUser(context.Context, gradjudge.User, string) (gradjudge.User, error) {
	return gradjudge.User{}, errUnsupported
}
func (f *fakes) UserByEmail(context.Context, string) (gradjudge.User, error) {
	return gradjudge.User{}, errUnsupported
}
func (f *fakes) Users(context.Context) ([]gradjudge.User, error)  { return nil, errUnsupported }
func (f *fakes) SetPassword(context.Context, int64, string) error { return errUnsupported }
func (f *fakes) APIKeys(context.Context, int64) ([]gradjudge.APIKey, error) {
	return nil, errUnsupported
}
func (f *fakes) RevokeAPIKey(context.Context, int64, int64) error { return errUnsupported }
func (f *fakes) CreateAPIKey(context.Context, int64, string, time.Duration) (gradjudge.APIKey, string, error) {
	return gradjudge.APIKey{}, "", errUnsupported
}
func (f *fakes) AuthenticateAPIKey(context.Context, string) (gradjudge.User, error) {
	return gradjudge.User{}, errUnsupported
}

func (f *fakes) Course(_ context.Context, id int64) (gradjudge.Course, error) {
	if c, ok := f.courses[id]; ok {
		return c, nil
	}
	return gradjudge.Course{}, notFound("course")
}

func (f *fakes) Courses(context.Context) ([]gradjudge.Course, error) {
	var out []gradjudge.Course
	for id := int64(1); id <= 100; id++ {
		if c, ok := f.courses[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakes) CoursesOf(_ context.Context, userID int64) ([]gradjudge.Membership, error) {
	var out []gradjudge.Membership
	for _, c := range f.mustCourses() {
		if r := f.roles[[2]int64{c.ID, userID}]; r != "" {
			out = append(out, gradjudge.Membership{Course: c, Role: r})
		}
	}
	return out, nil
}

func (f *fakes) mustCourses() []gradjudge.Course { cs, _ := f.Courses(context.Background()); return cs }

func (f *fakes) CourseRole(_ context.Context, courseID, userID int64) (gradjudge.CourseRole, error) {
	if _, ok := f.courses[courseID]; !ok {
		return "", notFound("course")
	}
	return f.roles[[2]int64{courseID, userID}], nil
}

func (f *fakes) Enrollments(_ context.Context, courseID int64) ([]gradjudge.Enrollment, error) {
	var out []gradjudge.Enrollment
	for id := int64(1); id <= 100; id++ {
		if r := f.roles[[2]int64{courseID, id}]; r != "" {
			u := f.users[id]
			out = append(out, gradjudge.Enrollment{CourseID: courseID, UserID: id, Email: u.Email, Name: u.Name, Role: r})
		}
	}
	return out, nil
}

func (f *fakes) CreateCourse(context.Context, gradjudge.Course) (gradjudge.Course, error) {
	return gradjudge.Course{}, errUnsupported
}
func (f *fakes) SetCourseExercises(context.Context, int64, []string) error { return errUnsupported }
func (f *fakes) Enroll(context.Context, int64, string, gradjudge.CourseRole) (gradjudge.Enrollment, error) {
	return gradjudge.Enrollment{}, errUnsupported
}
func (f *fakes) Unenroll(context.Context, int64, int64) error { return errUnsupported }

// The pages take no submissions yet: the SubmissionService is unsupported.
func (f *fakes) CreateSubmission(context.Context, gradjudge.Submission) (gradjudge.Submission, bool, error) {
	return gradjudge.Submission{}, false, errUnsupported
}
func (f *fakes) Submission(context.Context, int64) (gradjudge.Submission, error) {
	return gradjudge.Submission{}, errUnsupported
}
func (f *fakes) Submissions(context.Context, gradjudge.SubmissionFilter) ([]gradjudge.Submission, error) {
	return nil, errUnsupported
}
func (f *fakes) WaitSubmission(context.Context, int64, time.Duration) (gradjudge.Submission, error) {
	return gradjudge.Submission{}, errUnsupported
}
func (f *fakes) QueueDepth(context.Context) (int64, error) { return 0, errUnsupported }

// ExerciseRecords is ProgressRecords of one exercise.
func (f *fakes) ExerciseRecords(ctx context.Context, courseID int64, exerciseID string, userIDs []int64) (gradjudge.ProgressRecords, error) {
	r, err := f.ProgressRecords(ctx, courseID, userIDs)
	return r.OfExercise(exerciseID), err
}

// ProgressRecords returns the course's records of userIDs and notes whose were read.
func (f *fakes) ProgressRecords(_ context.Context, courseID int64, userIDs []int64) (gradjudge.ProgressRecords, error) {
	f.mu.Lock()
	f.progressOf = append(f.progressOf, userIDs...)
	f.mu.Unlock()
	if f.broken[courseID] {
		return gradjudge.ProgressRecords{}, errors.New("database exploded: secret detail")
	}
	var out gradjudge.ProgressRecords
	all := f.records[courseID]
	for _, r := range all.Exercises {
		if slices.Contains(userIDs, r.UserID) {
			out.Exercises = append(out.Exercises, r)
		}
	}
	for _, e := range all.Events {
		if slices.Contains(userIDs, e.UserID) {
			out.Events = append(out.Events, e)
		}
	}
	return out, nil
}

// fakeCatalog is a catalog of two exercises and three misconceptions, with markup in titles and
// explanations to show that pages escape them.
type fakeCatalog struct{}

func (fakeCatalog) Exercises() []gradjudge.Exercise {
	return []gradjudge.Exercise{
		{ID: "ex-a", Title: "Effects multiply", Kind: gradjudge.KindNumeric, Concepts: []string{"chain-rule"}},
		{ID: "ex-b", Title: "The <b>ReLU</b> gate", Kind: gradjudge.KindNumeric, Concepts: []string{"relu-derivative"}},
	}
}

func (fakeCatalog) Variant(string, uint64) (gradjudge.Variant, error) {
	return gradjudge.Variant{}, errUnsupported
}

func (fakeCatalog) Misconceptions() []gradjudge.Misconception {
	return []gradjudge.Misconception{
		{Tag: "chain-rule-add", Title: "Local derivatives added", Explanation: "Effects multiply: 2× then 3× is 6×, not 5×.", Concept: "chain-rule"},
		{Tag: "relu-gate-ignored", Title: "ReLU passed the gradient", Explanation: "Where z <= 0 the gate is <closed>.", Concept: "relu-derivative"},
		{Tag: "fanout-not-summed", Title: "One path only", Explanation: "Sum the paths.", Concept: "fan-out"},
	}
}

// Concepts names one of the catalog's concepts, with markup to show that pages escape it; the
// other falls back on its id in words.
func (fakeCatalog) Concepts() []exercises.Concept {
	return []exercises.Concept{{ID: "chain-rule", Title: "The <i>chain</i> rule"}}
}

// fakeTokens issues "tok-<subject>" and accepts nothing else: enough to test the cookie, not the
// JWT, which api's tests cover.
type fakeTokens struct{ now func() time.Time }

func (t fakeTokens) Issue(subject string) (string, time.Time, error) {
	return "tok-" + subject, t.now().Add(time.Hour), nil
}

func (fakeTokens) Verify(token string) (string, error) {
	sub, ok := strings.CutPrefix(token, "tok-")
	if _, err := strconv.ParseInt(sub, 10, 64); !ok || err != nil {
		return "", errors.New("invalid token")
	}
	return sub, nil
}
