package ledger

import (
	"bytes"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
)

// Verification is what Verify found.
type Verification struct {
	Entries     int64
	Checkpoints int
	Head        *Checkpoint
	Problems    []Problem
}

// OK reports whether the ledger verified.
func (r *Verification) OK() bool { return len(r.Problems) == 0 }

// Problem is one inconsistency, with the entry it concerns (-1 if none).
type Problem struct {
	Entry int64
	Msg   string
}

func (p Problem) String() string {
	if p.Entry >= 0 {
		return fmt.Sprintf("entry %d: %s", p.Entry, p.Msg)
	}
	return p.Msg
}

// memHashes is an in-memory tlog.HashReader over recomputed hashes.
type memHashes []tlog.Hash

func (m memHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(m)) {
			return nil, fmt.Errorf("no stored hash %d", idx)
		}
		out[i] = m[idx]
	}
	return out, nil
}

const verifyBatch = 10000

// Verify recomputes the whole tree from the stored entries and checks the
// stored hashes, the head and every published checkpoint against it. Run
// it in a read transaction.
func (l *Log) Verify(tx telltale.LedgerTx) (*Verification, error) {
	r := &Verification{}
	size, err := tx.LedgerSize()
	if err != nil {
		return nil, err
	}
	r.Entries = size
	mem, err := r.recomputeTree(tx, size)
	if err != nil {
		return nil, err
	}
	head, err := tx.LedgerHead()
	if err != nil {
		return nil, err
	}
	// Compare the recomputed stored hashes with the stored ones, for the
	// entries the signed head covers (later ones are reported below).
	total := int64(len(mem))
	if head != nil && head.Size < size {
		total = tlog.StoredHashCount(head.Size)
	}
	r.compareStoredHashes(tx, mem, total, size)
	lastGood, err := l.checkCheckpoints(tx, r, size, mem)
	if err != nil {
		return nil, err
	}
	l.checkHead(r, head, size, mem, lastGood)
	return r, nil
}

// add records a problem; after 100, more are not worth listing.
func (r *Verification) add(entry int64, format string, args ...any) {
	if len(r.Problems) < 100 {
		r.Problems = append(r.Problems, Problem{Entry: entry, Msg: fmt.Sprintf(format, args...)})
	}
}

// recomputeTree reads the stored entries in batches, checks that each one
// parses and agrees with its columns, and returns the tree's stored hashes
// recomputed from them. A missing entry is reported and counted as empty.
func (r *Verification) recomputeTree(tx telltale.LedgerTx, size int64) (memHashes, error) {
	var mem memHashes
	next := int64(0)
	for start := int64(0); start < size; start += verifyBatch {
		rows, err := tx.LedgerEntries(start, min(size, start+verifyBatch))
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			for next < row.Index {
				r.add(next, "missing: the entry was deleted")
				mem = appendEntry(mem, next, nil)
				next++
			}
			r.checkRow(row)
			mem = appendEntry(mem, row.Index, row.Body)
			next++
		}
	}
	return mem, nil
}

// checkRow checks that a stored entry parses and that its columns say
// what its body says.
func (r *Verification) checkRow(row *telltale.LedgerEntry) {
	e, err := Parse(row.Body)
	switch {
	case err != nil:
		r.add(row.Index, "not a valid entry: %v", err)
	case !e.Time.Equal(row.Time) || e.Actor != row.Actor || e.Action != row.Action || e.Subject != row.Subject:
		r.add(row.Index, "its time, actor, action or subject columns were changed (the entry says %s %s %s %s)", e.Time.UTC().Format("2006-01-02T15:04:05.999999999Z"), e.Actor, e.Action, e.Subject)
	}
}

// compareStoredHashes compares the first total stored tree hashes with the
// recomputed ones, in batches, and reports the entries or subtrees whose
// hashes differ.
func (r *Verification) compareStoredHashes(tx telltale.LedgerTx, mem memHashes, total, size int64) {
	for start := int64(0); start < total; start += verifyBatch {
		end := min(total, start+verifyBatch)
		idx := make([]int64, 0, end-start)
		for i := start; i < end; i++ {
			idx = append(idx, i)
		}
		stored, err := tx.LedgerReadHashes(idx)
		if err != nil {
			r.add(-1, "stored tree hashes are missing or unreadable: %v", err)
			return
		}
		for k, h := range stored {
			if tlog.Hash(h) != mem[start+int64(k)] {
				r.badStoredHash(start+int64(k), size)
			}
		}
	}
}

// badStoredHash reports the entry, or the range of entries, under a stored
// hash that does not match.
func (r *Verification) badStoredHash(index, size int64) {
	level, n := tlog.SplitStoredHashIndex(index)
	if level == 0 {
		r.add(n, "content changed since it was appended: its hash does not match the tree")
		return
	}
	lo, hi := n<<uint(level), (n+1)<<uint(level)-1
	r.add(lo, "the stored tree hash over entries %d–%d does not match them", lo, min(hi, size-1))
}

// checkCheckpoints checks every published checkpoint's signature, columns
// and tree, and returns the size of the last one that matches the entries.
func (l *Log) checkCheckpoints(tx telltale.LedgerTx, r *Verification, size int64, mem memHashes) (lastGood int64, err error) {
	cps, err := tx.LedgerCheckpoints()
	if err != nil {
		return 0, err
	}
	for _, cp := range cps {
		r.Checkpoints++
		c, err := OpenCheckpoint(cp.Note, l.vkey)
		if err != nil {
			r.add(-1, "checkpoint at %d entries: %v", cp.Size, err)
			continue
		}
		if c.Size != cp.Size || c.Hash != cp.Hash {
			r.add(-1, "checkpoint at %d entries: its size or hash column was changed", cp.Size)
			continue
		}
		if l.checkTree(c, size, mem, fmt.Sprintf("checkpoint at %d entries (entries %d–%d)", c.Size, lastGood, c.Size-1), r.add) {
			lastGood = c.Size
		}
	}
	return lastGood, nil
}

// checkHead checks the signed ledger head against the entries, and that
// no entry lies beyond it.
func (l *Log) checkHead(r *Verification, head *telltale.LedgerHead, size int64, mem memHashes, lastGood int64) {
	if head == nil {
		if size > 0 {
			r.add(-1, "%d entries but no ledger head", size)
		}
		return
	}
	c, err := OpenCheckpoint(head.Note, l.vkey)
	switch {
	case err != nil:
		r.add(-1, "the ledger head's checkpoint: %v", err)
	case c.Size != head.Size || c.Hash != head.Hash:
		r.add(-1, "the ledger head's size or hash was changed: the signed checkpoint says %d entries", c.Size)
	default:
		r.Head = c
		l.checkTree(c, size, mem, fmt.Sprintf("the ledger head (%d entries; entries %d–%d since the last good checkpoint)", c.Size, lastGood, c.Size-1), r.add)
		if size > c.Size {
			r.add(c.Size, "entries %d–%d are not covered by the signed ledger head: they were inserted", c.Size, size-1)
		}
	}
}

// appendEntry adds an entry's stored hashes (a deleted entry counts as an
// empty record so later indexes keep their places).
func appendEntry(mem memHashes, n int64, body []byte) memHashes {
	hs, err := tlog.StoredHashes(n, body, mem)
	if err != nil {
		panic("ledger: recomputing stored hashes: " + err.Error())
	}
	return append(mem, hs...)
}

// checkTree compares a checkpoint with the recomputed tree.
func (l *Log) checkTree(c *Checkpoint, size int64, mem memHashes, what string, add func(int64, string, ...any)) bool {
	if c.Origin != l.origin {
		add(-1, "%s: signed for %q, not this ledger", what, c.Origin)
		return false
	}
	if c.Size > size {
		add(size, "%s: covers %d entries but only %d are stored: entries were deleted from the end", what, c.Size, size)
		return false
	}
	root, err := tlog.TreeHash(c.Size, mem)
	if err != nil {
		add(-1, "%s: %v", what, err)
		return false
	}
	if !bytes.Equal(root[:], c.Hash[:]) {
		add(-1, "%s does not match the stored entries: one of them was changed, removed, reordered or inserted", what)
		return false
	}
	return true
}
