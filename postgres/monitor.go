package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

const sourceColumns = `id, kind, url, state, next_attempt, lease_owner, lease_until, created_by, created_at`

func scanSource(row pgx.Row) (*telltale.MonitorSource, error) {
	var s telltale.MonitorSource
	var next, until, created int64
	if err := row.Scan(&s.ID, &s.Kind, &s.URL, &s.State, &next, &s.LeaseOwner, &until, &s.CreatedBy, &created); err != nil {
		return nil, err
	}
	s.NextAttempt, s.LeaseUntil, s.CreatedAt = column.FromNanos(next), column.FromNanos(until), column.FromNanos(created)
	return &s, nil
}

func (tx *Tx) CreateMonitorSource(s *telltale.MonitorSource) error {
	id, err := tx.insert("add source "+s.URL, `INSERT INTO monitor_sources (kind, url, state, next_attempt, lease_owner, lease_until, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, s.Kind, s.URL, s.State, column.Nanos(s.NextAttempt), s.LeaseOwner, column.Nanos(s.LeaseUntil), s.CreatedBy, column.Nanos(s.CreatedAt))
	if err != nil {
		return err
	}
	s.ID = id
	return nil
}

func (tx *Tx) MonitorSource(id int64) (*telltale.MonitorSource, error) {
	return one(tx, "read source", func() error { return column.NotFound("source", id) }, scanSource,
		`SELECT `+sourceColumns+` FROM monitor_sources WHERE id = $1`, id)
}

func (tx *Tx) MonitorSources() ([]*telltale.MonitorSource, error) {
	return list(tx, "list sources", scanSource, `SELECT `+sourceColumns+` FROM monitor_sources ORDER BY id`)
}

func (tx *Tx) UpdateMonitorSource(s *telltale.MonitorSource) error {
	tag, err := tx.exec("update source", `UPDATE monitor_sources SET state = $1, next_attempt = $2, lease_owner = '', lease_until = 0 WHERE id = $3`,
		s.State, column.Nanos(s.NextAttempt), s.ID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return column.NotFound("source", s.ID)
	}
	s.LeaseOwner, s.LeaseUntil = "", time.Time{}
	return nil
}

func (tx *Tx) DeleteMonitorSource(id int64) error {
	tag, err := tx.exec("remove source", `DELETE FROM monitor_sources WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return column.NotFound("source", id)
	}
	return nil
}

// ClaimMonitorSources leases due sources. Update runs one writer at a
// time across instances, so two instances never claim the same source.
func (tx *Tx) ClaimMonitorSources(owner string, now, until time.Time, limit int) ([]*telltale.MonitorSource, error) {
	return list(tx, "claim sources", scanSource, `WITH claimed AS (
			UPDATE monitor_sources SET lease_owner = $1, lease_until = $2
			WHERE id IN (SELECT id FROM monitor_sources
				WHERE next_attempt <= $3 AND (lease_owner = '' OR lease_owner = $1 OR lease_until <= $3)
				ORDER BY next_attempt, id LIMIT $4)
			RETURNING `+sourceColumns+`)
		SELECT `+sourceColumns+` FROM claimed ORDER BY next_attempt, id`, owner, column.Nanos(until), column.Nanos(now), limit)
}

func (tx *Tx) ArticleSeen(url string) (bool, error) {
	var seen bool
	if err := tx.queryRow(`SELECT EXISTS (SELECT 1 FROM monitor_seen WHERE url = $1)`, url).Scan(&seen); err != nil {
		return false, storeError("read seen articles", err)
	}
	return seen, nil
}

func (tx *Tx) MarkArticleSeen(url string, at time.Time) error {
	_, err := tx.exec("mark article seen", `INSERT INTO monitor_seen (url, seen_at) VALUES ($1, $2) ON CONFLICT (url) DO NOTHING`, url, column.Nanos(at))
	return err
}

const flagColumns = `id, source_id, url, title, outlet, published_at, found_at, story, duplicate, version_id, score, hit, level, snapshot_sha256, sealed, report, nonce, case_id`

func scanFlag(row pgx.Row) (*telltale.FlaggedArticle, error) {
	var f telltale.FlaggedArticle
	var published, found int64
	var sum []byte
	if err := row.Scan(&f.ID, &f.SourceID, &f.URL, &f.Title, &f.Outlet, &published, &found, &f.Story, &f.Duplicate, &f.VersionID, &f.Score, &f.Hit, &f.Level,
		&sum, &f.Sealed, &f.Report, &f.Nonce, &f.CaseID); err != nil {
		return nil, err
	}
	var err error
	if f.SnapshotSHA256, err = column.Hash32(sum); err != nil {
		return nil, err
	}
	f.PublishedAt, f.FoundAt = column.FromNanos(published), column.FromNanos(found)
	return &f, nil
}

func (tx *Tx) CreateFlaggedArticle(f *telltale.FlaggedArticle) error {
	id, err := tx.insert("flag article", `INSERT INTO flagged_articles (source_id, url, title, outlet, published_at, found_at, story, duplicate, version_id, score, hit, level, snapshot_sha256, sealed, report, nonce, case_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
		f.SourceID, f.URL, f.Title, f.Outlet, column.Nanos(f.PublishedAt), column.Nanos(f.FoundAt), f.Story, f.Duplicate, f.VersionID, f.Score, f.Hit, f.Level,
		f.SnapshotSHA256[:], f.Sealed, f.Report, f.Nonce, f.CaseID)
	if err != nil {
		return err
	}
	f.ID = id
	return nil
}

func (tx *Tx) FlaggedArticle(id int64) (*telltale.FlaggedArticle, error) {
	return one(tx, "read flagged article", func() error { return column.NotFound("flagged article", id) }, scanFlag,
		`SELECT `+flagColumns+` FROM flagged_articles WHERE id = $1`, id)
}

func (tx *Tx) FlaggedArticles(limit int) ([]*telltale.FlaggedArticle, error) {
	return list(tx, "list flagged articles", scanFlag, `SELECT `+flagColumns+` FROM flagged_articles ORDER BY found_at DESC, id DESC LIMIT $1`, limit)
}

func (tx *Tx) SetFlaggedArticleCase(id, caseID int64) error {
	tag, err := tx.exec("link flagged article to case", `UPDATE flagged_articles SET case_id = $1 WHERE id = $2`, caseID, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return column.NotFound("flagged article", id)
	}
	return nil
}
