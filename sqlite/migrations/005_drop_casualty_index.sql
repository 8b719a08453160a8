-- casualty_index served habeas.CasualtyService, which nothing called: the
-- casualty register filters by what the investigations say, so it reads
-- every casualty from the safeguard watcher instead. The store no longer
-- writes the table; dropping it drops its index, casualty_index_at.
DROP TABLE casualty_index;
