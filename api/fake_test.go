package api

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"gradjudge"
)

// fakeDB is an in-memory stand-in for store.DB: users, courses, enrollments and submissions.
// Submissions are judged at once by judge when it is set, and stay queued otherwise.
type fakeDB struct {
	mu         sync.Mutex
	users      map[int64]gradjudge.User
	passwords  map[int64]string
	keys       map[string]int64 // secret → user id
	keyList    []gradjudge.APIKey
	courses    map[int64]gradjudge.Course
	roles      map[[2]int64]gradjudge.CourseRole // {course, user}
	subs       []gradjudge.Submission
	judge      func(gradjudge.Submission) gradjudge.Verdict
	lastFilter gradjudge.SubmissionFilter
	lastWait   time.Duration // the max of the last WaitSubmission; -1 before any
	nextID     int64
	now        func() time.Time // the clock of API key expiry, the server's in newEnv
}

func newFakeDB() *fakeDB {
	return &fakeDB{users: map[int64]gradjudge.User{}, passwords: map[int64]string{}, keys: map[string]int64{},
		courses: map[int64]gradjudge.Course{}, roles: map[[2]int64]gradjudge.CourseRole{}, lastWait: -1, now: time.Now}
}

func (f *fakeDB) id() int64 { f.nextID++; return f.nextID }

func notFound(what string) error { return gradjudge.Errorf(gradjudge.ENOTFOUND, "%s not found", what) }

// --- UserService

func (f *fakeDB) CreateUser(_ context.Context, u gradjudge.User, password string) (gradjudge.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !u.Role.Valid() {
		return u, gradjudge.Errorf(gradjudge.EINVALID, "bad role")
	}
	for _, o := range f.users {
		if strings.EqualFold(o.Email, u.Email) {
			return u, gradjudge.Errorf(gradjudge.ECONFLICT, "email taken")
		}
	}
	u.ID = f.id()
	f.users[u.ID] = u
	f.passwords[u.ID] = password
	return u, nil
}

func (f *fakeDB) User(_ context.Context, id int64) (gradjudge.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.users[id]
	if !ok {
		return u, notFound("user")
	}
	return u, nil
}

func (f *fakeDB) UserByEmail(_ context.Context, email string) (gradjudge.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.users {
		if strings.EqualFold(u.Email, email) {
			return u, nil
		}
	}
	return gradjudge.User{}, notFound("user")
}

func (f *fakeDB) Users(context.Context) ([]gradjudge.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []gradjudge.User
	for _, u := range f.users {
		out = append(out, u)
	}
	return out, nil
}

func (f *fakeDB) SetPassword(_ context.Context, id int64, password string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.passwords[id] = password
	return nil
}

func (f *fakeDB) Authenticate(ctx context.Context, email, password string) (gradjudge.User, error) {
	u, err := f.UserByEmail(ctx, email)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil || f.passwords[u.ID] != password {
		return gradjudge.User{}, gradjudge.Errorf(gradjudge.EUNAUTHORIZED, "wrong email or password")
	}
	return u, nil
}

func (f *fakeDB) CreateAPIKey(_ context.Context, userID int64, name string, ttl time.Duration) (gradjudge.APIKey, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ttl < 0 {
		return gradjudge.APIKey{}, "", gradjudge.Errorf(gradjudge.EINVALID, "negative lifetime")
	}
	secret := "gjk_secret" + string(rune('a'+f.nextID))
	k := gradjudge.APIKey{ID: f.id(), UserID: userID, Name: name, Prefix: secret[:6], CreatedAt: f.now()}
	if ttl > 0 {
		exp := k.CreatedAt.Add(ttl)
		k.ExpiresAt = &exp
	}
	f.keys[secret] = k.ID
	f.keyList = append(f.keyList, k)
	return k, secret, nil
}

func (f *fakeDB) APIKeys(_ context.Context, userID int64) ([]gradjudge.APIKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []gradjudge.APIKey
	for _, k := range f.keyList {
		if k.UserID == userID {
			out = append(out, k)
		}
	}
	return out, nil
}

func (f *fakeDB) RevokeAPIKey(_ context.Context, userID, keyID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, k := range f.keyList {
		if k.ID == keyID && k.UserID == userID {
			now := time.Now()
			f.keyList[i].RevokedAt = &now
			return nil
		}
	}
	return notFound("api key")
}

func (f *fakeDB) AuthenticateAPIKey(_ context.Context, secret string) (gradjudge.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	kid, ok := f.keys[secret]
	for _, k := range f.keyList {
		if ok && k.ID == kid && k.RevokedAt == nil && !k.Expired(f.now()) {
			return f.users[k.UserID], nil
		}
	}
	return gradjudge.User{}, gradjudge.Errorf(gradjudge.EUNAUTHORIZED, "bad key")
}

// --- CourseService

func (f *fakeDB) CreateCourse(_ context.Context, c gradjudge.Course) (gradjudge.Course, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.ID = f.id()
	f.courses[c.ID] = c
	f.roles[[2]int64{c.ID, c.CreatedBy}] = gradjudge.CourseInstructor
	return c, nil
}

func (f *fakeDB) Course(_ context.Context, id int64) (gradjudge.Course, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.courses[id]
	if !ok {
		return c, notFound("course")
	}
	return c, nil
}

func (f *fakeDB) Courses(context.Context) ([]gradjudge.Course, error) { return nil, nil }

func (f *fakeDB) CoursesOf(_ context.Context, userID int64) ([]gradjudge.Membership, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []gradjudge.Membership
	for k, r := range f.roles {
		if k[1] == userID {
			out = append(out, gradjudge.Membership{Course: f.courses[k[0]], Role: r})
		}
	}
	return out, nil
}

func (f *fakeDB) SetCourseExercises(_ context.Context, courseID int64, ids []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.courses[courseID]
	c.ExerciseIDs = ids
	f.courses[courseID] = c
	return nil
}

func (f *fakeDB) Enroll(ctx context.Context, courseID int64, email string, role gradjudge.CourseRole) (gradjudge.Enrollment, error) {
	u, err := f.UserByEmail(ctx, email)
	if err != nil {
		return gradjudge.Enrollment{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roles[[2]int64{courseID, u.ID}] = role
	return gradjudge.Enrollment{CourseID: courseID, UserID: u.ID, Email: u.Email, Name: u.Name, Role: role}, nil
}

func (f *fakeDB) Unenroll(_ context.Context, courseID, userID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.roles, [2]int64{courseID, userID})
	return nil
}

func (f *fakeDB) Enrollments(_ context.Context, courseID int64) ([]gradjudge.Enrollment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []gradjudge.Enrollment
	for k, r := range f.roles {
		if k[0] == courseID {
			u := f.users[k[1]]
			out = append(out, gradjudge.Enrollment{CourseID: courseID, UserID: u.ID, Email: u.Email, Name: u.Name, Role: r})
		}
	}
	return out, nil
}

func (f *fakeDB) CourseRole(_ context.Context, courseID, userID int64) (gradjudge.CourseRole, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.courses[courseID]; !ok {
		return "", notFound("course")
	}
	return f.roles[[2]int64{courseID, userID}], nil
}

// --- SubmissionService

func (f *fakeDB) CreateSubmission(_ context.Context, s gradjudge.Submission) (gradjudge.Submission, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s.ContentHash = gradjudge.ContentHash(s.ExerciseID, s.Seed, s.Answer)
	for _, o := range f.subs {
		if s.IdempotencyKey != "" && o.UserID == s.UserID && o.IdempotencyKey == s.IdempotencyKey {
			if o.ContentHash != s.ContentHash {
				return o, false, gradjudge.Errorf(gradjudge.ECONFLICT, "idempotency key reused")
			}
			return o, false, nil
		}
	}
	s.ID = f.id()
	s.Status = gradjudge.SubmissionQueued
	if f.judge != nil {
		v := f.judge(s)
		s.Status, s.Verdict = gradjudge.SubmissionDone, &v
	}
	f.subs = append(f.subs, s)
	return s, true, nil
}

func (f *fakeDB) Submission(_ context.Context, id int64) (gradjudge.Submission, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.subs {
		if s.ID == id {
			return s, nil
		}
	}
	return gradjudge.Submission{}, notFound("submission")
}

func (f *fakeDB) Submissions(_ context.Context, flt gradjudge.SubmissionFilter) ([]gradjudge.Submission, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastFilter = flt
	var out []gradjudge.Submission
	for _, s := range f.subs {
		if (flt.UserID == 0 || s.UserID == flt.UserID) && (flt.CourseID == 0 || s.CourseID == flt.CourseID) &&
			(flt.ExerciseID == "" || s.ExerciseID == flt.ExerciseID) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (f *fakeDB) WaitSubmission(ctx context.Context, id int64, max time.Duration) (gradjudge.Submission, error) {
	f.mu.Lock()
	f.lastWait = max
	f.mu.Unlock()
	return f.Submission(ctx, id)
}

func (f *fakeDB) QueueDepth(context.Context) (int64, error) { return 0, nil }

// --- ProgressService

// ExerciseRecords is ProgressRecords of one exercise.
func (f *fakeDB) ExerciseRecords(ctx context.Context, courseID int64, exerciseID string, userIDs []int64) (gradjudge.ProgressRecords, error) {
	r, err := f.ProgressRecords(ctx, courseID, userIDs)
	return r.OfExercise(exerciseID), err
}

// ProgressRecords counts each judged submission as one attempt with its score.
func (f *fakeDB) ProgressRecords(_ context.Context, courseID int64, userIDs []int64) (gradjudge.ProgressRecords, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var recs gradjudge.ProgressRecords
	for _, s := range f.subs {
		if s.CourseID == courseID && slices.Contains(userIDs, s.UserID) && s.Verdict != nil {
			recs.Exercises = append(recs.Exercises, gradjudge.ExerciseRecord{UserID: s.UserID,
				ExerciseProgress: gradjudge.ExerciseProgress{ExerciseID: s.ExerciseID, Attempts: 1, BestScore: s.Verdict.Score}})
		}
	}
	return recs, nil
}

// fakeCatalog has one numeric and one code exercise.
type fakeCatalog struct{}

func (fakeCatalog) Exercises() []gradjudge.Exercise {
	return []gradjudge.Exercise{
		{ID: "chain", Title: "Chain rule", Kind: gradjudge.KindNumeric, Concepts: []string{"chain-rule"}},
		{ID: "relu-code", Title: "ReLU backward", Kind: gradjudge.KindCode, Concepts: []string{"activations"}},
	}
}

func (c fakeCatalog) Variant(id string, seed uint64) (gradjudge.Variant, error) {
	for _, e := range c.Exercises() {
		if e.ID == id {
			return gradjudge.Variant{Exercise: e, Seed: seed, Statement: "compute",
				Inputs: map[string]any{"x": float64(seed % 7)}}, nil
		}
	}
	return gradjudge.Variant{}, notFound("exercise")
}

func (fakeCatalog) Misconceptions() []gradjudge.Misconception {
	return []gradjudge.Misconception{{Tag: "chain-rule-add", Title: "Adding instead of multiplying", Concept: "chain-rule"}}
}

// judgeByAnswer accepts the numeric answer "6" and tags anything else chain-rule-add.
func judgeByAnswer(s gradjudge.Submission) gradjudge.Verdict {
	if string(s.Answer.Fields["dz"]) == `"6"` {
		return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
	}
	return gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}
}
