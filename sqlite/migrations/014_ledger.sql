-- The ledger (issue 14): the hash of each change's stored state (kept when
-- an erasure blanks the state), the Merkle tree's stored hashes
-- (golang.org/x/mod/sumdb/tlog, by tlog.StoredHashIndex), and the signed
-- checkpoints of the tree.
ALTER TABLE changes ADD COLUMN data_hash BLOB;
CREATE TABLE ledger_hashes (
	idx  INTEGER PRIMARY KEY,
	hash BLOB    NOT NULL
);
CREATE TABLE ledger_checkpoints (
	size   INTEGER PRIMARY KEY,
	root   BLOB    NOT NULL,
	signed TEXT    NOT NULL,
	at_us  INTEGER NOT NULL
);
