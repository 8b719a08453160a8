-- The ledger (issue 14): the hash of each change's stored state (kept when
-- an erasure blanks the state), the Merkle tree's stored hashes
-- (golang.org/x/mod/sumdb/tlog, by tlog.StoredHashIndex), and the signed
-- checkpoints of the tree.
ALTER TABLE changes ADD COLUMN data_hash BYTEA;
CREATE TABLE ledger_hashes (
	idx  BIGINT PRIMARY KEY,
	hash BYTEA  NOT NULL
);
CREATE TABLE ledger_checkpoints (
	size   BIGINT PRIMARY KEY,
	root   BYTEA  NOT NULL,
	signed TEXT   NOT NULL,
	at_us  BIGINT NOT NULL
);
