package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/identify"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/trace"
	"github.com/telltale-dev/telltale/zerowidth"
)

// TraceRequest asks who leaked a text.
type TraceRequest struct {
	Leak []byte
	Name string // file name or URL of the leak, for the record
	// Document and Version name the source; empty means find it.
	Document string
	Version  int
	// Epsilon bounds the chance of accusing any innocent; 0 means 1e-6.
	Epsilon float64
}

// reader returns a version's reader, building it once.
func (s *Service) reader(v *telltale.Version) (*read.Reader, *versionState, error) {
	st, err := s.state(v)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	rd := st.reader
	s.mu.Unlock()
	if rd != nil {
		return rd, st, nil
	}
	rd, err = read.New(st.tpl)
	if err != nil {
		return nil, nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to prepare the version for reading", Err: err}
	}
	s.mu.Lock()
	st.reader = rd
	s.mu.Unlock()
	return rd, st, nil
}

// indexEntry is what the identification index knows of a version.
type indexEntry struct {
	doc     *telltale.Document
	version *telltale.Version
}

// index returns the identification index over every stored version,
// building it on first use and adding versions stored since.
func (s *Service) index(ctx context.Context) (*identify.Index, map[int64]indexEntry, error) {
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	if s.idx == nil {
		k := s.keys.IndexKey()
		s.idx = identify.NewIndex(k[:])
		s.idxVersions = map[int64]indexEntry{}
	}
	var add []indexEntry
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		docs, err := tx.Documents()
		if err != nil {
			return err
		}
		for _, d := range docs {
			vs, err := tx.Versions(d.ID)
			if err != nil {
				return err
			}
			for _, v := range vs {
				if _, ok := s.idxVersions[v.ID]; !ok {
					add = append(add, indexEntry{d, v})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, e := range add {
		rd, _, err := s.reader(e.version)
		if err != nil {
			return nil, nil, err
		}
		words, fixed := rd.IndexWords()
		s.idx.Add(identify.Text{ID: e.version.ID, Label: fmt.Sprintf("%s v%d", e.doc.Slug, e.version.Number), Words: words, Fixed: fixed})
		s.idxVersions[e.version.ID] = e
	}
	return s.idx, s.idxVersions, nil
}

// Trace reads a leaked text against the version it comes from and
// attributes it to recipients.
func (s *Service) Trace(ctx context.Context, actor telltale.Actor, req TraceRequest) (*trace.Verdict, error) {
	res, err := s.TraceText(ctx, actor, req)
	if err != nil {
		return nil, err
	}
	return res.Verdict, nil
}

// TraceResult is a verdict with the leak's extracted text, which the
// verdict's spans index.
type TraceResult struct {
	Verdict *trace.Verdict
	Text    string
	Version *telltale.Version // the version the leak was read against
}

// TraceText is Trace, also returning the extracted leak text.
func (s *Service) TraceText(ctx context.Context, actor telltale.Actor, req TraceRequest) (*TraceResult, error) {
	if !actor.Has(telltale.RoleInvestigator) {
		return nil, forbidden("tracing a leak", telltale.RoleInvestigator)
	}
	eps := req.Epsilon
	if eps == 0 {
		eps = trace.DefaultEpsilon
	}
	if !(eps > 0 && eps < 1) {
		return nil, telltale.Errorf(telltale.EINVALID, "epsilon must be between 0 and 1, got %g", eps)
	}
	text, format, err := read.Extract(req.Leak)
	if err != nil {
		return nil, telltale.Errorf(telltale.EINVALID, "%v", err)
	}
	tag, frames, tagOK := zerowidth.Decode(text)
	text = zerowidth.Strip(text)
	words := read.Words(text)
	if len(words) == 0 {
		return nil, telltale.Errorf(telltale.EINVALID, "the leaked text has no words")
	}
	sum := sha256.Sum256(req.Leak)
	v := &trace.Verdict{
		Schema:  trace.Schema,
		Leak:    trace.LeakInfo{Name: req.Name, SHA256: hex.EncodeToString(sum[:]), Format: string(format), Bytes: len(req.Leak), Words: len(words)},
		Epsilon: eps,
	}

	doc, version, err := s.traceSource(ctx, actor, req, text, words, v)
	if err != nil {
		return nil, err
	}
	rd, st, err := s.reader(version)
	if err != nil {
		return nil, err
	}
	obs := rd.Read(text)
	v.Source.Document, v.Source.Version, v.Source.Title, v.Source.Aligned = doc.Slug, version.Number, version.Title, obs.Aligned

	// Recipients: every copy of the version.
	type holder struct {
		copy      *telltale.Copy
		recipient *telltale.Recipient
		codeword  fingerprint.Codeword
	}
	var holders []holder
	err = s.store.View(ctx, func(tx telltale.Tx) error {
		copies, err := tx.Copies(telltale.CopyFilter{VersionID: version.ID})
		if err != nil {
			return err
		}
		for _, c := range copies {
			r, err := tx.Recipient(c.RecipientID)
			if err != nil {
				return err
			}
			cw, err := s.Codeword(ctx, c, version)
			if err != nil {
				return err
			}
			holders = append(holders, holder{c, r, cw})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	v.Recipients = len(holders)

	ev, err := fingerprint.NewEvidence(st.biases, obs.Masks)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to weigh the evidence", Err: err}
	}
	codewords := make([]fingerprint.Codeword, len(holders))
	for i, h := range holders {
		codewords[i] = h.codeword
	}
	design := fingerprint.Design{Coalition: version.Coalition, Version: 1}
	at := trace.Attribute(ev, codewords, trace.Params{Epsilon: eps, SlotInformation: meanInformation(st.tpl, design, obs.Masks)})

	s.describeSlots(v, rd, st.tpl, obs, ev)
	for _, d := range at.Decoders {
		di := trace.DecoderInfo{Name: d.Name, Share: d.Share, PerRecipient: d.PerRecipient}
		if !math.IsInf(d.Threshold, 0) && !math.IsNaN(d.Threshold) {
			di.Threshold = d.Threshold
		}
		v.Decoders = append(v.Decoders, di)
	}
	ref := func(i int) trace.RecipientRef {
		r := holders[i].recipient
		return trace.RecipientRef{ID: r.ID, Name: r.Name, Email: r.Email, Unit: r.Unit}
	}
	finding := func(f trace.Finding) trace.RecipientFinding {
		rf := trace.RecipientFinding{Recipient: ref(f.Index), CopyID: holders[f.Index].copy.ID, Copy: holders[f.Index].copy.Number,
			Decoder: f.Decoder, Score: finite(f.Score), Bound: f.Bound(), LogBound: f.LogBound, Matched: f.Matched, Mismatched: f.Mismatched}
		if f.Partner >= 0 {
			p := ref(f.Partner)
			rf.Partner = &p
		}
		for i, ok := range f.Matches {
			if ok {
				rf.MatchedSlots = append(rf.MatchedSlots, ev.Slots[i])
			}
		}
		return rf
	}
	v.Accused, v.Consistent, v.Excluded = []trace.RecipientFinding{}, []trace.RecipientFinding{}, []trace.RecipientFinding{}
	for _, f := range at.Accused {
		v.Accused = append(v.Accused, finding(f))
	}
	for _, f := range at.Consistent {
		v.Consistent = append(v.Consistent, finding(f))
	}
	for _, f := range at.Excluded {
		v.Excluded = append(v.Excluded, finding(f))
	}
	v.ConsistentTotal, v.ExcludedTotal = at.ConsistentTotal, at.ExcludedTotal
	v.MoreSlots = at.MoreSlots
	if frames > 0 {
		inv := &trace.InvisibleInfo{Frames: frames, Valid: tagOK}
		if tagOK {
			for _, h := range holders {
				if s.keys.CopyTag(h.copy) == tag {
					r := trace.RecipientRef{ID: h.recipient.ID, Name: h.recipient.Name, Email: h.recipient.Email, Unit: h.recipient.Unit}
					inv.Match, inv.Copy = &r, h.copy.Number
				}
			}
		}
		v.Invisible = inv
	}
	v.Outcome, v.Statement = conclude(v, len(ev.Slots))
	if err := s.recordTrace(ctx, actor, version, v); err != nil {
		return nil, err
	}
	return &TraceResult{Verdict: v, Text: text, Version: version}, nil
}

// recordTrace appends the trace to the ledger: the leak's and the
// verdict's hashes, the outcome and who was accused.
func (s *Service) recordTrace(ctx context.Context, actor telltale.Actor, version *telltale.Version, v *trace.Verdict) error {
	verdict, err := json.Marshal(v)
	if err != nil {
		return &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to encode the verdict", Err: err}
	}
	fields := map[string]string{"leak": "sha256:" + v.Leak.SHA256, "verdict": sha(verdict), "outcome": v.Outcome, "epsilon": fmt.Sprint(v.Epsilon)}
	var accused []string
	for _, f := range v.Accused {
		accused = append(accused, ref("copy", f.CopyID))
	}
	if len(accused) > 0 {
		fields["accused"] = strings.Join(accused, ",")
	}
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		return s.record(tx, s.now().UTC(), actor, ledger.ActionTraceRun, ref("version", version.ID), fields)
	})
}

// traceSource finds the version to read the leak against: the one named,
// or the best match in the index.
func (s *Service) traceSource(ctx context.Context, actor telltale.Actor, req TraceRequest, text string, words []string, v *trace.Verdict) (*telltale.Document, *telltale.Version, error) {
	if req.Document != "" {
		var doc *telltale.Document
		var version *telltale.Version
		err := s.store.View(ctx, func(tx telltale.Tx) error {
			var err error
			if version, err = s.findVersion(tx, actor, req.Document, req.Version, toInvestigate); err != nil {
				return err
			}
			doc, err = tx.Document(version.DocumentID)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		v.Source.Given = true
		return doc, version, nil
	}
	idx, entries, err := s.index(ctx)
	if err != nil {
		return nil, nil, err
	}
	matches := idx.Identify(words, 2)
	if len(matches) == 0 {
		return nil, nil, telltale.Errorf(telltale.ENOTFOUND, "no stored document matches the leak (hint: telltale doc list shows what is stored; name the document with --doc)")
	}
	best := matches[0]
	if !best.Confident() {
		// A paraphrase shares few phrases; it may still report declared
		// facts or list items of a candidate, found near their context.
		found := false
		for _, m := range idx.Identify(words, 3) {
			if s.disclosesFacts(entries[m.ID].version, text) {
				best, found = m, true
				break
			}
		}
		if !found {
			e := entries[best.ID]
			return nil, nil, telltale.Errorf(telltale.ENOTFOUND, "no stored document matches the leak; closest is %q version %d with %.0f%% of the leak's phrases and %.0f%% of its rare words (hint: if you know the source, name it with --doc)",
				e.doc.Slug, e.version.Number, 100*best.Overlap, 100*best.Words)
		}
	}
	e := entries[best.ID]
	v.Source.Overlap, v.Source.Phrases, v.Source.Words = best.Overlap, best.Shingles, best.Words
	if len(matches) > 1 && matches[1].Score > 0 {
		r := entries[matches[1].ID]
		v.Source.RunnerUp = &trace.Candidate{Document: r.doc.Slug, Version: r.version.Number, Overlap: matches[1].Overlap}
	}
	return e.doc, e.version, nil
}

// describeSlots fills the verdict's slot summary and observations.
func (s *Service) describeSlots(v *trace.Verdict, rd *read.Reader, tpl *mark.Template, obs *read.Observation, ev *fingerprint.Evidence) {
	v.Slots = trace.SlotSummary{Total: len(tpl.Slots), ByKind: map[string]trace.KindCount{}}
	informative := map[int]bool{}
	for _, j := range ev.Slots {
		informative[j] = true
	}
	for j, sl := range tpl.Slots {
		kc := v.Slots.ByKind[sl.Kind.String()]
		kc.Total++
		if informative[j] {
			kc.Read++
			v.Slots.Read++
		}
		v.Slots.ByKind[sl.Kind.String()] = kc
	}
	v.Slots.Erased = v.Slots.Total - v.Slots.Read
	v.Observations = []trace.Observation{}
	for _, r := range obs.Readings {
		if !informative[r.Slot] {
			continue
		}
		sl := tpl.Slots[r.Slot]
		o := trace.Observation{Slot: r.Slot, Kind: sl.Kind.String(), Name: sl.Name, How: r.How, Spans: []trace.Span{}}
		for sym := 0; sym < sl.Q; sym++ {
			if r.Seen.Has(uint8(sym)) {
				o.Seen = append(o.Seen, sym)
			}
		}
		o.Shown = rd.Shown(r.Slot, o.Seen[0])
		for _, sp := range r.Spans {
			o.Spans = append(o.Spans, trace.Span{Start: sp.Start, End: sp.End, Text: sp.Text})
		}
		v.Observations = append(v.Observations, o)
	}
	slices.SortFunc(v.Observations, func(a, b trace.Observation) int { return a.Slot - b.Slot })
}

// meanInformation is the expected evidence of one more observed slot of
// this version: the mean over the slots not read.
func meanInformation(tpl *mark.Template, d fingerprint.Design, masks []fingerprint.Mask) float64 {
	sum, n := 0.0, 0
	for j, sl := range tpl.Slots {
		if masks[j] == fingerprint.All(sl.Q) {
			sum += fingerprint.ExpectedInformation(d, sl.Q)
			n++
		}
	}
	if n == 0 {
		return math.Ln2
	}
	return sum / float64(n)
}

func finite(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return 0
	}
	return x
}

// conclude states the outcome in plain words.
func conclude(v *trace.Verdict, informative int) (string, string) {
	switch {
	case informative == 0:
		return trace.OutcomeNoEvidence, fmt.Sprintf("INCONCLUSIVE: the leak matches %q version %d, but shows none of the places where its copies differ, so it cannot point to anyone.", v.Source.Document, v.Source.Version)
	case len(v.Accused) > 0:
		var names []string
		for _, f := range v.Accused {
			names = append(names, fmt.Sprintf("%s (copy %d)", f.Recipient.Name, f.Copy))
		}
		return trace.OutcomeAccused, fmt.Sprintf("ACCUSED: the leak comes from the copy of %s. The probability that this evidence would point to an innocent recipient is below %s.",
			strings.Join(names, " and "), trace.FormatEpsilon(v.Epsilon))
	default:
		return trace.OutcomeInconclusive, fmt.Sprintf("INCONCLUSIVE: %d slots were read, not enough to accuse anyone with error below %s. %d recipients remain consistent with the leak; that is not evidence against them.",
			informative, trace.FormatEpsilon(v.Epsilon), v.ConsistentTotal)
	}
}

// disclosesFacts reports whether a text states at least two of a version's
// declared facts or list items near their context: enough to read it
// against that version even when it shares few phrases.
func (s *Service) disclosesFacts(version *telltale.Version, text string) bool {
	rd, _, err := s.reader(version)
	if err != nil {
		return false
	}
	obs := rd.Read(text)
	n := 0
	for _, r := range obs.Readings {
		if r.How == "found" || r.How == "order" {
			n++
		}
	}
	return n >= 2
}
