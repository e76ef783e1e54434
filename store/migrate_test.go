package store

import (
	"slices"
	"testing"

	"gradjudge/migrations"
)

// serviceTables are the tables of the service's migrations.
var serviceTables = []string{"api_keys", "course_exercises", "courses", "enrollments", "misconception_events", "progress", "submissions", "users", "verdicts"}

// TestMigrateUpDown applies every migration, undoes them all, and applies them again, on both
// databases, checking the tables each step leaves.
func TestMigrateUpDown(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		checkTables(t, db, true)
		v, err := db.SchemaVersion(ctx)
		if err != nil || v != 1 {
			t.Fatalf("after up: version %d, %v; want 1", v, err)
		}
		if err := db.MigrateDown(ctx); err != nil {
			t.Fatal(err)
		}
		checkTables(t, db, false)
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("up after down: %v", err)
		}
		checkTables(t, db, true)
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("up twice: %v", err)
		}
		newFixture(t, db) // the schema works
	})
}

func checkTables(t *testing.T, db *DB, up bool) {
	t.Helper()
	got := tables(t, db)
	for _, name := range append(slices.Clone(serviceTables), "river_job", "river_migration") {
		if slices.Contains(got, name) != up {
			t.Errorf("table %s present = %v, want %v (tables: %v)", name, !up, up, got)
		}
	}
}

func tables(t *testing.T, db *DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if db.Dialect() == migrations.Postgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	rows, err := db.SQL().QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}
