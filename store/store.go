// Package store keeps the service's data in SQLite (the embedded default) or PostgreSQL, through
// GORM, and runs the durable judging queue (River) on the same database: a submission and its
// judging job are written in one transaction, and workers record each verdict exactly once. With
// an inline judge (Config.InlineJudge), numeric and choice answers skip the queue: graded in
// microseconds, each is written with its verdict in one transaction instead. It is the only
// package that imports GORM and River. Its DB implements the root service interfaces.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"gradjudge"
	"gradjudge/migrations"
)

// Interface checks: DB is the implementation of every storage service.
var (
	_ gradjudge.UserService       = (*DB)(nil)
	_ gradjudge.CourseService     = (*DB)(nil)
	_ gradjudge.SubmissionService = (*DB)(nil)
	_ gradjudge.ProgressService   = (*DB)(nil)
	_ gradjudge.LearnerService    = (*DB)(nil)
)

// SQLiteFile is the name of the database file in the data directory.
const SQLiteFile = "gradjudge.db"

// SQLiteParams are the connection parameters of every SQLite connection (mattn/go-sqlite3 DSN
// syntax): write-ahead logging, a 5 s wait on a locked database, enforced foreign keys, an fsync
// at every commit, and transactions that take the write lock when they begin, so that two writers
// queue up instead of failing on a lock upgrade.
const SQLiteParams = "_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_synchronous=FULL&_txlock=immediate"

// Config says which database to open and how. The zero value opens SQLite in ./data.
type Config struct {
	// DatabaseURL, when set, selects PostgreSQL (postgres:// or postgresql://).
	DatabaseURL string
	// DataDir holds the SQLite file when DatabaseURL is empty; created (DataDirMode) if missing.
	// Default "data".
	DataDir string
	// Now is the clock of every stored time; default time.Now.
	Now func() time.Time
	// Rand is the source of salts and API key secrets; default crypto/rand.
	Rand io.Reader
	// Passwords is the argon2id cost; the zero value means DefaultArgon2().
	Passwords Argon2Params
	// MaxOpenConns caps the connection pool; default DefaultMaxOpenConns. On PostgreSQL it is
	// this process's share of the server's max_connections (see pool.go); on SQLite it is the
	// read pool, beside one writer connection.
	MaxOpenConns int
	// RunsWorkers says the process will run judging workers (StartWorkers) on PostgreSQL, whose
	// River LISTEN holds one connection outside the pool for as long as they run: the pool keeps
	// MaxOpenConns-1, so that the process holds MaxOpenConns in all. False: the pool has them all.
	RunsWorkers bool
	// ConnIdleTime is how long an unused PostgreSQL connection stays open; default
	// DefaultConnIdleTime.
	ConnIdleTime time.Duration
	// AcquireWait is the longest a query queues for a PostgreSQL connection when all
	// MaxOpenConns are in use, less when its context's deadline is sooner, before failing with
	// EUNAVAILABLE; default DefaultAcquireWait.
	AcquireWait time.Duration
	// ApplicationName names this process's PostgreSQL connections (pg_stat_activity's
	// application_name), so that an operator sees which process holds them; the URL's
	// application_name wins. Empty: none.
	ApplicationName string
	// ConnectTimeout is how long Open retries a PostgreSQL server that refuses connections;
	// default DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// WaitPollInterval is how often WaitSubmission looks at the database for verdicts written by
	// other processes, in one query for every waiter; a verdict written by this process wakes it
	// at once. Default 100 ms.
	WaitPollInterval time.Duration
	// InlineJudge, when set, grades numeric and choice answers in CreateSubmission itself, which
	// then commits the submission with its verdict, misconception events and progress in one
	// transaction and queues no job: grading takes microseconds, a job's insert, fetch and
	// completion take the database's time. Answers to code exercises, and answers InlineJudge
	// fails on (an error: broken or busy), go through the queue as they do when it is nil.
	InlineJudge gradjudge.Judge
	// Learner, when set, is the learner model every recorded verdict updates in the verdict's
	// transaction (mastery per concept, misconceptions active or resolved). Without it the
	// learner tables stay as they are.
	Learner Learner
	// Logger receives River's logs and the store's own warnings; default discards.
	Logger *slog.Logger
	// SQLLog, when set, logs every SQL statement (for debugging).
	SQLLog bool
}

// DB is an open database: the storage services and the judging queue's producer. It is safe for
// concurrent use. Close it when done.
type DB struct {
	gorm     *gorm.DB      // writes, and reads that must see a transaction's own writes
	read     *gorm.DB      // reads; on SQLite a separate read-only pool, on PostgreSQL gorm
	sql      *sql.DB       // gorm's pool, shared with River
	rsql     *sql.DB       // read's pool
	pool     *pgxpool.Pool // PostgreSQL only: River's workers listen on it
	acquire  acquireStats  // PostgreSQL only: waits for a connection of pool
	dialect  migrations.Dialect
	inserter *river.Client[*sql.Tx] // inserts judging jobs inside our transactions
	batch    *batcher               // SQLite only: group commit of the hot-path writes
	// stmtPools are the SQLite pools' prepared statements, closed with the DB.
	stmtPools []*stmtPool
	cfg       Config
	done      *waiters

	closeOnce sync.Once
	closeErr  error

	dummyOnce sync.Once // dummy is a password hash for timing-safe failed logins
	dummy     string
}

// Open opens (and for SQLite creates) the database cfg names. It does not migrate: call Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	cfg = withDefaults(cfg)
	db := &DB{cfg: cfg}
	var err error
	if cfg.DatabaseURL != "" {
		err = db.openPostgres(ctx)
	} else {
		err = db.openSQLite()
	}
	if err != nil {
		return nil, err
	}
	db.done = newWaiters(cfg.WaitPollInterval, db.judged)
	if db.inserter, err = newInserter(db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func withDefaults(cfg Config) Config {
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Passwords == (Argon2Params{}) {
		cfg.Passwords = DefaultArgon2()
	}
	if cfg.WaitPollInterval <= 0 {
		cfg.WaitPollInterval = 100 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return poolDefaults(cfg)
}

// SQLiteDSN is the DSN of the SQLite database in dir: a file: URI, so the path's '%', '?' and
// '#' are escaped; unescaped, the driver and SQLite would cut the path there and open another
// file (a test directory named "x#01" opened "x").
func SQLiteDSN(dir string) string {
	escape := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23")
	return "file:" + escape.Replace(filepath.ToSlash(SQLitePath(dir))) + "?" + SQLiteParams
}

// SQLitePath is the path of the SQLite database file in dir.
func SQLitePath(dir string) string { return filepath.Join(dir, SQLiteFile) }

// openSQLite opens two pools on the file. Writes, ours and River's, go through one connection:
// SQLite runs one writer at a time anyway, and writers on separate connections that meet wait in
// SQLite's busy handler, which sleeps for milliseconds, where a pool hands the connection over at
// once. Reads go through a read-only pool of their own, which WAL lets run beside the writer.
func (db *DB) openSQLite() error {
	if err := db.prepareSQLiteFiles(); err != nil {
		return err
	}
	db.dialect = migrations.SQLite
	var err error
	if db.gorm, db.sql, err = db.openSQLitePool(SQLiteDSN(db.cfg.DataDir), 1); err != nil {
		return err
	}
	if db.read, db.rsql, err = db.openSQLitePool(SQLiteDSN(db.cfg.DataDir)+"&_query_only=1", db.cfg.MaxOpenConns); err != nil {
		db.sql.Close()
		return err
	}
	db.batch = newBatcher(db.gorm, db.enqueue)
	return nil
}

// Modes of the SQLite files: they hold password and API key hashes, so only the service's user
// reads them.
const (
	DataDirMode    os.FileMode = 0o700
	SQLiteFileMode os.FileMode = 0o600
)

// prepareSQLiteFiles creates the data directory (DataDirMode) when it is missing, and the
// database file with SQLiteFileMode before SQLite opens it, whatever the umask: SQLite gives its
// -wal and -shm files the database file's mode. A database, -wal or -shm file that an earlier
// version left readable by others is narrowed, or a warning logged when that fails.
func (db *DB) prepareSQLiteFiles() error {
	dir := db.cfg.DataDir
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		err = os.MkdirAll(dir, DataDirMode)
		if err == nil {
			err = os.Chmod(dir, DataDirMode) // MkdirAll's mode is cut by the umask
		}
		if err != nil {
			return fmt.Errorf("store: data directory: %w", err)
		}
	}
	path := SQLitePath(dir)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, SQLiteFileMode)
	if err == nil {
		err = errors.Join(f.Close(), os.Chmod(path, SQLiteFileMode))
	}
	if err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("store: database file: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&^SQLiteFileMode != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&SQLiteFileMode); err != nil {
				db.cfg.Logger.Warn("the database file is readable by other users", "err", err)
			}
		}
	}
	return nil
}

// openSQLitePool opens a pool of conns connections whose statements are prepared once (see
// stmtPool).
func (db *DB) openSQLitePool(dsn string, conns int) (*gorm.DB, *sql.DB, error) {
	s, err := sql.Open(sqlite.DriverName, dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	s.SetMaxOpenConns(conns)
	s.SetMaxIdleConns(conns)
	p := newStmtPool(s)
	g, err := gorm.Open(sqlite.New(sqlite.Config{DSN: dsn, Conn: p}), db.gormConfig())
	if err != nil {
		s.Close()
		return nil, nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	db.stmtPools = append(db.stmtPools, p)
	return g, s, nil
}

// redactURL keeps a password in the database URL out of error messages.
func redactURL(err error, raw string) error {
	if u, perr := url.Parse(raw); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			return errors.New(strings.ReplaceAll(err.Error(), p, "xxxxx"))
		}
	}
	return err
}

func (db *DB) gormConfig() *gorm.Config {
	c := &gorm.Config{
		TranslateError: true,
		// Every write the store makes is one statement or runs in a transaction of its own;
		// GORM's default transaction around each would only cost: a BEGIN and COMMIT outside
		// one, and inside one a failed nested begin whose error GORM translates through JSON.
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return db.now() },
		Logger:                 logger.Discard,
	}
	if db.cfg.SQLLog {
		c.Logger = logger.Default.LogMode(logger.Info)
	}
	return c
}

// Dialect says which database DB is on.
func (db *DB) Dialect() migrations.Dialect { return db.dialect }

// SQL returns the underlying pool, for health checks and tests. DB owns it.
func (db *DB) SQL() *sql.DB { return db.sql }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Close closes the database. Stop the workers first.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		if db.done != nil {
			db.done.close()
		}
		if db.batch != nil {
			db.batch.close()
		}
		for _, p := range db.stmtPools {
			p.close()
		}
		db.closeErr = db.sql.Close()
		if db.rsql != db.sql {
			db.closeErr = errors.Join(db.closeErr, db.rsql.Close())
		}
		if db.pool != nil {
			db.pool.Close()
		}
	})
	return db.closeErr
}

// now is the configured clock in UTC, cut to microseconds, the precision both databases keep.
func (db *DB) now() time.Time { return db.cfg.Now().UTC().Truncate(time.Microsecond) }

// tx runs fn in a transaction (an immediate one on SQLite).
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.gorm.WithContext(ctx).Transaction(fn)
}

// write runs fn in a write transaction: in a group commit on SQLite (see batcher), in a
// transaction of its own on PostgreSQL, whose commits do not serialize. fn runs with a context
// that is not cancelled; it checks none.
func (db *DB) write(ctx context.Context, fn writeFn) error {
	if db.batch != nil {
		return db.batch.do(ctx, fn)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		jobs, err := fn(tx)
		if err != nil {
			return err
		}
		return db.enqueue(tx, jobs)
	})
}

// sqlTx is the database/sql transaction under a GORM transaction, for River.
func sqlTx(tx *gorm.DB) (*sql.Tx, error) {
	switch t := tx.Statement.ConnPool.(type) {
	case *sql.Tx:
		return t, nil
	case *stmtTx:
		return t.Tx, nil
	}
	return nil, fmt.Errorf("store: not in a transaction (%T)", tx.Statement.ConnPool)
}

// dbError turns a GORM error into an application error: a missing row is ENOTFOUND with what,
// a unique violation ECONFLICT, anything else an internal error wrapped with op.
func dbError(op, what string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return &gradjudge.Error{Code: gradjudge.ENOTFOUND, Message: what + " not found", Op: op}
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &gradjudge.Error{Code: gradjudge.ECONFLICT, Message: what + " exists already", Op: op, Err: err}
	case unavailable(err):
		return unavailableError(op, err)
	case gradjudge.ErrorCode(err) != gradjudge.EINTERNAL:
		return err // already an application error
	}
	return &gradjudge.Error{Code: gradjudge.EINTERNAL, Op: op, Err: err}
}

func isNotFound(err error) bool   { return errors.Is(err, gorm.ErrRecordNotFound) }
func isForeignKey(err error) bool { return errors.Is(err, gorm.ErrForeignKeyViolated) }
func isDuplicate(err error) bool  { return errors.Is(err, gorm.ErrDuplicatedKey) }

func notFound(op, what string) error {
	return &gradjudge.Error{Code: gradjudge.ENOTFOUND, Message: what + " not found", Op: op}
}

func invalid(op, format string, args ...any) error {
	return &gradjudge.Error{Code: gradjudge.EINVALID, Message: fmt.Sprintf(format, args...), Op: op}
}

// utc puts a time read from the database in UTC: PostgreSQL's come back in the local zone.
func utc(t time.Time) time.Time { return t.UTC() }

// utcPtr is utc for an optional time.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
