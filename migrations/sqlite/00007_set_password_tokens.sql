-- One-time set-password links, for students enrolled by an instructor before they have a
-- password. Only the SHA-256 of a token is kept; a token is spent (used_at) by its first use and
-- refused from expires_at on.

-- +goose Up
CREATE TABLE set_password_tokens (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	created_at DATETIME NOT NULL,
	expires_at DATETIME NOT NULL,
	used_at    DATETIME
);
CREATE INDEX set_password_tokens_user_id ON set_password_tokens (user_id);

-- +goose Down
DROP TABLE set_password_tokens;
