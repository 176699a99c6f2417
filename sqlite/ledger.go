package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/column"
)

// The statements every ledger append runs, prepared once (see
// DB.prepared).
const (
	qLedgerSize    = `SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries`
	qLedgerHead    = `SELECT size, hash, note FROM ledger_head WHERE id = 1`
	qLedgerEntry   = `INSERT INTO ledger_entries (idx, body, time, actor, action, subject) VALUES (?, ?, ?, ?, ?, ?)`
	qLedgerHash    = `INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`
	qLedgerAdvance = `UPDATE ledger_head SET size = ?, hash = ?, note = ? WHERE id = 1 AND size = ? AND hash = ?`
)

var ledgerStatements = []string{qLedgerSize, qLedgerHead, qLedgerEntry, qLedgerHash, qLedgerAdvance}

func (tx *Tx) LedgerSize() (int64, error) {
	var n int64
	if err := tx.queryRow(qLedgerSize).Scan(&n); err != nil {
		return 0, storeError("read ledger size", err)
	}
	return n, nil
}

func (tx *Tx) LedgerAppend(e *telltale.LedgerEntry, hashes []telltale.LedgerHash) error {
	if _, err := tx.exec(fmt.Sprintf("append ledger entry %d", e.Index), qLedgerEntry,
		e.Index, e.Body, column.Nanos(e.Time), e.Actor, e.Action, e.Subject); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.exec("append ledger hash", qLedgerHash, h.Index, h.Hash[:]); err != nil {
			return err
		}
	}
	return nil
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
	args := make([]any, 0, len(indexes))
	for i, idx := range indexes {
		if _, ok := pos[idx]; !ok {
			args = append(args, idx)
		}
		pos[idx] = append(pos[idx], i)
	}
	q := `SELECT idx, hash FROM ledger_hashes WHERE idx IN (?` + strings.Repeat(",?", len(args)-1) + `)`
	rows, err := tx.tx.QueryContext(tx.ctx, q, args...)
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
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx >= ? AND idx < ? ORDER BY idx`, start, start+int64(len(out)))
	if err != nil {
		return storeError("read ledger hashes", err)
	}
	defer rows.Close()
	found := 0
	var h sql.RawBytes
	for rows.Next() {
		var idx int64
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
	if err := rows.Err(); err != nil {
		return storeError("read ledger hashes", err)
	}
	if found != len(out) {
		return telltale.Errorf(telltale.ENOTFOUND, "ledger hashes missing from %d: wanted %d, found %d", start+int64(found), len(out), found)
	}
	return nil
}

const ledgerColumns = `idx, body, time, actor, action, subject`

func scanLedgerEntries(rows *sql.Rows) ([]*telltale.LedgerEntry, error) {
	defer rows.Close()
	var out []*telltale.LedgerEntry
	for rows.Next() {
		var e telltale.LedgerEntry
		var t int64
		if err := rows.Scan(&e.Index, &e.Body, &t, &e.Actor, &e.Action, &e.Subject); err != nil {
			return nil, storeError("read ledger entries", err)
		}
		e.Time = column.FromNanos(t)
		out = append(out, &e)
	}
	return out, rows.Err()
}

func (tx *Tx) LedgerEntries(start, end int64) ([]*telltale.LedgerEntry, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+ledgerColumns+` FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx`, start, end)
	if err != nil {
		return nil, storeError("read ledger entries", err)
	}
	return scanLedgerEntries(rows)
}

func (tx *Tx) LedgerFind(f telltale.LedgerFilter) ([]*telltale.LedgerEntry, error) {
	q := `SELECT ` + ledgerColumns + ` FROM ledger_entries WHERE 1=1`
	var args []any
	if !f.Since.IsZero() {
		q += ` AND time >= ?`
		args = append(args, column.Nanos(f.Since))
	}
	if f.Subject != "" {
		q += ` AND subject = ?`
		args = append(args, f.Subject)
	}
	if f.Action != "" {
		q += ` AND action = ?`
		args = append(args, f.Action)
	}
	q += ` ORDER BY idx`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := tx.tx.QueryContext(tx.ctx, q, args...)
	if err != nil {
		return nil, storeError("search ledger", err)
	}
	return scanLedgerEntries(rows)
}

func (tx *Tx) LedgerHead() (*telltale.LedgerHead, error) {
	var h telltale.LedgerHead
	var hash []byte
	err := tx.queryRow(qLedgerHead).Scan(&h.Size, &hash, &h.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, storeError("read ledger head", err)
	}
	h.Hash, err = column.Hash32(hash)
	return &h, err
}

func (tx *Tx) LedgerAdvance(old, new *telltale.LedgerHead) error {
	var res sql.Result
	var err error
	if old == nil {
		res, err = tx.exec("start ledger", `INSERT INTO ledger_head (id, size, hash, note) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, new.Size, new.Hash[:], new.Note)
	} else {
		res, err = tx.exec("advance ledger", qLedgerAdvance, new.Size, new.Hash[:], new.Note, old.Size, old.Hash[:])
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return telltale.Errorf(telltale.ECONFLICT, "the ledger head moved: another writer appended first")
	}
	return nil
}

func (tx *Tx) LedgerAddCheckpoint(c *telltale.LedgerHead, at time.Time) error {
	_, err := tx.exec("record checkpoint", `INSERT INTO ledger_checkpoints (size, hash, note, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (size) DO NOTHING`,
		c.Size, c.Hash[:], c.Note, column.Nanos(at))
	return err
}

func (tx *Tx) LedgerCheckpoints() ([]*telltale.LedgerHead, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT size, hash, note FROM ledger_checkpoints ORDER BY size`)
	if err != nil {
		return nil, storeError("read checkpoints", err)
	}
	defer rows.Close()
	var out []*telltale.LedgerHead
	for rows.Next() {
		var h telltale.LedgerHead
		var hash []byte
		if err := rows.Scan(&h.Size, &hash, &h.Note); err != nil {
			return nil, storeError("read checkpoints", err)
		}
		if h.Hash, err = column.Hash32(hash); err != nil {
			return nil, storeError("read checkpoints", err)
		}
		out = append(out, &h)
	}
	return out, rows.Err()
}

func (tx *Tx) LedgerVerified() (*telltale.LedgerHead, error) {
	var h telltale.LedgerHead
	var hash []byte
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT size, hash, note FROM ledger_verified WHERE id = 1`).Scan(&h.Size, &hash, &h.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, storeError("read the verified checkpoint", err)
	}
	if h.Hash, err = column.Hash32(hash); err != nil {
		return nil, storeError("read the verified checkpoint", err)
	}
	return &h, nil
}

func (tx *Tx) LedgerSetVerified(v *telltale.LedgerHead, at time.Time) error {
	_, err := tx.exec("record the verified checkpoint", `INSERT INTO ledger_verified (id, size, hash, note, verified_at) VALUES (1, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET size = excluded.size, hash = excluded.hash, note = excluded.note, verified_at = excluded.verified_at`,
		v.Size, v.Hash[:], v.Note, column.Nanos(at))
	return err
}
