package server

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/capacity"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/service"
	"github.com/telltale-dev/telltale/suggest"
)

// The service's results as the JSON API answers them. The command line
// builds its answers with these functions too when it works on a local
// data directory, so a command prints the same whether it works there or
// on a server.

// WireDocument is a document as the API shows it.
func WireDocument(d *telltale.Document) api.Document {
	return api.Document{Slug: d.Slug, Title: d.Title, Owner: d.Owner, CreatedAt: d.CreatedAt}
}

// WireRecipient is a recipient as the API shows it.
func WireRecipient(r *telltale.Recipient) api.Recipient {
	return api.Recipient{ID: r.ID, Name: r.Name, Email: r.Email, Unit: r.Unit, Linked: r.UserID != 0}
}

// WireAddDocument is the answer to storing a version: the version, its
// slots by kind, its traceability report and its declared variants.
func WireAddDocument(res *service.AddDocumentResult, report *capacity.Traceability) api.AddDocumentResponse {
	out := api.AddDocumentResponse{Document: WireDocument(res.Document), Version: res.Version.Number, Words: res.Version.Words,
		Slots: map[string]int{}, Report: report.String(), Traceability: WireTraceability(report)}
	for _, sl := range res.Template.Slots {
		out.Slots[sl.Kind.String()]++
		if sl.Kind == mark.Declared {
			o := sl.Occurrences[0]
			line := func(o mark.Occurrence) int { return strings.Count(res.Template.Source[:o.Start], "\n") + 1 }
			d := api.Declared{Line: line(o), Alternatives: o.Alts}
			if res.Version.FromWord() {
				d = api.Declared{Alternatives: o.Alts, Context: textBefore(res.Template.Source[:o.Start], 40)}
				out.Declared = append(out.Declared, d)
				continue
			}
			if len(sl.Occurrences) > 1 {
				for _, o := range sl.Occurrences {
					d.Lines = append(d.Lines, line(o))
				}
			}
			out.Declared = append(out.Declared, d)
		}
	}
	return out
}

// textBefore returns up to n characters of the line that ends s, from a
// word's start, without Markdown escapes.
func textBefore(s string, n int) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.ReplaceAll(s, "\\", "")
	if r := []rune(s); len(r) > n {
		s = string(r[len(r)-n:])
		if i := strings.IndexByte(s, ' '); i >= 0 {
			s = "…" + s[i+1:]
		}
	}
	s = strings.ReplaceAll(strings.TrimLeft(s, "#|-*0123456789. "), " | ", ", ") // a table row's cells
	return strings.TrimRight(s, ",| ")
}

// WireDocumentDetail is a document with its versions and copies, without
// a report.
func WireDocumentDetail(d *service.DocumentDetail) api.DocumentDetail {
	out := api.DocumentDetail{Document: WireDocument(d.Document)}
	for _, v := range d.Versions {
		av := api.Version{Number: v.Version.Number, Words: v.Version.Words, Slots: map[string]int{}, Copies: []api.Copy{},
			CreatedAt: v.Version.CreatedAt, Classification: v.Version.Classification}
		if v.Version.FromWord() {
			av.Source = string(render.Word)
		}
		for _, k := range mark.Kinds {
			av.Slots[k.String()] = v.SlotsByKind[k]
		}
		for _, c := range v.Copies {
			av.Copies = append(av.Copies, api.Copy{ID: c.Copy.ID, Number: c.Copy.Number, Of: c.Copy.Of, Recipient: c.Recipient.Email, RecipientName: c.Recipient.Name,
				Formats: c.Copy.Formats, IssuedAt: c.Copy.IssuedAt, ExpiresAt: c.Copy.ExpiresAt, RevokedAt: c.Copy.RevokedAt})
		}
		out.Versions = append(out.Versions, av)
	}
	return out
}

// WireIssued is the answer to issuing copies of the document slug.
func WireIssued(slug string, issued []*service.Issued) []api.Copy {
	out := []api.Copy{}
	for _, is := range issued {
		out = append(out, api.Copy{ID: is.Copy.ID, Document: slug, Number: is.Copy.Number, Of: is.Copy.Of, Recipient: is.Recipient.Email, RecipientName: is.Recipient.Name,
			Formats: is.Copy.Formats, IssuedAt: is.Copy.IssuedAt, ExpiresAt: is.Copy.ExpiresAt})
	}
	return out
}

// WireVerify is the answer to verifying the ledger.
func WireVerify(rep *ledger.Verification) api.VerifyResult {
	out := api.VerifyResult{OK: rep.OK(), Entries: rep.Entries, From: rep.From, Checkpoints: rep.Checkpoints, Problems: []string{}}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, p.String())
	}
	if rep.Head != nil {
		out.Head = &api.Head{Size: rep.Head.Size, Hash: base64.StdEncoding.EncodeToString(rep.Head.Hash[:])}
	}
	return out
}

// WireTraceability is a traceability report in fields.
func WireTraceability(r *capacity.Traceability) *api.Traceability {
	if r == nil {
		return nil
	}
	ev := func(e capacity.Evidence) api.LeakEvidence {
		return api.LeakEvidence{Slots: e.Slots, Nats: round2(e.Nats), NeedNats: round2(e.Need), Attributable: e.Enough}
	}
	out := &api.Traceability{Recipients: r.Recipients, Epsilon: r.Epsilon, Coalition: r.Design.Coalition, Design: r.DesignText(),
		Words: r.Words, NeedNats: round2(r.Need), Slots: []api.SlotCount{},
		Verbatim: ev(r.Verbatim), Retyped: ev(r.Retyped), Paraphrased: ev(r.Paraphrased),
		ExcerptsMeasured: r.Measured, ExcerptWordsMedian: r.ExcerptMedian, ExcerptWordsP90: r.ExcerptP90,
		DeclaredFacts: r.Facts, FactsToRepeat: r.FactsToRepeat, AddDeclared: r.AddDeclared,
		Findings: []api.Finding{}, Advice: []string{}}
	for _, k := range r.Kinds {
		out.Slots = append(out.Slots, api.SlotCount{Kind: k.Kind.String(), Count: k.Slots, PerThousand: round2(k.PerThousand), Bits: round2(k.Bits), RobustTo: k.Kind.Robustness().String()})
	}
	if sg := r.Suggested; sg != nil {
		out.Suggested = &api.SuggestedEvidence{Offered: sg.Offered, Nats: round2(sg.Nats), Paraphrased: ev(sg.Paraphrased), Needed: sg.Needed, FactsToRepeat: sg.FactsToRepeat}
	}
	for _, f := range r.Findings() {
		out.Findings = append(out.Findings, api.Finding{Leak: f.Leak, Attributable: f.Attributable, Says: f.Says})
	}
	out.Advice = append(out.Advice, r.Advice()...)
	return out
}

// round2 rounds to two decimals: nats and bits are estimates, and the
// JSON should not pretend otherwise.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// WireSuggestion is a suggested declared variant as the API shows it.
func WireSuggestion(s suggest.Suggestion) api.Suggestion {
	out := api.Suggestion{ID: s.ID, Kind: s.Kind.String(), Line: s.Line, Text: s.Text(), Alternatives: s.Alternatives, Context: s.Context, Why: s.Why, Name: s.Name}
	if len(s.Mentions) > 1 {
		for _, m := range s.Mentions {
			out.Mentions = append(out.Mentions, api.Mention{Line: m.Line, Context: m.Context, Table: m.Table})
		}
	}
	return out
}

// WireSuggestions is the answer to asking for suggestions.
func WireSuggestions(res *service.SuggestionsResult) api.Suggestions {
	out := api.Suggestions{Document: WireDocument(res.Document), Version: res.Version.Number, Words: res.Words,
		Suggestions: []api.Suggestion{}, Counts: map[string]int{}, Report: res.Report.String(), Traceability: WireTraceability(res.Report)}
	for _, k := range suggest.Kinds {
		out.Counts[k.String()] = 0
	}
	for _, s := range res.Suggestions {
		out.Suggestions = append(out.Suggestions, WireSuggestion(s))
		out.Counts[s.Kind.String()]++
	}
	return out
}

// WireCase is a case as the API shows it, without its document and
// assignee.
func WireCase(c *telltale.Case) api.Case {
	return api.Case{ID: c.ID, Title: c.Title, State: string(c.State), Outcome: string(c.Outcome), Office: c.Office,
		PublishedAt: c.PublishedAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// WireCases is the list of cases.
func WireCases(list []service.CaseSummary) []api.Case {
	out := []api.Case{}
	for _, c := range list {
		ac := WireCase(c.Case)
		ac.Document, ac.Assignee = c.Document, c.Assignee
		out = append(out, ac)
	}
	return out
}

// WireCaseDetail is a case with its verdict, evidence, history and the
// timeline of access to the leaked version.
func WireCaseDetail(d *service.CaseDetail) api.CaseDetail {
	out := api.CaseDetail{Case: WireCase(d.Case), Verdict: d.Verdict, Evidence: []api.EvidenceItem{}, Events: []api.CaseEvent{}, Timeline: []api.TimelineEntry{}}
	out.Assignee = d.Assignee
	if d.Document != nil {
		out.Document = fmt.Sprintf("%s v%d", d.Document.Slug, d.Version.Number)
	}
	for _, e := range d.Evidence {
		it := api.EvidenceItem{ID: e.ID, Kind: e.Kind, Name: e.Name, URL: e.URL, SHA256: fmt.Sprintf("sha256:%x", e.SHA256), Size: e.Size, AddedAt: e.AddedAt, AddedBy: e.AddedByName}
		if e.Verdict != nil {
			it.Outcome = e.Verdict.Outcome
		}
		out.Evidence = append(out.Evidence, it)
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, api.CaseEvent{At: e.At, Kind: e.Kind, Actor: e.ActorName, Text: e.Text})
	}
	for _, t := range d.Timeline {
		out.Timeline = append(out.Timeline, api.TimelineEntry{Access: api.Access{Time: t.Time, Action: t.Action, Actor: t.Actor, ActorName: t.ActorName, Copy: t.Copy,
			Number: t.Number, Recipient: t.Recipient, Format: t.Format, Via: t.Via, Client: t.Client}, Email: t.Email, Relative: t.Relative})
	}
	return out
}

// WireSource is a watched source with its health.
func WireSource(v service.SourceView) api.Source {
	iv := v.State.Interval
	if iv == 0 {
		iv = monitor.DefaultInterval
	}
	return api.Source{ID: v.ID, Kind: v.Kind, URL: v.URL, Interval: iv.String(), Healthy: v.State.Healthy, Failures: v.State.Failures,
		LastError: v.State.LastError, LastSuccess: v.State.LastSuccess, NextAttempt: v.NextAttempt}
}

// WireFlag is a flagged article.
func WireFlag(f service.Flag) api.Flag {
	out := api.Flag{ID: f.ID, URL: f.URL, Title: f.Title, Outlet: f.Outlet, PublishedAt: f.PublishedAt, FoundAt: f.FoundAt, Story: f.Story,
		Duplicate: f.Duplicate, Document: f.Document, Score: f.Score, Hit: f.Hit, Level: f.Level, Case: f.CaseID}
	if len(f.Reports) > 0 {
		out.Reports, _ = json.Marshal(f.Reports) // plain values: cannot fail
	}
	out.Snapshot = "sha256:" + hex.EncodeToString(f.SnapshotSHA256[:])
	if f.Article != nil {
		out.Text = f.Article.Text
	}
	return out
}

// WireUsers is the list of users as administrators see it.
func WireUsers(us []*telltale.User) []api.UserDetail {
	out := []api.UserDetail{}
	for _, u := range us {
		out = append(out, api.UserDetail{User: api.User{ID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}, Disabled: u.Disabled, LockedUntil: u.LockedUntil})
	}
	return out
}

// WireLedger is a list of ledger entries.
func WireLedger(rows []service.LedgerRow) []api.LedgerEntry {
	out := []api.LedgerEntry{}
	for _, e := range rows {
		out = append(out, api.LedgerEntry{Index: e.Index, Time: e.Time, Actor: e.Actor, ActorName: e.ActorName, Action: e.Action, Subject: e.Subject, Body: string(e.Body)})
	}
	return out
}
