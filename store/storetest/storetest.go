// Package storetest gives tests a fresh PostgreSQL database on the test server named by
// GRADJUDGE_TEST_POSTGRES_URL (`.ci/postgres.sh` starts one and prints the line that sets it), so
// that the store's tests and those of the packages above it run on both databases the same way.
// It does not import the store, whose own tests use it.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to create test databases
)

// PostgresEnv names the PostgreSQL server the tests may use.
const PostgresEnv = "GRADJUDGE_TEST_POSTGRES_URL"

// PostgresURL creates a new database on the test server and returns its URL (for
// store.Config.DatabaseURL); the database is dropped when t ends. It skips t, saying how to
// enable it, when PostgresEnv is unset.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " is unset: PostgreSQL tests skipped (run `eval \"$(.ci/postgres.sh)\"` to enable them)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "gj_test_" + randomHex(t, 6)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		// FORCE ends sessions left behind, but PostgreSQL refuses it (42501) while an autovacuum
		// worker, which this role may not signal, is on the database; a plain DROP makes
		// autovacuum leave.
		_, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
		if err != nil {
			_, err = admin.Exec("DROP DATABASE " + name)
		}
		if err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
