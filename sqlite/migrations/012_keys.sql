-- Encryption at rest (issue 13): the data keys, each wrapped under the
-- master key (which is never stored here) and bound to its owner, and
-- what tells whether a master key is the register's (its check, and for
-- a passphrase, the salt and costs of argon2id).
CREATE TABLE data_keys (
	owner      TEXT    PRIMARY KEY,
	wrapped    BLOB    NOT NULL,
	created_us INTEGER NOT NULL
);
CREATE TABLE keyring (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
