-- A course's dashboard summarizes its class's mastery from every student's learner model, but
-- needs only each concept's probability and observations and each misconception's tag and
-- whether it is active: decoding 500 whole models from JSON was a quarter of the page's time.
-- Every write of a model now also writes that summary, packed (store/learner_mastery.go). Rows
-- written before keep NULL, and are read from their model.

-- +goose Up
ALTER TABLE learner_models ADD COLUMN summary TEXT;

-- +goose Down
ALTER TABLE learner_models DROP COLUMN summary;
