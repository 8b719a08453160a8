-- Accounts can be disabled, and every change to an account's role,
-- password or disabled flag is dated, so that sessions signed in before
-- it end (issue 12).
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN changed_us BIGINT NOT NULL DEFAULT 0;
