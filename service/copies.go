package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/internal/parallel"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/render"
)

// IssueRequest asks for copies of a document for some recipients.
type IssueRequest struct {
	Document string // slug
	Version  int    // 0: the latest
	Emails   []string
	Formats  []render.Format // empty: md, html and txt (and docx for a version added from Word)
	// ExpiresAt, if set, is when the copies stop opening.
	ExpiresAt time.Time
	// Watermark puts a diagonal watermark naming the recipient across
	// every page of the copy's PDF.
	Watermark bool
	// PrintPDF prints PDF copies now, into Issued.Files (for the CLI
	// writing files); otherwise a PDF is printed when it is opened.
	PrintPDF bool
	// KeepFiles stores each copy's rendered files, encrypted. Without
	// it a copy is rendered when opened, from the version and its
	// codeword (checked against the commitment made now): a copy then
	// costs its row and its ledger entry, not its files.
	KeepFiles bool
	// NoFiles leaves Issued.Files empty (but for PDFs printed with
	// PrintPDF): a caller that writes no files out then holds none, and a
	// bulk issue keeps one batch's files in memory at a time.
	NoFiles bool
	// Progress, if set, is called after each batch of copies is stored
	// with how many of this request's total are issued so far, the
	// last time with done == total. It is called on Issue's goroutine
	// and should return quickly: a progress bar, a log line.
	Progress func(done, total int)
}

// Issued is one issued copy with its rendered files.
type Issued struct {
	Copy      *telltale.Copy
	Recipient *telltale.Recipient
	Files     map[render.Format][]byte
}

// MaxBatch is the largest number of copies one request may issue.
const MaxBatch = 10000

// issueBatch is how many copies one transaction of a bulk issue writes.
// The store has one writer: a view or a download that appends to the
// ledger waits for the transaction in progress, so a bulk issue holds it
// for one batch at a time (a few tens of milliseconds), never for the
// whole issue.
const issueBatch = 64

// IssueError says a bulk issue stopped part-way: the copies of the
// batches before the failure are issued (each batch is one transaction
// with its ledger entries), the rest are not.
type IssueError struct {
	Issued, Asked int
	Err           error
}

func (e *IssueError) Error() string {
	return fmt.Sprintf("%d of %d copies were issued before this failure: %v (hint: issue again to the recipients who have no copy yet)", e.Issued, e.Asked, e.Err)
}

func (e *IssueError) Unwrap() error { return e.Err }

// issuePlan is what a bulk issue checked before writing anything.
type issuePlan struct {
	version    *telltale.Version
	recipients []*telltale.Recipient
	existing   int // copies of the version before this issue
}

// Issue creates one copy per recipient: each gets the next copy number, a
// fresh nonce (from which its codeword key derives), a commitment to its
// codeword, and — if asked — its rendered files, stored encrypted. Every
// recipient is checked before anything is written; copies are then
// rendered outside the store's transaction, across cores, and written in
// batches of issueBatch, each one transaction with its ledger entries. If
// a batch fails, the copies of the batches before it stay issued and the
// error is an *IssueError saying how many.
func (s *Service) Issue(ctx context.Context, actor telltale.Actor, req IssueRequest) ([]*Issued, error) {
	emails, err := uniqueEmails(req.Emails)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if !req.ExpiresAt.IsZero() && !req.ExpiresAt.After(now) {
		return nil, telltale.Errorf(telltale.EINVALID, "expiry %s is in the past", req.ExpiresAt.Format(time.RFC3339))
	}
	plan, err := s.planIssue(ctx, actor, req, emails)
	if err != nil {
		return nil, err
	}
	formats := req.Formats
	if len(formats) == 0 {
		formats = defaultFormats(plan.version)
	}
	st, err := s.prepare(plan.version)
	if err != nil {
		return nil, err
	}
	var out []*Issued
	before := plan.existing // copies of the version before the next batch
	for first := 0; first < len(plan.recipients); first += issueBatch {
		batch := plan.recipients[first:min(first+issueBatch, len(plan.recipients))]
		left := len(plan.recipients) - first
		ready, err := s.renderIssue(st, plan, batch, before, before+left, formats, req, actor, now)
		if err == nil {
			ready, before, err = s.writeIssue(ctx, actor, req, plan, st, batch, ready, before, left, formats, now)
		}
		if err != nil {
			if first == 0 {
				return nil, err
			}
			return out, &IssueError{Issued: first, Asked: len(plan.recipients), Err: err}
		}
		for _, r := range ready {
			out = append(out, r.issued)
		}
		if req.Progress != nil {
			req.Progress(len(out), len(plan.recipients))
		}
	}
	if req.PrintPDF && slices.Contains(formats, render.PDF) && len(out) > 0 {
		if err := s.printIssued(ctx, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// planIssue checks, in one read, that the actor may issue copies of the
// version, that every recipient exists and that none holds a copy yet.
func (s *Service) planIssue(ctx context.Context, actor telltale.Actor, req IssueRequest, emails []string) (*issuePlan, error) {
	plan := &issuePlan{}
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		v, err := s.findVersion(tx, actor, req.Document, req.Version, toManage)
		if err != nil {
			return err
		}
		plan.version = v
		if slices.Contains(req.Formats, render.Word) && !v.FromWord() {
			return errNotWord(req.Document, v)
		}
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
			plan.recipients = append(plan.recipients, r)
		}
		if len(missing) > 0 {
			return telltale.Errorf(telltale.ENOTFOUND, "no recipient with email %s (hint: add them first with telltale recipient add)", strings.Join(missing, ", "))
		}
		existing, err := tx.Copies(telltale.CopyFilter{VersionID: v.ID})
		if err != nil {
			return err
		}
		holders := map[int64]*telltale.Copy{}
		for _, c := range existing {
			holders[c.RecipientID] = c
		}
		for _, r := range plan.recipients {
			if c, ok := holders[r.ID]; ok {
				return telltale.Errorf(telltale.ECONFLICT, "%s already has copy %d of version %d of %q; a recipient gets one copy per version", r.Email, c.Number, v.Number, req.Document)
			}
		}
		plan.existing = len(existing)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// readyCopy is a copy rendered and about to be written.
type readyCopy struct {
	issued *Issued
	fields map[string]string // of its ledger entry
	bodies map[render.Format][]byte
}

// renderIssue makes a batch's copies — nonces, codewords, commitments,
// rendered files and their hashes — across cores, outside any
// transaction. Copy numbers start after number.
func (s *Service) renderIssue(st *preparedVersion, plan *issuePlan, batch []*telltale.Recipient, number, total int, formats []render.Format, req IssueRequest, actor telltale.Actor, now time.Time) ([]*readyCopy, error) {
	v := plan.version
	out := make([]*readyCopy, len(batch))
	errs := make([]error, len(batch))
	parallel.For(runtime.GOMAXPROCS(0), len(batch), func(i int) {
		out[i], errs[i] = s.renderOne(st, v, batch[i], number+i+1, total, formats, req, actor, now)
	})
	return out, errors.Join(errs...)
}

// renderOne makes one copy ready to write.
func (s *Service) renderOne(st *preparedVersion, v *telltale.Version, r *telltale.Recipient, number, total int, formats []render.Format, req IssueRequest, actor telltale.Actor, now time.Time) (*readyCopy, error) {
	c := &telltale.Copy{
		VersionID: v.ID, RecipientID: r.ID, Number: number, Of: total,
		Nonce: keys.Nonce(16), IssuedAt: now, IssuedBy: actor.Ref(), ExpiresAt: req.ExpiresAt.UTC(),
		Watermark: req.Watermark,
	}
	for _, f := range formats {
		c.Formats = append(c.Formats, string(f))
	}
	cw := fingerprint.NewCodeword(s.copyKey(c), st.biases)
	c.Commitment, _ = fingerprint.Commitment(s.copyKey(c), cw)
	rc := &readyCopy{issued: &Issued{Copy: c, Recipient: r, Files: map[render.Format][]byte{}}, bodies: map[render.Format][]byte{}}
	rc.fields = map[string]string{
		"version": ref("version", v.ID), "recipient": ref("recipient", r.ID), "number": fmt.Sprint(c.Number),
		"commitment": "sha256:" + hex.EncodeToString(c.Commitment[:]), "expires": "never",
		"holder": s.holderCommitment(c, r),
	}
	if !c.ExpiresAt.IsZero() {
		rc.fields["expires"] = c.ExpiresAt.Format(time.RFC3339)
	}
	if c.Watermark {
		rc.fields["watermark"] = "yes"
	}
	for _, f := range storedFormats(formats, s.pdfSource(v)) {
		body, err := s.renderFile(v, st, f, s.renderCopy(c, r, cw))
		if err != nil {
			return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to render a copy", Err: err}
		}
		hash := sha256.Sum256(body)
		if req.KeepFiles {
			rc.bodies[f] = body
		}
		if slices.Contains(formats, f) && !req.NoFiles {
			rc.issued.Files[f] = body
		}
		rc.fields["file."+string(f)] = "sha256:" + hex.EncodeToString(hash[:])
	}
	return rc, nil
}

// writeIssue writes a batch of rendered copies and their ledger entries in
// one transaction, after checking that the version is still the actor's to
// issue. If other copies of the version were issued since the batch was
// rendered (another request, or another instance), the batch is rendered
// again with the next free numbers, inside the transaction. It returns the
// copies written and how many copies of the version exist after them.
func (s *Service) writeIssue(ctx context.Context, actor telltale.Actor, req IssueRequest, plan *issuePlan, st *preparedVersion, recipients []*telltale.Recipient, ready []*readyCopy, before, left int, formats []render.Format, now time.Time) ([]*readyCopy, int, error) {
	var written []*readyCopy
	var after int
	err := s.store.Update(ctx, func(tx telltale.Tx) error {
		written = ready // the function may run again (see telltale.Store.Update)
		v, err := s.findVersion(tx, actor, req.Document, req.Version, toManage)
		if err != nil {
			return err
		}
		if v.ID != plan.version.ID {
			return telltale.Errorf(telltale.ECONFLICT, "a new version of %q was stored while copies were being issued", req.Document)
		}
		n, err := tx.CopyCount(v.ID)
		if err != nil {
			return err
		}
		if n != before {
			if written, err = s.renderIssue(st, plan, recipients, n, n+left, formats, req, actor, now); err != nil {
				return err
			}
		}
		after = n + len(written)
		for _, rc := range written {
			c := rc.issued.Copy
			c.ID = 0 // the function may run again (see telltale.Store.Update)
			if err := tx.CreateCopy(c); err != nil {
				return err
			}
			for f, body := range rc.bodies {
				file := &telltale.CopyFile{CopyID: c.ID, Format: string(f), Sealed: s.keys.SealCopy(v, c.ID, string(f), body), Hash: sha256.Sum256(body)}
				if err := tx.PutCopyFile(file); err != nil {
					return err
				}
			}
			if err := s.record(tx, now, actor, ledger.ActionCopyIssue, ref("copy", c.ID), rc.fields); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, before, err
	}
	return written, after, nil
}

// printIssued prints the PDF files of copies just issued (of one
// version), Word copies in one run of LibreOffice.
func (s *Service) printIssued(ctx context.Context, out []*Issued) error {
	v, err := s.versionOf(ctx, out[0].Copy)
	if err != nil {
		return err
	}
	from := s.pdfSource(v)
	var pages [][]byte
	for _, is := range out {
		page, err := s.storedFile(ctx, v, is.Copy, is.Recipient, from)
		if err != nil {
			return err
		}
		pages = append(pages, page)
	}
	if from == render.Word {
		pdfs, err := s.printWord(ctx, pages)
		if err != nil {
			return err
		}
		for i, is := range out {
			is.Files[render.PDF] = pdfs[i]
		}
		return nil
	}
	for i, is := range out {
		if is.Files[render.PDF], err = s.printCopy(ctx, v, is.Copy, is.Recipient, pages[i]); err != nil {
			return err
		}
	}
	return nil
}

// storedFormats are the files rendered (and kept, if asked) for copies
// issued in formats: each format but PDF, which is printed when opened
// from pdfFrom (the HTML page, or the Word copy), so that is rendered for
// it.
func storedFormats(formats []render.Format, pdfFrom render.Format) []render.Format {
	var out []render.Format
	for _, f := range formats {
		if f != render.PDF {
			out = append(out, f)
		}
	}
	if slices.Contains(formats, render.PDF) && !slices.Contains(out, pdfFrom) {
		out = append(out, pdfFrom)
	}
	return out
}

func (s *Service) renderCopy(c *telltale.Copy, r *telltale.Recipient, cw fingerprint.Codeword) render.Copy {
	return render.Copy{
		Codeword: cw, Tag: s.keys.CopyTag(c), Number: c.Number, Of: c.Of,
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
	var v *telltale.Version
	var r *telltale.Recipient
	var c *telltale.Copy
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		var err error
		if c, err = s.visibleCopy(tx, actor, copyID); err != nil {
			return err
		}
		if err := s.openable(c, format); err != nil {
			return err
		}
		if v, err = tx.Version(c.VersionID); err != nil {
			return err
		}
		if r, err = tx.Recipient(c.RecipientID); err != nil {
			return err
		}
		stored := format
		if format == render.PDF {
			stored = s.pdfSource(v) // printed from the HTML page or the Word copy
		}
		body, hash, err = s.copyBody(tx, v, c, r, stored)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	fields := map[string]string{"format": string(format), "via": ledger.Clean(via), "file": "sha256:" + hex.EncodeToString(hash[:])}
	if format == render.PDF {
		if body, err = s.printCopy(ctx, v, c, r, body); err != nil {
			return nil, nil, err
		}
		pdfHash := sha256.Sum256(body)
		fields["file"], fields["from"] = "sha256:"+hex.EncodeToString(pdfHash[:]), fields["file"]
	}
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		var err error
		if c, err = s.visibleCopy(tx, actor, copyID); err != nil {
			return err
		}
		if err := s.openable(c, format); err != nil {
			return err
		}
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

// codeword recomputes a copy's codeword from its key and checks it against
// the commitment stored at issue time.
func (s *Service) codeword(c *telltale.Copy, v *telltale.Version) (fingerprint.Codeword, error) {
	st, err := s.prepare(v)
	if err != nil {
		return nil, err
	}
	e, err := s.checkedCodeword(c, st.biases, make(fingerprint.Codeword, len(st.biases)))
	if err != nil {
		return nil, err
	}
	return e.codeword, nil
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
	if err := s.checkManages(tx, actor, c); err != nil {
		return nil, err
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
	if actor.Has(telltale.RoleRecipient) && actor.UserID != 0 {
		r, err := tx.Recipient(c.RecipientID)
		if err != nil {
			return nil, err
		}
		if r.UserID == actor.UserID {
			return c, nil
		}
	}
	if err := s.checkManages(tx, actor, c); err != nil {
		return nil, err
	}
	return c, nil
}

// checkManages refuses a copy of a document the actor does not manage as
// if it did not exist.
func (s *Service) checkManages(tx telltale.Tx, actor telltale.Actor, c *telltale.Copy) error {
	d, err := copyDocument(tx, c)
	if err != nil {
		return err
	}
	if !canManage(actor, d) {
		return noCopy(c.ID)
	}
	return nil
}

// InboxCopy is one copy in a recipient's inbox.
type InboxCopy struct {
	Copy     *telltale.Copy
	Document *telltale.Document
	Version  *telltale.Version
}

// Inbox lists the copies issued to the actor's email address: a
// recipient sees only their own copies.
func (s *Service) Inbox(ctx context.Context, actor telltale.Actor) ([]InboxCopy, error) {
	if !actor.Has(telltale.RoleRecipient) || actor.UserID == 0 {
		return nil, forbidden("reading an inbox", telltale.RoleRecipient)
	}
	var out []InboxCopy
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		r, err := tx.RecipientByEmail(actor.Email)
		if telltale.ErrorCode(err) == telltale.ENOTFOUND || err == nil && r.UserID != actor.UserID {
			return nil // no copies yet, or not linked to this account
		}
		if err != nil {
			return err
		}
		copies, err := tx.Copies(telltale.CopyFilter{RecipientID: r.ID})
		if err != nil {
			return err
		}
		for _, c := range copies {
			ic, err := inboxCopy(tx, c)
			if err != nil {
				return err
			}
			out = append(out, ic)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b InboxCopy) int { return b.Copy.IssuedAt.Compare(a.Copy.IssuedAt) })
	return out, err
}

// inboxCopy is a copy with its version and document.
func inboxCopy(tx telltale.Tx, c *telltale.Copy) (InboxCopy, error) {
	v, err := tx.Version(c.VersionID)
	if err != nil {
		return InboxCopy{}, err
	}
	d, err := tx.Document(v.DocumentID)
	if err != nil {
		return InboxCopy{}, err
	}
	return InboxCopy{Copy: c, Document: d, Version: v}, nil
}

// CopyInfo returns a copy the actor may read, with its document and
// version, without opening it (nothing is recorded).
func (s *Service) CopyInfo(ctx context.Context, actor telltale.Actor, id int64) (*InboxCopy, error) {
	var out InboxCopy
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		c, err := s.visibleCopy(tx, actor, id)
		if err != nil {
			return err
		}
		out, err = inboxCopy(tx, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Access is one recorded access to a copy.
type Access struct {
	Time      time.Time
	Action    string // copy.issue, copy.open, copy.revoke
	Actor     string
	ActorName string // the user's name, when Actor is a user
	Copy      int64
	Number    int
	Recipient string
	Format    string
	Via       string
	Client    string
}

// AccessLog returns every issue, opening and revocation of a document's
// copies, newest first, from the ledger.
func (s *Service) AccessLog(ctx context.Context, actor telltale.Actor, slug string) ([]Access, error) {
	var out []Access
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		d, err := tx.DocumentBySlug(slug)
		if err != nil || !canManage(actor, d) {
			return noDocument(slug)
		}
		copies, err := tx.Copies(telltale.CopyFilter{DocumentID: d.ID})
		if err != nil {
			return err
		}
		names := actorNames(tx)
		for _, c := range copies {
			r, err := tx.Recipient(c.RecipientID)
			if err != nil {
				return err
			}
			rows, err := tx.LedgerFind(telltale.LedgerFilter{Subject: ref("copy", c.ID)})
			if err != nil {
				return err
			}
			for _, row := range rows {
				e, err := ledger.Parse(row.Body)
				if err != nil {
					continue // verify reports it
				}
				out = append(out, Access{Time: e.Time, Action: e.Action, Actor: e.Actor, ActorName: names(e.Actor), Copy: c.ID, Number: c.Number, Recipient: r.Name,
					Format: e.Fields["format"], Via: e.Fields["via"], Client: e.Fields["client"]})
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b Access) int { return b.Time.Compare(a.Time) })
	return out, err
}

// RevokeAll revokes every active copy of a document, in batches of
// issueBatch copies a transaction (each with its ledger entries) so that
// views do not wait for the whole revocation. If a batch fails, the copies
// of the batches before it stay revoked; the error says how many.
func (s *Service) RevokeAll(ctx context.Context, actor telltale.Actor, slug string) (int, error) {
	var active []int64
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		d, err := tx.DocumentBySlug(slug)
		if err != nil || !canManage(actor, d) {
			return noDocument(slug)
		}
		copies, err := tx.Copies(telltale.CopyFilter{DocumentID: d.ID})
		if err != nil {
			return err
		}
		for _, c := range copies {
			if c.RevokedAt.IsZero() {
				active = append(active, c.ID)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for first := 0; first < len(active); first += issueBatch {
		batch := active[first:min(first+issueBatch, len(active))]
		k := 0
		err := s.store.Update(ctx, func(tx telltale.Tx) error {
			k = 0 // the function may run again (see telltale.Store.Update)
			d, err := tx.DocumentBySlug(slug)
			if err != nil || !canManage(actor, d) {
				return noDocument(slug)
			}
			now := s.now().UTC()
			for _, id := range batch {
				c, err := tx.Copy(id)
				if err != nil {
					return err
				}
				if !c.RevokedAt.IsZero() {
					continue // revoked since the list was read
				}
				if err := tx.RevokeCopy(c.ID, now); err != nil {
					return err
				}
				if err := s.record(tx, now, actor, ledger.ActionCopyRevoke, ref("copy", c.ID), nil); err != nil {
					return err
				}
				k++
			}
			return nil
		})
		if err != nil {
			if n == 0 {
				return 0, err
			}
			return n, fmt.Errorf("%d of %d copies were revoked before this failure: %w (hint: revoke again)", n, len(active), err)
		}
		n += k
	}
	return n, nil
}

// copyBody returns a copy's file in a format: the file kept at issue,
// decrypted and checked against its hash, or else the copy rendered from
// its version and its codeword, checked against its commitment.
func (s *Service) copyBody(tx telltale.Tx, v *telltale.Version, c *telltale.Copy, r *telltale.Recipient, format render.Format) ([]byte, [32]byte, error) {
	f, err := tx.CopyFile(c.ID, string(format))
	if telltale.ErrorCode(err) == telltale.ENOTFOUND {
		cw, err := s.codeword(c, v)
		if err != nil {
			return nil, [32]byte{}, err
		}
		st, err := s.prepare(v)
		if err != nil {
			return nil, [32]byte{}, err
		}
		body, err := s.renderFile(v, st, format, s.renderCopy(c, r, cw))
		if err != nil {
			return nil, [32]byte{}, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to render the copy", Err: err}
		}
		return body, sha256.Sum256(body), nil
	}
	if err != nil {
		return nil, [32]byte{}, err
	}
	body, err := s.keys.OpenCopy(v, f)
	if err != nil {
		return nil, [32]byte{}, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to decrypt the copy", Err: err}
	}
	if sha256.Sum256(body) != f.Hash {
		return nil, [32]byte{}, &telltale.Error{Code: telltale.EINTERNAL, Message: "stored copy does not match its hash", Err: errors.New("copy file hash mismatch")}
	}
	return body, f.Hash, nil
}

// storedFile returns a copy's file, checked, without recording an
// opening (for files being issued).
func (s *Service) storedFile(ctx context.Context, v *telltale.Version, c *telltale.Copy, r *telltale.Recipient, format render.Format) ([]byte, error) {
	var body []byte
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		var err error
		body, _, err = s.copyBody(tx, v, c, r, format)
		return err
	})
	return body, err
}

// versionOf returns the version a copy belongs to.
func (s *Service) versionOf(ctx context.Context, c *telltale.Copy) (*telltale.Version, error) {
	var v *telltale.Version
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		var err error
		v, err = tx.Version(c.VersionID)
		return err
	})
	return v, err
}
