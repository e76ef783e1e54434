package store

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver, for a second, impatient connection
)

// TestSQLitePragmas checks that every connection gets the settings of SQLiteParams.
func TestSQLitePragmas(t *testing.T) {
	db := openTestDB(t, withSQLite(t, Config{}))
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"busy_timeout", "5000"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
	} {
		t.Run(c.pragma, func(t *testing.T) {
			var got string
			if err := db.SQL().QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
			}
		})
	}
}

// TestSQLiteImmediateTransactions shows that a transaction takes the write lock when it begins,
// before it writes anything: another writer that will not wait is refused at once.
func TestSQLiteImmediateTransactions(t *testing.T) {
	cfg := withSQLite(t, Config{})
	db := openTestDB(t, cfg)
	tx, err := db.SQL().BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM users").Scan(&n); err != nil { // a read only
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite3", strings.Replace(SQLiteDSN(cfg.DataDir), "_busy_timeout=5000", "_busy_timeout=0", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = other.Exec("BEGIN IMMEDIATE")
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("a second writer began while a transaction was open: err = %v, want database is locked", err)
	}
	tx.Rollback()
	if _, err := other.Exec("BEGIN IMMEDIATE; ROLLBACK"); err != nil {
		t.Fatalf("after the rollback: %v", err)
	}
}

func TestSQLiteDSN(t *testing.T) {
	got := SQLiteDSN("/var/lib/gradjudge")
	want := "file:/var/lib/gradjudge/gradjudge.db?_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_synchronous=FULL&_txlock=immediate"
	if got != want {
		t.Errorf("SQLiteDSN = %q, want %q", got, want)
	}
	if got := SQLiteDSN("/d/a#1?b%2"); !strings.HasPrefix(got, "file:/d/a%231%3Fb%252/gradjudge.db?") {
		t.Errorf("SQLiteDSN = %q, want the path escaped", got)
	}
}

// TestSQLiteOddDataDir opens a data directory whose name holds what ends a URI's path: the
// database is the file in it, not one named after the part before the '#' or '?'.
func TestSQLiteOddDataDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "run#01?x=1%20")
	openTestDB(t, Config{DataDir: dir})
	if _, err := os.Stat(SQLitePath(dir)); err != nil {
		t.Errorf("the database is not in the data directory: %v", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("%d entries beside the data directory, want none", len(entries)-1)
	}
}
