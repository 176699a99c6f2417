package keys

import (
	"encoding/binary"
	"fmt"

	"github.com/telltale-dev/telltale"
)

// Keyring is the one place where telltale's secrets come from: every
// derived key (slot biases, codewords, zero-width tags, the identification
// index, alert webhooks) and every value stored encrypted (document
// sources and templates, rendered copies, case evidence and events,
// flagged articles). Each method names one purpose, and the associated
// data that binds a ciphertext to its row is built here and nowhere else,
// so a sealed value cannot be moved to another row unnoticed.
//
// Several associated-data formats are older than this type and are kept
// byte for byte, because changing them would make stored rows unreadable;
// each says so where it is built.
type Keyring struct {
	m *Master
}

// Keyring returns the keyring over the master key.
func (m *Master) Keyring() *Keyring { return &Keyring{m: m} }

// purposeWebhook derives the key that signs alert webhooks;
// purposeHolder the salt of a copy's holder commitment.
const (
	purposeWebhook = "telltale/v1/webhook"
	purposeHolder  = "telltale/v1/holder"
)

// BiasKey is the key of a version's secret slot biases.
func (k *Keyring) BiasKey(v *telltale.Version) [Size]byte {
	return k.m.derive(purposeBias, v.Nonce)
}

// CodewordKey is the key of a copy's codeword and of its commitment salt.
func (k *Keyring) CodewordKey(c *telltale.Copy) [Size]byte {
	return k.m.derive(purposeCodeword, c.Nonce)
}

// CopyKeys returns a copy's codeword key and zero-width tag, as
// CodewordKey and CopyTag do, sharing the step of HKDF that depends only
// on the nonce: a trace derives them for every copy.
func (k *Keyring) CopyKeys(c *telltale.Copy) (codeword [Size]byte, tag uint32) {
	prk := k.m.extract(c.Nonce)
	t := expand(prk, purposeTag)
	return expand(prk, purposeCodeword), binary.BigEndian.Uint32(t[:4])
}

// CopyTag is the tag a copy carries in the zero-width channel.
func (k *Keyring) CopyTag(c *telltale.Copy) uint32 {
	t := k.m.derive(purposeTag, c.Nonce)
	return binary.BigEndian.Uint32(t[:4])
}

// HolderKey salts a copy's commitment to its holder's identity (see
// ledger.HolderCommitment): secret, so the ledger's hash names nobody, and
// revealed for an accused copy in an evidence bundle.
func (k *Keyring) HolderKey(c *telltale.Copy) [Size]byte {
	return k.m.derive(purposeHolder, c.Nonce)
}

// IndexKey keys the sampling of the identification index, so that which
// phrases are indexed cannot be predicted without the master key.
func (k *Keyring) IndexKey() [Size]byte { return k.m.derive(purposeIndex, nil) }

// WebhookKey is the HMAC key alert webhooks are signed with.
func (k *Keyring) WebhookKey() [Size]byte { return k.m.derive(purposeWebhook, nil) }

// Version parts sealed at rest.
const (
	VersionSource   = "source"
	VersionTemplate = "template"
	// VersionDocx is the Word file of a version added from a .docx.
	VersionDocx = "docx"
)

// versionAAD binds a version's sealed parts to the document and version
// number: the version's row ID is not known before the insert.
func versionAAD(v *telltale.Version, part string) string {
	return fmt.Sprintf("telltale document %d version %d %s", v.DocumentID, v.Number, part)
}

// SealVersion encrypts a part of a version (VersionSource,
// VersionTemplate or VersionDocx) with the version's key. v needs its DocumentID, Number
// and Nonce.
func (k *Keyring) SealVersion(v *telltale.Version, part string, plain []byte) []byte {
	return k.m.atRest(v.Nonce).Seal(plain, versionAAD(v, part))
}

// OpenVersion decrypts a part of a version sealed by SealVersion.
func (k *Keyring) OpenVersion(v *telltale.Version, part string, sealed []byte) ([]byte, error) {
	return k.m.atRest(v.Nonce).Open(sealed, versionAAD(v, part))
}

// copyAAD binds a rendered file to its copy and format.
func copyAAD(copyID int64, format string) string {
	return fmt.Sprintf("telltale copy %d %s", copyID, format)
}

// SealCopy encrypts a copy's rendered file, under the key of the version
// the copy belongs to.
func (k *Keyring) SealCopy(v *telltale.Version, copyID int64, format string, body []byte) []byte {
	return k.m.atRest(v.Nonce).Seal(body, copyAAD(copyID, format))
}

// OpenCopy decrypts a file sealed by SealCopy.
func (k *Keyring) OpenCopy(v *telltale.Version, f *telltale.CopyFile) ([]byte, error) {
	return k.m.atRest(v.Nonce).Open(f.Sealed, copyAAD(f.CopyID, f.Format))
}

// caseAAD binds a case's sealed values to the case.
func caseAAD(caseID int64, what string) string { return fmt.Sprintf("case/%d/%s", caseID, what) }

// Evidence parts sealed at rest.
const (
	EvidenceContent = "evidence"
	EvidenceVerdict = "verdict"
)

// evidenceAAD binds an evidence item's sealed content or verdict to its
// case and content hash. The hash is formatted with fmt.Sprint of the
// array ("[12 200 …]"): that is how the first stored evidence was sealed,
// and changing it would make those rows unreadable.
func evidenceAAD(caseID int64, e *telltale.Evidence, part string) string {
	return caseAAD(caseID, part+"/"+fmt.Sprint(e.SHA256))
}

// SealEvidence encrypts a part of an evidence item (EvidenceContent or
// EvidenceVerdict) with its case's key. e needs its SHA256.
func (k *Keyring) SealEvidence(c *telltale.Case, e *telltale.Evidence, part string, plain []byte) []byte {
	return k.m.atRest(c.Nonce).Seal(plain, evidenceAAD(c.ID, e, part))
}

// OpenEvidence decrypts a part sealed by SealEvidence.
func (k *Keyring) OpenEvidence(c *telltale.Case, e *telltale.Evidence, part string, sealed []byte) ([]byte, error) {
	return k.m.atRest(c.Nonce).Open(sealed, evidenceAAD(c.ID, e, part))
}

// SealCaseEvent encrypts the text of a case event (a note, a move).
func (k *Keyring) SealCaseEvent(c *telltale.Case, text string) []byte {
	return k.m.atRest(c.Nonce).Seal([]byte(text), caseAAD(c.ID, "event"))
}

// OpenCaseEvent decrypts an event's text sealed by SealCaseEvent.
func (k *Keyring) OpenCaseEvent(c *telltale.Case, sealed []byte) (string, error) {
	b, err := k.m.atRest(c.Nonce).Open(sealed, caseAAD(c.ID, "event"))
	return string(b), err
}

// Flagged-article parts sealed at rest.
const (
	FlagSnapshot = "snapshot"
	FlagReport   = "report"
)

// SealFlag encrypts a part of a flagged article (FlagSnapshot or
// FlagReport) with the article's key. The associated data ("flag/report")
// names the part only, not the row: the row ID is not known before the
// insert, and stored rows were sealed this way.
func (k *Keyring) SealFlag(fa *telltale.FlaggedArticle, part string, plain []byte) []byte {
	return k.m.atRest(fa.Nonce).Seal(plain, "flag/"+part)
}

// OpenFlag decrypts a part sealed by SealFlag.
func (k *Keyring) OpenFlag(fa *telltale.FlaggedArticle, part string, sealed []byte) ([]byte, error) {
	return k.m.atRest(fa.Nonce).Open(sealed, "flag/"+part)
}
