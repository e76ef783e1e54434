package app

import (
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/policy"
	"gradjudge/store"
)

// TestStaleVariantRefused: an answer worked on a variant the student has since left (the N-th
// wrong attempt gave a fresh one) is refused with a conflict that says to reload, stores nothing
// and uses no attempt; one sent with the current variant's seed is judged on it; a retry of the
// answer that moved the student replays it; an answer without a seed (an older client) is judged
// on the current variant.
func TestStaleVariantRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, cfg store.Config) {
		f := policyFixture(t, cfg)
		ctx := t.Context()
		if err := f.db.SetExercisePolicy(ctx, f.course.ID, "num", policy.Policy{FreshVariantAfter: 2}); err != nil {
			t.Fatal(err)
		}
		alice := f.visit(t, f.alice)
		base := gradjudge.VariantSeed(f.course.ID, f.alice.ID, "num")
		fresh := policy.VariantSeed(base, 1)
		submit := func(x, key string, seed *uint64) (gradjudge.Submission, error) {
			return f.app.Submit(ctx, alice, SubmitRequest{ExerciseID: "num", Answer: answerX(x), IdempotencyKey: key, Seed: seed, Wait: 30 * time.Second})
		}
		for i, key := range []string{"try-1", "try-2"} {
			if s, err := submit("wrong", key, &base); err != nil || s.Seed != base {
				t.Fatalf("wrong attempt %d on the first variant: seed %d, %v", i+1, s.Seed, err)
			}
		}
		_, err := submit("right", "", &base) // from the page still showing the first variant
		wantCode(t, "an answer to the replaced variant", err, gradjudge.ECONFLICT)
		if err == nil || err.Error() != errStaleVariant.Error() {
			t.Errorf("refusal %v, want %q", err, errStaleVariant)
		}
		if st, _ := f.app.Standing(ctx, alice, "num"); len(st.Attempts) != 2 || st.Seed != fresh {
			t.Errorf("after the refusal: %d attempts on seed %d; want 2 and the fresh variant", len(st.Attempts), st.Seed)
		}
		retry, err := submit("wrong", "try-2", &base)
		if err != nil || retry.Seed != base || retry.Verdict == nil {
			t.Errorf("the retry of the second attempt: %+v, %v; want it replayed", retry, err)
		}
		_, err = submit("right", "try-3", &base)
		wantCode(t, "a new key on the replaced variant", err, gradjudge.ECONFLICT)
		if s, err := submit("right", "", &fresh); err != nil || s.Seed != fresh || s.Verdict.Status != gradjudge.StatusAccepted {
			t.Errorf("an answer to the fresh variant: seed %d, %+v, %v; want judged on %d", s.Seed, s.Verdict, err, fresh)
		}
		if s, err := submit("right", "", nil); err != nil || s.Seed != fresh {
			t.Errorf("an answer without a seed: seed %d, %v; want the current variant's %d", s.Seed, err, fresh)
		}
		subs, _ := f.db.Submissions(ctx, gradjudge.SubmissionFilter{UserID: f.alice.ID})
		if len(subs) != 4 {
			t.Errorf("%d submissions stored, want 4 (nothing for the refused answers)", len(subs))
		}
	})
}

func TestParseVariantSeed(t *testing.T) {
	for _, tc := range []struct {
		text string
		want *uint64
		code string
	}{
		{"", nil, ""},
		{"0", ptr(uint64(0)), ""},
		{"18446744073709551615", ptr(uint64(1<<64 - 1)), ""},
		{"18446744073709551616", nil, gradjudge.EINVALID},
		{"-1", nil, gradjudge.EINVALID},
		{"1e3", nil, gradjudge.EINVALID},
		{" 7", nil, gradjudge.EINVALID},
	} {
		got, err := ParseVariantSeed(tc.text)
		if gradjudge.ErrorCode(err) != tc.code || (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
			t.Errorf("ParseVariantSeed(%q) = %v, %v; want %v, code %q", tc.text, got, err, tc.want, tc.code)
		}
	}
}

func ptr[T any](v T) *T { return &v }
