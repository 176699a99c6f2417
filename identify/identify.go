// Package identify finds which stored version a leaked text comes from, so
// that trace can read the leak against it.
//
// There is one source finder: the first stage of the disclosure index
// (disclose.Index.Sources), which ranks versions by the rare features, the
// declared facts and the sampled phrases a text shares with them, weighted
// by rarity across the index. The leak monitor compares exactly those
// versions with an article in detail; [Find] chooses among them. So a text
// that trace attributes to a version is always one the monitor would have
// compared with that version: the two never disagree on candidates.
//
// [Find] takes the best source if the text shares enough of its phrases
// (a copy, an excerpt, an OCR'd or retyped page). Otherwise the text is a
// paraphrase: Find takes the version the monitor's detailed comparison says
// it discloses, if any, else the first of the best three that the reader
// confirms, finding two of its declared facts or list items in the text
// ([Confirms]).
package identify

import (
	"errors"
	"fmt"
	"time"

	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/read"
)

// Match is the version a leak is read against.
type Match struct {
	disclose.Source
	// Confirmed says the version was chosen for its facts found in the
	// text (by the monitor's comparison or the reader), not for the
	// phrases they share.
	Confirmed bool
}

// Result is what Find found: the version and the next best, if any.
type Result struct {
	Best     Match
	RunnerUp *disclose.Source
}

// ErrNoSource says no stored version shares anything telling with the
// text.
var ErrNoSource = errors.New("no stored document matches the text")

// NotConfirmedError says versions share something with the text, but too
// little: the closest one shares few phrases and the reader found too few
// of its facts.
type NotConfirmedError struct {
	Closest disclose.Source
}

func (e *NotConfirmedError) Error() string {
	return fmt.Sprintf("no stored document matches the text; closest is %s with %.0f%% of the text's sampled phrases", e.Closest.Label, 100*e.Closest.Overlap)
}

// confirmTop is how many of the best sources the reader may confirm.
const confirmTop = 3

// Find chooses the version a leaked text comes from among the sources the
// index finds for it (the monitor's candidates). confirm, if set, says
// whether the reader finds enough of a version's facts in the text (see
// Confirms); it is asked only when the best source shares few phrases and
// the monitor's comparison reports none.
func Find(ix *disclose.Index, text string, confirm func(versionID int64) bool) (Result, error) {
	sources := ix.Sources(text)
	if len(sources) == 0 {
		return Result{}, ErrNoSource
	}
	var r Result
	found := false
	if Confident(sources[0]) {
		r.Best, found = Match{Source: sources[0]}, true
	}
	if !found {
		if reports := ix.Match(text, time.Time{}); len(reports) > 0 {
			for _, s := range sources {
				if s.VersionID == reports[0].VersionID {
					r.Best, found = Match{Source: s, Confirmed: true}, true
				}
			}
		}
	}
	for _, s := range sources[:min(confirmTop, len(sources))] {
		if found || confirm == nil {
			break
		}
		if confirm(s.VersionID) {
			r.Best, found = Match{Source: s, Confirmed: true}, true
		}
	}
	if !found {
		return Result{}, &NotConfirmedError{Closest: sources[0]}
	}
	for i := range sources {
		if sources[i].VersionID != r.Best.VersionID {
			r.RunnerUp = &sources[i]
			break
		}
	}
	return r, nil
}

// Confident reports whether a source shares enough sampled phrases with a
// text to read the text against it without confirmation: the text copies
// it (disclose.Source.Copied).
func Confident(s disclose.Source) bool {
	return s.Copied
}

// minConfirmed is how many declared facts or list orders the reader must
// find for a paraphrase to be read against a version.
const minConfirmed = 2

// Confirms reports whether the reader of a version finds at least two of
// its declared facts or list orders in a text, near their context: enough
// to read a paraphrase against that version although it shares few phrases.
func Confirms(rd *read.Reader, text string) bool {
	obs := rd.Read(text)
	n := 0
	for _, r := range obs.Readings {
		if r.How == "found" || r.How == "order" {
			n++
		}
	}
	return n >= minConfirmed
}
