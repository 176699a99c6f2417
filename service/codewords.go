package service

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/trace"
)

// # Codewords of a version's copies
//
// A trace needs the codeword of every copy of the version, each derived
// from the copy's key and checked against the commitment made at issue
// time: tens of microseconds a copy, so seconds for 10⁵ copies. The
// derivations are split across cores, and the checked codewords of the
// versions traced last are kept in memory (up to Options.CodewordCache
// bytes), so that tracing again reads them from memory. A kept codeword
// serves only the row it was checked against: the same copy with the same
// nonce and commitment. A row edited since is derived and checked again.

// DefaultCodewordCache is the memory kept for codewords when Options does
// not say: 10⁵ copies of a 1,000-slot version take about 110 MB.
const DefaultCodewordCache = 512 << 20

// codewordCache keeps checked codewords by version, least recently traced
// versions dropped first.
type codewordCache struct {
	mu        sync.Mutex
	budget    int64
	used      int64
	tick      uint64
	byVersion map[int64]*versionCodewords
}

type versionCodewords struct {
	copies map[int64]*checkedCodeword // by copy ID
	bytes  int64
	last   uint64 // tick of the last trace
}

// checkedCodeword is a copy's codeword, checked against the row's
// commitment, and the copy's zero-width tag.
type checkedCodeword struct {
	nonce      string
	commitment [32]byte
	codeword   fingerprint.Codeword
	tag        uint32
}

// overhead is the memory of a cached codeword besides its symbols: the
// struct, the nonce and the map entry, roughly.
const overhead = 128

func (e *checkedCodeword) size() int64 { return int64(len(e.codeword) + len(e.nonce) + overhead) }

// serves reports whether the entry was checked against this row.
func (e *checkedCodeword) serves(h *telltale.Holding) bool {
	return e != nil && e.commitment == h.Commitment && e.nonce == string(h.Nonce)
}

func newCodewordCache(budget int64) *codewordCache {
	return &codewordCache{budget: budget, byVersion: map[int64]*versionCodewords{}}
}

// get returns the cached entry of each copy that still serves its row
// (nil for the others).
func (cc *codewordCache) get(versionID int64, held []telltale.Holding) []*checkedCodeword {
	out := make([]*checkedCodeword, len(held))
	cc.mu.Lock()
	defer cc.mu.Unlock()
	vc := cc.byVersion[versionID]
	if vc == nil {
		return out
	}
	cc.tick++
	vc.last = cc.tick
	for i := range held {
		if e := vc.copies[held[i].CopyID]; e.serves(&held[i]) {
			out[i] = e
		}
	}
	return out
}

// put keeps a version's entries, replacing what was kept of it, if they
// fit in the budget once less recently traced versions are dropped.
func (cc *codewordCache) put(versionID int64, held []telltale.Holding, entries []*checkedCodeword) {
	vc := &versionCodewords{copies: make(map[int64]*checkedCodeword, len(held))}
	for i, e := range entries {
		vc.copies[held[i].CopyID] = e
		vc.bytes += e.size()
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if old := cc.byVersion[versionID]; old != nil {
		cc.used -= old.bytes
		delete(cc.byVersion, versionID)
	}
	if vc.bytes > cc.budget {
		return
	}
	for cc.used+vc.bytes > cc.budget {
		var oldest int64
		var last uint64
		for id, v := range cc.byVersion {
			if last == 0 || v.last < last {
				oldest, last = id, v.last
			}
		}
		cc.used -= cc.byVersion[oldest].bytes
		delete(cc.byVersion, oldest)
	}
	cc.tick++
	vc.last = cc.tick
	cc.byVersion[versionID] = vc
	cc.used += vc.bytes
}

// holders returns every copy of a version with its recipient and its
// codeword, checked against the commitment made at issue time: from the
// cache, or derived across cores.
func (s *Service) holders(ctx context.Context, version *telltale.Version) ([]trace.Holder, error) {
	st, err := s.prepare(version)
	if err != nil {
		return nil, err
	}
	var held []telltale.Holding
	err = s.store.View(ctx, func(tx telltale.Tx) (err error) { held, err = tx.Holdings(version.ID); return err })
	if err != nil {
		return nil, err
	}
	entries := s.codewords.get(version.ID, held)
	var missing []int
	for i, e := range entries {
		if e == nil {
			missing = append(missing, i)
		}
	}
	if err := s.deriveCodewords(ctx, st.biases, held, missing, entries); err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		s.codewords.put(version.ID, held, entries)
	}
	holders := make([]trace.Holder, len(held))
	for i := range held {
		h, e := &held[i], entries[i]
		holders[i] = trace.Holder{CopyID: h.CopyID, Copy: h.Number, Codeword: e.codeword, Tag: e.tag,
			Recipient: trace.RecipientRef{ID: h.RecipientID, Name: h.Name, Email: h.Email, Unit: h.Unit}}
	}
	return holders, nil
}

// deriveBlock is how many copies a worker derives at a time.
const deriveBlock = 256

// deriveCodewords derives and checks the codewords of held[i] for every i
// in missing, on every core, into entries[i].
func (s *Service) deriveCodewords(ctx context.Context, biases [][]float64, held []telltale.Holding, missing []int, entries []*checkedCodeword) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for w := range min(len(errs), (len(missing)+deriveBlock-1)/deriveBlock) {
		wg.Go(func() {
			for {
				start := int(next.Add(deriveBlock)) - deriveBlock
				if start >= len(missing) || ctx.Err() != nil {
					return
				}
				block := missing[start:min(len(missing), start+deriveBlock)]
				// One allocation per block: the symbols are plain bytes,
				// which the garbage collector does not scan.
				slab := make([]byte, len(block)*len(biases))
				for k, i := range block {
					c := &telltale.Copy{ID: held[i].CopyID, Nonce: held[i].Nonce, Commitment: held[i].Commitment}
					e, err := s.checkedCodeword(c, biases, slab[k*len(biases):(k+1)*len(biases):(k+1)*len(biases)])
					if err != nil {
						errs[w] = err
						next.Store(int64(len(missing)))
						return
					}
					entries[i] = e
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// checkedCodeword recomputes a copy's codeword into cw (len(biases)
// bytes) from its nonce and checks it against its commitment, stored at
// issue time.
func (s *Service) checkedCodeword(c *telltale.Copy, biases [][]float64, cw []byte) (*checkedCodeword, error) {
	k, tag := s.keys.CopyKeys(c)
	if fingerprint.CommittedCodeword(k, biases, cw) != c.Commitment {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("copy %d's codeword does not match its commitment (hint: wrong master key?)", c.ID), Err: errors.New("commitment mismatch")}
	}
	return &checkedCodeword{nonce: string(c.Nonce), commitment: c.Commitment, codeword: cw, tag: tag}, nil
}
