-- The evidence vault (issue 14; internal/sqlstore/files.go): each file
-- once, under a blind index of its SHA-256 (NULL while it is uploaded),
-- its encrypted content in chunks, and its key sealed under the data key
-- of each owner whose records hold it.
CREATE TABLE vault_files (
	id         INTEGER PRIMARY KEY,
	address    TEXT UNIQUE,
	size       BIGINT NOT NULL,
	staged_key BLOB,
	at_us      BIGINT NOT NULL
);
CREATE TABLE vault_chunks (
	file_id BIGINT NOT NULL,
	n       BIGINT NOT NULL,
	data    BLOB   NOT NULL,
	PRIMARY KEY (file_id, n)
);
CREATE TABLE vault_keys (
	file_id BIGINT NOT NULL,
	owner   TEXT   NOT NULL,
	sealed  BLOB   NOT NULL,
	PRIMARY KEY (file_id, owner)
);
CREATE INDEX vault_keys_owner ON vault_keys (owner);
