package ledger

import (
	"crypto/sha256"
	"encoding/hex"
)

// HolderCommitment is the "holder" field of a copy.issue entry: a salted
// hash of who holds the copy — the recipient's reference ("recipient/7"),
// name and e-mail as they were when it was issued. With the salt (secret,
// derived per copy; an evidence bundle reveals it for an accused copy)
// anyone can check that the person a verdict names is the one the copy
// was issued to, however the database was edited since.
func HolderCommitment(salt [32]byte, recipient, name, email string) string {
	h := sha256.New()
	h.Write(salt[:])
	for _, s := range []string{"telltale holder v1", recipient, name, email} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
