package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

// Tx is a transaction; it implements telltale.Tx.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
	// prepared are the statements prepared on the transaction's pool.
	prepared map[string]*sql.Stmt
}

var _ telltale.Tx = (*Tx)(nil)

// stmt returns query's prepared statement for this transaction, or nil.
func (tx *Tx) stmt(query string) *sql.Stmt {
	if st := tx.prepared[query]; st != nil {
		return tx.tx.StmtContext(tx.ctx, st)
	}
	return nil
}

func (tx *Tx) exec(op, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := tx.stmt(query); st != nil {
		res, err = st.ExecContext(tx.ctx, args...)
	} else {
		res, err = tx.tx.ExecContext(tx.ctx, query, args...)
	}
	if err != nil {
		return nil, classify(op, err)
	}
	return res, nil
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	if st := tx.stmt(query); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, query, args...)
}

// classify turns constraint violations into conflicts and everything else
// into store errors.
func classify(op string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"):
		return &telltale.Error{Code: telltale.ECONFLICT, Message: op + ": already exists", Err: err}
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return &telltale.Error{Code: telltale.EINVALID, Message: op + ": refers to a record that does not exist", Err: err}
	case strings.Contains(msg, "immutable") || strings.Contains(msg, "cannot be deleted"):
		return &telltale.Error{Code: telltale.EINVALID, Message: op + ": " + msg, Err: err}
	}
	return storeError(op, err)
}

// Documents.

func (tx *Tx) CreateDocument(d *telltale.Document) error {
	res, err := tx.exec("create document "+d.Slug, `INSERT INTO documents (slug, title, owner, owner_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		d.Slug, d.Title, d.Owner, d.OwnerID, column.Nanos(d.CreatedAt))
	if err != nil {
		return err
	}
	d.ID, err = res.LastInsertId()
	return err
}

const documentColumns = `id, slug, title, owner, owner_id, created_at`

func scanDocument(row interface{ Scan(...any) error }) (*telltale.Document, error) {
	var d telltale.Document
	var created int64
	if err := row.Scan(&d.ID, &d.Slug, &d.Title, &d.Owner, &d.OwnerID, &created); err != nil {
		return nil, err
	}
	d.CreatedAt = column.FromNanos(created)
	return &d, nil
}

func (tx *Tx) Document(id int64) (*telltale.Document, error) {
	d, err := scanDocument(tx.tx.QueryRowContext(tx.ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("document", id)
	}
	if err != nil {
		return nil, storeError("read document", err)
	}
	return d, nil
}

func (tx *Tx) DocumentBySlug(slug string) (*telltale.Document, error) {
	d, err := scanDocument(tx.tx.QueryRowContext(tx.ctx, `SELECT `+documentColumns+` FROM documents WHERE slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("document", fmt.Sprintf("%q", slug))
	}
	if err != nil {
		return nil, storeError("read document", err)
	}
	return d, nil
}

func (tx *Tx) Documents() ([]*telltale.Document, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+documentColumns+` FROM documents ORDER BY slug`)
	if err != nil {
		return nil, storeError("list documents", err)
	}
	defer rows.Close()
	var out []*telltale.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, storeError("list documents", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (tx *Tx) UpdateDocumentTitle(id int64, title string) error {
	res, err := tx.exec("update document", `UPDATE documents SET title = ? WHERE id = ?`, title, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return column.NotFound("document", id)
	}
	return nil
}

// Versions.

func (tx *Tx) CreateVersion(v *telltale.Version) error {
	var latest int
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(number), 0) FROM versions WHERE document_id = ?`, v.DocumentID).Scan(&latest); err != nil {
		return storeError("create version", err)
	}
	if v.Number != latest+1 {
		return telltale.Errorf(telltale.ECONFLICT, "version %d of document %d: the next version is %d", v.Number, v.DocumentID, latest+1)
	}
	res, err := tx.exec("create version", `INSERT INTO versions (document_id, number, created_at, created_by, source_hash, nonce, coalition,
		sealed_source, sealed_template, title, classification, words, slots, design, sealed_docx) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.DocumentID, v.Number, column.Nanos(v.CreatedAt), v.CreatedBy, v.SourceHash[:], v.Nonce, v.Coalition,
		v.SealedSource, v.SealedTemplate, v.Title, v.Classification, v.Words, v.Slots, max(v.Design, 1), column.NullBytes(v.SealedDocx))
	if err != nil {
		return err
	}
	v.ID, err = res.LastInsertId()
	return err
}

const versionColumns = `id, document_id, number, created_at, created_by, source_hash, nonce, coalition, sealed_source, sealed_template, title, classification, words, slots, design, sealed_docx`

func scanVersion(row interface{ Scan(...any) error }) (*telltale.Version, error) {
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
	v, err := scanVersion(tx.tx.QueryRowContext(tx.ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("version", what)
	}
	if err != nil {
		return nil, storeError("read version", err)
	}
	return v, nil
}

func (tx *Tx) Version(id int64) (*telltale.Version, error) {
	return tx.queryVersion(fmt.Sprint(id), `SELECT `+versionColumns+` FROM versions WHERE id = ?`, id)
}

func (tx *Tx) LatestVersion(documentID int64) (*telltale.Version, error) {
	return tx.queryVersion(fmt.Sprintf("of document %d", documentID), `SELECT `+versionColumns+` FROM versions WHERE document_id = ? ORDER BY number DESC LIMIT 1`, documentID)
}

func (tx *Tx) Versions(documentID int64) ([]*telltale.Version, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+versionColumns+` FROM versions WHERE document_id = ? ORDER BY number`, documentID)
	if err != nil {
		return nil, storeError("list versions", err)
	}
	defer rows.Close()
	var out []*telltale.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, storeError("list versions", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Recipients.

func (tx *Tx) CreateRecipient(r *telltale.Recipient) error {
	res, err := tx.exec("add recipient "+r.Email, `INSERT INTO recipients (name, email, unit, created_at, user_id) VALUES (?, ?, ?, ?, ?)`,
		r.Name, r.Email, r.Unit, column.Nanos(r.CreatedAt), nullID(r.UserID))
	if err != nil {
		return err
	}
	r.ID, err = res.LastInsertId()
	return err
}

const recipientColumns = `id, name, email, unit, created_at, user_id`

func scanRecipient(row interface{ Scan(...any) error }) (*telltale.Recipient, error) {
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
	r, err := scanRecipient(tx.tx.QueryRowContext(tx.ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("recipient", what)
	}
	if err != nil {
		return nil, storeError("read recipient", err)
	}
	return r, nil
}

func (tx *Tx) Recipient(id int64) (*telltale.Recipient, error) {
	return tx.queryRecipient(fmt.Sprint(id), `SELECT `+recipientColumns+` FROM recipients WHERE id = ?`, id)
}

func (tx *Tx) RecipientByEmail(email string) (*telltale.Recipient, error) {
	return tx.queryRecipient(email, `SELECT `+recipientColumns+` FROM recipients WHERE email = ?`, email)
}

func (tx *Tx) Recipients() ([]*telltale.Recipient, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+recipientColumns+` FROM recipients ORDER BY name, email`)
	if err != nil {
		return nil, storeError("list recipients", err)
	}
	defer rows.Close()
	var out []*telltale.Recipient
	for rows.Next() {
		r, err := scanRecipient(rows)
		if err != nil {
			return nil, storeError("list recipients", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Copies.

func (tx *Tx) CreateCopy(c *telltale.Copy) error {
	res, err := tx.exec(fmt.Sprintf("issue copy %d of version %d", c.Number, c.VersionID),
		`INSERT INTO copies (version_id, recipient_id, number, of_total, nonce, commitment, formats, issued_at, issued_by, expires_at, revoked_at, watermark)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.VersionID, c.RecipientID, c.Number, c.Of, c.Nonce, c.Commitment[:], strings.Join(c.Formats, ","),
		column.Nanos(c.IssuedAt), c.IssuedBy, column.Nanos(c.ExpiresAt), column.Nanos(c.RevokedAt), c.Watermark)
	if err != nil {
		return err
	}
	c.ID, err = res.LastInsertId()
	return err
}

const copyColumns = `c.id, c.version_id, c.recipient_id, c.number, c.of_total, c.nonce, c.commitment, c.formats, c.issued_at, c.issued_by, c.expires_at, c.revoked_at, c.watermark`

func scanCopy(row interface{ Scan(...any) error }) (*telltale.Copy, error) {
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
	c, err := scanCopy(tx.tx.QueryRowContext(tx.ctx, `SELECT `+copyColumns+` FROM copies c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("copy", id)
	}
	if err != nil {
		return nil, storeError("read copy", err)
	}
	return c, nil
}

func (tx *Tx) Copies(f telltale.CopyFilter) ([]*telltale.Copy, error) {
	q := `SELECT ` + copyColumns + ` FROM copies c JOIN versions v ON v.id = c.version_id WHERE 1=1`
	var args []any
	if f.VersionID != 0 {
		q += ` AND c.version_id = ?`
		args = append(args, f.VersionID)
	}
	if f.DocumentID != 0 {
		q += ` AND v.document_id = ?`
		args = append(args, f.DocumentID)
	}
	if f.RecipientID != 0 {
		q += ` AND c.recipient_id = ?`
		args = append(args, f.RecipientID)
	}
	q += ` ORDER BY v.document_id, v.number, c.number`
	rows, err := tx.tx.QueryContext(tx.ctx, q, args...)
	if err != nil {
		return nil, storeError("list copies", err)
	}
	defer rows.Close()
	var out []*telltale.Copy
	for rows.Next() {
		c, err := scanCopy(rows)
		if err != nil {
			return nil, storeError("list copies", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Holdings reads only what a trace needs of each copy: the rows of 10⁵
// copies are read for every trace.
func (tx *Tx) Holdings(versionID int64) ([]telltale.Holding, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT c.id, c.number, c.nonce, c.commitment, c.recipient_id, r.name, r.email, r.unit
		FROM copies c LEFT JOIN recipients r ON r.id = c.recipient_id WHERE c.version_id = ? ORDER BY c.number`, versionID)
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
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM copies WHERE version_id = ?`, versionID).Scan(&n)
	if err != nil {
		return 0, storeError("count copies", err)
	}
	return n, nil
}

func (tx *Tx) RevokeCopy(id int64, at time.Time) error {
	res, err := tx.exec("revoke copy", `UPDATE copies SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, column.Nanos(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.Copy(id); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) PutCopyFile(f *telltale.CopyFile) error {
	_, err := tx.exec("store copy file", `INSERT INTO copy_files (copy_id, format, sealed, hash) VALUES (?, ?, ?, ?)`,
		f.CopyID, f.Format, f.Sealed, f.Hash[:])
	return err
}

func (tx *Tx) CopyFile(copyID int64, format string) (*telltale.CopyFile, error) {
	f := telltale.CopyFile{CopyID: copyID, Format: format}
	var hash []byte
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT sealed, hash FROM copy_files WHERE copy_id = ? AND format = ?`, copyID, format).Scan(&f.Sealed, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, column.NotFound("file", fmt.Sprintf("%s of copy %d", format, copyID))
	}
	if err != nil {
		return nil, storeError("read copy file", err)
	}
	f.Hash, err = column.Hash32(hash)
	return &f, err
}

func (tx *Tx) LinkRecipient(recipientID, userID int64) error {
	res, err := tx.exec("link recipient", `UPDATE recipients SET user_id = ? WHERE id = ?`, nullID(userID), recipientID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
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
