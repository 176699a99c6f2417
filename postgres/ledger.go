package postgres

import (
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

// LedgerSize also reads the head, which an append asks for next: one
// round trip instead of two while writers wait.
func (tx *Tx) LedgerSize() (int64, error) {
	var n int64
	var size *int64
	var hash, note []byte
	err := tx.queryRow(`SELECT (SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries), h.size, h.hash, h.note
		FROM (SELECT 1) AS one LEFT JOIN ledger_head h ON h.id = 1`).Scan(&n, &size, &hash, &note)
	if err != nil {
		return 0, storeError("read ledger size", err)
	}
	tx.head, tx.headKnown = nil, true
	if size != nil {
		h := &telltale.LedgerHead{Size: *size, Note: note}
		if h.Hash, err = column.Hash32(hash); err != nil {
			return 0, storeError("read ledger head", err)
		}
		tx.head = h
	}
	return n, nil
}

// LedgerAppend stores the entry and its hashes in one statement.
func (tx *Tx) LedgerAppend(e *telltale.LedgerEntry, hashes []telltale.LedgerHash) error {
	idx := make([]int64, len(hashes))
	hs := make([][]byte, len(hashes))
	for i, h := range hashes {
		idx[i], hs[i] = h.Index, h.Hash[:]
	}
	_, err := tx.exec(fmt.Sprintf("append ledger entry %d", e.Index),
		`WITH entry AS (INSERT INTO ledger_entries (idx, body, time, actor, action, subject) VALUES ($1, $2, $3, $4, $5, $6))
		INSERT INTO ledger_hashes (idx, hash) SELECT * FROM unnest($7::bigint[], $8::bytea[])`,
		e.Index, e.Body, column.Nanos(e.Time), e.Actor, e.Action, e.Subject, idx, hs)
	return err
}

func (tx *Tx) LedgerReadHashes(indexes []int64) ([][32]byte, error) {
	out := make([][32]byte, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	if column.Consecutive(indexes) {
		return out, tx.ledgerHashRange(indexes[0], out)
	}
	pos := map[int64][]int{}
	uniq := make([]int64, 0, len(indexes))
	for i, idx := range indexes {
		if _, ok := pos[idx]; !ok {
			uniq = append(uniq, idx)
		}
		pos[idx] = append(pos[idx], i)
	}
	rows, err := tx.tx.Query(tx.ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx = ANY($1)`, uniq)
	if err != nil {
		return nil, storeError("read ledger hashes", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, storeError("read ledger hashes", err)
		}
		hash, err := column.Hash32(h)
		if err != nil {
			return nil, storeError("read ledger hashes", err)
		}
		for _, i := range pos[idx] {
			out[i] = hash
			found++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, storeError("read ledger hashes", err)
	}
	if found != len(indexes) {
		return nil, telltale.Errorf(telltale.ENOTFOUND, "ledger hashes missing: wanted %d, found %d", len(indexes), found)
	}
	return out, nil
}

// ledgerHashRange reads the stored hashes from index start on into out,
// in one range scan: how verification reads them all.
func (tx *Tx) ledgerHashRange(start int64, out [][32]byte) error {
	rows, err := tx.tx.Query(tx.ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx >= $1 AND idx < $2 ORDER BY idx`, start, start+int64(len(out)))
	if err != nil {
		return storeError("read ledger hashes", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return storeError("read ledger hashes", err)
		}
		if idx != start+int64(found) {
			break // a gap: reported below
		}
		if out[found], err = column.Hash32(h); err != nil {
			return storeError("read ledger hashes", err)
		}
		found++
	}
	rows.Close() // pgx reports a read's error only once its rows are closed
	if err := rows.Err(); err != nil {
		return storeError("read ledger hashes", err)
	}
	if found != len(out) {
		return telltale.Errorf(telltale.ENOTFOUND, "ledger hashes missing from %d: wanted %d, found %d", start+int64(found), len(out), found)
	}
	return nil
}

const ledgerColumns = `idx, body, time, actor, action, subject`

func scanLedgerEntry(row pgx.Row) (*telltale.LedgerEntry, error) {
	var e telltale.LedgerEntry
	var t int64
	if err := row.Scan(&e.Index, &e.Body, &t, &e.Actor, &e.Action, &e.Subject); err != nil {
		return nil, err
	}
	e.Time = column.FromNanos(t)
	return &e, nil
}

func (tx *Tx) LedgerEntries(start, end int64) ([]*telltale.LedgerEntry, error) {
	return list(tx, "read ledger entries", scanLedgerEntry,
		`SELECT `+ledgerColumns+` FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, start, end)
}

func (tx *Tx) LedgerFind(f telltale.LedgerFilter) ([]*telltale.LedgerEntry, error) {
	q := `SELECT ` + ledgerColumns + ` FROM ledger_entries WHERE TRUE`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if !f.Since.IsZero() {
		q += ` AND time >= ` + arg(column.Nanos(f.Since))
	}
	if f.Subject != "" {
		q += ` AND subject = ` + arg(f.Subject)
	}
	if f.Action != "" {
		q += ` AND action = ` + arg(f.Action)
	}
	q += ` ORDER BY idx`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return list(tx, "search ledger", scanLedgerEntry, q, args...)
}

func scanHead(row pgx.Row) (*telltale.LedgerHead, error) {
	var h telltale.LedgerHead
	var hash []byte
	if err := row.Scan(&h.Size, &hash, &h.Note); err != nil {
		return nil, err
	}
	var err error
	h.Hash, err = column.Hash32(hash)
	return &h, err
}

func (tx *Tx) LedgerHead() (*telltale.LedgerHead, error) {
	if tx.headKnown {
		if tx.head == nil {
			return nil, nil
		}
		h := *tx.head
		return &h, nil
	}
	return one(tx, "read ledger head", func() error { return nil }, scanHead, `SELECT size, hash, note FROM ledger_head WHERE id = 1`)
}

// LedgerAdvance is a compare-and-swap on the head row. Under PostgreSQL's
// row locking, a concurrent transaction that advanced the head first makes
// this UPDATE re-check its condition against the new row (or fail with a
// serialization error): it matches nothing, and the append fails.
func (tx *Tx) LedgerAdvance(old, new *telltale.LedgerHead) error {
	var tag pgconn.CommandTag
	var err error
	if old == nil {
		tag, err = tx.exec("start ledger", `INSERT INTO ledger_head (id, size, hash, note) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`, new.Size, new.Hash[:], new.Note)
	} else {
		tag, err = tx.exec("advance ledger", `UPDATE ledger_head SET size = $1, hash = $2, note = $3 WHERE id = 1 AND size = $4 AND hash = $5`,
			new.Size, new.Hash[:], new.Note, old.Size, old.Hash[:])
	}
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return telltale.Errorf(telltale.ECONFLICT, "the ledger head moved: another writer appended first")
	}
	h := *new
	tx.head, tx.headKnown = &h, true
	return nil
}

func (tx *Tx) LedgerAddCheckpoint(c *telltale.LedgerHead, at time.Time) error {
	_, err := tx.exec("record checkpoint", `INSERT INTO ledger_checkpoints (size, hash, note, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (size) DO NOTHING`,
		c.Size, c.Hash[:], c.Note, column.Nanos(at))
	return err
}

func (tx *Tx) LedgerCheckpoints() ([]*telltale.LedgerHead, error) {
	return list(tx, "read checkpoints", scanHead, `SELECT size, hash, note FROM ledger_checkpoints ORDER BY size`)
}

func (tx *Tx) LedgerVerified() (*telltale.LedgerHead, error) {
	return one(tx, "read the verified checkpoint", func() error { return nil }, scanHead, `SELECT size, hash, note FROM ledger_verified WHERE id = 1`)
}

func (tx *Tx) LedgerSetVerified(v *telltale.LedgerHead, at time.Time) error {
	_, err := tx.exec("record the verified checkpoint", `INSERT INTO ledger_verified (id, size, hash, note, verified_at) VALUES (1, $1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET size = excluded.size, hash = excluded.hash, note = excluded.note, verified_at = excluded.verified_at`,
		v.Size, v.Hash[:], v.Note, column.Nanos(at))
	return err
}
