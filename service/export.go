package service

import (
	"context"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"

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
		c := d.Case
		now := s.now().UTC()
		w := bundle.NewWriter()
		info, items, timeline, events := reportParts(d)

		// Ledger entries to prove: the case's own, the traces of its
		// verdicts, and every entry about a copy of the leaked version.
		prove := map[int64]bool{}
		rows, err := tx.LedgerFind(telltale.LedgerFilter{Subject: caseRef(c.ID)})
		if err != nil {
			return err
		}
		for _, r := range rows {
			prove[r.Index] = true
		}

		// The trace that recorded each verdict, whichever version it read
		// the evidence against.
		traces, err := tx.LedgerFind(telltale.LedgerFilter{Action: ledger.ActionTraceRun})
		if err != nil {
			return err
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
			w.Add(it.File, e.Content)
			if e.Verdict != nil {
				w.Add(it.Verdict, e.VerdictJSON)
				for _, f := range e.Verdict.Accused {
					accused[f.CopyID] = true
				}
				if idx, ok := traceOf[bundle.Hash(e.VerdictJSON)]; ok {
					prove[idx] = true
				}
			}
		}
		if err := w.AddJSON(bundle.EvidenceFile, items); err != nil {
			return err
		}

		// Accused copies: reveal their codewords.
		ids := make([]int64, 0, len(accused))
		for id := range accused {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, cid := range ids {
			cp, err := tx.Copy(cid)
			if err != nil {
				return err
			}
			v, err := tx.Version(cp.VersionID)
			if err != nil {
				return err
			}
			r, err := tx.Recipient(cp.RecipientID)
			if err != nil {
				return err
			}
			cw, err := s.Codeword(ctx, cp, v)
			if err != nil {
				return err
			}
			salt := fingerprint.CommitSalt(s.copyKey(cp))
			bc := bundle.Codeword{Copy: ref("copy", cp.ID), Recipient: r.Name, Email: r.Email, Salt: hex.EncodeToString(salt[:]),
				Commitment: "sha256:" + hex.EncodeToString(cp.Commitment[:])}
			for _, sym := range cw {
				bc.Symbols = append(bc.Symbols, int(sym))
			}
			if err := w.AddJSON(fmt.Sprintf("codewords/copy-%d.json", cp.ID), bc); err != nil {
				return err
			}
		}

		// The copy entries behind the access timeline.
		if d.Version != nil {
			copies, err := tx.Copies(telltale.CopyFilter{VersionID: d.Version.ID})
			if err != nil {
				return err
			}
			for _, cp := range copies {
				rows, err := tx.LedgerFind(telltale.LedgerFilter{Subject: ref("copy", cp.ID)})
				if err != nil {
					return err
				}
				for _, r := range rows {
					prove[r.Index] = true
				}
			}
		}
		if err := w.AddJSON(bundle.TimelineFile, timeline); err != nil {
			return err
		}
		if err := w.AddJSON("history.json", events); err != nil {
			return err
		}
		report, err := bundle.RenderReport(bundle.ReportData{Case: info, Generated: now, Verdict: d.Verdict, Evidence: items,
			Timeline: timeline, Events: events, Verifier: s.ledger.VerifierKey()})
		if err != nil {
			return err
		}
		w.Add(bundle.ReportFile, report)

		manifest, mhash, err := w.Manifest(info, now)
		if err != nil {
			return err
		}
		idx, err := s.ledger.Append(tx, &ledger.Entry{Time: now, Actor: ledger.Clean(actor.Ref()), Action: ActionCaseExport, Subject: caseRef(c.ID),
			Fields: map[string]string{"manifest": mhash}})
		if err != nil {
			return err
		}
		prove[idx] = true
		if err := s.addEvent(tx, c, "export", "Evidence bundle exported (manifest "+mhash[:19]+"…).", actor, now); err != nil {
			return err
		}
		indexes := make([]int64, 0, len(prove))
		for i := range prove {
			indexes = append(indexes, i)
		}
		ev, err := s.ledger.Export(tx, indexes)
		if err != nil {
			return err
		}
		out, err = w.Bytes(manifest, ev)
		return err
	})
	return out, err
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
