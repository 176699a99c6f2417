package ledger

import (
	"maps"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
)

// # The frontier
//
// Appending entry n reads stored hashes twice: the roots of the complete
// subtrees it completes, then those of the tree of n+1 entries to compute
// its root. Both are among the roots of the tree's complete subtrees, its
// frontier: at most one per bit of the size. A Log keeps the frontier of
// the last tree it appended to, with that tree's size and root, and uses
// it when the head it appends to is that tree: then an append reads no
// stored hash. The root commits to the frontier, so a kept frontier can
// only be used for the tree it belongs to; after another process
// appended, or a transaction rolled back, the head differs and the hashes
// are read as before.

// frontier is the stored hashes of a tree's complete subtrees, by stored
// index.
type frontier struct {
	size   int64
	root   tlog.Hash
	hashes map[int64]tlog.Hash
}

// frontierIndexes returns the stored indexes of the roots of the complete
// subtrees of a tree of size entries, largest first.
func frontierIndexes(size int64) []int64 {
	var out []int64
	lo := int64(0)
	for level := 62; level >= 0; level-- {
		if size>>level&1 == 1 {
			out = append(out, tlog.StoredHashIndex(level, lo>>level))
			lo += 1 << level
		}
	}
	return out
}

// knownReader serves stored hashes from known, reading the others from the
// store and keeping them.
type knownReader struct {
	known  map[int64]tlog.Hash
	stored tlog.HashReader
}

func (r *knownReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	for _, idx := range indexes {
		if _, ok := r.known[idx]; !ok {
			missing = append(missing, idx)
		}
	}
	if len(missing) > 0 {
		hs, err := r.stored.ReadHashes(missing)
		if err != nil {
			return nil, err
		}
		for i, idx := range missing {
			r.known[idx] = hs[i]
		}
	}
	for i, idx := range indexes {
		out[i] = r.known[idx]
	}
	return out, nil
}

// frontierReader returns a reader that knows the frontier of head's tree,
// if this log kept it.
func (l *Log) frontierReader(head *telltale.LedgerHead, stored tlog.HashReader) *knownReader {
	r := &knownReader{known: map[int64]tlog.Hash{}, stored: stored}
	l.mu.Lock()
	defer l.mu.Unlock()
	if f := l.front; f != nil && head != nil && f.size == head.Size && f.root == head.Hash {
		maps.Copy(r.known, f.hashes)
	}
	return r
}

// remember keeps the frontier of the tree of size entries with root root,
// from the hashes an append read or computed.
func (l *Log) remember(size int64, root tlog.Hash, known map[int64]tlog.Hash) {
	f := &frontier{size: size, root: root, hashes: map[int64]tlog.Hash{}}
	for _, idx := range frontierIndexes(size) {
		h, ok := known[idx]
		if !ok {
			return // not all read: keep nothing rather than guess
		}
		f.hashes[idx] = h
	}
	l.mu.Lock()
	l.front = f
	l.mu.Unlock()
}
