-- The checkpoint the last verification found the log consistent up to,
-- signed with the ledger key as a "verified" note (not a checkpoint, so a
-- head cannot be passed off as verified): `telltale ledger verify` starts
-- from it and checks only what was appended since. One row, replaced as
-- verifications advance; deleting it only makes the next verification
-- read everything.
CREATE TABLE ledger_verified (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    size         INTEGER NOT NULL,
    hash         BLOB    NOT NULL CHECK (length(hash) = 32),
    note         BLOB    NOT NULL,
    verified_at  INTEGER NOT NULL
);
