package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/identify"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/trace"
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

// indexEntry is what the source index knows of a version.
type indexEntry struct {
	doc     *telltale.Document
	version *telltale.Version
}

// sources returns the one source index over every stored version — the
// disclosure index whose first stage both trace (through package identify)
// and the leak monitor use to find the versions a text may come from —
// building it on first use and adding versions stored since.
func (s *Service) sources(ctx context.Context) (*disclose.Index, map[int64]indexEntry, error) {
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	if s.idx == nil {
		k := s.keys.IndexKey()
		idx, err := disclose.NewIndex(disclose.Options{Key: k[:]})
		if err != nil {
			return nil, nil, err
		}
		s.idx, s.idxVersions = idx, map[int64]indexEntry{}
	}
	var add []indexEntry
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		return eachVersion(tx, func(d *telltale.Document, v *telltale.Version) error {
			if _, ok := s.idxVersions[v.ID]; !ok {
				add = append(add, indexEntry{d, v})
			}
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	for _, e := range add {
		st, err := s.prepare(e.version)
		if err != nil {
			return nil, nil, err
		}
		if err := s.idx.Add(disclose.FromTemplate(e.version.ID, fmt.Sprintf("%s v%d", e.doc.Slug, e.version.Number), st.tpl)); err != nil {
			return nil, nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to index a version", Err: err}
		}
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
	if err := trace.CheckEpsilon(eps); err != nil {
		return nil, telltale.Errorf(telltale.EINVALID, "%v", err)
	}
	leak, err := s.prepareLeak(ctx, req.Name, req.Leak)
	if err != nil {
		return nil, err
	}
	doc, version, source, err := s.traceSource(ctx, actor, req, leak)
	if err != nil {
		return nil, err
	}
	if err := s.checkNotHolder(ctx, actor, doc, version); err != nil {
		return nil, err
	}
	rd, st, err := s.reader(version)
	if err != nil {
		return nil, err
	}
	holders, err := s.holders(ctx, version)
	if err != nil {
		return nil, err
	}
	source.Document, source.Version, source.Title = doc.Slug, version.Number, version.Title
	v, err := trace.Run(trace.Input{
		Reader: rd, Biases: st.biases, Design: designOf(version),
		Source: source, Holders: holders, Leak: leak, Epsilon: eps,
		Verify: func(h trace.Holder) error { return s.verifyHolder(ctx, h) },
	})
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to trace the leak", Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the caller gave up: nothing to record
	}
	if err := s.recordTrace(ctx, actor, version, v); err != nil {
		return nil, err
	}
	return &TraceResult{Verdict: v, Text: leak.Text, Version: version}, nil
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
func (s *Service) traceSource(ctx context.Context, actor telltale.Actor, req TraceRequest, leak *trace.Leak) (*telltale.Document, *telltale.Version, trace.SourceInfo, error) {
	var src trace.SourceInfo
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
			return nil, nil, src, err
		}
		src.Given = true
		return doc, version, src, nil
	}
	idx, entries, err := s.sources(ctx)
	if err != nil {
		return nil, nil, src, err
	}
	// A paraphrase shares few phrases; it may still state declared facts
	// or list items of a candidate, found near their context.
	confirm := func(id int64) bool {
		rd, _, err := s.reader(entries[id].version)
		return err == nil && identify.Confirms(rd, leak.Text)
	}
	found, err := identify.Find(idx, leak.Text, confirm)
	var nc *identify.NotConfirmedError
	switch {
	case errors.Is(err, identify.ErrNoSource):
		return nil, nil, src, telltale.Errorf(telltale.ENOTFOUND, "no stored document matches the leak (hint: telltale doc list shows what is stored; name the document with --doc)")
	case errors.As(err, &nc):
		e := entries[nc.Closest.VersionID]
		return nil, nil, src, telltale.Errorf(telltale.ENOTFOUND, "no stored document matches the leak; closest is %q version %d with %.0f%% of the leak's phrases (hint: if you know the source, name it with --doc)",
			e.doc.Slug, e.version.Number, 100*nc.Closest.Overlap)
	case err != nil:
		return nil, nil, src, err
	}
	best := found.Best
	e := entries[best.VersionID]
	src.Overlap, src.Phrases, src.Score, src.Confirmed = best.Overlap, best.Phrases, best.Score, best.Confirmed
	if r := found.RunnerUp; r != nil {
		re := entries[r.VersionID]
		src.RunnerUp = &trace.Candidate{Document: re.doc.Slug, Version: re.version.Number, Overlap: r.Overlap}
	}
	return e.doc, e.version, src, nil
}

// verifyHolder checks an accused holder's copy and recipient rows against
// the copy's issue entry.
func (s *Service) verifyHolder(ctx context.Context, h trace.Holder) error {
	return s.store.View(ctx, func(tx telltale.Tx) error {
		c, err := tx.Copy(h.CopyID)
		if err != nil {
			return err
		}
		r, err := tx.Recipient(c.RecipientID)
		if err != nil {
			return err
		}
		if r.ID != h.Recipient.ID || r.Name != h.Recipient.Name || r.Email != h.Recipient.Email {
			return &RecordError{Subject: ref("copy", c.ID), Entry: -1, Msg: "its recipient changed during the trace"}
		}
		return s.checkCopyRecord(tx, c, r)
	})
}

// checkNotHolder refuses to trace a leak of a version for an investigator
// who holds a copy of it: a leaker with the role could test a leak before
// releasing it.
func (s *Service) checkNotHolder(ctx context.Context, actor telltale.Actor, doc *telltale.Document, v *telltale.Version) error {
	if actor.Local || actor.Email == "" {
		return nil
	}
	return s.store.View(ctx, func(tx telltale.Tx) error {
		r, err := tx.RecipientByEmail(actor.Email)
		if telltale.ErrorCode(err) == telltale.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		copies, err := tx.Copies(telltale.CopyFilter{VersionID: v.ID, RecipientID: r.ID})
		if err != nil {
			return err
		}
		if len(copies) > 0 {
			return telltale.Errorf(telltale.EFORBIDDEN, "you hold a copy of %q version %d, so you may not trace leaks of it (hint: another investigator must)", doc.Slug, v.Number)
		}
		return nil
	})
}

// prepareLeak extracts the text of a leaked file of any format telltale
// reads and prepares it for tracing.
func (s *Service) prepareLeak(ctx context.Context, name string, raw []byte) (*trace.Leak, error) {
	ext, err := s.extractor.Extract(ctx, name, raw)
	if err != nil {
		return nil, extractError(err)
	}
	leak, err := trace.PrepareExtracted(name, raw, ext)
	if err != nil {
		return nil, telltale.Errorf(telltale.EINVALID, "%v", err)
	}
	return leak, nil
}

// extractError maps an extraction failure to the service's errors: a
// problem with the file is the caller's to fix, a missing program the
// operator's.
func extractError(err error) error {
	var bad *extract.Error
	var missing *extract.MissingToolError
	switch {
	case errors.As(err, &bad):
		return telltale.Errorf(telltale.EINVALID, "%s", bad.Msg)
	case errors.As(err, &missing):
		return telltale.Errorf(telltale.ENOTIMPL, "%v", missing)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to read the leaked file", Err: err}
}
