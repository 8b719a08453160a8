-- Erasure by crypto-shredding (issue 13): one row for each data key
-- destroyed (its owner: the person, or a record about them sealed under
-- a key of its own), with the person erased, the change that erased them,
-- when and by whom. Why is the reason of that change, sealed like the
-- audit log's texts.
CREATE TABLE erasures (
	owner     TEXT   PRIMARY KEY,
	person_id TEXT   NOT NULL,
	seq       BIGINT NOT NULL,
	at_us     BIGINT NOT NULL,
	actor     TEXT   NOT NULL
);
ALTER TABLE changes ADD COLUMN reason TEXT NOT NULL DEFAULT '';
