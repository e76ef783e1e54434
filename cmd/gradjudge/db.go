package main

import (
	"flag"
	"fmt"
	"time"

	"gradjudge"
	"gradjudge/store"
)

// Connection budgets: the default --db-max-conns of each kind of process. PostgreSQL's default
// max_connections is 100, 3 of them kept for superusers; 2 API processes and 4 worker processes
// take 2×20 + 4×8 = 72, leaving room for operators, migrate and a rolling restart's overlap. The
// README's scale-out section says how to size them for other topologies.
const (
	serveMaxConns  = 20 // HTTP requests, inline judging and, without --no-workers, the queue
	workerMaxConns = 8  // judging jobs hold a connection for milliseconds at a time
	toolMaxConns   = 4  // migrate and users: a migration lock, goose and River's migrator
	// minMaxConns is the least that works: migrating holds a connection for its lock while the
	// migrators use another.
	minMaxConns = 2
)

// dbConfig names the database of a command and its share of the server's connections: the same
// flags and environment in every command that opens it.
type dbConfig struct {
	DataDir          string        // SQLite file (and serve's JWT secret)
	DatabaseURL      string        // PostgreSQL instead of SQLite when set
	DBMaxConns       int           // connections this process may open
	DBConnectTimeout time.Duration // how long start retries a database that refuses connections
	DBAcquireWait    time.Duration // longest a query queues for a connection of a full pool
	command          string        // names the process's connections: gradjudge-<command>
}

// newDBConfig is the default database configuration of command, allowed conns connections.
func newDBConfig(command string, conns int) dbConfig {
	return dbConfig{DataDir: "data", DBMaxConns: conns, DBConnectTimeout: store.DefaultConnectTimeout,
		DBAcquireWait: store.DefaultAcquireWait, command: command}
}

func dbFlags(fs *flag.FlagSet, c *dbConfig) {
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory of the SQLite database")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL (postgres://...); SQLite in --data-dir when empty")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", c.DBMaxConns, "database connections this process may open (on SQLite: readers, beside one writer); "+
		"on PostgreSQL the sum over every process must stay below the server's max_connections: see the README's scale-out section")
	fs.DurationVar(&c.DBConnectTimeout, "db-connect-timeout", c.DBConnectTimeout, "how long start retries, with backoff, a PostgreSQL server that refuses connections (starting, or full)")
	fs.DurationVar(&c.DBAcquireWait, "db-acquire-wait", c.DBAcquireWait, "longest a query queues for a PostgreSQL connection when all --db-max-conns are in use "+
		"(less when its request's deadline is sooner) before the request is answered 503 with Retry-After")
}

// check refuses a budget that cannot work.
func (c dbConfig) check() error {
	if c.DBMaxConns < minMaxConns {
		return fmt.Errorf("--db-max-conns must be at least %d; got %d", minMaxConns, c.DBMaxConns)
	}
	if c.DBConnectTimeout < 0 {
		return fmt.Errorf("--db-connect-timeout must not be negative; got %v", c.DBConnectTimeout)
	}
	if c.DBAcquireWait <= 0 {
		return fmt.Errorf("--db-acquire-wait must be positive; got %v", c.DBAcquireWait)
	}
	return nil
}

// storeConfig is the store configuration of c; the caller adds the rest.
func (c dbConfig) storeConfig() store.Config {
	return store.Config{DataDir: c.DataDir, DatabaseURL: c.DatabaseURL, MaxOpenConns: c.DBMaxConns,
		ConnectTimeout: c.DBConnectTimeout, AcquireWait: c.DBAcquireWait, ApplicationName: "gradjudge-" + c.command}
}

// queueConfig is what serve and worker share about judging queued submissions.
type queueConfig struct {
	Workers      int           // numeric judging workers
	JobTimeout   time.Duration // one judging's limit
	Heartbeat    time.Duration // how often a worker renews its lease and looks for lapsed ones
	LeaseTimeout time.Duration // how long a silent worker keeps its jobs
}

func defaultQueueConfig() queueConfig {
	return queueConfig{Workers: store.DefaultNumericWorkers, JobTimeout: store.DefaultJobTimeout,
		Heartbeat: store.DefaultHeartbeat, LeaseTimeout: store.DefaultLeaseTimeout}
}

func queueFlags(fs *flag.FlagSet, c *queueConfig) {
	fs.IntVar(&c.Workers, "workers", c.Workers, "numeric and choice submissions judged at once from the queue")
	fs.DurationVar(&c.JobTimeout, "job-timeout", c.JobTimeout, "longest one judging may take before it is cancelled and retried (code builds and runs take seconds)")
	fs.DurationVar(&c.Heartbeat, "heartbeat", c.Heartbeat, "how often a worker renews its lease on the jobs it runs and looks for jobs of workers whose lease lapsed")
	fs.DurationVar(&c.LeaseTimeout, "lease-timeout", c.LeaseTimeout, "how long a worker that stopped renewing its lease (killed, frozen, cut off) keeps its jobs before a live worker takes them back; at least 3 heartbeats")
}

// check refuses queue settings that cannot work.
func (c queueConfig) check() error {
	switch {
	case c.Workers < 1:
		return fmt.Errorf("--workers must be at least 1; got %d", c.Workers)
	case c.JobTimeout <= 0 || c.Heartbeat <= 0:
		return fmt.Errorf("--job-timeout and --heartbeat must be positive; got %v and %v", c.JobTimeout, c.Heartbeat)
	case c.LeaseTimeout < 3*c.Heartbeat:
		return fmt.Errorf("--lease-timeout must be at least 3 heartbeats (%v); got %v", 3*c.Heartbeat, c.LeaseTimeout)
	}
	return nil
}

// workerConfig is the store's worker configuration of c; the caller adds the rest.
func (c queueConfig) workerConfig(j gradjudge.Judge) store.WorkerConfig {
	return store.WorkerConfig{Judge: j, NumericWorkers: c.Workers, JobTimeout: c.JobTimeout,
		Heartbeat: c.Heartbeat, LeaseTimeout: c.LeaseTimeout}
}
