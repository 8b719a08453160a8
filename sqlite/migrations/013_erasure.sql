-- Erasure by crypto-shredding (issue 13): one row for each record erased,
-- with the owner of the data key destroyed for it (the person's, or the
-- record's own), the person erased, the change that erased them, when
-- and by whom. Why is the reason of that change, sealed like the audit
-- log's texts.
CREATE TABLE erasures (
	id        TEXT   PRIMARY KEY,
	owner     TEXT   NOT NULL,
	person_id TEXT   NOT NULL,
	seq       BIGINT NOT NULL,
	at_us     BIGINT NOT NULL,
	actor     TEXT   NOT NULL
);
CREATE INDEX erasures_owner ON erasures (owner);
CREATE INDEX erasures_seq ON erasures (seq);
ALTER TABLE changes ADD COLUMN reason TEXT NOT NULL DEFAULT '';
