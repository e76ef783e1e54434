package store

import (
	"context"
	"strings"
	"testing"
)

// TestStmtPool checks that the SQLite pools keep the statements of the hot path prepared, those
// first seen in a group commit included, and still run statements past the cap.
func TestStmtPool(t *testing.T) {
	db := openTestDB(t, withSQLite(t, Config{InlineJudge: newFakeJudge()}))
	f := newFixture(t, db)
	for range 3 {
		mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("2"))
	}
	writer := db.stmtPools[0]
	prepared := false
	for q := range writer.stmts {
		prepared = prepared || strings.HasPrefix(q, "INSERT INTO `verdicts`")
	}
	if !prepared {
		t.Errorf("the verdict insert is not prepared; the writer has %d statements", len(writer.stmts))
	}
	for i := range maxCachedStmts + 10 { // fill the cache, then go past it
		var n int
		if err := db.read.Raw("SELECT ? + "+itoa(int64(i)), 1).Scan(&n).Error; err != nil || n != i+1 {
			t.Fatalf("query %d = %d, %v", i, n, err)
		}
	}
	if got := len(db.stmtPools[1].stmts); got != maxCachedStmts {
		t.Errorf("the read pool keeps %d statements, want the cap %d", got, maxCachedStmts)
	}
	if s := mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("1")); s.Verdict == nil {
		t.Errorf("submission after the cache filled: %+v", s)
	}
	db.Close()
	if err := db.read.WithContext(context.Background()).Exec("SELECT 1").Error; err == nil {
		t.Error("a closed DB still runs statements")
	}
}
