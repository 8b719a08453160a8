-- Saved views of the detention list (habeas.SavedView): a user's
-- preference, not case data, so they are kept here and not in the change
-- log. A deleted view keeps its row with who deleted it and when.
CREATE TABLE saved_views (
	id         TEXT    PRIMARY KEY,
	owner      TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	query      TEXT    NOT NULL,
	shared     INTEGER NOT NULL,
	created_us BIGINT  NOT NULL,
	deleted_us BIGINT  NOT NULL DEFAULT 0,
	deleted_by TEXT    NOT NULL DEFAULT ''
);
-- An owner's live views have distinct names; the index also finds them.
CREATE UNIQUE INDEX saved_views_owner ON saved_views (owner, name) WHERE deleted_us = 0;
CREATE INDEX saved_views_shared ON saved_views (name) WHERE shared = 1 AND deleted_us = 0;
