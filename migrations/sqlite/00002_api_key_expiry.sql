-- API keys may expire: from expires_at on a key is refused as if revoked. NULL: it never expires.
-- Keys made before this migration never expire.

-- +goose Up
ALTER TABLE api_keys ADD COLUMN expires_at DATETIME;

-- +goose Down
ALTER TABLE api_keys DROP COLUMN expires_at;
