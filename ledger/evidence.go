package ledger

import (
	"encoding/base64"
	"fmt"
	"slices"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
)

// Evidence is a set of ledger entries with inclusion proofs against one
// signed checkpoint: it proves, to anyone holding the verifier key, that
// those entries were in the log when the checkpoint was signed. It needs no
// database to check.
type Evidence struct {
	VerifierKey string        `json:"verifier_key"`
	Checkpoint  string        `json:"checkpoint"`
	Entries     []ProvedEntry `json:"entries"`
}

// ProvedEntry is an entry and its inclusion proof.
type ProvedEntry struct {
	Index int64    `json:"index"`
	Body  string   `json:"body"`
	Proof []string `json:"proof"` // base64 hashes, from the leaf up
}

// Export proves the entries at indexes against the current head.
func (l *Log) Export(tx telltale.LedgerTx, indexes []int64) (*Evidence, error) {
	head, err := l.Head(tx)
	if err != nil {
		return nil, err
	}
	ev := &Evidence{VerifierKey: l.vkey, Checkpoint: string(head.Note)}
	indexes = slices.Clone(indexes)
	slices.Sort(indexes)
	indexes = slices.Compact(indexes)
	for _, i := range indexes {
		rows, err := tx.LedgerEntries(i, i+1)
		if err != nil {
			return nil, err
		}
		if len(rows) != 1 {
			return nil, telltale.Errorf(telltale.ENOTFOUND, "no ledger entry %d", i)
		}
		proof, err := l.ProveEntry(tx, i, head.Size)
		if err != nil {
			return nil, err
		}
		pe := ProvedEntry{Index: i, Body: string(rows[0].Body)}
		for _, h := range proof {
			pe.Proof = append(pe.Proof, base64.StdEncoding.EncodeToString(h[:]))
		}
		ev.Entries = append(ev.Entries, pe)
	}
	return ev, nil
}

// VerifyEvidence checks evidence against a trusted verifier key: the
// checkpoint's signature, and each entry's inclusion in the checkpoint's
// tree. It returns the parsed entries and the checkpoint.
func VerifyEvidence(ev *Evidence, trustedKey string) ([]*Entry, *Checkpoint, error) {
	if trustedKey == "" {
		return nil, nil, fmt.Errorf("no trusted verifier key given")
	}
	c, err := OpenCheckpoint([]byte(ev.Checkpoint), trustedKey)
	if err != nil {
		return nil, nil, err
	}
	var out []*Entry
	for _, pe := range ev.Entries {
		e, err := Parse([]byte(pe.Body))
		if err != nil {
			return nil, nil, fmt.Errorf("entry %d: %v", pe.Index, err)
		}
		var proof tlog.RecordProof
		for _, s := range pe.Proof {
			raw, err := base64.StdEncoding.DecodeString(s)
			if err != nil || len(raw) != tlog.HashSize {
				return nil, nil, fmt.Errorf("entry %d: damaged proof hash", pe.Index)
			}
			var h tlog.Hash
			copy(h[:], raw)
			proof = append(proof, h)
		}
		if err := tlog.CheckRecord(proof, c.Size, c.Hash, pe.Index, tlog.RecordHash([]byte(pe.Body))); err != nil {
			return nil, nil, fmt.Errorf("entry %d is not in the checkpoint's log: %v", pe.Index, err)
		}
		out = append(out, e)
	}
	return out, c, nil
}
