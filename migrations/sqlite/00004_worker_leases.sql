-- Judging workers hold a lease on the jobs they run: each worker process registers here (its id is
-- the River client id that River writes into river_job.attempted_by) and renews heartbeat_at every
-- few seconds. A job running under a worker whose heartbeat is older than the lease is taken back
-- by any live worker, in seconds rather than at River's rescue timeout of minutes.
--
-- judge_failures lists the submissions the judge gave up on, each with a final internal_error
-- verdict: 'failed' (the judge returned an error on every attempt) or 'crashed' (the workers
-- judging it died on every attempt). A crashed answer is quarantined: nothing judges it again
-- on its own.

-- +goose Up
CREATE TABLE judge_workers (
	id           TEXT PRIMARY KEY,
	host         TEXT NOT NULL,
	started_at   DATETIME NOT NULL,
	heartbeat_at DATETIME NOT NULL
);

CREATE TABLE judge_failures (
	submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
	reason        TEXT NOT NULL CHECK (reason IN ('failed', 'crashed')),
	attempts      INTEGER NOT NULL,
	created_at    DATETIME NOT NULL
);

-- +goose Down
DROP TABLE judge_failures;
DROP TABLE judge_workers;
