-- The learner model (issue 15): per student and concept a probability of mastery (Bayesian
-- Knowledge Tracing), per student and misconception whether it is active or resolved, and a
-- course's fitted parameters. Misconceptions shown before this migration start active; the
-- `mastery fit` command replays a course's verdicts to resolve them and compute mastery.

-- +goose Up
CREATE TABLE concept_mastery (
	course_id    INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	concept      TEXT NOT NULL,
	p            REAL NOT NULL,
	observations INTEGER NOT NULL DEFAULT 0,
	streak       INTEGER NOT NULL DEFAULT 0,
	last_right   BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at   DATETIME NOT NULL,
	PRIMARY KEY (course_id, user_id, concept)
);

CREATE TABLE misconception_status (
	course_id              INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	user_id                INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	tag                    TEXT NOT NULL,
	active                 BOOLEAN NOT NULL,
	shown                  INTEGER NOT NULL,
	reopened               INTEGER NOT NULL DEFAULT 0,
	first_shown_at         DATETIME NOT NULL,
	last_shown_at          DATETIME NOT NULL,
	shown_in               TEXT NOT NULL,
	resolved_at            DATETIME,
	resolved_by            TEXT NOT NULL DEFAULT '',
	resolved_by_submission INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (course_id, user_id, tag)
);

CREATE TABLE mastery_params (
	course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	concept   TEXT NOT NULL,
	prior     REAL NOT NULL CHECK (prior BETWEEN 0 AND 1),
	learn     REAL NOT NULL CHECK (learn BETWEEN 0 AND 1),
	guess     REAL NOT NULL CHECK (guess BETWEEN 0 AND 0.5),
	slip      REAL NOT NULL CHECK (slip BETWEEN 0 AND 0.5),
	fitted_at DATETIME NOT NULL,
	PRIMARY KEY (course_id, concept)
);

INSERT INTO misconception_status (course_id, user_id, tag, active, shown, first_shown_at, last_shown_at, shown_in)
SELECT course_id, user_id, tag, TRUE, COUNT(*), MIN(at), MAX(at),
	(SELECT e2.exercise_id FROM misconception_events e2
	 WHERE e2.course_id = e.course_id AND e2.user_id = e.user_id AND e2.tag = e.tag
	 ORDER BY e2.at DESC, e2.id DESC LIMIT 1)
FROM misconception_events e
GROUP BY course_id, user_id, tag;

-- +goose Down
DROP TABLE mastery_params;
DROP TABLE misconception_status;
DROP TABLE concept_mastery;
