package ledger

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
)

// VerifiedCheckpoint says that a verification found the log consistent
// up to Size entries with root Hash, at Time. It is stored as a note
// signed with the ledger key:
//
//	telltale ledger <name> verified
//	<size>
//	<base64 root hash>
//	<time, RFC 3339>
//
//	— <name> <signature>
//
// Its first line differs from a checkpoint's and it has one more, so
// neither can be passed off as the other: a signed head is not a
// verification.
type VerifiedCheckpoint struct {
	Size int64
	Hash tlog.Hash
	Time time.Time
}

// verifiedOrigin is the first line of the log's verified notes.
func (l *Log) verifiedOrigin() string { return l.origin + " verified" }

func (l *Log) signVerified(v *VerifiedCheckpoint) ([]byte, error) {
	text := fmt.Sprintf("%s\n%d\n%s\n%s\n", l.verifiedOrigin(), v.Size, base64.StdEncoding.EncodeToString(v.Hash[:]), v.Time.UTC().Format(time.RFC3339Nano))
	b, err := note.Sign(&note.Note{Text: text}, l.signer)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to sign the verified checkpoint", Err: err}
	}
	return b, nil
}

// openVerified checks a verified note's signature and parses it.
func (l *Log) openVerified(signed []byte) (*VerifiedCheckpoint, error) {
	n, err := note.Open(signed, note.VerifierList(l.verifier))
	if err != nil {
		return nil, fmt.Errorf("its signature does not verify: %w", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 5 || lines[0] != l.verifiedOrigin() || lines[4] != "" {
		return nil, fmt.Errorf("it is not a verified checkpoint of this ledger")
	}
	v := &VerifiedCheckpoint{}
	if v.Size, err = strconv.ParseInt(lines[1], 10, 64); err != nil || v.Size < 0 {
		return nil, fmt.Errorf("its size %q is not a number", lines[1])
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		return nil, fmt.Errorf("its hash %q is not a hash", lines[2])
	}
	copy(v.Hash[:], raw)
	if v.Time, err = time.Parse(time.RFC3339Nano, lines[3]); err != nil {
		return nil, fmt.Errorf("its time %q is not a time", lines[3])
	}
	return v, nil
}

// LastVerified returns the checkpoint the last verification recorded,
// or nil if none is recorded or the record does not verify.
func (l *Log) LastVerified(tx telltale.LedgerTx) (*VerifiedCheckpoint, error) {
	rec, err := tx.LedgerVerified()
	if err != nil || rec == nil {
		return nil, err
	}
	v, err := l.openVerified(rec.Note)
	if err != nil || v.Size != rec.Size || v.Hash != rec.Hash {
		return nil, nil
	}
	return v, nil
}

// MarkVerified records the head a verification that found no problem
// checked, signed, so that the next VerifyNew starts there. It records
// nothing for a verification with problems, and keeps a record of a later
// head that is still consistent with the log (another verification
// finished first). Call it in a write transaction after the
// verification's read transaction.
func (l *Log) MarkVerified(tx telltale.LedgerTx, r *Verification, at time.Time) error {
	if !r.OK() || r.Head == nil {
		return nil
	}
	cur, err := l.LastVerified(tx)
	if err != nil || cur != nil && l.covers(tx, cur, r.Head) {
		return err
	}
	v := &VerifiedCheckpoint{Size: r.Head.Size, Hash: r.Head.Hash, Time: at}
	signed, err := l.signVerified(v)
	if err != nil {
		return err
	}
	return tx.LedgerSetVerified(&telltale.LedgerHead{Size: v.Size, Hash: v.Hash, Note: signed}, at)
}

// covers reports whether a recorded checkpoint is at or beyond a verified
// head and consistent with the current log.
func (l *Log) covers(tx telltale.LedgerTx, rec *VerifiedCheckpoint, verified *Checkpoint) bool {
	switch {
	case rec.Size < verified.Size:
		return false
	case rec.Size == verified.Size:
		return rec.Hash == verified.Hash
	}
	head, err := l.Head(tx)
	if err != nil || head.Size < rec.Size {
		return false
	}
	proof, err := tlog.ProveTree(head.Size, rec.Size, hashReader(tx))
	return err == nil && tlog.CheckTree(proof, head.Size, head.Hash, rec.Size, rec.Hash) == nil
}
