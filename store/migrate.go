package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"gradjudge/migrations"
)

// migrateLockID is the PostgreSQL advisory lock that keeps two processes from migrating at once.
const migrateLockID = 0x6772_6164_6a75_6467 // "gradjudg"

// Migrate brings the schema up to date: River's tables, then the service's versioned migrations,
// then the stored grades the SQL cannot compute (fillGrades). It is safe to run from several
// processes at once on PostgreSQL.
func (db *DB) Migrate(ctx context.Context) error {
	return db.locked(ctx, func() error {
		if err := db.migrateRiver(ctx, rivermigrate.DirectionUp); err != nil {
			return err
		}
		p, err := db.goose()
		if err != nil {
			return err
		}
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("store: migrate up: %w", err)
		}
		return db.fillGrades(ctx)
	})
}

// MigrateDown undoes every migration, the service's and River's, leaving an empty schema. It
// destroys all data; it exists for tests and for `gradjudge migrate --down`.
func (db *DB) MigrateDown(ctx context.Context) error {
	return db.locked(ctx, func() error {
		p, err := db.goose()
		if err != nil {
			return err
		}
		if _, err := p.DownTo(ctx, 0); err != nil {
			return fmt.Errorf("store: migrate down: %w", err)
		}
		return db.migrateRiver(ctx, rivermigrate.DirectionDown)
	})
}

// SchemaVersion is the version of the newest applied service migration, 0 for none.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.goose()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

func (db *DB) goose() (*goose.Provider, error) {
	fsys, err := migrations.FS(db.dialect)
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if db.dialect == migrations.Postgres {
		d = goose.DialectPostgres
	}
	p, err := goose.NewProvider(d, db.sql, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

func (db *DB) migrateRiver(ctx context.Context, dir rivermigrate.Direction) error {
	var err error
	if db.dialect == migrations.Postgres {
		err = riverMigrate(ctx, riverpgxv5.New(db.pool), dir)
	} else {
		err = riverMigrate(ctx, riversqlite.New(db.sql), dir)
	}
	if err != nil {
		return fmt.Errorf("store: river migrate %s: %w", dir, err)
	}
	return nil
}

func riverMigrate[TTx any](ctx context.Context, d riverdriver.Driver[TTx], dir rivermigrate.Direction) error {
	m, err := rivermigrate.New(d, nil)
	if err != nil {
		return err
	}
	opts := &rivermigrate.MigrateOpts{}
	if dir == rivermigrate.DirectionDown {
		opts.TargetVersion = -1 // every step down
	}
	_, err = m.Migrate(ctx, dir, opts)
	return err
}

// locked runs fn holding the migration lock: a PostgreSQL advisory lock on a connection of its
// own. On SQLite, whose writers are serialized anyway, it just runs fn.
func (db *DB) locked(ctx context.Context, fn func() error) error {
	if db.dialect != migrations.Postgres {
		return fn()
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLockID)); err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	defer unlock(conn)
	return fn()
}

func unlock(conn *sql.Conn) {
	// A fresh context: the lock must go even when the caller's context has ended. Were this to
	// fail, closing the connection releases the lock anyway.
	_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", int64(migrateLockID))
}
