package sqlite

import (
	"database/sql"
	"errors"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

func (tx *Tx) CreateCase(c *telltale.Case) error {
	res, err := tx.exec("open case", `INSERT INTO cases (title, state, outcome, version_id, published_at, assignee_id, office, nonce, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Title, string(c.State), string(c.Outcome), c.VersionID, column.Nanos(c.PublishedAt), c.AssigneeID, c.Office, c.Nonce, c.CreatedBy, column.Nanos(c.CreatedAt), column.Nanos(c.UpdatedAt))
	if err != nil {
		return err
	}
	c.ID, err = res.LastInsertId()
	return err
}

const caseColumns = `id, title, state, outcome, version_id, published_at, assignee_id, office, nonce, created_by, created_at, updated_at`

func scanCase(row interface{ Scan(...any) error }) (*telltale.Case, error) {
	var c telltale.Case
	var state, outcome string
	var published, created, updated int64
	if err := row.Scan(&c.ID, &c.Title, &state, &outcome, &c.VersionID, &published, &c.AssigneeID, &c.Office, &c.Nonce, &c.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	c.State, c.Outcome = telltale.CaseState(state), telltale.CaseOutcome(outcome)
	c.PublishedAt, c.CreatedAt, c.UpdatedAt = column.FromNanos(published), column.FromNanos(created), column.FromNanos(updated)
	return &c, nil
}

func (tx *Tx) Case(id int64) (*telltale.Case, error) {
	c, err := scanCase(tx.tx.QueryRowContext(tx.ctx, `SELECT `+caseColumns+` FROM cases WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("case", id)
	}
	if err != nil {
		return nil, storeError("read case", err)
	}
	return c, nil
}

func (tx *Tx) Cases() ([]*telltale.Case, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+caseColumns+` FROM cases ORDER BY id DESC`)
	if err != nil {
		return nil, storeError("list cases", err)
	}
	defer rows.Close()
	var out []*telltale.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, storeError("list cases", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (tx *Tx) UpdateCase(c *telltale.Case) error {
	res, err := tx.exec("update case", `UPDATE cases SET title = ?, state = ?, outcome = ?, version_id = ?, published_at = ?, assignee_id = ?, office = ?, updated_at = ? WHERE id = ?`,
		c.Title, string(c.State), string(c.Outcome), c.VersionID, column.Nanos(c.PublishedAt), c.AssigneeID, c.Office, column.Nanos(c.UpdatedAt), c.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return column.NotFound("case", c.ID)
	}
	return nil
}

func (tx *Tx) AddEvidence(e *telltale.Evidence) error {
	res, err := tx.exec("add evidence", `INSERT INTO case_evidence (case_id, kind, name, url, sha256, size, sealed, verdict, added_by, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.CaseID, e.Kind, e.Name, e.URL, e.SHA256[:], e.Size, e.Sealed, e.Verdict, e.AddedBy, column.Nanos(e.AddedAt))
	if err != nil {
		return err
	}
	e.ID, err = res.LastInsertId()
	return err
}

func (tx *Tx) CaseEvidence(caseID int64) ([]*telltale.Evidence, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT id, case_id, kind, name, url, sha256, size, sealed, verdict, added_by, added_at
		FROM case_evidence WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, storeError("list evidence", err)
	}
	defer rows.Close()
	var out []*telltale.Evidence
	for rows.Next() {
		var e telltale.Evidence
		var sum []byte
		var added int64
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Kind, &e.Name, &e.URL, &sum, &e.Size, &e.Sealed, &e.Verdict, &e.AddedBy, &added); err != nil {
			return nil, storeError("list evidence", err)
		}
		if e.SHA256, err = column.Hash32(sum); err != nil {
			return nil, storeError("list evidence", err)
		}
		e.AddedAt = column.FromNanos(added)
		out = append(out, &e)
	}
	return out, rows.Err()
}

func (tx *Tx) AddCaseEvent(e *telltale.CaseEvent) error {
	res, err := tx.exec("add case event", `INSERT INTO case_events (case_id, kind, sealed, actor, at) VALUES (?, ?, ?, ?, ?)`,
		e.CaseID, e.Kind, e.Sealed, e.Actor, column.Nanos(e.At))
	if err != nil {
		return err
	}
	e.ID, err = res.LastInsertId()
	return err
}

func (tx *Tx) CaseEvents(caseID int64) ([]*telltale.CaseEvent, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT id, case_id, kind, sealed, actor, at FROM case_events WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, storeError("list case events", err)
	}
	defer rows.Close()
	var out []*telltale.CaseEvent
	for rows.Next() {
		var e telltale.CaseEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Kind, &e.Sealed, &e.Actor, &at); err != nil {
			return nil, storeError("list case events", err)
		}
		e.At = column.FromNanos(at)
		out = append(out, &e)
	}
	return out, rows.Err()
}
