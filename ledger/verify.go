package ledger

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
)

// # Verification
//
// [Log.Verify] reads every entry, recomputes the whole tree from them
// (the hashing split across cores), and checks every stored hash, every
// published checkpoint and the signed head against it: an edited,
// deleted, inserted or reordered row is named.
//
// [Log.VerifyNew] starts from the checkpoint the last verification
// recorded ([Log.MarkVerified], signed with the ledger key): it proves the
// current head consistent with that checkpoint (an RFC 6962 consistency
// proof from the stored hashes), then reads and recomputes only the
// entries appended since and checks their stored hashes, the checkpoints
// and the head. It does not re-read the entries before the recorded
// checkpoint: an edit to one of them that leaves the stored hashes alone
// goes unnoticed until the next full verification. Anything that fails
// the incremental checks is followed by a full verification, which names
// the altered entries.

// Verification is what a verification found.
type Verification struct {
	Entries int64
	// From is the first entry read and recomputed: 0 for a full
	// verification; for an incremental one, the size of the checkpoint
	// the previous verification recorded.
	From        int64
	Checkpoints int
	Head        *Checkpoint
	Problems    []Problem
}

// OK reports whether the ledger verified.
func (r *Verification) OK() bool { return len(r.Problems) == 0 }

// Full reports whether every entry was read.
func (r *Verification) Full() bool { return r.From == 0 }

// Read is how many entries were read and recomputed.
func (r *Verification) Read() int64 { return r.Entries - r.From }

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

// treeHashes is the tree's stored hashes as a verification recomputed
// them: from index base on in mem; below base, for an incremental
// verification, the stored ones as read (the consistency proof vouches
// for those the tree hashes use).
type treeHashes struct {
	base  int64
	mem   []tlog.Hash
	old   tlog.HashReader
	cache map[int64]tlog.Hash
}

func (t *treeHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	for i, idx := range indexes {
		switch h, ok := t.cache[idx]; {
		case idx >= t.base && idx-t.base < int64(len(t.mem)):
			out[i] = t.mem[idx-t.base]
		case idx >= t.base || idx < 0 || t.old == nil:
			return nil, fmt.Errorf("no stored hash %d", idx)
		case ok:
			out[i] = h
		default:
			missing = append(missing, idx)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	hs, err := t.old.ReadHashes(missing)
	if err != nil {
		return nil, err
	}
	if t.cache == nil {
		t.cache = map[int64]tlog.Hash{}
	}
	for k, idx := range missing {
		t.cache[idx] = hs[k]
	}
	for i, idx := range indexes {
		if idx < t.base {
			out[i] = t.cache[idx]
		}
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
	return r, l.checkAgainst(tx, r, &treeHashes{mem: mem}, size)
}

// checkAgainst checks the stored hashes from t.base on, every published
// checkpoint and the head against the recomputed tree.
func (l *Log) checkAgainst(tx telltale.LedgerTx, r *Verification, t *treeHashes, size int64) error {
	head, err := tx.LedgerHead()
	if err != nil {
		return err
	}
	// Compare the recomputed stored hashes with the stored ones, for the
	// entries the signed head covers (later ones are reported below).
	total := t.base + int64(len(t.mem))
	if head != nil && head.Size < size {
		total = max(t.base, tlog.StoredHashCount(head.Size))
	}
	r.compareStoredHashes(tx, t, total, size)
	lastGood, err := l.checkCheckpoints(tx, r, size, t)
	if err != nil {
		return err
	}
	l.checkHead(r, head, size, t, lastGood)
	return nil
}

// VerifyNew verifies what was appended since the checkpoint the last
// verification recorded (see MarkVerified): the current head must be
// consistent with it, and the entries since are read and recomputed. With
// no recorded checkpoint it is Verify. If the incremental checks fail, it
// verifies everything to name the altered entries. Run it in a read
// transaction.
func (l *Log) VerifyNew(tx telltale.LedgerTx) (*Verification, error) {
	rec, err := tx.LedgerVerified()
	if err != nil || rec == nil {
		return l.verifyAll(tx, err)
	}
	from, err := l.openVerified(rec.Note)
	if err == nil && (from.Size != rec.Size || from.Hash != rec.Hash) {
		err = fmt.Errorf("its size or hash column was changed")
	}
	if err != nil {
		return l.verifyAll(tx, nil, Problem{-1, fmt.Sprintf("the record of the last verification is not valid (%v): everything was verified (hint: telltale ledger verify --full records a new one)", err)})
	}
	if from.Size == 0 {
		return l.Verify(tx)
	}
	r := &Verification{From: from.Size}
	size, err := tx.LedgerSize()
	if err != nil {
		return nil, err
	}
	r.Entries = size
	if msg := l.checkConsistent(tx, from, size); msg != "" {
		return l.verifyAll(tx, nil, Problem{-1, msg + "; everything was verified to find what changed"})
	}
	mem, err := r.recomputeFrom(tx, from.Size, size)
	if err != nil {
		return nil, err
	}
	return r, l.checkAgainst(tx, r, mem, size)
}

// verifyAll is Verify, reporting first problems found before it.
func (l *Log) verifyAll(tx telltale.LedgerTx, err error, first ...Problem) (*Verification, error) {
	if err != nil {
		return nil, err
	}
	r, err := l.Verify(tx)
	if err != nil {
		return nil, err
	}
	r.Problems = append(first, r.Problems...)
	return r, nil
}

// checkConsistent proves the signed head consistent with the recorded
// checkpoint from the stored hashes. It returns what is wrong, or "".
func (l *Log) checkConsistent(tx telltale.LedgerTx, from *VerifiedCheckpoint, size int64) string {
	what := fmt.Sprintf("the log is not consistent with the checkpoint verified on %s at %d entries", from.Time.UTC().Format("2006-01-02 15:04 MST"), from.Size)
	head, err := l.Head(tx)
	switch {
	case err != nil:
		return what + ": " + err.Error()
	case from.Size > size || from.Size > head.Size:
		return fmt.Sprintf("%s: only %d entries are stored, %d signed (entries were deleted from the end)", what, size, head.Size)
	}
	proof, err := tlog.ProveTree(head.Size, from.Size, hashReader(tx))
	if err == nil {
		err = tlog.CheckTree(proof, head.Size, head.Hash, from.Size, from.Hash)
	}
	if err != nil {
		return fmt.Sprintf("%s: %v (entries before it were changed, removed, reordered or inserted)", what, err)
	}
	return ""
}

// add records a problem; after 100, more are not worth listing.
func (r *Verification) add(entry int64, format string, args ...any) {
	if len(r.Problems) < 100 {
		r.Problems = append(r.Problems, Problem{Entry: entry, Msg: fmt.Sprintf(format, args...)})
	}
}

// leafBatch is a batch of entries read in order, hashed and checked by a
// worker.
type leafBatch struct {
	start, end int64
	rows       []*telltale.LedgerEntry
	problems   Verification // only Problems is used
}

// recomputeTree reads the stored entries in batches, checks that each one
// parses and agrees with its columns, and returns the tree's stored hashes
// recomputed from them: the entries are hashed by workers while the next
// batch is read, then each level of the tree is hashed across cores. A
// missing entry is reported and counted as empty.
func (r *Verification) recomputeTree(tx telltale.LedgerTx, size int64) ([]tlog.Hash, error) {
	mem := make([]tlog.Hash, tlog.StoredHashCount(size))
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *leafBatch, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range jobs {
				b.hashLeaves(mem)
			}
		})
	}
	var batches []*leafBatch
	var err error
	for start := int64(0); start < size && err == nil; start += verifyBatch {
		b := &leafBatch{start: start, end: min(size, start+verifyBatch)}
		if b.rows, err = tx.LedgerEntries(b.start, b.end); err == nil {
			batches = append(batches, b)
			jobs <- b
		}
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	for _, b := range batches {
		for _, p := range b.problems.Problems {
			r.add(p.Entry, "%s", p.Msg)
		}
	}
	for level := 1; size>>level > 0; level++ {
		hashLevel(mem, level, size>>level, workers)
	}
	return mem, nil
}

// hashLeaves checks a batch's entries and stores their record hashes.
func (b *leafBatch) hashLeaves(mem []tlog.Hash) {
	next := b.start
	for _, row := range b.rows {
		for ; next < row.Index; next++ {
			b.problems.add(next, "missing: the entry was deleted")
			mem[tlog.StoredHashIndex(0, next)] = tlog.RecordHash(nil)
		}
		b.problems.checkRow(row)
		mem[tlog.StoredHashIndex(0, row.Index)] = tlog.RecordHash(row.Body)
		next = row.Index + 1
	}
	for ; next < b.end; next++ {
		b.problems.add(next, "missing: the entry was deleted")
		mem[tlog.StoredHashIndex(0, next)] = tlog.RecordHash(nil)
	}
}

// hashLevel computes the count stored hashes of a level from the level
// below, split across workers.
func hashLevel(mem []tlog.Hash, level int, count int64, workers int) {
	workers = int(min(int64(workers), max(1, count/4096)))
	per := (count + int64(workers) - 1) / int64(workers)
	var wg sync.WaitGroup
	for w := range int64(workers) {
		wg.Go(func() {
			for i := w * per; i < min(count, (w+1)*per); i++ {
				left := mem[tlog.StoredHashIndex(level-1, 2*i)]
				right := mem[tlog.StoredHashIndex(level-1, 2*i+1)]
				mem[tlog.StoredHashIndex(level, i)] = tlog.NodeHash(left, right)
			}
		})
	}
	wg.Wait()
}

// recomputeFrom reads and checks the entries from index from on, and
// returns the tree's stored hashes with theirs recomputed.
func (r *Verification) recomputeFrom(tx telltale.LedgerTx, from, size int64) (*treeHashes, error) {
	t := &treeHashes{base: tlog.StoredHashCount(from), old: hashReader(tx)}
	next := from
	appendEntry := func(n int64, body []byte) error {
		hs, err := tlog.StoredHashes(n, body, t)
		t.mem = append(t.mem, hs...)
		return err
	}
	for start := from; start < size; start += verifyBatch {
		rows, err := tx.LedgerEntries(start, min(size, start+verifyBatch))
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			for ; next < row.Index; next++ {
				r.add(next, "missing: the entry was deleted")
				if err := appendEntry(next, nil); err != nil {
					return nil, err
				}
			}
			r.checkRow(row)
			if err := appendEntry(row.Index, row.Body); err != nil {
				return nil, err
			}
			next++
		}
	}
	return t, nil
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

// compareStoredHashes compares the stored tree hashes from t.base up to
// total with the recomputed ones, in batches, and reports the entries or
// subtrees whose hashes differ.
func (r *Verification) compareStoredHashes(tx telltale.LedgerTx, t *treeHashes, total, size int64) {
	for start := t.base; start < total; start += verifyBatch {
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
			if tlog.Hash(h) != t.mem[start-t.base+int64(k)] {
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
func (l *Log) checkCheckpoints(tx telltale.LedgerTx, r *Verification, size int64, t *treeHashes) (lastGood int64, err error) {
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
		if l.checkTree(c, size, t, fmt.Sprintf("checkpoint at %d entries (entries %d–%d)", c.Size, lastGood, c.Size-1), r.add) {
			lastGood = c.Size
		}
	}
	return lastGood, nil
}

// checkHead checks the signed ledger head against the entries, and that
// no entry lies beyond it.
func (l *Log) checkHead(r *Verification, head *telltale.LedgerHead, size int64, t *treeHashes, lastGood int64) {
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
		l.checkTree(c, size, t, fmt.Sprintf("the ledger head (%d entries; entries %d–%d since the last good checkpoint)", c.Size, max(lastGood, r.From), c.Size-1), r.add)
		if size > c.Size {
			r.add(c.Size, "entries %d–%d are not covered by the signed ledger head: they were inserted", c.Size, size-1)
		}
	}
}

// checkTree compares a checkpoint with the recomputed tree.
func (l *Log) checkTree(c *Checkpoint, size int64, t *treeHashes, what string, add func(int64, string, ...any)) bool {
	if c.Origin != l.origin {
		add(-1, "%s: signed for %q, not this ledger", what, c.Origin)
		return false
	}
	if c.Size > size {
		add(size, "%s: covers %d entries but only %d are stored: entries were deleted from the end", what, c.Size, size)
		return false
	}
	root, err := tlog.TreeHash(c.Size, t)
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
