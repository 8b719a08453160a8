-- The stored queues (habeas.Queue): each detention's membership, kept on
-- its index row and recomputed in the same transaction whenever the
-- detention, its person or an assignment to it changes. Each is 1 for a
-- member and 0 otherwise; juvenile is 1 for under 18 at the arrest, for
-- sure or possibly.
-- The Go step of this migration (sqlstore) fills them in for existing rows.
ALTER TABLE detention_index ADD COLUMN no_lawyer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE detention_index ADD COLUMN incommunicado INTEGER NOT NULL DEFAULT 0;
ALTER TABLE detention_index ADD COLUMN foreign_national INTEGER NOT NULL DEFAULT 0;
ALTER TABLE detention_index ADD COLUMN juvenile INTEGER NOT NULL DEFAULT 0;

-- One partial index per queue holds only its members, in list order, and
-- carries the other filters, so that a queue with any combination of
-- filters, and its count, is answered from that index alone. Queries name
-- the queue's condition literally, as the index does, so the planner can
-- use it.
CREATE INDEX detention_queue_no_lawyer ON detention_index (arrested_us DESC, id, city, procedure, status) WHERE no_lawyer = 1;
CREATE INDEX detention_queue_incommunicado ON detention_index (arrested_us DESC, id, city, procedure, status) WHERE incommunicado = 1;
CREATE INDEX detention_queue_foreign ON detention_index (arrested_us DESC, id, city, procedure, status) WHERE foreign_national = 1;
CREATE INDEX detention_queue_juvenile ON detention_index (arrested_us DESC, id, city, procedure, status) WHERE juvenile = 1;
