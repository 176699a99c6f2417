package sqlite

import (
	"database/sql"
	"errors"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

const sourceColumns = `id, kind, url, state, next_attempt, lease_owner, lease_until, created_by, created_at`

func scanSource(row interface{ Scan(...any) error }) (*telltale.MonitorSource, error) {
	var s telltale.MonitorSource
	var next, until, created int64
	if err := row.Scan(&s.ID, &s.Kind, &s.URL, &s.State, &next, &s.LeaseOwner, &until, &s.CreatedBy, &created); err != nil {
		return nil, err
	}
	s.NextAttempt, s.LeaseUntil, s.CreatedAt = column.FromNanos(next), column.FromNanos(until), column.FromNanos(created)
	return &s, nil
}

func (tx *Tx) CreateMonitorSource(s *telltale.MonitorSource) error {
	res, err := tx.exec("add source "+s.URL, `INSERT INTO monitor_sources (kind, url, state, next_attempt, lease_owner, lease_until, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.Kind, s.URL, s.State, column.Nanos(s.NextAttempt), s.LeaseOwner, column.Nanos(s.LeaseUntil), s.CreatedBy, column.Nanos(s.CreatedAt))
	if err != nil {
		return err
	}
	s.ID, err = res.LastInsertId()
	return err
}

func (tx *Tx) MonitorSource(id int64) (*telltale.MonitorSource, error) {
	s, err := scanSource(tx.tx.QueryRowContext(tx.ctx, `SELECT `+sourceColumns+` FROM monitor_sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("source", id)
	}
	if err != nil {
		return nil, storeError("read source", err)
	}
	return s, nil
}

func (tx *Tx) querySources(op, q string, args ...any) ([]*telltale.MonitorSource, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, q, args...)
	if err != nil {
		return nil, storeError(op, err)
	}
	defer rows.Close()
	var out []*telltale.MonitorSource
	for rows.Next() {
		s, err := scanSource(rows)
		if err != nil {
			return nil, storeError(op, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (tx *Tx) MonitorSources() ([]*telltale.MonitorSource, error) {
	return tx.querySources("list sources", `SELECT `+sourceColumns+` FROM monitor_sources ORDER BY id`)
}

func (tx *Tx) UpdateMonitorSource(s *telltale.MonitorSource) error {
	res, err := tx.exec("update source", `UPDATE monitor_sources SET state = ?, next_attempt = ?, lease_owner = '', lease_until = 0 WHERE id = ?`,
		s.State, column.Nanos(s.NextAttempt), s.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return column.NotFound("source", s.ID)
	}
	s.LeaseOwner, s.LeaseUntil = "", time.Time{}
	return nil
}

func (tx *Tx) DeleteMonitorSource(id int64) error {
	res, err := tx.exec("remove source", `DELETE FROM monitor_sources WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return column.NotFound("source", id)
	}
	return nil
}

func (tx *Tx) ClaimMonitorSources(owner string, now, until time.Time, limit int) ([]*telltale.MonitorSource, error) {
	due, err := tx.querySources("claim sources", `SELECT `+sourceColumns+` FROM monitor_sources
		WHERE next_attempt <= ? AND (lease_owner = '' OR lease_owner = ? OR lease_until <= ?)
		ORDER BY next_attempt, id LIMIT ?`, column.Nanos(now), owner, column.Nanos(now), limit)
	if err != nil {
		return nil, err
	}
	for _, s := range due {
		if _, err := tx.exec("claim source", `UPDATE monitor_sources SET lease_owner = ?, lease_until = ? WHERE id = ?`, owner, column.Nanos(until), s.ID); err != nil {
			return nil, err
		}
		s.LeaseOwner, s.LeaseUntil = owner, until.UTC()
	}
	return due, nil
}

func (tx *Tx) ArticleSeen(url string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT count(*) FROM monitor_seen WHERE url = ?`, url).Scan(&n)
	if err != nil {
		return false, storeError("read seen articles", err)
	}
	return n > 0, nil
}

func (tx *Tx) MarkArticleSeen(url string, at time.Time) error {
	_, err := tx.exec("mark article seen", `INSERT INTO monitor_seen (url, seen_at) VALUES (?, ?) ON CONFLICT (url) DO NOTHING`, url, column.Nanos(at))
	return err
}

const flagColumns = `id, source_id, url, title, outlet, published_at, found_at, story, duplicate, version_id, score, hit, level, snapshot_sha256, sealed, report, nonce, case_id`

func scanFlag(row interface{ Scan(...any) error }) (*telltale.FlaggedArticle, error) {
	var f telltale.FlaggedArticle
	var published, found int64
	var dup, hit int
	var sum []byte
	if err := row.Scan(&f.ID, &f.SourceID, &f.URL, &f.Title, &f.Outlet, &published, &found, &f.Story, &dup, &f.VersionID, &f.Score, &hit, &f.Level,
		&sum, &f.Sealed, &f.Report, &f.Nonce, &f.CaseID); err != nil {
		return nil, err
	}
	var err error
	if f.SnapshotSHA256, err = column.Hash32(sum); err != nil {
		return nil, err
	}
	f.PublishedAt, f.FoundAt, f.Duplicate, f.Hit = column.FromNanos(published), column.FromNanos(found), dup != 0, hit != 0
	return &f, nil
}

func (tx *Tx) CreateFlaggedArticle(f *telltale.FlaggedArticle) error {
	res, err := tx.exec("flag article", `INSERT INTO flagged_articles (source_id, url, title, outlet, published_at, found_at, story, duplicate, version_id, score, hit, level, snapshot_sha256, sealed, report, nonce, case_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.SourceID, f.URL, f.Title, f.Outlet, column.Nanos(f.PublishedAt), column.Nanos(f.FoundAt), f.Story, boolInt(f.Duplicate), f.VersionID, f.Score, boolInt(f.Hit), f.Level,
		f.SnapshotSHA256[:], f.Sealed, f.Report, f.Nonce, f.CaseID)
	if err != nil {
		return err
	}
	f.ID, err = res.LastInsertId()
	return err
}

func (tx *Tx) FlaggedArticle(id int64) (*telltale.FlaggedArticle, error) {
	f, err := scanFlag(tx.tx.QueryRowContext(tx.ctx, `SELECT `+flagColumns+` FROM flagged_articles WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("flagged article", id)
	}
	if err != nil {
		return nil, storeError("read flagged article", err)
	}
	return f, nil
}

func (tx *Tx) FlaggedArticles(limit int) ([]*telltale.FlaggedArticle, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+flagColumns+` FROM flagged_articles ORDER BY found_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, storeError("list flagged articles", err)
	}
	defer rows.Close()
	var out []*telltale.FlaggedArticle
	for rows.Next() {
		f, err := scanFlag(rows)
		if err != nil {
			return nil, storeError("list flagged articles", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (tx *Tx) SetFlaggedArticleCase(id, caseID int64) error {
	res, err := tx.exec("link flagged article to case", `UPDATE flagged_articles SET case_id = ? WHERE id = ?`, caseID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return column.NotFound("flagged article", id)
	}
	return nil
}
