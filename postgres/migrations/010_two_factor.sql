-- Two-factor sign-in (issue 12): an account's TOTP secret ('' while it
-- has none), the last time step a code was accepted for (a code is
-- accepted once), and its recovery codes, kept as SHA-256 hashes, each
-- usable once.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_step BIGINT NOT NULL DEFAULT 0;
CREATE TABLE recovery_codes (
	user_name TEXT   NOT NULL,
	code_hash TEXT   NOT NULL,
	used_us   BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (user_name, code_hash)
);
