-- Sessions are kept in the database (issue 12): every server sharing it
-- knows them, a restart signs no one out, and each account's sessions
-- can be listed and ended. The token is kept only as its SHA-256, so a
-- copy of the database does not let anyone take over a session.
CREATE TABLE sessions (
	token_hash TEXT    PRIMARY KEY,
	user_name  TEXT    NOT NULL DEFAULT '',
	data       BLOB    NOT NULL,
	created_us BIGINT  NOT NULL,
	expiry_us  BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);
CREATE INDEX sessions_expiry ON sessions (expiry_us);
