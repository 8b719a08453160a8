-- Imports keep their provenance (issue 14): an imported change is
-- recorded as made by the importing account, when it imported it; what
-- the file claimed (its actor and time) and the file's SHA-256 are kept
-- beside, and the ledger's leaf commits to them.
ALTER TABLE changes ADD COLUMN claimed_actor TEXT;
ALTER TABLE changes ADD COLUMN claimed_at_us INTEGER;
ALTER TABLE changes ADD COLUMN import_file TEXT;
