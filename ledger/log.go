package ledger

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
)

// Log appends to, proves and verifies a ledger. Its methods take the
// store transaction to work in; a Log itself holds only keys and is safe
// for concurrent use.
type Log struct {
	origin   string
	signer   note.Signer
	verifier note.Verifier
	vkey     string

	// front holds the hashes of the last tree this log appended to: see
	// frontier.
	mu    sync.Mutex
	front *frontier
}

// GenerateKeys makes a new Ed25519 signing key for a ledger named name
// (the checkpoint's origin), returning the private (signer) and public
// (verifier) keys in golang.org/x/mod/sumdb/note encoding.
func GenerateKeys(name string) (skey, vkey string, err error) {
	return note.GenerateKey(rand.Reader, name)
}

// WriteKeys creates a ledger's key files: the signer key with mode 0600,
// the verifier key with mode 0644. It never overwrites.
func WriteKeys(skeyPath, vkeyPath, name string) error {
	skey, vkey, err := GenerateKeys(name)
	if err != nil {
		return fmt.Errorf("failed to generate ledger key: %w", err)
	}
	f, err := os.OpenFile(skeyPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("failed to create ledger key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("failed to write ledger key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("failed to write ledger key: %w", err)
	}
	if err := os.WriteFile(vkeyPath, []byte(vkey+"\n"), 0o644); err != nil {
		return fmt.Errorf("failed to write ledger public key: %w", err)
	}
	return nil
}

// Open reads a ledger's key files.
func Open(skeyPath, vkeyPath string) (*Log, error) {
	fi, err := os.Stat(skeyPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no ledger key at %s (hint: run telltale init)", skeyPath)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read ledger key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("ledger key %s is accessible to other users (mode %v) (hint: chmod 600 %s)", skeyPath, fi.Mode().Perm(), skeyPath)
	}
	skey, err := os.ReadFile(skeyPath)
	if err != nil {
		return nil, fmt.Errorf("failed to read ledger key: %w", err)
	}
	vkey, err := os.ReadFile(vkeyPath)
	if err != nil {
		return nil, fmt.Errorf("failed to read ledger public key: %w", err)
	}
	return New(strings.TrimSpace(string(skey)), strings.TrimSpace(string(vkey)))
}

// New returns a log signing with skey; vkey must be its verifier key.
func New(skey, vkey string) (*Log, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("invalid ledger signer key: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("invalid ledger verifier key: %w", err)
	}
	if s.Name() != v.Name() || s.KeyHash() != v.KeyHash() {
		return nil, fmt.Errorf("ledger signer and verifier keys do not match")
	}
	return &Log{origin: "telltale ledger " + s.Name(), signer: s, verifier: v, vkey: vkey}, nil
}

// VerifierKey returns the public key that checks the log's checkpoints.
func (l *Log) VerifierKey() string { return l.vkey }

// hashReader reads stored hashes from a transaction.
func hashReader(tx telltale.LedgerTx) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hs, err := tx.LedgerReadHashes(indexes)
		if err != nil {
			return nil, err
		}
		out := make([]tlog.Hash, len(hs))
		for i, h := range hs {
			out[i] = tlog.Hash(h)
		}
		return out, nil
	})
}

// Append adds an entry in tx and advances the signed head. It returns the
// entry's index. Call it in the same transaction as the change it records.
func (l *Log) Append(tx telltale.LedgerTx, e *Entry) (int64, error) {
	body, err := e.Encode()
	if err != nil {
		return 0, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to encode a ledger entry", Err: err}
	}
	n, err := tx.LedgerSize()
	if err != nil {
		return 0, err
	}
	head, err := tx.LedgerHead()
	if err != nil {
		return 0, err
	}
	if head == nil && n != 0 || head != nil && head.Size != n {
		size := int64(0)
		if head != nil {
			size = head.Size
		}
		return 0, &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("the ledger head says %d entries but %d are stored (hint: run telltale ledger verify)", size, n)}
	}
	r := l.frontierReader(head, hashReader(tx))
	hashes, err := tlog.StoredHashes(n, body, r)
	if err != nil {
		return 0, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to hash a ledger entry", Err: err}
	}
	stored := make([]telltale.LedgerHash, len(hashes))
	base := tlog.StoredHashCount(n)
	for i, h := range hashes {
		stored[i] = telltale.LedgerHash{Index: base + int64(i), Hash: h}
		r.known[base+int64(i)] = h
	}
	row := &telltale.LedgerEntry{Index: n, Body: body, Time: e.Time, Actor: e.Actor, Action: e.Action, Subject: e.Subject}
	if err := tx.LedgerAppend(row, stored); err != nil {
		return 0, err
	}
	root, err := tlog.TreeHash(n+1, r)
	if err != nil {
		return 0, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to compute the ledger tree", Err: err}
	}
	l.remember(n+1, root, r.known)
	signed, err := l.sign(n+1, root)
	if err != nil {
		return 0, err
	}
	if err := tx.LedgerAdvance(head, &telltale.LedgerHead{Size: n + 1, Hash: root, Note: signed}); err != nil {
		return 0, err
	}
	return n, nil
}

// sign returns the signed checkpoint for a tree:
//
//	telltale ledger <name>
//	<size>
//	<base64 root hash>
//
//	— <name> <signature>
//
// SignCheckpoint signs a checkpoint of a tree of size entries with this
// log's key. Tests use it to forge checkpoints with other keys.
func (l *Log) SignCheckpoint(size int64, root tlog.Hash) ([]byte, error) { return l.sign(size, root) }

func (l *Log) sign(size int64, root tlog.Hash) ([]byte, error) {
	text := fmt.Sprintf("%s\n%d\n%s\n", l.origin, size, base64.StdEncoding.EncodeToString(root[:]))
	b, err := note.Sign(&note.Note{Text: text}, l.signer)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to sign the ledger checkpoint", Err: err}
	}
	return b, nil
}

// Checkpoint is a verified, parsed checkpoint.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
	Note   []byte
}

// OpenCheckpoint verifies a signed checkpoint with a verifier key and
// parses it.
func OpenCheckpoint(signed []byte, vkey string) (*Checkpoint, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("invalid verifier key: %w", err)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("checkpoint signature does not verify: %w", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 4 || lines[3] != "" || !strings.HasPrefix(lines[0], "telltale ledger ") {
		return nil, fmt.Errorf("checkpoint is not a telltale ledger checkpoint")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("checkpoint size %q is not a number", lines[1])
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		return nil, fmt.Errorf("checkpoint hash %q is not a hash", lines[2])
	}
	c := &Checkpoint{Origin: lines[0], Size: size, Note: signed}
	copy(c.Hash[:], raw)
	return c, nil
}

// Head returns the latest signed checkpoint, verified.
func (l *Log) Head(tx telltale.LedgerTx) (*Checkpoint, error) {
	h, err := tx.LedgerHead()
	if err != nil {
		return nil, err
	}
	if h == nil {
		root := tlog.Hash{}
		signed, err := l.sign(0, root)
		if err != nil {
			return nil, err
		}
		return &Checkpoint{Origin: l.origin, Size: 0, Note: signed}, nil
	}
	c, err := OpenCheckpoint(h.Note, l.vkey)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "the stored ledger head does not verify (hint: run telltale ledger verify)", Err: err}
	}
	return c, nil
}

// Publish records the current head as a published checkpoint (to hand to
// a witness or print) and returns it. Verify checks every published
// checkpoint against the entries.
func (l *Log) Publish(tx telltale.LedgerTx, at time.Time) (*Checkpoint, error) {
	c, err := l.Head(tx)
	if err != nil || c.Size == 0 {
		return c, err
	}
	if err := tx.LedgerAddCheckpoint(&telltale.LedgerHead{Size: c.Size, Hash: c.Hash, Note: c.Note}, at); err != nil {
		return nil, err
	}
	return c, nil
}

// ProveEntry returns the proof that entry index is in the tree of size
// size.
func (l *Log) ProveEntry(tx telltale.LedgerTx, index, size int64) (tlog.RecordProof, error) {
	if index < 0 || index >= size {
		return nil, telltale.Errorf(telltale.EINVALID, "entry %d is not in a ledger of %d entries", index, size)
	}
	return tlog.ProveRecord(size, index, hashReader(tx))
}

// ProveConsistency returns the proof that the tree of size oldSize is a
// prefix of the tree of size newSize.
func (l *Log) ProveConsistency(tx telltale.LedgerTx, oldSize, newSize int64) (tlog.TreeProof, error) {
	if oldSize < 0 || oldSize > newSize {
		return nil, telltale.Errorf(telltale.EINVALID, "cannot prove a tree of %d entries consistent with one of %d", oldSize, newSize)
	}
	return tlog.ProveTree(newSize, oldSize, hashReader(tx))
}

// TreeHash returns the root of the tree of the first size entries.
func (l *Log) TreeHash(tx telltale.LedgerTx, size int64) (tlog.Hash, error) {
	return tlog.TreeHash(size, hashReader(tx))
}
