-- The ledger: an append-only Merkle log (RFC 6962) of every change.
-- Entries carry their canonical encoding (body) plus columns for queries;
-- only the body is hashed. Stored hashes follow golang.org/x/mod/sumdb/tlog.
CREATE TABLE ledger_entries (
    idx      INTEGER PRIMARY KEY,
    body     BLOB    NOT NULL,
    time     INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL
);
CREATE INDEX ledger_entries_subject ON ledger_entries (subject, idx);
CREATE INDEX ledger_entries_time ON ledger_entries (time);

CREATE TABLE ledger_hashes (
    idx   INTEGER PRIMARY KEY,
    hash  BLOB NOT NULL CHECK (length(hash) = 32)
);

-- The current tree, advanced by compare-and-swap.
CREATE TABLE ledger_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    size  INTEGER NOT NULL,
    hash  BLOB    NOT NULL CHECK (length(hash) = 32),
    note  BLOB    NOT NULL
);

-- Published checkpoints, kept so that verify can check each one.
CREATE TABLE ledger_checkpoints (
    size        INTEGER PRIMARY KEY,
    hash        BLOB    NOT NULL CHECK (length(hash) = 32),
    note        BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- The log is append-only: the application never changes or removes a row.
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
CREATE TRIGGER ledger_entries_keep BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
CREATE TRIGGER ledger_hashes_append_only BEFORE UPDATE ON ledger_hashes
BEGIN
    SELECT RAISE(ABORT, 'ledger hashes are append-only');
END;
CREATE TRIGGER ledger_hashes_keep BEFORE DELETE ON ledger_hashes
BEGIN
    SELECT RAISE(ABORT, 'ledger hashes are append-only');
END;
