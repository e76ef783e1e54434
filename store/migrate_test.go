package store

import (
	"slices"
	"testing"
	"time"

	"gradjudge/migrations"
)

// serviceTables are the tables of the service's migrations.
var serviceTables = []string{"api_keys", "course_exercises", "courses", "enrollments", "learner_models", "mastery_params",
	"misconception_events", "progress", "set_password_tokens", "submissions", "users", "verdicts",
	"exercise_policies", "extensions", "regrades", "regrade_items", "verdict_history"}

// TestMigrateUpDown applies every migration, undoes them all, and applies them again, on both
// databases, checking the tables each step leaves.
func TestMigrateUpDown(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		checkTables(t, db, true)
		v, err := db.SchemaVersion(ctx)
		if want := slices.Max(sourceVersions(t, db)); err != nil || v != want {
			t.Fatalf("after up: version %d, %v; want %d", v, err, want)
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

// schemaSteps are columns that a migration adds, to check that its Up adds them and its Down
// takes them away. A new migration adds its own line.
var schemaSteps = []struct {
	version       int64
	table, column string
}{
	{1, "api_keys", "revoked_at"},
	{2, "api_keys", "expires_at"},
	{4, "judge_workers", "heartbeat_at"},
	{4, "judge_failures", "reason"},
	{5, "verdicts", "exercise_version"},
	{5, "exercise_policies", "grade_rule"},
	{5, "extensions", "due_at"},
	{5, "regrade_items", "done_at"},
	{5, "verdict_history", "regrade_id"},
	{6, "learner_models", "model"},
	{6, "mastery_params", "params"},
	{7, "set_password_tokens", "token_hash"},
	{12, "learner_models", "summary"},
}

// TestMigrateStepByStep undoes the service's migrations one at a time, then applies them again one
// at a time, on both databases, with data in the tables: every Down runs on a database in use,
// and every step leaves the version and the columns it should.
func TestMigrateStepByStep(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		versions := sourceVersions(t, db)
		latest := versions[len(versions)-1]
		if latest < schemaSteps[len(schemaSteps)-1].version {
			t.Fatalf("latest migration %d: schemaSteps names a newer one", latest)
		}
		f := newFixture(t, db)
		if _, _, err := db.CreateAPIKey(ctx, f.ann.ID, "lms", time.Hour); err != nil {
			t.Fatal(err)
		}
		p, err := db.goose()
		if err != nil {
			t.Fatal(err)
		}
		// Versions may have gaps: numbers are reserved per branch.
		below := append([]int64{0}, versions[:len(versions)-1]...)
		for i := len(versions) - 1; i >= 0; i-- {
			if _, err := p.Down(ctx); err != nil {
				t.Fatalf("down from %d: %v", versions[i], err)
			}
			checkSchemaAt(t, db, below[i])
		}
		for _, v := range versions {
			if _, err := p.UpByOne(ctx); err != nil {
				t.Fatalf("up to %d: %v", v, err)
			}
			checkSchemaAt(t, db, v)
		}
		f = newFixture(t, db) // the schema works
		if _, _, err := db.CreateAPIKey(ctx, f.ann.ID, "lms", time.Hour); err != nil {
			t.Fatal(err)
		}
	})
}

// sourceVersions are the versions of the service migrations, oldest first.
func sourceVersions(t *testing.T, db *DB) []int64 {
	t.Helper()
	p, err := db.goose()
	if err != nil {
		t.Fatal(err)
	}
	var versions []int64
	for _, s := range p.ListSources() {
		versions = append(versions, s.Version)
	}
	if len(versions) == 0 {
		t.Fatal("no migrations")
	}
	return versions
}

// checkSchemaAt checks that db is at version v, with the columns of schemaSteps up to v and none
// of those after.
func checkSchemaAt(t *testing.T, db *DB, v int64) {
	t.Helper()
	got, err := db.SchemaVersion(t.Context())
	if err != nil || got != v {
		t.Fatalf("version %d, %v; want %d", got, err, v)
	}
	for _, s := range schemaSteps {
		if has := slices.Contains(columns(t, db, s.table), s.column); has != (s.version <= v) {
			t.Errorf("at version %d: column %s.%s present = %v, want %v", v, s.table, s.column, has, !has)
		}
	}
}

// columns lists the columns of table, none when there is no such table.
func columns(t *testing.T, db *DB, table string) []string {
	t.Helper()
	q := "SELECT name FROM pragma_table_info($1)"
	if db.Dialect() == migrations.Postgres {
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1"
	}
	return queryStrings(t, db, q, table)
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
	return queryStrings(t, db, q)
}

// queryStrings runs q, which selects one text column, and returns its values.
func queryStrings(t *testing.T, db *DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.SQL().QueryContext(t.Context(), q, args...)
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
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}
