package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

// Tx is a transaction; it implements telltale.Tx.
type Tx struct {
	ctx context.Context
	tx  pgx.Tx
	// head caches the ledger head read with the ledger's size (the
	// transaction's snapshot cannot change it; only LedgerAdvance does).
	head      *telltale.LedgerHead
	headKnown bool
}

var _ telltale.Tx = (*Tx)(nil)

func (tx *Tx) exec(op, query string, args ...any) (pgconn.CommandTag, error) {
	tag, err := tx.tx.Exec(tx.ctx, query, args...)
	if err != nil {
		return tag, classify(op, err)
	}
	return tag, nil
}

// insert runs an INSERT … RETURNING id and returns the new row's ID.
func (tx *Tx) insert(op, query string, args ...any) (int64, error) {
	var id int64
	if err := tx.tx.QueryRow(tx.ctx, query, args...).Scan(&id); err != nil {
		return 0, classify(op, err)
	}
	return id, nil
}

func (tx *Tx) queryRow(query string, args ...any) pgx.Row {
	return tx.tx.QueryRow(tx.ctx, query, args...)
}

// classify turns constraint violations into conflicts and everything else
// into store errors, as the SQLite store does.
func classify(op string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return &telltale.Error{Code: telltale.ECONFLICT, Message: op + ": already exists", Err: err}
		case pe.Code == "23503": // foreign_key_violation
			return &telltale.Error{Code: telltale.EINVALID, Message: op + ": refers to a record that does not exist", Err: err}
		case pe.Code == "P0001" && (strings.Contains(pe.Message, "immutable") || strings.Contains(pe.Message, "cannot be deleted")):
			return &telltale.Error{Code: telltale.EINVALID, Message: op + ": " + pe.Message, Err: err}
		case pe.Code == "22021": // character_not_in_repertoire
			return &telltale.Error{Code: telltale.EINVALID, Message: op + ": text must be UTF-8 without NUL characters", Err: err}
		}
	}
	return storeError(op, err)
}

// list runs a query and scans each row.
func list[T any](tx *Tx, op string, scan func(pgx.Row) (T, error), query string, args ...any) ([]T, error) {
	rows, err := tx.tx.Query(tx.ctx, query, args...)
	if err != nil {
		return nil, storeError(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, storeError(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError(op, err)
	}
	return out, nil
}

// one runs a query for one row: not found if there is none.
func one[T any](tx *Tx, op string, missing func() error, scan func(pgx.Row) (T, error), query string, args ...any) (T, error) {
	v, err := scan(tx.queryRow(query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		var zero T
		return zero, missing()
	}
	if err != nil {
		var zero T
		return zero, storeError(op, err)
	}
	return v, nil
}

// Documents.

func (tx *Tx) CreateDocument(d *telltale.Document) error {
	id, err := tx.insert("create document "+d.Slug, `INSERT INTO documents (slug, title, owner, owner_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		d.Slug, d.Title, d.Owner, d.OwnerID, column.Nanos(d.CreatedAt))
	if err != nil {
		return err
	}
	d.ID = id
	return nil
}

const documentColumns = `id, slug, title, owner, owner_id, created_at`

func scanDocument(row pgx.Row) (*telltale.Document, error) {
	var d telltale.Document
	var created int64
	if err := row.Scan(&d.ID, &d.Slug, &d.Title, &d.Owner, &d.OwnerID, &created); err != nil {
		return nil, err
	}
	d.CreatedAt = column.FromNanos(created)
	return &d, nil
}

func (tx *Tx) Document(id int64) (*telltale.Document, error) {
	return one(tx, "read document", func() error { return column.NotFound("document", id) }, scanDocument,
		`SELECT `+documentColumns+` FROM documents WHERE id = $1`, id)
}

func (tx *Tx) DocumentBySlug(slug string) (*telltale.Document, error) {
	return one(tx, "read document", func() error { return column.NotFound("document", fmt.Sprintf("%q", slug)) }, scanDocument,
		`SELECT `+documentColumns+` FROM documents WHERE slug = $1`, slug)
}

func (tx *Tx) Documents() ([]*telltale.Document, error) {
	return list(tx, "list documents", scanDocument, `SELECT `+documentColumns+` FROM documents ORDER BY slug`)
}

func (tx *Tx) UpdateDocumentTitle(id int64, title string) error {
	tag, err := tx.exec("update document", `UPDATE documents SET title = $1 WHERE id = $2`, title, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return column.NotFound("document", id)
	}
	return nil
}

// Versions.

func (tx *Tx) CreateVersion(v *telltale.Version) error {
	var latest int
	if err := tx.queryRow(`SELECT COALESCE(MAX(number), 0) FROM versions WHERE document_id = $1`, v.DocumentID).Scan(&latest); err != nil {
		return storeError("create version", err)
	}
	if v.Number != latest+1 {
		return telltale.Errorf(telltale.ECONFLICT, "version %d of document %d: the next version is %d", v.Number, v.DocumentID, latest+1)
	}
	id, err := tx.insert("create version", `INSERT INTO versions (document_id, number, created_at, created_by, source_hash, nonce, coalition,
		sealed_source, sealed_template, title, classification, words, slots, design, sealed_docx) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		v.DocumentID, v.Number, column.Nanos(v.CreatedAt), v.CreatedBy, v.SourceHash[:], v.Nonce, v.Coalition,
		v.SealedSource, v.SealedTemplate, v.Title, v.Classification, v.Words, v.Slots, max(v.Design, 1), column.NullBytes(v.SealedDocx))
	if err != nil {
		return err
	}
	v.ID = id
	return nil
}

const versionColumns = `id, document_id, number, created_at, created_by, source_hash, nonce, coalition, sealed_source, sealed_template, title, classification, words, slots, design, sealed_docx`

func scanVersion(row pgx.Row) (*telltale.Version, error) {
	var v telltale.Version
	var created int64
	var hash []byte
	if err := row.Scan(&v.ID, &v.DocumentID, &v.Number, &created, &v.CreatedBy, &hash, &v.Nonce, &v.Coalition,
		&v.SealedSource, &v.SealedTemplate, &v.Title, &v.Classification, &v.Words, &v.Slots, &v.Design, &v.SealedDocx); err != nil {
		return nil, err
	}
	v.CreatedAt = column.FromNanos(created)
	var err error
	v.SourceHash, err = column.Hash32(hash)
	return &v, err
}

func (tx *Tx) queryVersion(what string, query string, args ...any) (*telltale.Version, error) {
	return one(tx, "read version", func() error { return column.NotFound("version", what) }, scanVersion, query, args...)
}

func (tx *Tx) Version(id int64) (*telltale.Version, error) {
	return tx.queryVersion(fmt.Sprint(id), `SELECT `+versionColumns+` FROM versions WHERE id = $1`, id)
}

func (tx *Tx) LatestVersion(documentID int64) (*telltale.Version, error) {
	return tx.queryVersion(fmt.Sprintf("of document %d", documentID), `SELECT `+versionColumns+` FROM versions WHERE document_id = $1 ORDER BY number DESC LIMIT 1`, documentID)
}

func (tx *Tx) Versions(documentID int64) ([]*telltale.Version, error) {
	return list(tx, "list versions", scanVersion, `SELECT `+versionColumns+` FROM versions WHERE document_id = $1 ORDER BY number`, documentID)
}

// Recipients.

func (tx *Tx) CreateRecipient(r *telltale.Recipient) error {
	id, err := tx.insert("add recipient "+r.Email, `INSERT INTO recipients (name, email, unit, created_at, user_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		r.Name, r.Email, r.Unit, column.Nanos(r.CreatedAt), nullID(r.UserID))
	if err != nil {
		return err
	}
	r.ID = id
	return nil
}

const recipientColumns = `id, name, email, unit, created_at, user_id`

func scanRecipient(row pgx.Row) (*telltale.Recipient, error) {
	var r telltale.Recipient
	var created int64
	var user *int64
	if err := row.Scan(&r.ID, &r.Name, &r.Email, &r.Unit, &created, &user); err != nil {
		return nil, err
	}
	r.CreatedAt = column.FromNanos(created)
	if user != nil {
		r.UserID = *user
	}
	return &r, nil
}

func (tx *Tx) queryRecipient(what, query string, args ...any) (*telltale.Recipient, error) {
	return one(tx, "read recipient", func() error { return column.NotFound("recipient", what) }, scanRecipient, query, args...)
}

func (tx *Tx) Recipient(id int64) (*telltale.Recipient, error) {
	return tx.queryRecipient(fmt.Sprint(id), `SELECT `+recipientColumns+` FROM recipients WHERE id = $1`, id)
}

func (tx *Tx) RecipientByEmail(email string) (*telltale.Recipient, error) {
	return tx.queryRecipient(email, `SELECT `+recipientColumns+` FROM recipients WHERE email = $1`, email)
}

func (tx *Tx) Recipients() ([]*telltale.Recipient, error) {
	return list(tx, "list recipients", scanRecipient, `SELECT `+recipientColumns+` FROM recipients ORDER BY name, email`)
}

// Copies.

func (tx *Tx) CreateCopy(c *telltale.Copy) error {
	id, err := tx.insert(fmt.Sprintf("issue copy %d of version %d", c.Number, c.VersionID),
		`INSERT INTO copies (version_id, recipient_id, number, of_total, nonce, commitment, formats, issued_at, issued_by, expires_at, revoked_at, watermark)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		c.VersionID, c.RecipientID, c.Number, c.Of, c.Nonce, c.Commitment[:], strings.Join(c.Formats, ","),
		column.Nanos(c.IssuedAt), c.IssuedBy, column.Nanos(c.ExpiresAt), column.Nanos(c.RevokedAt), c.Watermark)
	if err != nil {
		return err
	}
	c.ID = id
	return nil
}

const copyColumns = `c.id, c.version_id, c.recipient_id, c.number, c.of_total, c.nonce, c.commitment, c.formats, c.issued_at, c.issued_by, c.expires_at, c.revoked_at, c.watermark`

func scanCopy(row pgx.Row) (*telltale.Copy, error) {
	var c telltale.Copy
	var commit []byte
	var formats string
	var issued, expires, revoked int64
	if err := row.Scan(&c.ID, &c.VersionID, &c.RecipientID, &c.Number, &c.Of, &c.Nonce, &commit, &formats,
		&issued, &c.IssuedBy, &expires, &revoked, &c.Watermark); err != nil {
		return nil, err
	}
	var err error
	c.Commitment, err = column.Hash32(commit)
	if formats != "" {
		c.Formats = strings.Split(formats, ",")
	}
	c.IssuedAt, c.ExpiresAt, c.RevokedAt = column.FromNanos(issued), column.FromNanos(expires), column.FromNanos(revoked)
	return &c, err
}

func (tx *Tx) Copy(id int64) (*telltale.Copy, error) {
	return one(tx, "read copy", func() error { return column.NotFound("copy", id) }, scanCopy,
		`SELECT `+copyColumns+` FROM copies c WHERE c.id = $1`, id)
}

func (tx *Tx) Copies(f telltale.CopyFilter) ([]*telltale.Copy, error) {
	q := `SELECT ` + copyColumns + ` FROM copies c JOIN versions v ON v.id = c.version_id WHERE TRUE`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.VersionID != 0 {
		q += ` AND c.version_id = ` + arg(f.VersionID)
	}
	if f.DocumentID != 0 {
		q += ` AND v.document_id = ` + arg(f.DocumentID)
	}
	if f.RecipientID != 0 {
		q += ` AND c.recipient_id = ` + arg(f.RecipientID)
	}
	q += ` ORDER BY v.document_id, v.number, c.number`
	return list(tx, "list copies", scanCopy, q, args...)
}

// Holdings reads only what a trace needs of each copy: the rows of 10⁵
// copies are read for every trace.
func (tx *Tx) Holdings(versionID int64) ([]telltale.Holding, error) {
	rows, err := tx.tx.Query(tx.ctx, `SELECT c.id, c.number, c.nonce, c.commitment, c.recipient_id, r.name, r.email, r.unit
		FROM copies c LEFT JOIN recipients r ON r.id = c.recipient_id WHERE c.version_id = $1 ORDER BY c.number`, versionID)
	if err != nil {
		return nil, storeError("list copies", err)
	}
	defer rows.Close()
	var out []telltale.Holding
	for rows.Next() {
		var h telltale.Holding
		var commit []byte
		var name, email, unit *string // NULL if the recipient row is missing
		if err := rows.Scan(&h.CopyID, &h.Number, &h.Nonce, &commit, &h.RecipientID, &name, &email, &unit); err != nil {
			return nil, storeError("list copies", err)
		}
		if h.Commitment, err = column.Hash32(commit); err != nil {
			return nil, storeError("list copies", err)
		}
		if name == nil || email == nil || unit == nil {
			return nil, column.NotFound("recipient", fmt.Sprintf("%d of copy %d", h.RecipientID, h.CopyID))
		}
		h.Name, h.Email, h.Unit = *name, *email, *unit
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError("list copies", err)
	}
	return out, nil
}

func (tx *Tx) CopyCount(versionID int64) (int, error) {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM copies WHERE version_id = $1`, versionID).Scan(&n); err != nil {
		return 0, storeError("count copies", err)
	}
	return n, nil
}

func (tx *Tx) RevokeCopy(id int64, at time.Time) error {
	tag, err := tx.exec("revoke copy", `UPDATE copies SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0`, column.Nanos(at), id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		if _, err := tx.Copy(id); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) PutCopyFile(f *telltale.CopyFile) error {
	_, err := tx.exec("store copy file", `INSERT INTO copy_files (copy_id, format, sealed, hash) VALUES ($1, $2, $3, $4)`,
		f.CopyID, f.Format, f.Sealed, f.Hash[:])
	return err
}

func (tx *Tx) CopyFile(copyID int64, format string) (*telltale.CopyFile, error) {
	scan := func(row pgx.Row) (*telltale.CopyFile, error) {
		f := telltale.CopyFile{CopyID: copyID, Format: format}
		var hash []byte
		if err := row.Scan(&f.Sealed, &hash); err != nil {
			return nil, err
		}
		var err error
		f.Hash, err = column.Hash32(hash)
		return &f, err
	}
	return one(tx, "read copy file", func() error { return column.NotFound("file", fmt.Sprintf("%s of copy %d", format, copyID)) }, scan,
		`SELECT sealed, hash FROM copy_files WHERE copy_id = $1 AND format = $2`, copyID, format)
}

func (tx *Tx) LinkRecipient(recipientID, userID int64) error {
	tag, err := tx.exec("link recipient", `UPDATE recipients SET user_id = $1 WHERE id = $2`, nullID(userID), recipientID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return column.NotFound("recipient", fmt.Sprint(recipientID))
	}
	return nil
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
