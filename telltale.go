// Package telltale holds the domain types of telltale — documents, versions,
// recipients, copies — the storage interfaces every backend implements, and
// the error type every layer returns.
//
// Telltale gives each recipient of a sensitive document a copy that reads
// the same but differs in places nobody notices, records every issue and
// view in a tamper-evident ledger, and when the document leaks, reads the
// marks back from the leaked text and says who leaked it, with a proven
// bound on the chance of accusing an innocent recipient.
//
// The pipeline, one package per stage:
//
//	parse → mark → fingerprint → render        (issue copies)
//	read → fingerprint → trace                  (attribute a leak)
//	ledger, sqlite, service, cmd/telltale        (record, store, drive)
//
// This package imports nothing from the project, so every other package may
// import it.
package telltale

import (
	"context"
	"time"
)

// Document is a protected document: a name and a series of versions.
type Document struct {
	ID int64
	// Slug is the short name people type: "plan" for plan.md.
	Slug string
	// Title comes from the latest version's front matter or first heading.
	Title string
	Owner string // who added it: an actor reference
	// OwnerID is the owning user; 0 for documents added at the command
	// line, which only admins and the local operator manage.
	OwnerID   int64
	CreatedAt time.Time
}

// Version is one immutable text of a document. Its source and template are
// stored encrypted with a key derived from the master key and Nonce.
type Version struct {
	ID         int64
	DocumentID int64
	Number     int // 1, 2, … within the document
	CreatedAt  time.Time
	CreatedBy  string
	// SourceHash is the SHA-256 of the source file as submitted.
	SourceHash [32]byte
	// Nonce derives the version's bias key and encryption key.
	Nonce []byte
	// Coalition and Design are the fingerprinting design: the coalition
	// size the code is built for and the version of the bias derivation
	// (fingerprint.Design); versions stored before Design existed have 1.
	Coalition int
	Design    int
	// SealedSource and SealedTemplate are the encrypted source file and
	// marked template (see package mark).
	SealedSource   []byte
	SealedTemplate []byte
	// SealedDocx is the encrypted Word file of a version added from a
	// .docx (whose SealedSource is then its text as Markdown, and
	// SourceHash the Word file's hash); empty for a version added from
	// Markdown. Word copies are written from it.
	SealedDocx []byte
	// Summary figures, kept in clear for listings.
	Title          string
	Classification string
	Words          int
	Slots          int
}

// FromWord reports whether the version was added from a Word document.
func (v *Version) FromWord() bool { return len(v.SealedDocx) > 0 }

// Recipient is a person who may receive copies.
type Recipient struct {
	ID        int64
	Name      string
	Email     string // unique, lower case
	Unit      string // organisational unit, shown on the copy if asked
	CreatedAt time.Time
	// UserID is the account that reads this recipient's copies, linked
	// by an owner; 0 if none. An account with the same e-mail address is
	// not enough: whoever creates accounts could then read any copy.
	UserID int64
}

// Copy is one recipient's copy of a version.
type Copy struct {
	ID          int64
	VersionID   int64
	RecipientID int64
	// Number is the copy's number within its version, from 1; Of is the
	// number of copies of the version once its batch was issued.
	Number int
	Of     int
	// Nonce derives the copy's codeword key; the codeword itself is never
	// stored in clear.
	Nonce []byte
	// Commitment fixes the codeword at issue time (see
	// fingerprint.Commitment).
	Commitment [32]byte
	// Formats the recipient may download: "md", "html", "txt", "pdf".
	Formats []string
	// Watermark says whether the copy's PDF pages carry a diagonal
	// watermark naming the recipient.
	Watermark bool
	IssuedAt  time.Time
	IssuedBy  string
	ExpiresAt time.Time // zero: never
	RevokedAt time.Time // zero: not revoked
}

// Active reports whether a copy may still be opened at time now.
func (c *Copy) Active(now time.Time) bool {
	return c.RevokedAt.IsZero() && (c.ExpiresAt.IsZero() || now.Before(c.ExpiresAt))
}

// Holding is what a trace reads of each copy of a version: the copy, the
// nonce its codeword derives from and the commitment the codeword is
// checked against, and who holds it.
type Holding struct {
	CopyID     int64
	Number     int // the copy's number within its version
	Nonce      []byte
	Commitment [32]byte
	// RecipientID, Name, Email and Unit are the recipient's.
	RecipientID       int64
	Name, Email, Unit string
}

// CopyFile is a rendered copy in one format, stored encrypted.
type CopyFile struct {
	CopyID int64
	Format string
	Sealed []byte
	// Hash is the SHA-256 of the rendered bytes.
	Hash [32]byte
}

// CopyFilter selects copies; zero fields match everything.
type CopyFilter struct {
	VersionID   int64
	DocumentID  int64
	RecipientID int64
}

// Store persists telltale's records. Implementations: package sqlite (the
// embedded default) and package postgres (several server instances on one
// database). Every implementation must pass the conformance suite
// in package storetest. All methods must be safe for concurrent use.
type Store interface {
	// Update runs fn in a read-write transaction, committed if fn returns
	// nil and rolled back otherwise. A store may run fn more than once
	// (package postgres retries serialization failures), so fn must leave
	// no trace outside tx of a run that was rolled back: reset what it
	// collects at its start.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is a transaction on a Store. Lookups of a missing record return an
// *Error with code ENOTFOUND; creating a record that conflicts with an
// existing one (same slug, email, or copy of a version for a recipient)
// returns ECONFLICT.
type Tx interface {
	CreateDocument(d *Document) error
	Document(id int64) (*Document, error)
	DocumentBySlug(slug string) (*Document, error)
	Documents() ([]*Document, error)
	// UpdateDocumentTitle changes the title shown in listings.
	UpdateDocumentTitle(id int64, title string) error

	// CreateVersion stores a version; its Number must be the next one of
	// the document. Versions cannot be changed once stored.
	CreateVersion(v *Version) error
	Version(id int64) (*Version, error)
	Versions(documentID int64) ([]*Version, error)
	// LatestVersion returns the document's highest-numbered version.
	LatestVersion(documentID int64) (*Version, error)

	CreateRecipient(r *Recipient) error
	Recipient(id int64) (*Recipient, error)
	RecipientByEmail(email string) (*Recipient, error)
	Recipients() ([]*Recipient, error)
	// LinkRecipient links a recipient to the user account that reads its
	// copies (0 unlinks).
	LinkRecipient(recipientID, userID int64) error

	// CreateCopy stores a copy; the store assigns nothing but the ID.
	CreateCopy(c *Copy) error
	Copy(id int64) (*Copy, error)
	Copies(f CopyFilter) ([]*Copy, error)
	// Holdings returns every copy of a version with the recipient who
	// holds it, by copy number, in one query: what a trace reads. A copy
	// whose recipient row is missing is an ENOTFOUND error, never left out.
	Holdings(versionID int64) ([]Holding, error)
	// CopyCount returns how many copies of a version exist.
	CopyCount(versionID int64) (int, error)
	// RevokeCopy records a revocation time; revoking twice keeps the
	// first time.
	RevokeCopy(id int64, at time.Time) error

	PutCopyFile(f *CopyFile) error
	CopyFile(copyID int64, format string) (*CopyFile, error)

	UserTx
	LedgerTx
	CaseTx
	MonitorTx
}

// UserTx stores users, sessions and API tokens.
type UserTx interface {
	CreateUser(u *User) error
	User(id int64) (*User, error)
	UserByEmail(email string) (*User, error)
	Users() ([]*User, error)
	// UpdateUser saves a user's name, password hash, roles, disabled
	// flag and sign-in failure state.
	UpdateUser(u *User) error

	CreateSession(s *Session) error
	// SessionByToken returns the session with this token hash, if it has
	// not expired at now.
	SessionByToken(hash [32]byte, now time.Time) (*Session, error)
	DeleteSession(id int64) error
	// DeleteSessions signs a user out everywhere.
	DeleteSessions(userID int64) error

	CreateAPIToken(t *APIToken) error
	// APITokenByHash returns an unrevoked token.
	APITokenByHash(hash [32]byte) (*APIToken, error)
	APITokens(userID int64) ([]*APIToken, error)
	RevokeAPIToken(id int64, at time.Time) error
	TouchAPIToken(id int64, at time.Time) error
}

// LedgerTx is the storage of the ledger (see package ledger, which owns
// its logic). Entries are numbered from 0; stored hashes are indexed as in
// golang.org/x/mod/sumdb/tlog.
type LedgerTx interface {
	// LedgerSize returns the number of entries.
	LedgerSize() (int64, error)
	// LedgerAppend stores entry e at index e.Index, with the tree's new
	// stored hashes. The index must be the current size.
	LedgerAppend(e *LedgerEntry, hashes []LedgerHash) error
	// LedgerReadHashes returns the stored hashes at the given indexes.
	LedgerReadHashes(indexes []int64) ([][32]byte, error)
	// LedgerEntries returns entries with start ≤ index < end, in order.
	LedgerEntries(start, end int64) ([]*LedgerEntry, error)
	// LedgerFind returns entries matching a filter, in order.
	LedgerFind(f LedgerFilter) ([]*LedgerEntry, error)
	// LedgerHead returns the current tree, or nil for an empty ledger.
	LedgerHead() (*LedgerHead, error)
	// LedgerAdvance replaces the head old (nil for none) by new, and
	// fails with ECONFLICT if the head is no longer old: two writers can
	// never fork the log.
	LedgerAdvance(old, new *LedgerHead) error
	// LedgerAddCheckpoint records a published checkpoint.
	LedgerAddCheckpoint(c *LedgerHead, at time.Time) error
	// LedgerCheckpoints returns the published checkpoints by size.
	LedgerCheckpoints() ([]*LedgerHead, error)
	// LedgerVerified returns the checkpoint the last verification found
	// the log consistent up to (its Note a signed "verified" note, see
	// package ledger), or nil if none is recorded.
	LedgerVerified() (*LedgerHead, error)
	// LedgerSetVerified records v as verified at time at, replacing the
	// previous record.
	LedgerSetVerified(v *LedgerHead, at time.Time) error
}

// LedgerEntry is one stored ledger record: its canonical body (see
// package ledger) and columns extracted from it for queries.
type LedgerEntry struct {
	Index   int64
	Body    []byte
	Time    time.Time
	Actor   string
	Action  string
	Subject string
}

// LedgerHash is a stored tree hash and its index.
type LedgerHash struct {
	Index int64
	Hash  [32]byte
}

// LedgerHead is a tree: its size, root hash, and the signed checkpoint.
type LedgerHead struct {
	Size int64
	Hash [32]byte
	Note []byte
}

// LedgerFilter selects entries; zero fields match everything.
type LedgerFilter struct {
	Since   time.Time
	Subject string
	Action  string
	Limit   int
}
