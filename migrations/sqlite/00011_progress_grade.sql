-- A student's course grade on an exercise under its assessment policy (policy.GradeOf over their
-- attempts, with their extension), kept on their progress row so that course pages read grades,
-- never the attempts. It is recomputed in the transaction of every change to its inputs: a
-- verdict, a regrade, the exercise's policy, the student's extension. NULL: the policy grades by
-- the best score (best_score is the grade). Rows written before this migration are NULL; the
-- store fills those under other policies once, in Go, after migrating (store.DB.Migrate).

-- +goose Up
ALTER TABLE progress ADD COLUMN grade REAL; -- in [0, 1]

-- +goose Down
ALTER TABLE progress DROP COLUMN grade;
