-- The audit log of reads (habeas.Access, issue 12): who viewed, listed,
-- searched or exported what, when and from where. One row per access in
-- audit_log; the records each showed in audit_records, so that "who read
-- this person" and "how many records did this account read in the last
-- hour" are index lookups.
--
-- Append-only: the triggers below refuse UPDATE and DELETE on both tables,
-- whoever asks, so no route, batch or command of Habeas can change the
-- log. Whoever administers the database file can still drop the triggers
-- or the tables; the ledger (a later issue) will make that evident.
CREATE TABLE audit_log (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	at_us      INTEGER NOT NULL,
	actor      TEXT    NOT NULL,
	action     TEXT    NOT NULL,
	kind       TEXT    NOT NULL DEFAULT '',
	record_id  TEXT    NOT NULL DEFAULT '',
	query      TEXT    NOT NULL DEFAULT '',
	client     TEXT    NOT NULL DEFAULT '',
	item_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_log_actor ON audit_log (actor, at_us);
CREATE INDEX audit_log_at ON audit_log (at_us);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE TABLE audit_records (
	seq       INTEGER NOT NULL REFERENCES audit_log (seq),
	record_id TEXT    NOT NULL,
	PRIMARY KEY (seq, record_id)
) WITHOUT ROWID;
CREATE INDEX audit_records_record ON audit_records (record_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
