-- The stored queues (habeas.Queue.Stored): one row per detention and queue
-- it belongs to, kept in the same transaction as every write that can
-- change membership (the detention, its person, its assignments). Each row
-- carries the list's filter columns, and each index leads with the queue,
-- then one filter, and carries the others, as detention_index does: a queue
-- with any combination of filters, and its count, is read from one index
-- of this table, whose size is the queue's, not the register's.
-- The Go step of this migration (sqlstore) fills it in for detentions
-- stored before it.
CREATE TABLE detention_queues (
	queue       TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	person_id   TEXT    NOT NULL,
	city        TEXT    NOT NULL,
	procedure   TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	arrested_us INTEGER NOT NULL,
	PRIMARY KEY (queue, id)
);
CREATE INDEX detention_queues_arrested ON detention_queues (queue, arrested_us DESC, id, city, procedure, status);
CREATE INDEX detention_queues_city ON detention_queues (queue, city, arrested_us DESC, id, procedure, status);
CREATE INDEX detention_queues_status ON detention_queues (queue, status, arrested_us DESC, id, city, procedure);
CREATE INDEX detention_queues_procedure ON detention_queues (queue, procedure, arrested_us DESC, id, city, status);
