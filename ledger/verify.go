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
	add := func(entry int64, format string, args ...any) {
		if len(r.Problems) < 100 {
			r.Problems = append(r.Problems, Problem{Entry: entry, Msg: fmt.Sprintf(format, args...)})
		}
	}
	size, err := tx.LedgerSize()
	if err != nil {
		return nil, err
	}
	r.Entries = size
	var mem memHashes
	next := int64(0)
	for start := int64(0); start < size; start += verifyBatch {
		rows, err := tx.LedgerEntries(start, min(size, start+verifyBatch))
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			for next < row.Index {
				add(next, "missing: the entry was deleted")
				mem = appendEntry(mem, next, nil)
				next++
			}
			e, err := Parse(row.Body)
			switch {
			case err != nil:
				add(row.Index, "not a valid entry: %v", err)
			case !e.Time.Equal(row.Time) || e.Actor != row.Actor || e.Action != row.Action || e.Subject != row.Subject:
				add(row.Index, "its time, actor, action or subject columns were changed (the entry says %s %s %s %s)", e.Time.UTC().Format("2006-01-02T15:04:05.999999999Z"), e.Actor, e.Action, e.Subject)
			}
			mem = appendEntry(mem, row.Index, row.Body)
			next++
		}
	}
	// Compare the recomputed stored hashes with the stored ones, for the
	// entries the signed head covers (later ones are reported below).
	head, err := tx.LedgerHead()
	if err != nil {
		return nil, err
	}
	total := int64(len(mem))
	if head != nil && head.Size < size {
		total = tlog.StoredHashCount(head.Size)
	}
	for start := int64(0); start < total; start += verifyBatch {
		end := min(total, start+verifyBatch)
		idx := make([]int64, 0, end-start)
		for i := start; i < end; i++ {
			idx = append(idx, i)
		}
		stored, err := tx.LedgerReadHashes(idx)
		if err != nil {
			add(-1, "stored tree hashes are missing or unreadable: %v", err)
			break
		}
		for k, h := range stored {
			if tlog.Hash(h) == mem[start+int64(k)] {
				continue
			}
			level, n := tlog.SplitStoredHashIndex(start + int64(k))
			if level == 0 {
				add(n, "content changed since it was appended: its hash does not match the tree")
			} else {
				lo, hi := n<<uint(level), (n+1)<<uint(level)-1
				add(lo, "the stored tree hash over entries %d–%d does not match them", lo, min(hi, size-1))
			}
		}
	}
	// Published checkpoints.
	cps, err := tx.LedgerCheckpoints()
	if err != nil {
		return nil, err
	}
	lastGood := int64(0)
	for _, cp := range cps {
		r.Checkpoints++
		c, err := OpenCheckpoint(cp.Note, l.vkey)
		if err != nil {
			add(-1, "checkpoint at %d entries: %v", cp.Size, err)
			continue
		}
		if c.Size != cp.Size || c.Hash != cp.Hash {
			add(-1, "checkpoint at %d entries: its size or hash column was changed", cp.Size)
			continue
		}
		if l.checkTree(c, size, mem, fmt.Sprintf("checkpoint at %d entries (entries %d–%d)", c.Size, lastGood, c.Size-1), add) {
			lastGood = c.Size
		}
	}
	// The head.
	if head != nil {
		c, err := OpenCheckpoint(head.Note, l.vkey)
		switch {
		case err != nil:
			add(-1, "the ledger head's checkpoint: %v", err)
		case c.Size != head.Size || c.Hash != head.Hash:
			add(-1, "the ledger head's size or hash was changed: the signed checkpoint says %d entries", c.Size)
		default:
			r.Head = c
			l.checkTree(c, size, mem, fmt.Sprintf("the ledger head (%d entries; entries %d–%d since the last good checkpoint)", c.Size, lastGood, c.Size-1), add)
			if size > c.Size {
				add(c.Size, "entries %d–%d are not covered by the signed ledger head: they were inserted", c.Size, size-1)
			}
		}
	} else if size > 0 {
		add(-1, "%d entries but no ledger head", size)
	}
	return r, nil
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
