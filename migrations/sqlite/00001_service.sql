-- The service's tables: accounts, courses, submissions and what judging them records.
-- Times are UTC; the submission payload (user, course, exercise, seed, answer, content hash) is
-- immutable once stored.

-- +goose Up
CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'instructor', 'student')),
	password_hash TEXT NOT NULL,
	created_at    DATETIME NOT NULL
);

CREATE TABLE api_keys (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	prefix      TEXT NOT NULL,
	secret_hash TEXT NOT NULL UNIQUE,
	created_at  DATETIME NOT NULL,
	revoked_at  DATETIME
);
CREATE INDEX api_keys_user_id ON api_keys (user_id);

CREATE TABLE courses (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	title      TEXT NOT NULL,
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at DATETIME NOT NULL
);

CREATE TABLE course_exercises (
	course_id   INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	exercise_id TEXT NOT NULL,
	position    INTEGER NOT NULL,
	PRIMARY KEY (course_id, exercise_id)
);

CREATE TABLE enrollments (
	course_id  INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role       TEXT NOT NULL CHECK (role IN ('student', 'ta', 'instructor')),
	created_at DATETIME NOT NULL,
	PRIMARY KEY (course_id, user_id)
);
CREATE INDEX enrollments_user_id ON enrollments (user_id);

CREATE TABLE submissions (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id         INTEGER NOT NULL REFERENCES users (id),
	course_id       INTEGER NOT NULL REFERENCES courses (id),
	exercise_id     TEXT NOT NULL,
	seed            INTEGER NOT NULL, -- the uint64 seed's bits
	answer          TEXT NOT NULL,    -- the Answer as JSON, byte for byte as stored
	content_hash    TEXT NOT NULL,
	idempotency_key TEXT,             -- NULL when the client sent none
	status          TEXT NOT NULL CHECK (status IN ('queued', 'judging', 'done')),
	created_at      DATETIME NOT NULL,
	judged_at       DATETIME,
	UNIQUE (user_id, idempotency_key)
);
CREATE INDEX submissions_course_id ON submissions (course_id, id);
CREATE INDEX submissions_user_id ON submissions (user_id, id);
CREATE INDEX submissions_pending ON submissions (status) WHERE status <> 'done';

-- +goose StatementBegin
CREATE TRIGGER submissions_payload_immutable
BEFORE UPDATE OF user_id, course_id, exercise_id, seed, answer, content_hash, idempotency_key, created_at ON submissions
BEGIN
	SELECT RAISE(ABORT, 'submission payload is immutable');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER submissions_status_forward
BEFORE UPDATE OF status ON submissions
WHEN OLD.status = 'done' OR (OLD.status = 'judging' AND NEW.status = 'queued')
BEGIN
	SELECT RAISE(ABORT, 'submission status only moves forward');
END;
-- +goose StatementEnd

-- One verdict per submission: the primary key is what makes judging exactly-once.
CREATE TABLE verdicts (
	submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
	status        TEXT NOT NULL,
	score         REAL NOT NULL CHECK (score >= 0 AND score <= 1),
	body          TEXT NOT NULL, -- the Verdict as JSON
	created_at    DATETIME NOT NULL
);

CREATE TABLE misconception_events (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	course_id     INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	exercise_id   TEXT NOT NULL,
	tag           TEXT NOT NULL,
	submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
	at            DATETIME NOT NULL,
	UNIQUE (submission_id, tag)
);
CREATE INDEX misconception_events_course_user ON misconception_events (course_id, user_id);

CREATE TABLE progress (
	course_id         INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	exercise_id       TEXT NOT NULL,
	attempts          INTEGER NOT NULL DEFAULT 0,
	best_score        REAL NOT NULL DEFAULT 0,
	attempts_to_solve INTEGER, -- attempts used up to and including the first accepted one
	solved_at         DATETIME,
	last_attempt_at   DATETIME,
	PRIMARY KEY (course_id, user_id, exercise_id)
);

-- +goose Down
DROP TABLE progress;
DROP TABLE misconception_events;
DROP TABLE verdicts;
DROP TRIGGER submissions_status_forward;
DROP TRIGGER submissions_payload_immutable;
DROP TABLE submissions;
DROP TABLE enrollments;
DROP TABLE course_exercises;
DROP TABLE courses;
DROP TABLE api_keys;
DROP TABLE users;
