-- The learner model (issue 15): per student and course one row holding, as JSON, each concept's
-- probability of mastery (Bayesian Knowledge Tracing) and each misconception's status (active or
-- resolved); per course the fitted parameters, as JSON. One row per student keeps the update on
-- every verdict to one read and one write. Misconceptions shown before this migration start
-- active; `gradjudge mastery fit --course N` replays a course's verdicts to resolve them and
-- compute mastery.

-- +goose Up
CREATE TABLE learner_models (
	course_id  BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	model      TEXT NOT NULL, -- gradjudge.LearnerState as JSON
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (course_id, user_id)
);

CREATE TABLE mastery_params (
	course_id BIGINT PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
	params    TEXT NOT NULL, -- []gradjudge.MasteryParams as JSON
	fitted_at TIMESTAMPTZ NOT NULL
);

INSERT INTO learner_models (course_id, user_id, model, updated_at)
SELECT course_id, user_id,
	json_build_object('course_id', course_id, 'user_id', user_id, 'concepts', '[]'::json,
		'misconceptions', json_agg(status ORDER BY tag))::text,
	MAX(last_shown_at)
FROM (
	SELECT course_id, user_id, tag, MAX(at) AS last_shown_at,
		json_build_object('tag', tag, 'active', true, 'shown', COUNT(*), 'reopened', 0,
			'first_shown_at', MIN(at), 'last_shown_at', MAX(at),
			'shown_in', (SELECT e2.exercise_id FROM misconception_events e2
				WHERE e2.course_id = e.course_id AND e2.user_id = e.user_id AND e2.tag = e.tag
				ORDER BY e2.at DESC, e2.id DESC LIMIT 1)) AS status
	FROM misconception_events e
	GROUP BY course_id, user_id, tag
) t
GROUP BY course_id, user_id;

-- +goose Down
DROP TABLE mastery_params;
DROP TABLE learner_models;
