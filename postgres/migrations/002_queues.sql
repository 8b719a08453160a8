-- The stored queues (habeas.Queue.Stored): one row per detention and queue
-- it belongs to, kept in the same transaction as every write that can
-- change membership (the detention, its person, its assignments). Each row
-- carries the list's filter columns, and each index leads with the queue,
-- then one filter, and carries the others, as detention_index does: a queue
-- with any combination of filters, and its count, is read from one index
-- of this table, whose size is the queue's, not the register's.
-- The Go step of this migration (sqlstore) fills it in for detentions
-- stored before it.
--
-- Unlike SQLite, PostgreSQL keeps each queue in its own partition: a
-- queue's count without other filters then reads that partition, exactly
-- the queue, where the planner would otherwise scan the whole table rather
-- than an index that covers half of it. A queue added later lands in the
-- default partition until a migration gives it its own.
CREATE TABLE detention_queues (
	queue       TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	person_id   TEXT    NOT NULL,
	city        TEXT    NOT NULL,
	procedure   TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	arrested_us BIGINT  NOT NULL,
	PRIMARY KEY (queue, id)
) PARTITION BY LIST (queue);
CREATE TABLE detention_queues_no_lawyer PARTITION OF detention_queues FOR VALUES IN ('no_lawyer');
CREATE TABLE detention_queues_incommunicado PARTITION OF detention_queues FOR VALUES IN ('incommunicado');
CREATE TABLE detention_queues_foreign PARTITION OF detention_queues FOR VALUES IN ('foreign');
CREATE TABLE detention_queues_juvenile PARTITION OF detention_queues FOR VALUES IN ('juvenile');
CREATE TABLE detention_queues_other PARTITION OF detention_queues DEFAULT;
CREATE INDEX detention_queues_arrested ON detention_queues (queue, arrested_us DESC, id, city, procedure, status);
CREATE INDEX detention_queues_city ON detention_queues (queue, city, arrested_us DESC, id, procedure, status);
CREATE INDEX detention_queues_status ON detention_queues (queue, status, arrested_us DESC, id, city, procedure);
CREATE INDEX detention_queues_procedure ON detention_queues (queue, procedure, arrested_us DESC, id, city, status);
