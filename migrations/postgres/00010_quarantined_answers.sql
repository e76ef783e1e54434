-- An answer whose workers died on every attempt is quarantined (judge_failures' 'crashed'): this
-- table keeps its answer's hash, so that the same answer sent again (by anyone, for a code
-- answer; by the same student on the same variant, for a numeric or choice one) gets the final
-- internal_error verdict at once instead of going to the workers and crashing them again.
-- refused counts those refusals. A regrade that judges the answer after all lifts its quarantine.

-- +goose Up
CREATE TABLE quarantined_answers (
	answer_hash   TEXT PRIMARY KEY,
	exercise_id   TEXT NOT NULL,
	submission_id BIGINT NOT NULL REFERENCES submissions (id),
	refused       INTEGER NOT NULL DEFAULT 0,
	created_at    TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE quarantined_answers;
