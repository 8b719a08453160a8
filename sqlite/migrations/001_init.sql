-- The change log: append-only; rows are never updated or deleted.
CREATE TABLE changes (
	seq       INTEGER PRIMARY KEY,
	at_us     INTEGER NOT NULL,
	actor     TEXT    NOT NULL,
	kind      TEXT    NOT NULL,
	entity_id TEXT    NOT NULL,
	op        TEXT    NOT NULL,
	data      BLOB,
	sources   TEXT    NOT NULL
);
CREATE INDEX changes_entity ON changes (entity_id, seq);

-- The projection: the current state of every live entity.
CREATE TABLE entities (
	id   TEXT    PRIMARY KEY,
	kind TEXT    NOT NULL,
	seq  INTEGER NOT NULL,
	doc  BLOB    NOT NULL
);
CREATE INDEX entities_kind ON entities (kind, id);

-- Every reference from one live entity to another.
CREATE TABLE refs (
	from_id   TEXT NOT NULL,
	to_id     TEXT NOT NULL,
	from_kind TEXT NOT NULL,
	PRIMARY KEY (from_id, to_id)
);
CREATE INDEX refs_to ON refs (to_id, from_kind, from_id);

CREATE TABLE detention_index (
	id          TEXT    PRIMARY KEY,
	person_id   TEXT    NOT NULL,
	city        TEXT    NOT NULL,
	procedure   TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	arrested_us INTEGER NOT NULL
);
-- Each index leads with one filter and carries the others, so that any
-- combination of filters is answered from one index without reading rows.
CREATE INDEX detention_index_arrested ON detention_index (arrested_us DESC, id, city, procedure, status);
CREATE INDEX detention_index_city ON detention_index (city, arrested_us DESC, id, procedure, status);
CREATE INDEX detention_index_status ON detention_index (status, arrested_us DESC, id, city, procedure);
CREATE INDEX detention_index_procedure ON detention_index (procedure, arrested_us DESC, id, city, status);
CREATE INDEX detention_index_person ON detention_index (person_id);

CREATE TABLE casualty_index (
	id    TEXT    PRIMARY KEY,
	kind  TEXT    NOT NULL,
	city  TEXT    NOT NULL,
	at_us INTEGER NOT NULL
);
CREATE INDEX casualty_index_at ON casualty_index (at_us DESC, id);

-- name_keys holds the matching key of every name token of every variant
-- (names.Keys), space-separated with a space at each end, so a search in any
-- script matches " key" prefixes.
CREATE TABLE person_index (
	id        TEXT PRIMARY KEY,
	name_fold TEXT NOT NULL,
	name_keys TEXT NOT NULL,
	iin       TEXT NOT NULL
);
CREATE INDEX person_index_name ON person_index (name_fold, id);
CREATE INDEX person_index_iin ON person_index (iin);

CREATE TABLE users (
	name          TEXT    PRIMARY KEY,
	role          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL,
	created_us    INTEGER NOT NULL
);
