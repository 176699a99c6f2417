package service

import (
	"context"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/bundle"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/ledger"
)

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// ExportCase writes a case's evidence bundle (see package bundle). The
// export itself is recorded in the ledger, committing to the bundle's
// manifest, in the same transaction.
func (s *Service) ExportCase(ctx context.Context, actor telltale.Actor, id int64) ([]byte, error) {
	var out []byte
	err := s.store.Update(ctx, func(tx telltale.Tx) error {
		d, err := s.caseDetail(tx, actor, id)
		if err != nil {
			return err
		}
		x := &export{s: s, tx: tx, w: bundle.NewWriter(), prove: map[int64]bool{}, now: s.now().UTC()}
		info, items, timeline, events := reportParts(d)
		// Ledger entries to prove: the case's own, the traces of its
		// verdicts, and every entry about a copy of the leaked version.
		if err := x.proveSubject(caseRef(d.Case.ID)); err != nil {
			return err
		}
		accused, err := x.addEvidence(d, items)
		if err != nil {
			return err
		}
		if err := x.revealCodewords(accused); err != nil {
			return err
		}
		if err := x.proveCopies(d.Version); err != nil {
			return err
		}
		if err := x.w.AddJSON(bundle.TimelineFile, timeline); err != nil {
			return err
		}
		if err := x.w.AddJSON("history.json", events); err != nil {
			return err
		}
		report, err := bundle.RenderReport(bundle.ReportData{Case: info, Generated: x.now, Verdict: d.Verdict, Evidence: items,
			Timeline: timeline, Events: events, Verifier: s.ledger.VerifierKey()})
		if err != nil {
			return err
		}
		x.w.Add(bundle.ReportFile, report)
		out, err = x.seal(actor, d.Case, info)
		return err
	})
	return out, err
}

// export is one evidence bundle being written in a transaction, with the
// ledger entries it will prove.
type export struct {
	s     *Service
	tx    telltale.Tx
	w     *bundle.Writer
	prove map[int64]bool // ledger entry indexes
	now   time.Time
}

// proveSubject adds every ledger entry about a subject ("case/3").
func (x *export) proveSubject(subject string) error {
	rows, err := x.tx.LedgerFind(telltale.LedgerFilter{Subject: subject})
	for _, r := range rows {
		x.prove[r.Index] = true
	}
	return err
}

// addEvidence adds every evidence item with its verdict, and the trace
// entry that recorded each verdict, whichever version it read the
// evidence against. It returns the copies any verdict accuses.
func (x *export) addEvidence(d *CaseDetail, items []bundle.Item) (map[int64]bool, error) {
	traces, err := x.tx.LedgerFind(telltale.LedgerFilter{Action: ledger.ActionTraceRun})
	if err != nil {
		return nil, err
	}
	traceOf := map[string]int64{} // verdict hash → entry
	for _, r := range traces {
		if pe, err := ledger.Parse(r.Body); err == nil {
			traceOf[pe.Fields["verdict"]] = r.Index
		}
	}
	accused := map[int64]bool{}
	for i, e := range d.Evidence {
		it := items[i]
		x.w.Add(it.File, e.Content)
		if e.Verdict == nil {
			continue
		}
		x.w.Add(it.Verdict, e.VerdictJSON)
		for _, f := range e.Verdict.Accused {
			accused[f.CopyID] = true
		}
		if idx, ok := traceOf[bundle.Hash(e.VerdictJSON)]; ok {
			x.prove[idx] = true
		}
	}
	return accused, x.w.AddJSON(bundle.EvidenceFile, items)
}

// revealCodewords adds the codeword of each accused copy with the salt
// that opens its commitment.
func (x *export) revealCodewords(accused map[int64]bool) error {
	ids := make([]int64, 0, len(accused))
	for id := range accused {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, cid := range ids {
		cp, err := x.tx.Copy(cid)
		if err != nil {
			return err
		}
		v, err := x.tx.Version(cp.VersionID)
		if err != nil {
			return err
		}
		r, err := x.tx.Recipient(cp.RecipientID)
		if err != nil {
			return err
		}
		cw, err := x.s.codeword(cp, v)
		if err != nil {
			return err
		}
		salt := fingerprint.CommitSalt(x.s.copyKey(cp))
		holderSalt := x.s.keys.HolderKey(cp)
		bc := bundle.Codeword{Copy: ref("copy", cp.ID), Recipient: r.Name, Email: r.Email, Salt: hex.EncodeToString(salt[:]),
			Commitment: "sha256:" + hex.EncodeToString(cp.Commitment[:]), HolderSalt: hex.EncodeToString(holderSalt[:])}
		for _, sym := range cw {
			bc.Symbols = append(bc.Symbols, int(sym))
		}
		if err := x.w.AddJSON(fmt.Sprintf("codewords/copy-%d.json", cp.ID), bc); err != nil {
			return err
		}
	}
	return nil
}

// proveCopies adds the ledger entries of every copy of the leaked version:
// the issues and openings behind the access timeline.
func (x *export) proveCopies(v *telltale.Version) error {
	if v == nil {
		return nil
	}
	copies, err := x.tx.Copies(telltale.CopyFilter{VersionID: v.ID})
	if err != nil {
		return err
	}
	for _, cp := range copies {
		if err := x.proveSubject(ref("copy", cp.ID)); err != nil {
			return err
		}
	}
	return nil
}

// seal writes the manifest, records the export in the ledger and in the
// case's history, and returns the bundle with the proofs of every entry.
func (x *export) seal(actor telltale.Actor, c *telltale.Case, info bundle.CaseInfo) ([]byte, error) {
	manifest, mhash, err := x.w.Manifest(info, x.now)
	if err != nil {
		return nil, err
	}
	idx, err := x.s.ledger.Append(x.tx, &ledger.Entry{Time: x.now, Actor: ledger.Clean(actor.Ref()), Action: ActionCaseExport, Subject: caseRef(c.ID),
		Fields: map[string]string{"manifest": mhash}})
	if err != nil {
		return nil, err
	}
	x.prove[idx] = true
	if err := x.s.addEvent(x.tx, c, "export", "Evidence bundle exported (manifest "+mhash[:19]+"…).", actor, x.now); err != nil {
		return nil, err
	}
	indexes := make([]int64, 0, len(x.prove))
	for i := range x.prove {
		indexes = append(indexes, i)
	}
	ev, err := x.s.ledger.Export(x.tx, indexes)
	if err != nil {
		return nil, err
	}
	return x.w.Bytes(manifest, ev)
}

// reportParts turns a case into the bundle's descriptions of it.
func reportParts(d *CaseDetail) (bundle.CaseInfo, []bundle.Item, []bundle.TimelineEntry, []bundle.Event) {
	c := d.Case
	info := bundle.CaseInfo{ID: c.ID, Title: c.Title, State: string(c.State), Outcome: string(c.Outcome), Office: c.Office, PublishedAt: c.PublishedAt}
	if d.Document != nil {
		info.Document, info.Version = d.Document.Slug, d.Version.Number
	}
	var items []bundle.Item
	for _, e := range d.Evidence {
		name := strings.Trim(unsafeName.ReplaceAllString(e.Name, "-"), "-")
		if name == "" {
			name = "evidence"
		}
		it := bundle.Item{ID: e.ID, Kind: e.Kind, Name: e.Name, URL: e.URL, SHA256: "sha256:" + hex.EncodeToString(e.SHA256[:]), AddedAt: e.AddedAt,
			File: fmt.Sprintf("evidence/%d-%s", e.ID, name)}
		if e.Verdict != nil {
			it.Verdict = fmt.Sprintf("verdicts/%d.json", e.ID)
		}
		items = append(items, it)
	}
	var timeline []bundle.TimelineEntry
	for _, t := range d.Timeline {
		timeline = append(timeline, bundle.TimelineEntry{Time: t.Time, Action: t.Action, Recipient: t.Recipient, Email: t.Email,
			Copy: ref("copy", t.Copy), Format: t.Format, Via: t.Via, Client: t.Client, Relative: t.Relative})
	}
	var events []bundle.Event
	for _, e := range d.Events {
		events = append(events, bundle.Event{Time: e.At, Kind: e.Kind, Actor: e.ActorName, Text: e.Text})
	}
	return info, items, timeline, events
}

// CaseReport renders the case's printable report, as in its bundle, for
// a referral.
func (s *Service) CaseReport(ctx context.Context, actor telltale.Actor, id int64) ([]byte, error) {
	d, err := s.Case(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	info, items, timeline, events := reportParts(d)
	return bundle.RenderReport(bundle.ReportData{Case: info, Generated: s.now().UTC(), Verdict: d.Verdict, Evidence: items,
		Timeline: timeline, Events: events, Verifier: s.ledger.VerifierKey()})
}
