-- Per-case access (issue 12): the lawyer record a lawyer's account acts
-- as ('' for none), and the grant to read restricted sources.
ALTER TABLE users ADD COLUMN lawyer_id TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
