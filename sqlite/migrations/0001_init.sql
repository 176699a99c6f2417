-- Documents, versions, recipients, copies and rendered copy files.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    title       TEXT    NOT NULL DEFAULT '',
    owner       TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL -- Unix nanoseconds, UTC
);

CREATE TABLE versions (
    id               INTEGER PRIMARY KEY,
    document_id      INTEGER NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    number           INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    created_by       TEXT    NOT NULL DEFAULT '',
    source_hash      BLOB    NOT NULL CHECK (length(source_hash) = 32),
    nonce            BLOB    NOT NULL CHECK (length(nonce) >= 16),
    coalition        INTEGER NOT NULL,
    sealed_source    BLOB    NOT NULL,
    sealed_template  BLOB    NOT NULL,
    title            TEXT    NOT NULL DEFAULT '',
    classification   TEXT    NOT NULL DEFAULT '',
    words            INTEGER NOT NULL DEFAULT 0,
    slots            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, number)
);

-- A version is immutable: its text, keys and design never change.
CREATE TRIGGER versions_immutable BEFORE UPDATE ON versions
BEGIN
    SELECT RAISE(ABORT, 'versions are immutable');
END;

CREATE TRIGGER versions_keep BEFORE DELETE ON versions
BEGIN
    SELECT RAISE(ABORT, 'versions cannot be deleted');
END;

CREATE TABLE recipients (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL UNIQUE,
    unit        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

CREATE TABLE copies (
    id            INTEGER PRIMARY KEY,
    version_id    INTEGER NOT NULL REFERENCES versions (id) ON DELETE RESTRICT,
    recipient_id  INTEGER NOT NULL REFERENCES recipients (id) ON DELETE RESTRICT,
    number        INTEGER NOT NULL,
    of_total      INTEGER NOT NULL,
    nonce         BLOB    NOT NULL CHECK (length(nonce) >= 16),
    commitment    BLOB    NOT NULL CHECK (length(commitment) = 32),
    formats       TEXT    NOT NULL,
    issued_at     INTEGER NOT NULL,
    issued_by     TEXT    NOT NULL DEFAULT '',
    expires_at    INTEGER NOT NULL DEFAULT 0,
    revoked_at    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (version_id, number),
    UNIQUE (version_id, recipient_id)
);

CREATE INDEX copies_recipient ON copies (recipient_id);

-- A copy's identity and codeword never change; only revocation may be set.
CREATE TRIGGER copies_immutable BEFORE UPDATE OF id, version_id, recipient_id, number, of_total, nonce, commitment, issued_at, issued_by ON copies
BEGIN
    SELECT RAISE(ABORT, 'copies are immutable');
END;

CREATE TABLE copy_files (
    copy_id  INTEGER NOT NULL REFERENCES copies (id) ON DELETE RESTRICT,
    format   TEXT    NOT NULL,
    sealed   BLOB    NOT NULL,
    hash     BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (copy_id, format)
);
