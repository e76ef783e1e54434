-- Hints used are evidence for the learner model (issue 15). hint_uses keeps, per student and
-- exercise of a course, each hint step the core revealed (1 the misconception's explanation, 2 the
-- first wrong answer, 3 the chain rule worked out at it) with when it was first revealed: an answer
-- made after it counts for less. learner_models gains a version, so that a verdict can read the
-- student's model before its transaction and write it inside only if nobody changed it meanwhile.
-- submissions_variant finds a student's earlier answers to the same variant (a right one makes
-- another right answer no new evidence).

-- +goose Up
CREATE TABLE hint_uses (
	course_id   BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	exercise_id TEXT NOT NULL,
	step        INTEGER NOT NULL CHECK (step BETWEEN 1 AND 3),
	revealed_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (course_id, user_id, exercise_id, step)
);

ALTER TABLE learner_models ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE INDEX submissions_variant ON submissions (user_id, course_id, exercise_id, seed);

-- +goose Down
DROP INDEX submissions_variant;
ALTER TABLE learner_models DROP COLUMN version;
DROP TABLE hint_uses;
