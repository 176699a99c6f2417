-- The ledger: an append-only Merkle log (RFC 6962) of every change.
-- Entries carry their canonical encoding (body) plus columns for queries;
-- only the body is hashed. Stored hashes follow golang.org/x/mod/sumdb/tlog.
CREATE TABLE ledger_entries (
    idx      BIGINT  PRIMARY KEY,
    body     BYTEA   NOT NULL,
    time     BIGINT  NOT NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL
);
CREATE INDEX ledger_entries_subject ON ledger_entries (subject, idx);
CREATE INDEX ledger_entries_time ON ledger_entries (time);

CREATE TABLE ledger_hashes (
    idx   BIGINT  PRIMARY KEY,
    hash  BYTEA   NOT NULL CHECK (octet_length(hash) = 32)
);

-- The current tree, advanced by compare-and-swap.
CREATE TABLE ledger_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    size  BIGINT  NOT NULL,
    hash  BYTEA   NOT NULL CHECK (octet_length(hash) = 32),
    note  BYTEA   NOT NULL
);

-- Published checkpoints, kept so that verify can check each one.
CREATE TABLE ledger_checkpoints (
    size        BIGINT  PRIMARY KEY,
    hash        BYTEA   NOT NULL CHECK (octet_length(hash) = 32),
    note        BYTEA   NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- The log is append-only: the application never changes or removes a row.
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION telltale_refuse('ledger entries are append-only');
CREATE TRIGGER ledger_entries_keep_all BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION telltale_refuse('ledger entries are append-only');
CREATE TRIGGER ledger_hashes_append_only BEFORE UPDATE OR DELETE ON ledger_hashes
    FOR EACH ROW EXECUTE FUNCTION telltale_refuse('ledger hashes are append-only');
CREATE TRIGGER ledger_hashes_keep_all BEFORE TRUNCATE ON ledger_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION telltale_refuse('ledger hashes are append-only');
