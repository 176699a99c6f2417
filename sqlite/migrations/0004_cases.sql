-- Investigations: cases, their evidence (stored encrypted, with its hash)
-- and their history.
CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('intake', 'triage', 'attribution', 'referred', 'closed')),
    outcome       TEXT    NOT NULL DEFAULT '',
    version_id    INTEGER NOT NULL DEFAULT 0,
    published_at  INTEGER NOT NULL DEFAULT 0,
    assignee_id   INTEGER NOT NULL DEFAULT 0,
    office        TEXT    NOT NULL DEFAULT '',
    nonce         BLOB    NOT NULL,
    created_by    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE case_evidence (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    kind      TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    url       TEXT    NOT NULL DEFAULT '',
    sha256    BLOB    NOT NULL CHECK (length(sha256) = 32),
    size      INTEGER NOT NULL,
    sealed    BLOB    NOT NULL,
    verdict   BLOB,
    added_by  TEXT    NOT NULL,
    added_at  INTEGER NOT NULL
);
CREATE INDEX case_evidence_case ON case_evidence (case_id);

-- Evidence is stored unchanged: no updates, no deletions.
CREATE TRIGGER case_evidence_immutable BEFORE UPDATE ON case_evidence
BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END;
CREATE TRIGGER case_evidence_keep BEFORE DELETE ON case_evidence
BEGIN SELECT RAISE(ABORT, 'evidence cannot be deleted'); END;

CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    kind     TEXT    NOT NULL,
    sealed   BLOB    NOT NULL,
    actor    TEXT    NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id);
