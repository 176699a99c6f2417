package service

import (
	"context"
	"fmt"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/capacity"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/suggest"
)

// SuggestionsResult is what copies of a document's latest version could
// state differently: the suggested declared variants, for the owner to
// review, and the version's traceability report weighing them.
type SuggestionsResult struct {
	Document    *telltale.Document
	Version     *telltale.Version
	Suggestions []suggest.Suggestion
	// Words counts the version's prose words.
	Words  int
	Report *capacity.Traceability
}

// Suggestions proposes declared variants for the facts of a document's
// latest version (package suggest), with its traceability report for n
// recipients saying how many of them a paraphrased leak needs.
func (s *Service) Suggestions(ctx context.Context, actor telltale.Actor, slug string, n int) (*SuggestionsResult, error) {
	d, v, err := s.latestToManage(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	_, doc, sugs, err := s.suggestFor(ctx, v)
	if err != nil {
		return nil, err
	}
	report, err := s.TraceabilityReport(ctx, v, n)
	if err != nil {
		return nil, err
	}
	return &SuggestionsResult{Document: d, Version: v, Suggestions: sugs, Words: suggest.Measure(doc, sugs).Words,
		Report: report.WithSuggested(suggest.Arities(sugs))}, nil
}

// AcceptSuggestionsRequest names the suggestions to write into a new
// version.
type AcceptSuggestionsRequest struct {
	Document string
	// Version is the number of the version the suggestions were made
	// for; it must still be the latest.
	Version int
	// Accept are the IDs of the accepted suggestions; the others are
	// rejected.
	Accept []int
}

// AcceptSuggestions stores the latest version's source, with the accepted
// suggestions written in as declared variants, as the document's next
// version (AddDocument, with the same design). The suggestions are made
// again from the stored source, so the IDs name what the owner reviewed as
// long as the version is still the latest.
func (s *Service) AcceptSuggestions(ctx context.Context, actor telltale.Actor, req AcceptSuggestionsRequest) (*AddDocumentResult, error) {
	d, v, err := s.latestToManage(ctx, actor, req.Document)
	if err != nil {
		return nil, err
	}
	if req.Version != v.Number {
		return nil, telltale.Errorf(telltale.ECONFLICT, "the suggestions were made for version %d of %q, but version %d is now the latest: ask for suggestions again", req.Version, d.Slug, v.Number)
	}
	if len(req.Accept) == 0 {
		return nil, telltale.Errorf(telltale.EINVALID, "no suggestion accepted: accept at least one, or keep the version as it is")
	}
	src, doc, sugs, err := s.suggestFor(ctx, v)
	if err != nil {
		return nil, err
	}
	chosen, err := suggest.Select(sugs, req.Accept)
	if err != nil {
		return nil, telltale.Errorf(telltale.EINVALID, "%v", err)
	}
	out, err := suggest.Apply(src, doc, chosen)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to write the accepted suggestions", Err: err}
	}
	return s.AddDocument(ctx, actor, AddDocumentRequest{Name: d.Slug, Filename: d.Slug + ".md", Source: out, Coalition: v.Coalition})
}

// latestToManage finds a document the actor manages and its latest
// version.
func (s *Service) latestToManage(ctx context.Context, actor telltale.Actor, slug string) (*telltale.Document, *telltale.Version, error) {
	if !actor.Has(telltale.RoleOwner) {
		return nil, nil, forbidden("suggesting facts to vary", telltale.RoleOwner)
	}
	var d *telltale.Document
	var v *telltale.Version
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		var err error
		if v, err = s.findVersion(tx, actor, slug, 0, toManage); err != nil {
			return err
		}
		d, err = tx.DocumentBySlug(slug)
		return err
	})
	return d, v, err
}

// suggestFor parses a version's source and suggests facts to vary in it.
func (s *Service) suggestFor(ctx context.Context, v *telltale.Version) ([]byte, *parse.Document, []suggest.Suggestion, error) {
	src, err := s.Source(ctx, v)
	if err != nil {
		return nil, nil, nil, err
	}
	doc, err := parse.Parse(fmt.Sprintf("version %d", v.Number), src)
	if err != nil {
		return nil, nil, nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to read the stored source", Err: err}
	}
	return src, doc, suggest.Suggest(doc, suggest.Options{}), nil
}
