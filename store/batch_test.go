package store

import (
	"context"
	"errors"
	"sync"
	"testing"

	"gorm.io/gorm"

	"gradjudge"
)

// TestBatcherIsolatesWrites commits concurrent writes in shared transactions: a failing write
// is undone alone, and each caller learns its own outcome.
func TestBatcherIsolatesWrites(t *testing.T) {
	db := openTestDB(t, withSQLite(t, Config{}))
	boom := errors.New("boom")
	const n = 64
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = db.batch.do(t.Context(), func(tx *gorm.DB) ([]judgeArgs, error) {
				u := userRow{Email: "u" + itoa(int64(i)) + "@example.com", Role: "student", PasswordHash: "x", CreatedAt: db.now()}
				if err := tx.Create(&u).Error; err != nil {
					return nil, err
				}
				if i%3 == 0 {
					return nil, boom // after writing: the savepoint must undo the user
				}
				return nil, nil
			})
		})
	}
	wg.Wait()
	users, err := db.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, u := range users {
		stored[u.Email] = true
	}
	for i, err := range errs {
		failed := i%3 == 0
		if (err != nil) != failed || stored["u"+itoa(int64(i))+"@example.com"] == failed {
			t.Errorf("write %d: err %v, stored %v", i, err, !failed)
		}
	}
}

func TestBatcherCancelledAndClosed(t *testing.T) {
	db := openTestDB(t, withSQLite(t, Config{}))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ran := false
	err := db.batch.do(ctx, func(*gorm.DB) ([]judgeArgs, error) { ran = true; return nil, nil })
	if !errors.Is(err, context.Canceled) || ran {
		t.Errorf("cancelled write: err %v, ran %v", err, ran)
	}
	db.Close()
	_, _, err = db.CreateSubmission(t.Context(), gradjudge.Submission{UserID: 1, CourseID: 1, ExerciseID: "e1", Kind: testKind("e1")})
	if err == nil {
		t.Error("a write after Close succeeded")
	}
}
