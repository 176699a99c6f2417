package service

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/trace"
)

// Ledger actions of cases.
const (
	ActionCaseOpen     = "case.open"
	ActionCaseEvidence = "case.evidence"
	ActionCaseNote     = "case.note"
	ActionCaseMove     = "case.move"
	ActionCaseAssign   = "case.assign"
	ActionCaseExport   = "case.export"
)

// MaxEvidenceSize caps one evidence item.
const MaxEvidenceSize = extract.MaxFileSize

// EvidenceInput is an item of evidence as given: pasted text, an uploaded
// file or a monitored article.
type EvidenceInput struct {
	Kind    string // "text", "file" or "article"
	Name    string
	URL     string
	Content []byte
	// Document optionally names the document to trace against.
	Document string
}

// OpenCaseRequest opens a case with its first evidence.
type OpenCaseRequest struct {
	Title       string
	PublishedAt time.Time // when the leak was published, if known
	Evidence    EvidenceInput
}

func caseRef(id int64) string { return ref("case", id) }

func noCase(id int64) error { return telltale.Errorf(telltale.ENOTFOUND, "no case %d", id) }

// ParsePublished reads a publication time: RFC 3339, "2006-01-02 15:04" or
// "2006-01-02T15:04" (as a datetime-local field sends it), in UTC, or a
// date. Empty means unknown.
func ParsePublished(s string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, telltale.Errorf(telltale.EINVALID, "publication time %q: give a time like 2026-03-08T06:00:00Z, 2026-03-08 06:00 (UTC) or 2026-03-08", s)
}

// investigable returns a case an investigator may see. A recipient of the
// leaked version never may, even with the investigator role: the accused
// does not read the case file. Such cases are "not found".
func (s *Service) investigable(tx telltale.Tx, actor telltale.Actor, id int64) (*telltale.Case, error) {
	if !actor.Has(telltale.RoleInvestigator) {
		return nil, forbidden("working on cases", telltale.RoleInvestigator)
	}
	c, err := tx.Case(id)
	if err != nil {
		return nil, noCase(id)
	}
	involved, err := s.involved(tx, actor, c)
	if err != nil {
		return nil, err
	}
	if involved {
		return nil, noCase(id)
	}
	return c, nil
}

// involved reports whether the actor holds a copy of the case's version.
func (s *Service) involved(tx telltale.Tx, actor telltale.Actor, c *telltale.Case) (bool, error) {
	if c.VersionID == 0 || actor.Email == "" {
		return false, nil
	}
	r, err := tx.RecipientByEmail(actor.Email)
	if telltale.ErrorCode(err) == telltale.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	copies, err := tx.Copies(telltale.CopyFilter{VersionID: c.VersionID})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(copies, func(cp *telltale.Copy) bool { return cp.RecipientID == r.ID }), nil
}

// traceEvidence traces an evidence item. Text that matches no stored
// version is kept as evidence without a verdict; why is returned.
func (s *Service) traceEvidence(ctx context.Context, actor telltale.Actor, in EvidenceInput) (*TraceResult, string, error) {
	res, err := s.TraceText(ctx, actor, TraceRequest{Leak: in.Content, Name: in.Name, Document: in.Document})
	switch telltale.ErrorCode(err) {
	case "":
		return res, "", nil
	case telltale.ENOTFOUND, telltale.EINVALID:
		return nil, telltale.ErrorMessage(err), nil
	}
	return nil, "", err
}

func checkEvidence(in *EvidenceInput) error {
	in.Kind = strings.TrimSpace(in.Kind)
	if in.Kind == "" {
		in.Kind = "text"
	}
	if !slices.Contains([]string{"text", "file", "article"}, in.Kind) {
		return telltale.Errorf(telltale.EINVALID, "evidence kind %q: want text, file or article", in.Kind)
	}
	if len(strings.TrimSpace(string(in.Content))) == 0 {
		return telltale.Errorf(telltale.EINVALID, "the evidence is empty: paste the leaked text or upload a file")
	}
	if len(in.Content) > MaxEvidenceSize {
		return telltale.Errorf(telltale.EINVALID, "the evidence is %d MB; the limit is %d MB", len(in.Content)>>20, MaxEvidenceSize>>20)
	}
	if in.Name = strings.TrimSpace(in.Name); in.Name == "" {
		in.Name = "pasted text"
	}
	return nil
}

// storeEvidence seals and stores an item with its verdict, and records it.
func (s *Service) storeEvidence(tx telltale.Tx, actor telltale.Actor, c *telltale.Case, in EvidenceInput, res *TraceResult, now time.Time) (*telltale.Evidence, error) {
	e := &telltale.Evidence{CaseID: c.ID, Kind: in.Kind, Name: in.Name, URL: in.URL, SHA256: sha256.Sum256(in.Content),
		Size: len(in.Content), AddedBy: actor.Ref(), AddedAt: now}
	e.Sealed = s.keys.SealEvidence(c, e, keys.EvidenceContent, in.Content)
	fields := map[string]string{"sha256": sha(in.Content), "kind": in.Kind}
	if res != nil {
		verdict, err := json.Marshal(res.Verdict)
		if err != nil {
			return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to encode the verdict", Err: err}
		}
		e.Verdict = s.keys.SealEvidence(c, e, keys.EvidenceVerdict, verdict)
		fields["verdict"], fields["outcome"] = sha(verdict), res.Verdict.Outcome
		if c.VersionID == 0 {
			c.VersionID = res.Version.ID
		}
	}
	if err := tx.AddEvidence(e); err != nil {
		return nil, err
	}
	fields["evidence"] = ref("evidence", e.ID)
	if err := s.record(tx, now, actor, ActionCaseEvidence, caseRef(c.ID), fields); err != nil {
		return nil, err
	}
	return e, nil
}

// OpenCase opens a case from its first evidence, which is traced.
func (s *Service) OpenCase(ctx context.Context, actor telltale.Actor, req OpenCaseRequest) (*telltale.Case, error) {
	if !actor.Has(telltale.RoleInvestigator) {
		return nil, forbidden("opening a case", telltale.RoleInvestigator)
	}
	if err := checkEvidence(&req.Evidence); err != nil {
		return nil, err
	}
	title := strings.TrimSpace(req.Title)
	if title == "" {
		title = "Leak: " + req.Evidence.Name
	}
	if len(title) > 200 {
		return nil, telltale.Errorf(telltale.EINVALID, "the title is %d characters; keep it under 200", len(title))
	}
	res, why, err := s.traceEvidence(ctx, actor, req.Evidence)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	c := &telltale.Case{Title: title, State: telltale.CaseIntake, PublishedAt: req.PublishedAt.UTC(), Nonce: keys.Nonce(16),
		CreatedBy: actor.Ref(), CreatedAt: now, UpdatedAt: now}
	if req.PublishedAt.IsZero() {
		c.PublishedAt = time.Time{}
	}
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		if err := tx.CreateCase(c); err != nil {
			return err
		}
		if err := s.record(tx, now, actor, ActionCaseOpen, caseRef(c.ID), map[string]string{"state": string(c.State)}); err != nil {
			return err
		}
		if _, err := s.storeEvidence(tx, actor, c, req.Evidence, res, now); err != nil {
			return err
		}
		text := "Case opened with " + req.Evidence.Name + "."
		if why != "" {
			text += " It was not traced: " + why
		}
		if err := s.addEvent(tx, c, "open", text, actor, now); err != nil {
			return err
		}
		if c.VersionID != 0 {
			return tx.UpdateCase(c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AddEvidence adds an item to a case and traces it.
func (s *Service) AddEvidence(ctx context.Context, actor telltale.Actor, caseID int64, in EvidenceInput) (*telltale.Evidence, error) {
	if err := s.store.View(ctx, func(tx telltale.Tx) error { _, err := s.investigable(tx, actor, caseID); return err }); err != nil {
		return nil, err
	}
	if err := checkEvidence(&in); err != nil {
		return nil, err
	}
	res, why, err := s.traceEvidence(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	var e *telltale.Evidence
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		c, err := s.investigable(tx, actor, caseID)
		if err != nil {
			return err
		}
		if c.State == telltale.CaseClosed {
			return telltale.Errorf(telltale.EINVALID, "case %d is closed; open a new case for new evidence", c.ID)
		}
		now := s.now().UTC()
		had := c.VersionID
		if e, err = s.storeEvidence(tx, actor, c, in, res, now); err != nil {
			return err
		}
		text := "Evidence added: " + in.Name + "."
		if why != "" {
			text += " It was not traced: " + why
		}
		if err := s.addEvent(tx, c, "evidence", text, actor, now); err != nil {
			return err
		}
		c.UpdatedAt = now
		if had != c.VersionID {
			// The case now concerns a version: the involved may no
			// longer see it, and that includes the actor.
			if inv, err := s.involved(tx, actor, c); err != nil || inv {
				return noCase(caseID)
			}
		}
		return tx.UpdateCase(c)
	})
	return e, err
}

func (s *Service) addEvent(tx telltale.Tx, c *telltale.Case, kind, text string, actor telltale.Actor, at time.Time) error {
	e := &telltale.CaseEvent{CaseID: c.ID, Kind: kind, Actor: actor.Ref(), At: at}
	e.Sealed = s.keys.SealCaseEvent(c, text)
	return tx.AddCaseEvent(e)
}

// Note adds a note to a case.
func (s *Service) Note(ctx context.Context, actor telltale.Actor, caseID int64, text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return telltale.Errorf(telltale.EINVALID, "the note is empty")
	}
	if len(text) > 20000 {
		return telltale.Errorf(telltale.EINVALID, "the note is %d characters; the limit is 20,000", len(text))
	}
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		c, err := s.investigable(tx, actor, caseID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if err := s.addEvent(tx, c, "note", text, actor, now); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := tx.UpdateCase(c); err != nil {
			return err
		}
		return s.record(tx, now, actor, ActionCaseNote, caseRef(c.ID), map[string]string{"note": sha([]byte(text))})
	})
}

// MoveRequest moves a case to another state.
type MoveRequest struct {
	To      telltale.CaseState
	Outcome telltale.CaseOutcome // required to close
	Office  string               // required to refer
	Note    string
}

// Move moves a case through its states: intake → triage → attribution →
// referred → closed, or to closed from any open state.
func (s *Service) Move(ctx context.Context, actor telltale.Actor, caseID int64, req MoveRequest) error {
	if !slices.Contains(telltale.CaseStates, req.To) {
		return telltale.Errorf(telltale.EINVALID, "no case state %q (states: intake, triage, attribution, referred, closed)", req.To)
	}
	req.Office = strings.TrimSpace(req.Office)
	switch req.To {
	case telltale.CaseReferred:
		if req.Office == "" {
			return telltale.Errorf(telltale.EINVALID, "a referral names the receiving office")
		}
	case telltale.CaseClosed:
		if !slices.Contains(telltale.CaseOutcomes, req.Outcome) {
			return telltale.Errorf(telltale.EINVALID, "closing a case needs an outcome: substantiated, unsubstantiated or inconclusive")
		}
	}
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		c, err := s.investigable(tx, actor, caseID)
		if err != nil {
			return err
		}
		if !telltale.CanMove(c.State, req.To) {
			return telltale.Errorf(telltale.EINVALID, "case %d is in %s; it can move to %s", c.ID, c.State, strings.Join(nextStates(c.State), " or "))
		}
		if req.To == telltale.CaseClosed && req.Outcome == telltale.OutcomeSubstantiated && !s.hasAccusation(c, tx) {
			return telltale.Errorf(telltale.EINVALID, "no verdict in case %d accuses anyone: close it as inconclusive or unsubstantiated, or add evidence", c.ID)
		}
		now := s.now().UTC()
		from := c.State
		c.State, c.UpdatedAt = req.To, now
		text := fmt.Sprintf("Moved from %s to %s.", from, req.To)
		fields := map[string]string{"from": string(from), "to": string(req.To)}
		if req.To == telltale.CaseReferred {
			c.Office = req.Office
			text = fmt.Sprintf("Referred to %s.", req.Office)
			fields["office"] = sha([]byte(req.Office))
		}
		if req.To == telltale.CaseClosed {
			c.Outcome = req.Outcome
			text = fmt.Sprintf("Closed: %s.", req.Outcome)
			fields["outcome"] = string(req.Outcome)
		}
		if n := strings.TrimSpace(req.Note); n != "" {
			text += " " + n
		}
		if err := tx.UpdateCase(c); err != nil {
			return err
		}
		if err := s.addEvent(tx, c, "move", text, actor, now); err != nil {
			return err
		}
		return s.record(tx, now, actor, ActionCaseMove, caseRef(c.ID), fields)
	})
}

func nextStates(from telltale.CaseState) []string {
	var out []string
	for _, to := range telltale.CaseStates {
		if telltale.CanMove(from, to) {
			out = append(out, string(to))
		}
	}
	if len(out) == 0 {
		return []string{"nothing (it is closed)"}
	}
	return out
}

// hasAccusation reports whether any verdict of the case accuses someone.
func (s *Service) hasAccusation(c *telltale.Case, tx telltale.Tx) bool {
	items, err := tx.CaseEvidence(c.ID)
	if err != nil {
		return false
	}
	for _, e := range items {
		if _, v, err := s.openVerdict(c, e); err == nil && v != nil && len(v.Accused) > 0 {
			return true
		}
	}
	return false
}

// Assign gives a case to an investigator.
func (s *Service) Assign(ctx context.Context, actor telltale.Actor, caseID int64, email string) error {
	email, err := normalizeEmail(email)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		c, err := s.investigable(tx, actor, caseID)
		if err != nil {
			return err
		}
		u, err := tx.UserByEmail(email)
		if err != nil || !u.Has(telltale.RoleInvestigator) || u.Disabled {
			return telltale.Errorf(telltale.EINVALID, "%s is not an active investigator", email)
		}
		if inv, err := s.involved(tx, telltale.UserActor(u), c); err != nil || inv {
			return telltale.Errorf(telltale.EINVALID, "%s holds a copy of the leaked version and cannot investigate it", email)
		}
		now := s.now().UTC()
		c.AssigneeID, c.UpdatedAt = u.ID, now
		if err := tx.UpdateCase(c); err != nil {
			return err
		}
		if err := s.addEvent(tx, c, "assign", "Assigned to "+u.Name+".", actor, now); err != nil {
			return err
		}
		return s.record(tx, now, actor, ActionCaseAssign, caseRef(c.ID), map[string]string{"assignee": ref("user", u.ID)})
	})
}

// CaseSummary is a case in a list.
type CaseSummary struct {
	*telltale.Case
	Document string // slug of the leaked document, if known
	Assignee string
}

// Cases lists the cases the actor may see, newest first.
func (s *Service) Cases(ctx context.Context, actor telltale.Actor) ([]CaseSummary, error) {
	if !actor.Has(telltale.RoleInvestigator) {
		return nil, forbidden("working on cases", telltale.RoleInvestigator)
	}
	var out []CaseSummary
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		all, err := tx.Cases()
		if err != nil {
			return err
		}
		names := actorNames(tx)
		for _, c := range all {
			if inv, err := s.involved(tx, actor, c); err != nil || inv {
				continue
			}
			cs := CaseSummary{Case: c}
			if c.VersionID != 0 {
				cs.Document = versionLabel(tx, c.VersionID)
			}
			if c.AssigneeID != 0 {
				cs.Assignee = names(ref("user", c.AssigneeID))
			}
			out = append(out, cs)
		}
		return nil
	})
	return out, err
}

// EvidenceItem is an evidence item with its content and verdict opened.
type EvidenceItem struct {
	*telltale.Evidence
	Content []byte
	// VerdictJSON is the verdict exactly as recorded (its hash is in the
	// ledger); Verdict is it decoded.
	VerdictJSON []byte
	Verdict     *trace.Verdict
	AddedByName string
}

// CaseEventView is a case event opened for people.
type CaseEventView struct {
	Kind      string
	Text      string
	Actor     string
	ActorName string
	At        time.Time
}

// TimelineEntry is one issue, opening or revocation of a copy of the
// leaked version, placed relative to the publication time.
type TimelineEntry struct {
	Access
	Email    string
	Relative string // "19 hours before publication"; empty if unknown
	Before   bool   // before publication
}

// CaseDetail is everything a case holds.
type CaseDetail struct {
	Case     *telltale.Case
	Assignee string
	Document *telltale.Document
	Version  *telltale.Version
	Evidence []EvidenceItem
	Events   []CaseEventView
	Timeline []TimelineEntry
	// Verdict is the most conclusive verdict among the evidence: the
	// latest accusing one, else the latest.
	Verdict *trace.Verdict
	// Warnings say what looks wrong with the case's facts, such as a
	// publication time before any copy of the version existed.
	Warnings []string
}

// openVerdict decrypts an item's verdict: the JSON exactly as recorded, and
// decoded. Both are nil for an item that was not traced.
func (s *Service) openVerdict(c *telltale.Case, e *telltale.Evidence) ([]byte, *trace.Verdict, error) {
	if e.Verdict == nil {
		return nil, nil, nil
	}
	b, err := s.keys.OpenEvidence(c, e, keys.EvidenceVerdict, e.Verdict)
	if err != nil {
		return nil, nil, &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("verdict of evidence %d does not decrypt", e.ID), Err: err}
	}
	var v trace.Verdict
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "stored verdict does not decode", Err: err}
	}
	return b, &v, nil
}

// Case returns a case with its evidence, history and access timeline.
func (s *Service) Case(ctx context.Context, actor telltale.Actor, id int64) (*CaseDetail, error) {
	var d *CaseDetail
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) {
		d, err = s.caseDetail(tx, actor, id)
		return err
	})
	return d, err
}

func (s *Service) caseDetail(tx telltale.Tx, actor telltale.Actor, id int64) (*CaseDetail, error) {
	var d CaseDetail
	err := func() error {
		c, err := s.investigable(tx, actor, id)
		if err != nil {
			return err
		}
		d.Case = c
		names := actorNames(tx)
		if c.AssigneeID != 0 {
			d.Assignee = names(ref("user", c.AssigneeID))
		}
		items, err := tx.CaseEvidence(c.ID)
		if err != nil {
			return err
		}
		for _, e := range items {
			content, err := s.keys.OpenEvidence(c, e, keys.EvidenceContent, e.Sealed)
			if err != nil || sha256.Sum256(content) != e.SHA256 {
				return &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("evidence %d of case %d does not decrypt to its hash", e.ID, c.ID), Err: err}
			}
			it := EvidenceItem{Evidence: e, Content: content, AddedByName: names(e.AddedBy)}
			if it.VerdictJSON, it.Verdict, err = s.openVerdict(c, e); err != nil {
				return err
			}
			if v := it.Verdict; v != nil && (d.Verdict == nil || len(v.Accused) > 0 || len(d.Verdict.Accused) == 0) {
				d.Verdict = v
			}
			d.Evidence = append(d.Evidence, it)
		}
		events, err := tx.CaseEvents(c.ID)
		if err != nil {
			return err
		}
		for _, e := range events {
			text, err := s.keys.OpenCaseEvent(c, e.Sealed)
			if err != nil {
				return &telltale.Error{Code: telltale.EINTERNAL, Message: "a case note does not decrypt", Err: err}
			}
			d.Events = append(d.Events, CaseEventView{Kind: e.Kind, Text: text, Actor: e.Actor, ActorName: names(e.Actor), At: e.At})
		}
		if c.VersionID != 0 {
			if d.Version, err = tx.Version(c.VersionID); err != nil {
				return err
			}
			if d.Document, err = tx.Document(d.Version.DocumentID); err != nil {
				return err
			}
			if d.Timeline, err = s.timeline(tx, c); err != nil {
				return err
			}
			d.Warnings = publicationWarnings(c, d.Version, d.Timeline, s.now())
		}
		return nil
	}()
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// publicationWarnings checks a case's publication time against the
// version's copies: a leak published before the first copy was issued did
// not come from a copy (or the time is wrong).
func publicationWarnings(c *telltale.Case, v *telltale.Version, timeline []TimelineEntry, now time.Time) []string {
	if c.PublishedAt.IsZero() {
		return nil
	}
	var out []string
	if c.PublishedAt.After(now.Add(time.Hour)) {
		out = append(out, fmt.Sprintf("The publication time %s is in the future: check it.", c.PublishedAt.UTC().Format("2006-01-02 15:04 UTC")))
	}
	var first time.Time
	for _, t := range timeline {
		if t.Action == ledger.ActionCopyIssue && (first.IsZero() || t.Time.Before(first)) {
			first = t.Time
		}
	}
	switch {
	case first.IsZero():
		out = append(out, fmt.Sprintf("No copy of version %d has been issued, so the leak cannot come from one of its copies.", v.Number))
	case c.PublishedAt.Before(first):
		out = append(out, fmt.Sprintf("The publication time %s is before the first copy of version %d was issued (%s): check the time, or the leak came from somewhere else (an earlier version, the author's own files).",
			c.PublishedAt.UTC().Format("2006-01-02 15:04 UTC"), v.Number, first.UTC().Format("2006-01-02 15:04 UTC")))
	}
	return out
}

// timeline lists every issue, opening and revocation of the case's
// version's copies, oldest first, relative to the publication time.
func (s *Service) timeline(tx telltale.Tx, c *telltale.Case) ([]TimelineEntry, error) {
	copies, err := tx.Copies(telltale.CopyFilter{VersionID: c.VersionID})
	if err != nil {
		return nil, err
	}
	names := actorNames(tx)
	var out []TimelineEntry
	for _, cp := range copies {
		r, err := tx.Recipient(cp.RecipientID)
		if err != nil {
			return nil, err
		}
		rows, err := tx.LedgerFind(telltale.LedgerFilter{Subject: ref("copy", cp.ID)})
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			e, err := ledger.Parse(row.Body)
			if err != nil {
				continue // verify reports it
			}
			te := TimelineEntry{Access: Access{Time: e.Time, Action: e.Action, Actor: e.Actor, ActorName: names(e.Actor), Copy: cp.ID, Number: cp.Number,
				Recipient: r.Name, Format: e.Fields["format"], Via: e.Fields["via"], Client: e.Fields["client"]}, Email: r.Email}
			if !c.PublishedAt.IsZero() {
				te.Before = e.Time.Before(c.PublishedAt)
				te.Relative = relative(e.Time, c.PublishedAt)
			}
			out = append(out, te)
		}
	}
	slices.SortStableFunc(out, func(a, b TimelineEntry) int { return a.Time.Compare(b.Time) })
	return out, nil
}

// relative says how long before or after publication t was.
func relative(t, published time.Time) string {
	d := published.Sub(t)
	when := "before"
	if d < 0 {
		d, when = -d, "after"
	}
	var n int
	var unit string
	switch {
	case d < time.Minute:
		return "at publication"
	case d < time.Hour:
		n, unit = int(d/time.Minute), "minute"
	case d < 48*time.Hour:
		n, unit = int(d/time.Hour), "hour"
	default:
		n, unit = int(d/(24*time.Hour)), "day"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s %s publication", n, unit, when)
}
