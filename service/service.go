// Package service implements telltale's operations on top of a store, the
// marker, the renderer, the tracer, the keyring and the ledger. The CLI and
// the HTTP server both drive telltale through it, so the rules live in one
// place: who may do what is checked here, once per call, and every change
// appends its ledger entry in the transaction that makes it.
//
// Methods that act for someone take the acting telltale.Actor (a signed-in
// user, an API token, or the local operator) and a context. Errors are
// *telltale.Error values whose message can be shown to the user.
//
// The files follow the concerns: documents.go (store, show and preview
// versions), recipients.go, copies.go (issue, open, revoke, inbox, access
// log), versions.go (decrypted templates, renderers, readers and biases,
// cached per version), trace.go, cases.go and export.go (investigations and
// evidence bundles), monitor.go (sources, polling, flagged articles,
// alerts), users.go (accounts, sessions, API tokens) and ledger.go (entries,
// checkpoints, proofs and verification, for admins).
package service

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/password"
)

// Service is telltale's application core. Create it with New.
type Service struct {
	store   telltale.Store
	keys    *keys.Keyring
	ledger  *ledger.Log
	now     func() time.Time
	lexicon *lexicon.Lexicon

	mu       sync.Mutex
	versions map[int64]*preparedVersion // by version ID
	// codewords keeps the checked codewords of versions traced lately.
	codewords *codewordCache

	idxMu       sync.Mutex
	idx         *disclose.Index // the source index of trace and the monitor (see sources)
	idxVersions map[int64]indexEntry
	dedupe      *disclose.Deduper

	extractor *extract.Extractor // reads leaked files that are not text
	printer   Printer            // prints PDF copies; nil if none
	office    Office             // prints PDF copies of Word versions; nil: as the others

	pwParams password.Params
	// dummy is a password hash checked for unknown emails, so a failed
	// sign-in takes as long whether or not the account exists. It is
	// computed when a sign-in first needs it: most CLI commands never do.
	dummy func() string
}

// Options configure a Service.
type Options struct {
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Lexicon overrides the embedded lexicon.
	Lexicon *lexicon.Lexicon
	// PasswordParams sets the Argon2id cost; zero means password.Default.
	PasswordParams password.Params
	// CodewordCache is how many bytes of checked codewords a trace may
	// leave in memory for the next trace of the same version; 0 means
	// DefaultCodewordCache, a negative value keeps none.
	CodewordCache int64
	// Extract configures the programs that read leaked PDFs and images
	// (pdftotext, pdftoppm, tesseract); zero looks them up on PATH.
	Extract extract.Tools
	// Printer prints PDF copies; nil means PDF copies cannot be opened.
	Printer Printer
	// Office prints the PDF copies of versions added from Word, from
	// their Word copies (package office, LibreOffice); nil means they
	// are printed by Printer, from their HTML pages, like the others.
	Office Office
}

// New returns a service over a store, the master key and the ledger that
// records every change.
func New(store telltale.Store, master *keys.Master, log *ledger.Log, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PasswordParams == (password.Params{}) {
		opts.PasswordParams = password.Default
	}
	if opts.CodewordCache == 0 {
		opts.CodewordCache = DefaultCodewordCache
	}
	return &Service{store: store, keys: master.Keyring(), ledger: log, now: opts.Now, lexicon: opts.Lexicon, versions: map[int64]*preparedVersion{},
		codewords: newCodewordCache(opts.CodewordCache), extractor: extract.New(opts.Extract), printer: opts.Printer, office: opts.Office,
		pwParams: opts.PasswordParams, dummy: sync.OnceValue(func() string {
			h, err := password.Hash("telltale dummy password", opts.PasswordParams)
			if err != nil {
				panic("service: " + err.Error()) // only without randomness
			}
			return h
		})}
}

// record appends a ledger entry in the transaction that makes the change.
func (s *Service) record(tx telltale.Tx, at time.Time, actor telltale.Actor, action, subject string, fields map[string]string) error {
	_, err := s.ledger.Append(tx, &ledger.Entry{Time: at, Actor: ledger.Clean(actor.Ref()), Action: action, Subject: subject, Fields: fields})
	return err
}

// Authorization lives here, one check per service call: handlers and
// commands never decide who may do what.

// forbidden is the error for a role an actor lacks.
func forbidden(what string, roles ...telltale.Role) error {
	var names []string
	for _, r := range roles {
		names = append(names, string(r))
	}
	return telltale.Errorf(telltale.EFORBIDDEN, "%s needs the %s role", what, strings.Join(names, " or "))
}

// canManage reports whether an actor manages a document: the owner who
// added it, or the local operator. Admins manage users, tokens and the
// ledger, not documents: need-to-know holds for them too.
func canManage(a telltale.Actor, d *telltale.Document) bool {
	return a.Local || a.Has(telltale.RoleOwner) && a.UserID != 0 && d.OwnerID == a.UserID
}

// noDocument is what an actor who may not see a document is told: the
// same as for a document that does not exist.
func noDocument(slug string) error {
	return telltale.Errorf(telltale.ENOTFOUND, "no document %q (hint: telltale doc list shows the stored documents)", slug)
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

func ref(kind string, id int64) string { return fmt.Sprintf("%s/%d", kind, id) }
