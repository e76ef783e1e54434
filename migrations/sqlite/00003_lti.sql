-- LTI 1.3: registered platforms and their deployments, the tool's own signing keys, LMS users,
-- contexts and resource links mapped to ours, the score passback outbox, and values used once
-- (OIDC states, session hand-over tickets). A user is (issuer, sub) on the platform: the mapping
-- to our users lives here, the users table is unchanged.

-- +goose Up
CREATE TABLE lti_platforms (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	issuer         TEXT NOT NULL,
	client_id      TEXT NOT NULL,
	auth_login_url TEXT NOT NULL,
	token_url      TEXT NOT NULL,
	jwks_url       TEXT NOT NULL,
	token_audience TEXT NOT NULL DEFAULT '', -- empty: token_url
	created_at     DATETIME NOT NULL,
	UNIQUE (issuer, client_id)
);

CREATE TABLE lti_deployments (
	platform_id   INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
	deployment_id TEXT NOT NULL,
	PRIMARY KEY (platform_id, deployment_id)
);

-- active is 1 for the one key that signs and NULL for retired keys: the unique constraint keeps
-- two processes starting at once from both making an active key.
CREATE TABLE lti_keys (
	kid         TEXT PRIMARY KEY,
	private_pem TEXT NOT NULL,
	active      INTEGER UNIQUE CHECK (active = 1),
	created_at  DATETIME NOT NULL,
	retired_at  DATETIME
);

CREATE TABLE lti_identities (
	issuer  TEXT NOT NULL,
	subject TEXT NOT NULL,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (issuer, subject)
);
CREATE INDEX lti_identities_user_id ON lti_identities (user_id);

CREATE TABLE lti_contexts (
	platform_id     INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
	context_id      TEXT NOT NULL,
	course_id       INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	memberships_url TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (platform_id, context_id)
);
CREATE INDEX lti_contexts_course_id ON lti_contexts (course_id);

CREATE TABLE lti_resource_links (
	platform_id      INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
	resource_link_id TEXT NOT NULL,
	course_id        INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	exercise_id      TEXT NOT NULL,
	lineitem_url     TEXT NOT NULL DEFAULT '', -- empty: no scores for this link
	PRIMARY KEY (platform_id, resource_link_id)
);
CREATE INDEX lti_resource_links_exercise ON lti_resource_links (course_id, exercise_id);

CREATE TABLE lti_scores (
	id                INTEGER PRIMARY KEY AUTOINCREMENT,
	platform_id       INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
	course_id         INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	exercise_id       TEXT NOT NULL,
	submission_id     INTEGER REFERENCES submissions (id) ON DELETE SET NULL,
	lineitem_url      TEXT NOT NULL,
	user_sub          TEXT NOT NULL,
	score_given       REAL NOT NULL,
	score_maximum     REAL NOT NULL,
	activity_progress TEXT NOT NULL,
	grading_progress  TEXT NOT NULL,
	comment           TEXT NOT NULL,
	misconception     TEXT NOT NULL DEFAULT '', -- the tag of the verdict's first misconception
	timestamp         DATETIME NOT NULL,
	state             TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'superseded', 'rejected', 'not_graded')),
	attempts          INTEGER NOT NULL DEFAULT 0,
	next_attempt_at   DATETIME NOT NULL,
	leased_until      DATETIME,
	last_error        TEXT NOT NULL DEFAULT '',
	sent_at           DATETIME,
	created_at        DATETIME NOT NULL
);
CREATE INDEX lti_scores_due ON lti_scores (next_attempt_at) WHERE state = 'pending';
CREATE INDEX lti_scores_line ON lti_scores (platform_id, lineitem_url, user_sub, timestamp);
CREATE INDEX lti_scores_course ON lti_scores (course_id, id);

-- Values that may be used once before they expire: OIDC login states (kind 'state') and the
-- tickets that hand a launch over to a new window (kind 'ticket').
CREATE TABLE lti_once (
	kind       TEXT NOT NULL,
	value      TEXT NOT NULL,
	payload    TEXT NOT NULL,
	expires_at DATETIME NOT NULL,
	PRIMARY KEY (kind, value)
);
CREATE INDEX lti_once_expires ON lti_once (expires_at);

-- +goose Down
DROP TABLE lti_once;
DROP TABLE lti_scores;
DROP TABLE lti_resource_links;
DROP TABLE lti_contexts;
DROP TABLE lti_identities;
DROP TABLE lti_keys;
DROP TABLE lti_deployments;
DROP TABLE lti_platforms;
