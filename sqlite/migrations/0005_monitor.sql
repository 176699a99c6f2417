-- The leak monitor: watched sources (with a lease so that one instance
-- polls a source at a time), articles read, and flagged articles.
CREATE TABLE monitor_sources (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('feed', 'page')),
    url           TEXT    NOT NULL UNIQUE,
    state         BLOB    NOT NULL,
    next_attempt  INTEGER NOT NULL DEFAULT 0,
    lease_owner   TEXT    NOT NULL DEFAULT '',
    lease_until   INTEGER NOT NULL DEFAULT 0,
    created_by    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE monitor_seen (
    url      TEXT    PRIMARY KEY,
    seen_at  INTEGER NOT NULL
);

CREATE TABLE flagged_articles (
    id               INTEGER PRIMARY KEY,
    source_id        INTEGER NOT NULL DEFAULT 0,
    url              TEXT    NOT NULL,
    title            TEXT    NOT NULL DEFAULT '',
    outlet           TEXT    NOT NULL DEFAULT '',
    published_at     INTEGER NOT NULL DEFAULT 0,
    found_at         INTEGER NOT NULL,
    story            TEXT    NOT NULL DEFAULT '',
    duplicate        INTEGER NOT NULL DEFAULT 0,
    version_id       INTEGER NOT NULL DEFAULT 0,
    score            REAL    NOT NULL DEFAULT 0,
    hit              INTEGER NOT NULL DEFAULT 0,
    level            TEXT    NOT NULL DEFAULT '',
    snapshot_sha256  BLOB    NOT NULL CHECK (length(snapshot_sha256) = 32),
    sealed           BLOB    NOT NULL,
    report           BLOB    NOT NULL,
    nonce            BLOB    NOT NULL,
    case_id          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX flagged_articles_found ON flagged_articles (found_at);
