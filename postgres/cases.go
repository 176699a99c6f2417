package postgres

import (
	"github.com/jackc/pgx/v5"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

func (tx *Tx) CreateCase(c *telltale.Case) error {
	id, err := tx.insert("open case", `INSERT INTO cases (title, state, outcome, version_id, published_at, assignee_id, office, nonce, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		c.Title, string(c.State), string(c.Outcome), c.VersionID, column.Nanos(c.PublishedAt), c.AssigneeID, c.Office, c.Nonce, c.CreatedBy, column.Nanos(c.CreatedAt), column.Nanos(c.UpdatedAt))
	if err != nil {
		return err
	}
	c.ID = id
	return nil
}

const caseColumns = `id, title, state, outcome, version_id, published_at, assignee_id, office, nonce, created_by, created_at, updated_at`

func scanCase(row pgx.Row) (*telltale.Case, error) {
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
	return one(tx, "read case", func() error { return column.NotFound("case", id) }, scanCase, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, id)
}

func (tx *Tx) Cases() ([]*telltale.Case, error) {
	return list(tx, "list cases", scanCase, `SELECT `+caseColumns+` FROM cases ORDER BY id DESC`)
}

func (tx *Tx) UpdateCase(c *telltale.Case) error {
	tag, err := tx.exec("update case", `UPDATE cases SET title = $1, state = $2, outcome = $3, version_id = $4, published_at = $5, assignee_id = $6, office = $7, updated_at = $8 WHERE id = $9`,
		c.Title, string(c.State), string(c.Outcome), c.VersionID, column.Nanos(c.PublishedAt), c.AssigneeID, c.Office, column.Nanos(c.UpdatedAt), c.ID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return column.NotFound("case", c.ID)
	}
	return nil
}

func (tx *Tx) AddEvidence(e *telltale.Evidence) error {
	id, err := tx.insert("add evidence", `INSERT INTO case_evidence (case_id, kind, name, url, sha256, size, sealed, verdict, added_by, added_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		e.CaseID, e.Kind, e.Name, e.URL, e.SHA256[:], e.Size, e.Sealed, e.Verdict, e.AddedBy, column.Nanos(e.AddedAt))
	if err != nil {
		return err
	}
	e.ID = id
	return nil
}

func scanEvidence(row pgx.Row) (*telltale.Evidence, error) {
	var e telltale.Evidence
	var sum []byte
	var added int64
	if err := row.Scan(&e.ID, &e.CaseID, &e.Kind, &e.Name, &e.URL, &sum, &e.Size, &e.Sealed, &e.Verdict, &e.AddedBy, &added); err != nil {
		return nil, err
	}
	var err error
	e.SHA256, err = column.Hash32(sum)
	e.AddedAt = column.FromNanos(added)
	return &e, err
}

func (tx *Tx) CaseEvidence(caseID int64) ([]*telltale.Evidence, error) {
	return list(tx, "list evidence", scanEvidence, `SELECT id, case_id, kind, name, url, sha256, size, sealed, verdict, added_by, added_at
		FROM case_evidence WHERE case_id = $1 ORDER BY id`, caseID)
}

func (tx *Tx) AddCaseEvent(e *telltale.CaseEvent) error {
	id, err := tx.insert("add case event", `INSERT INTO case_events (case_id, kind, sealed, actor, at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		e.CaseID, e.Kind, e.Sealed, e.Actor, column.Nanos(e.At))
	if err != nil {
		return err
	}
	e.ID = id
	return nil
}

func scanCaseEvent(row pgx.Row) (*telltale.CaseEvent, error) {
	var e telltale.CaseEvent
	var at int64
	if err := row.Scan(&e.ID, &e.CaseID, &e.Kind, &e.Sealed, &e.Actor, &at); err != nil {
		return nil, err
	}
	e.At = column.FromNanos(at)
	return &e, nil
}

func (tx *Tx) CaseEvents(caseID int64) ([]*telltale.CaseEvent, error) {
	return list(tx, "list case events", scanCaseEvent, `SELECT id, case_id, kind, sealed, actor, at FROM case_events WHERE case_id = $1 ORDER BY id`, caseID)
}
