// Package service implements telltale's operations — add a document,
// register recipients, issue, open and revoke copies — on top of a store,
// the marker, the renderer and the master key. The CLI and the HTTP server
// both drive telltale through it, so the rules live in one place.
//
// Every method takes the acting user's name (the actor) and a context.
// Errors are *telltale.Error values whose message can be shown to the user.
package service

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/capacity"
	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/identify"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/password"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/render"
)

// Service is telltale's application core. Create it with New.
type Service struct {
	store   telltale.Store
	master  *keys.Master
	ledger  *ledger.Log
	now     func() time.Time
	lexicon *lexicon.Lexicon

	mu        sync.Mutex
	renderers map[int64]*versionState // by version ID

	idxMu       sync.Mutex
	idx         *identify.Index
	idxVersions map[int64]indexEntry
	monIdx      *disclose.Index // the monitor's disclosure index
	monVersions map[int64]bool
	dedupe      *disclose.Deduper

	pwParams password.Params
	// dummy is a password hash checked for unknown emails, so a failed
	// sign-in takes as long whether or not the account exists.
	dummy string
}

// versionState caches what a version needs for rendering and tracing.
type versionState struct {
	tpl      *mark.Template
	renderer *render.Renderer
	biases   [][]float64
	reader   *read.Reader // built on first trace
}

// Options configure a Service.
type Options struct {
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Lexicon overrides the embedded lexicon.
	Lexicon *lexicon.Lexicon
	// PasswordParams sets the Argon2id cost; zero means password.Default.
	PasswordParams password.Params
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
	dummy, err := password.Hash("telltale dummy password", opts.PasswordParams)
	if err != nil {
		panic("service: " + err.Error())
	}
	return &Service{store: store, master: master, ledger: log, now: opts.Now, lexicon: opts.Lexicon, renderers: map[int64]*versionState{},
		pwParams: opts.PasswordParams, dummy: dummy}
}

// Ledger returns the service's ledger.
func (s *Service) Ledger() *ledger.Log { return s.ledger }

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

// Store returns the underlying store.
func (s *Service) Store() telltale.Store { return s.store }

// AddDocumentRequest is a document source to store.
type AddDocumentRequest struct {
	// Slug names the document; empty means derived from Filename.
	Slug     string
	Filename string
	Source   []byte
	// Coalition selects the fingerprinting design; 0 means the default.
	Coalition int
}

// AddDocumentResult is what AddDocument stored.
type AddDocumentResult struct {
	Document *telltale.Document
	Version  *telltale.Version
	Template *mark.Template
	// New is true if the document did not exist before.
	New bool
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// SlugFromFilename derives a document slug from a file name: "Ops Plan.md"
// becomes "ops-plan".
func SlugFromFilename(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(base) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-.")
}

// AddDocument parses and marks a source document and stores it as a new
// document, or as the next version of the document with the same slug. A
// source identical to the latest version is refused with ECONFLICT.
func (s *Service) AddDocument(ctx context.Context, actor telltale.Actor, req AddDocumentRequest) (*AddDocumentResult, error) {
	if !actor.Has(telltale.RoleOwner) {
		return nil, forbidden("adding a document", telltale.RoleOwner)
	}
	slug := req.Slug
	if slug == "" {
		slug = SlugFromFilename(req.Filename)
	}
	if !slugPattern.MatchString(slug) {
		return nil, telltale.Errorf(telltale.EINVALID, "document name %q: use lower-case letters, digits, '.', '-' and '_' (at most 63), starting with a letter or digit", slug)
	}
	design := fingerprint.DefaultDesign
	if req.Coalition != 0 {
		design.Coalition = req.Coalition
	}
	if err := design.Check(); err != nil {
		return nil, telltale.Errorf(telltale.EINVALID, "%v", err)
	}
	doc, err := parse.Parse(req.Filename, req.Source)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINVALID, Message: err.Error(), Err: err}
	}
	tpl, err := mark.Mark(doc, mark.Options{Lexicon: s.lexicon})
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to mark the document", Err: err}
	}
	if _, err := render.Compile(tpl); err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to prepare the document for rendering", Err: err}
	}
	tplBytes, err := tpl.Marshal()
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to encode the template", Err: err}
	}
	res := &AddDocumentResult{Template: tpl}
	now := s.now().UTC()
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		res.New = false // the function may run again (see telltale.Store.Update)
		d, err := tx.DocumentBySlug(slug)
		switch {
		case telltale.ErrorCode(err) == telltale.ENOTFOUND:
			d = &telltale.Document{Slug: slug, Title: tpl.Title, Owner: actor.Ref(), OwnerID: actor.UserID, CreatedAt: now}
			if err := tx.CreateDocument(d); err != nil {
				return err
			}
			res.New = true
			if err := s.record(tx, now, actor, ledger.ActionDocumentAdd, ref("document", d.ID), map[string]string{"slug": sha([]byte(slug))}); err != nil {
				return err
			}
		case err != nil:
			return err
		case !canManage(actor, d):
			return telltale.Errorf(telltale.EFORBIDDEN, "document %q belongs to another owner; choose another name", slug)
		}
		number := 1
		hash := sha256.Sum256(req.Source)
		if !res.New {
			latest, err := tx.LatestVersion(d.ID)
			if err == nil {
				if latest.SourceHash == hash {
					return telltale.Errorf(telltale.ECONFLICT, "%s is unchanged: version %d of %q has the same text", req.Filename, latest.Number, slug)
				}
				number = latest.Number + 1
			} else if telltale.ErrorCode(err) != telltale.ENOTFOUND {
				return err
			}
			if tpl.Title != "" && tpl.Title != d.Title {
				if err := tx.UpdateDocumentTitle(d.ID, tpl.Title); err != nil {
					return err
				}
				d.Title = tpl.Title
			}
		}
		v := &telltale.Version{
			DocumentID: d.ID, Number: number, CreatedAt: now, CreatedBy: actor.Ref(),
			SourceHash: hash, Nonce: keys.Nonce(16), Coalition: design.Coalition,
			Title: tpl.Title, Classification: tpl.Classification, Words: tpl.Words, Slots: len(tpl.Slots),
		}
		// The version ID is not known before the insert, so the
		// associated data binds the document and version number.
		sealer := s.master.AtRest(v.Nonce)
		v.SealedSource = sealer.Seal(req.Source, versionAAD(d.ID, number, "source"))
		v.SealedTemplate = sealer.Seal(tplBytes, versionAAD(d.ID, number, "template"))
		if err := tx.CreateVersion(v); err != nil {
			return err
		}
		res.Document, res.Version = d, v
		return s.record(tx, now, actor, ledger.ActionVersionAdd, ref("version", v.ID), map[string]string{
			"document": ref("document", d.ID), "number": fmt.Sprint(v.Number), "source": "sha256:" + hex.EncodeToString(hash[:]),
			"template": sha(tplBytes), "slots": fmt.Sprint(v.Slots), "coalition": fmt.Sprint(v.Coalition),
		})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func versionAAD(docID int64, number int, what string) string {
	return fmt.Sprintf("telltale document %d version %d %s", docID, number, what)
}

func copyAAD(copyID int64, format string) string {
	return fmt.Sprintf("telltale copy %d %s", copyID, format)
}

// state decrypts and compiles a version, caching the result.
func (s *Service) state(v *telltale.Version) (*versionState, error) {
	s.mu.Lock()
	st, ok := s.renderers[v.ID]
	s.mu.Unlock()
	if ok {
		return st, nil
	}
	plain, err := s.master.AtRest(v.Nonce).Open(v.SealedTemplate, versionAAD(v.DocumentID, v.Number, "template"))
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("failed to decrypt version %d (hint: is this the master key the document was stored with?)", v.Number), Err: err}
	}
	tpl, err := mark.Unmarshal(plain)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "stored template is damaged", Err: err}
	}
	r, err := render.Compile(tpl)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to prepare the version for rendering", Err: err}
	}
	design := fingerprint.Design{Coalition: v.Coalition, Version: 1}
	st = &versionState{tpl: tpl, renderer: r, biases: fingerprint.Biases(s.biasKey(v), tpl.Arities(), design)}
	s.mu.Lock()
	s.renderers[v.ID] = st
	s.mu.Unlock()
	return st, nil
}

func (s *Service) biasKey(v *telltale.Version) fingerprint.Key {
	return fingerprint.Key(s.master.Derive(keys.PurposeBias, v.Nonce))
}

func (s *Service) copyKey(c *telltale.Copy) fingerprint.Key {
	return fingerprint.Key(s.master.Derive(keys.PurposeCodeword, c.Nonce))
}

func (s *Service) copyTag(c *telltale.Copy) uint32 {
	k := s.master.Derive(keys.PurposeTag, c.Nonce)
	return binary.BigEndian.Uint32(k[:4])
}

// Template returns a version's decrypted template.
func (s *Service) Template(ctx context.Context, v *telltale.Version) (*mark.Template, error) {
	st, err := s.state(v)
	if err != nil {
		return nil, err
	}
	return st.tpl, nil
}

// Source returns a version's decrypted source file.
func (s *Service) Source(ctx context.Context, v *telltale.Version) ([]byte, error) {
	plain, err := s.master.AtRest(v.Nonce).Open(v.SealedSource, versionAAD(v.DocumentID, v.Number, "source"))
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to decrypt the document source", Err: err}
	}
	return plain, nil
}

// Report returns a version's traceability report for n recipients.
func (s *Service) Report(ctx context.Context, v *telltale.Version, n int) (*capacity.Report, error) {
	st, err := s.state(v)
	if err != nil {
		return nil, err
	}
	return capacity.Compute(st.tpl, fingerprint.Design{Coalition: v.Coalition, Version: 1}, n, capacity.DefaultEpsilon), nil
}

// AddRecipient registers a recipient. The email is the recipient's
// identity: it is stored in lower case and must be unique.
func (s *Service) AddRecipient(ctx context.Context, actor telltale.Actor, r *telltale.Recipient) error {
	if !actor.Has(telltale.RoleOwner) {
		return forbidden("registering a recipient", telltale.RoleOwner)
	}
	r.Name = strings.TrimSpace(r.Name)
	r.Unit = strings.TrimSpace(r.Unit)
	if r.Name == "" {
		return telltale.Errorf(telltale.EINVALID, "a recipient needs a name")
	}
	email, err := normalizeEmail(r.Email)
	if err != nil {
		return err
	}
	r.Email = email
	r.CreatedAt = s.now().UTC()
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		if err := tx.CreateRecipient(r); err != nil {
			return err
		}
		// The ledger keeps a hash of the address, never the address.
		return s.record(tx, r.CreatedAt, actor, ledger.ActionRecipientAdd, ref("recipient", r.ID), map[string]string{"email": sha([]byte(r.Email))})
	})
	if telltale.ErrorCode(err) == telltale.ECONFLICT {
		return telltale.Errorf(telltale.ECONFLICT, "a recipient with email %s already exists", r.Email)
	}
	return err
}

func normalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", telltale.Errorf(telltale.EINVALID, "%q is not an email address (want name@example.org)", s)
	}
	return s, nil
}

// IssueRequest asks for copies of a document for some recipients.
type IssueRequest struct {
	Document string // slug
	Version  int    // 0: the latest
	Emails   []string
	Formats  []render.Format // empty: all
	// ExpiresAt, if set, is when the copies stop opening.
	ExpiresAt time.Time
}

// Issued is one issued copy with its rendered files.
type Issued struct {
	Copy      *telltale.Copy
	Recipient *telltale.Recipient
	Files     map[render.Format][]byte
}

// MaxBatch is the largest number of copies one request may issue.
const MaxBatch = 10000

// Issue creates one copy per recipient in one transaction: each gets the
// next copy number, a fresh nonce (from which its codeword key derives), a
// commitment to its codeword, and its rendered files, stored encrypted.
// Either every copy is issued or none.
func (s *Service) Issue(ctx context.Context, actor telltale.Actor, req IssueRequest) ([]*Issued, error) {
	emails, err := uniqueEmails(req.Emails)
	if err != nil {
		return nil, err
	}
	formats := req.Formats
	if len(formats) == 0 {
		formats = render.Formats
	}
	now := s.now().UTC()
	if !req.ExpiresAt.IsZero() && !req.ExpiresAt.After(now) {
		return nil, telltale.Errorf(telltale.EINVALID, "expiry %s is in the past", req.ExpiresAt.Format(time.RFC3339))
	}
	var out []*Issued
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		out = nil // the function may run again (see telltale.Store.Update)
		v, err := s.findVersion(tx, actor, req.Document, req.Version, toManage)
		if err != nil {
			return err
		}
		st, err := s.state(v)
		if err != nil {
			return err
		}
		var recipients []*telltale.Recipient
		var missing []string
		for _, e := range emails {
			r, err := tx.RecipientByEmail(e)
			if telltale.ErrorCode(err) == telltale.ENOTFOUND {
				missing = append(missing, e)
				continue
			}
			if err != nil {
				return err
			}
			recipients = append(recipients, r)
		}
		if len(missing) > 0 {
			return telltale.Errorf(telltale.ENOTFOUND, "no recipient with email %s (hint: add them first with telltale recipient add)", strings.Join(missing, ", "))
		}
		existing, err := tx.Copies(telltale.CopyFilter{VersionID: v.ID})
		if err != nil {
			return err
		}
		for _, c := range existing {
			for _, r := range recipients {
				if c.RecipientID == r.ID {
					return telltale.Errorf(telltale.ECONFLICT, "%s already has copy %d of version %d of %q; a recipient gets one copy per version", r.Email, c.Number, v.Number, req.Document)
				}
			}
		}
		total := len(existing) + len(recipients)
		for i, r := range recipients {
			c := &telltale.Copy{
				VersionID: v.ID, RecipientID: r.ID, Number: len(existing) + i + 1, Of: total,
				Nonce: keys.Nonce(16), IssuedAt: now, IssuedBy: actor.Ref(), ExpiresAt: req.ExpiresAt.UTC(),
			}
			for _, f := range formats {
				c.Formats = append(c.Formats, string(f))
			}
			cw := fingerprint.NewCodeword(s.copyKey(c), st.biases)
			c.Commitment, _ = fingerprint.Commitment(s.copyKey(c), cw)
			if err := tx.CreateCopy(c); err != nil {
				return err
			}
			issued := &Issued{Copy: c, Recipient: r, Files: map[render.Format][]byte{}}
			sealer := s.master.AtRest(v.Nonce)
			fields := map[string]string{
				"version": ref("version", v.ID), "recipient": ref("recipient", r.ID), "number": fmt.Sprint(c.Number),
				"commitment": "sha256:" + hex.EncodeToString(c.Commitment[:]), "expires": "never",
			}
			if !c.ExpiresAt.IsZero() {
				fields["expires"] = c.ExpiresAt.Format(time.RFC3339)
			}
			for _, f := range formats {
				body, err := st.renderer.Render(f, s.renderCopy(c, r, cw))
				if err != nil {
					return &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to render a copy", Err: err}
				}
				file := &telltale.CopyFile{CopyID: c.ID, Format: string(f), Sealed: sealer.Seal(body, copyAAD(c.ID, string(f))), Hash: sha256.Sum256(body)}
				if err := tx.PutCopyFile(file); err != nil {
					return err
				}
				issued.Files[f] = body
				fields["file."+string(f)] = "sha256:" + hex.EncodeToString(file.Hash[:])
			}
			if err := s.record(tx, now, actor, ledger.ActionCopyIssue, ref("copy", c.ID), fields); err != nil {
				return err
			}
			out = append(out, issued)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) renderCopy(c *telltale.Copy, r *telltale.Recipient, cw fingerprint.Codeword) render.Copy {
	return render.Copy{
		Codeword: cw, Tag: s.copyTag(c), Number: c.Number, Of: c.Of,
		Recipient: r.Name, Unit: r.Unit, Email: r.Email, Date: c.IssuedAt.Format("2006-01-02"),
	}
}

func uniqueEmails(in []string) ([]string, error) {
	var out []string
	for _, e := range in {
		for _, part := range strings.Split(e, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			n, err := normalizeEmail(part)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	if len(out) == 0 {
		return nil, telltale.Errorf(telltale.EINVALID, "name at least one recipient by email")
	}
	if len(out) > MaxBatch {
		return nil, telltale.Errorf(telltale.EINVALID, "%d recipients in one request; the limit is %d", len(out), MaxBatch)
	}
	return out, nil
}

// findVersion finds a version of a document the actor manages.
// access says why a version is looked up: investigators may trace leaks
// against any document, but only its owner manages it.
type access int

const (
	toManage access = iota
	toInvestigate
)

func (s *Service) findVersion(tx telltale.Tx, actor telltale.Actor, slug string, number int, purpose access) (*telltale.Version, error) {
	d, err := tx.DocumentBySlug(slug)
	if err != nil {
		if telltale.ErrorCode(err) == telltale.ENOTFOUND {
			return nil, noDocument(slug)
		}
		return nil, err
	}
	allowed := canManage(actor, d) || purpose == toInvestigate && actor.Any(telltale.RoleInvestigator)
	if !allowed {
		return nil, noDocument(slug)
	}
	if number == 0 {
		return tx.LatestVersion(d.ID)
	}
	versions, err := tx.Versions(d.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		if v.Number == number {
			return v, nil
		}
	}
	return nil, telltale.Errorf(telltale.ENOTFOUND, "document %q has no version %d (it has %d)", slug, number, len(versions))
}

// OpenCopy returns a copy's rendered file in a format, checking that the
// copy is still active and that the stored file is intact, and records the
// opening in the ledger. via says how ("cli", "view", "download") and
// client where from, if known.
func (s *Service) OpenCopy(ctx context.Context, actor telltale.Actor, copyID int64, format render.Format, via, client string) ([]byte, *telltale.Copy, error) {
	// Decrypting and checking the file needs no write lock: it happens in
	// a read transaction, so concurrent readers do not queue behind each
	// other. The write transaction that records the opening re-checks that
	// the copy is still open, so a revocation in between is honoured.
	var body []byte
	var hash [32]byte
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		c, err := s.visibleCopy(tx, actor, copyID)
		if err != nil {
			return err
		}
		if err := s.openable(c, format); err != nil {
			return err
		}
		v, err := tx.Version(c.VersionID)
		if err != nil {
			return err
		}
		f, err := tx.CopyFile(c.ID, string(format))
		if err != nil {
			return err
		}
		body, err = s.master.AtRest(v.Nonce).Open(f.Sealed, copyAAD(c.ID, string(format)))
		if err != nil {
			return &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to decrypt the copy", Err: err}
		}
		if sha256.Sum256(body) != f.Hash {
			return &telltale.Error{Code: telltale.EINTERNAL, Message: "stored copy does not match its hash", Err: errors.New("copy file hash mismatch")}
		}
		hash = f.Hash
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var c *telltale.Copy
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		var err error
		if c, err = s.visibleCopy(tx, actor, copyID); err != nil {
			return err
		}
		if err := s.openable(c, format); err != nil {
			return err
		}
		fields := map[string]string{"format": string(format), "via": ledger.Clean(via), "file": "sha256:" + hex.EncodeToString(hash[:])}
		if client != "" {
			fields["client"] = ledger.Clean(client)
		}
		return s.record(tx, s.now().UTC(), actor, ledger.ActionCopyOpen, ref("copy", c.ID), fields)
	})
	if err != nil {
		return nil, nil, err
	}
	return body, c, nil
}

// openable refuses a revoked or expired copy, or a format it was not
// issued in.
func (s *Service) openable(c *telltale.Copy, format render.Format) error {
	if !c.RevokedAt.IsZero() {
		return telltale.Errorf(telltale.EGONE, "copy %d was revoked on %s", c.Number, c.RevokedAt.Format("2006-01-02 15:04 MST"))
	}
	if !c.Active(s.now()) {
		return telltale.Errorf(telltale.EGONE, "copy %d expired on %s", c.Number, c.ExpiresAt.Format("2006-01-02 15:04 MST"))
	}
	if !slices.Contains(c.Formats, string(format)) {
		return telltale.Errorf(telltale.EFORBIDDEN, "copy %d is not available as %s (allowed: %s)", c.Number, format, strings.Join(c.Formats, ", "))
	}
	return nil
}

// Revoke revokes a copy; it can no longer be opened.
func (s *Service) Revoke(ctx context.Context, actor telltale.Actor, copyID int64) error {
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		c, err := s.managedCopy(tx, actor, copyID)
		if err != nil {
			return err
		}
		if !c.RevokedAt.IsZero() {
			return nil // already revoked: nothing changes, nothing to record
		}
		now := s.now().UTC()
		if err := tx.RevokeCopy(copyID, now); err != nil {
			return err
		}
		return s.record(tx, now, actor, ledger.ActionCopyRevoke, ref("copy", copyID), nil)
	})
}

// Codeword recomputes a copy's codeword from its key and checks it against
// the commitment stored at issue time.
func (s *Service) Codeword(ctx context.Context, c *telltale.Copy, v *telltale.Version) (fingerprint.Codeword, error) {
	st, err := s.state(v)
	if err != nil {
		return nil, err
	}
	cw := fingerprint.NewCodeword(s.copyKey(c), st.biases)
	if commit, _ := fingerprint.Commitment(s.copyKey(c), cw); commit != c.Commitment {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("copy %d's codeword does not match its commitment (hint: wrong master key?)", c.ID), Err: errors.New("commitment mismatch")}
	}
	return cw, nil
}

// copyDocument returns the document a copy belongs to.
func copyDocument(tx telltale.Tx, c *telltale.Copy) (*telltale.Document, error) {
	v, err := tx.Version(c.VersionID)
	if err != nil {
		return nil, err
	}
	return tx.Document(v.DocumentID)
}

// noCopy is what an actor who may not see a copy is told.
func noCopy(id int64) error { return telltale.Errorf(telltale.ENOTFOUND, "no copy %d", id) }

// managedCopy returns a copy of a document the actor manages.
func (s *Service) managedCopy(tx telltale.Tx, actor telltale.Actor, id int64) (*telltale.Copy, error) {
	c, err := tx.Copy(id)
	if err != nil {
		return nil, err
	}
	d, err := copyDocument(tx, c)
	if err != nil {
		return nil, err
	}
	if !canManage(actor, d) {
		return nil, noCopy(id)
	}
	return c, nil
}

// visibleCopy returns a copy the actor may read: their own, as its
// recipient, or one of a document they manage.
func (s *Service) visibleCopy(tx telltale.Tx, actor telltale.Actor, id int64) (*telltale.Copy, error) {
	c, err := tx.Copy(id)
	if err != nil {
		return nil, err
	}
	if actor.Has(telltale.RoleRecipient) && actor.Email != "" {
		r, err := tx.Recipient(c.RecipientID)
		if err != nil {
			return nil, err
		}
		if r.Email == actor.Email {
			return c, nil
		}
	}
	d, err := copyDocument(tx, c)
	if err != nil {
		return nil, err
	}
	if !canManage(actor, d) {
		return nil, noCopy(id)
	}
	return c, nil
}
