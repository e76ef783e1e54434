-- Assessment policy and regrading (issue 12). Every verdict records the version of the exercise
-- it was judged against (the file's content hash and the judge's version); a regrade replaces a
-- submission's verdict and keeps the replaced one in verdict_history. Each exercise of a course
-- may have a policy (no row: the defaults, which are unlimited attempts and no dates), and a
-- student an extension of its due date. A regrade run lists its submissions in regrade_items
-- before judging any, so that a run stopped halfway resumes where it stopped and judges each
-- submission once.

-- +goose Up
ALTER TABLE verdicts ADD COLUMN exercise_version TEXT NOT NULL DEFAULT ''; -- '': judged before versions were recorded

CREATE TABLE exercise_policies (
	course_id            INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	exercise_id          TEXT NOT NULL,
	opens_at             DATETIME,          -- NULL: open from the start
	due_at               DATETIME,          -- NULL: no due date
	late_rule            TEXT NOT NULL DEFAULT 'no_credit' CHECK (late_rule IN ('no_credit', 'penalty')),
	late_penalty_per_day REAL NOT NULL DEFAULT 0 CHECK (late_penalty_per_day >= 0 AND late_penalty_per_day <= 1),
	closes_at            DATETIME,          -- penalty: no credit from then on; NULL: until the penalty reaches 100%
	max_attempts         INTEGER NOT NULL DEFAULT 0 CHECK (max_attempts >= 0),               -- 0: unlimited
	penalty_per_wrong    REAL NOT NULL DEFAULT 0 CHECK (penalty_per_wrong >= 0 AND penalty_per_wrong <= 1),
	fresh_variant_after  INTEGER NOT NULL DEFAULT 0 CHECK (fresh_variant_after >= 0),        -- 0: never
	hints_after          INTEGER NOT NULL DEFAULT 0 CHECK (hints_after >= 0),                -- 0: no hints
	reveal_after_due     BOOLEAN NOT NULL DEFAULT FALSE,
	grade_rule           TEXT NOT NULL DEFAULT 'best' CHECK (grade_rule IN ('best', 'last', 'penalised_best')),
	updated_at           DATETIME NOT NULL,
	PRIMARY KEY (course_id, exercise_id)
);

CREATE TABLE extensions (
	course_id   INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	exercise_id TEXT NOT NULL,
	user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	due_at      DATETIME NOT NULL, -- the student's own due date
	granted_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at  DATETIME NOT NULL,
	PRIMARY KEY (course_id, exercise_id, user_id)
);

CREATE TABLE regrades (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	exercise_id      TEXT NOT NULL,
	course_id        INTEGER REFERENCES courses (id) ON DELETE CASCADE, -- NULL: every course
	exercise_version TEXT NOT NULL,    -- the version the submissions are judged against
	dry_run          BOOLEAN NOT NULL, -- judge and report, but keep the current verdicts
	requested_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at       DATETIME NOT NULL,
	finished_at      DATETIME          -- NULL: still running, or stopped and to be resumed
);

CREATE TABLE regrade_items (
	regrade_id    INTEGER NOT NULL REFERENCES regrades (id) ON DELETE CASCADE,
	submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
	old_status    TEXT NOT NULL,
	old_score     REAL NOT NULL,
	new_status    TEXT,     -- NULL until judged
	new_score     REAL,
	done_at       DATETIME, -- NULL: still to judge
	PRIMARY KEY (regrade_id, submission_id)
);
CREATE INDEX regrade_items_pending ON regrade_items (regrade_id, submission_id) WHERE done_at IS NULL;

-- The verdicts a regrade replaced, newest last; verdicts holds the current one.
CREATE TABLE verdict_history (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	submission_id    INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
	status           TEXT NOT NULL,
	score            REAL NOT NULL,
	body             TEXT NOT NULL,
	exercise_version TEXT NOT NULL,
	judged_at        DATETIME NOT NULL,
	replaced_at      DATETIME NOT NULL,
	regrade_id       INTEGER REFERENCES regrades (id) ON DELETE SET NULL, -- the regrade that replaced it
	UNIQUE (submission_id, regrade_id)
);

-- +goose Down
DROP TABLE verdict_history;
DROP TABLE regrade_items;
DROP TABLE regrades;
DROP TABLE extensions;
DROP TABLE exercise_policies;
ALTER TABLE verdicts DROP COLUMN exercise_version;
