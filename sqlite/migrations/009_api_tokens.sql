-- Personal API tokens for scripts (issue 12): a token acts for its owner
-- with a role no higher than the owner's, until it expires or is revoked.
-- Only the SHA-256 of a token is kept: a copy of the database holds no
-- usable token.
CREATE TABLE api_tokens (
	id         TEXT    PRIMARY KEY,
	token_hash TEXT    NOT NULL UNIQUE,
	owner      TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	label      TEXT    NOT NULL DEFAULT '',
	created_us BIGINT  NOT NULL,
	expires_us BIGINT  NOT NULL,
	revoked_us BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_owner ON api_tokens (owner);
