// Package mark finds the slots of a document: the places where recipients'
// copies may differ without changing what the document says.
//
// [Mark] takes a parsed document (package parse) and returns a [Template]:
// the canonical Markdown text plus its slots. Each slot is one symbol of a
// copy's fingerprint codeword. Slot kinds, from most to least robust:
//
//   - declared: the author's {{a|b|c}} variants; survive paraphrase when the
//     fact is reported;
//   - order: lists after <!-- telltale:shuffle -->, rendered in a per-copy
//     order;
//   - lexical: curated interchangeable words (package lexicon);
//   - typographic: number, date, time, dash, percent and abbreviation styles,
//     serial commas, introductory commas. Styles that would look odd if mixed
//     are one document-wide slot with many occurrences.
//
// The zero-width channel, when the document opts in, is not a slot: it
// carries a copy tag at the insertion points in [Template.Invisible].
//
// Code, raw HTML, quotations, URLs, proper names, number values that are not
// declared, and telltale:off regions are never changed.
package mark

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Kind is the kind of a slot.
type Kind uint8

const (
	Declared Kind = iota
	Order
	Lexical
	Typographic
)

var kindNames = [...]string{"declared", "order", "lexical", "typographic"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Kinds lists every slot kind, most robust first.
var Kinds = []Kind{Declared, Order, Lexical, Typographic}

// Robustness says which transformations of a leaked text a slot survives.
type Robustness uint8

const (
	// Paraphrase: the slot survives a journalist reporting the fact in
	// their own words (declared facts, list order).
	Paraphrase Robustness = iota
	// Retyping: survives retyping, OCR and verbatim quotation (words).
	Retyping
	// Verbatim: survives exact copies; erased by typographic normalisation.
	Verbatim
)

var robustnessNames = [...]string{"paraphrase", "retyping", "verbatim"}

func (r Robustness) String() string {
	if int(r) < len(robustnessNames) {
		return robustnessNames[r]
	}
	return fmt.Sprintf("robustness(%d)", r)
}

// Robustness returns what a slot of kind k survives.
func (k Kind) Robustness() Robustness {
	switch k {
	case Declared, Order:
		return Paraphrase
	case Lexical:
		return Retyping
	}
	return Verbatim
}

// Template is a document ready to be rendered into copies: the canonical
// Markdown source and its slots. A copy is the template rendered with one
// symbol per slot (see package render). Templates are immutable.
type Template struct {
	// Source is the canonical Markdown: the document as the author wrote
	// it, without front matter, declared variants resolved to their first
	// alternative.
	Source string `json:"source"`
	// Title and Classification come from the front matter.
	Title          string `json:"title"`
	Classification string `json:"classification,omitempty"`
	// Marking is the visible marking line template (empty: the default).
	Marking string `json:"marking,omitempty"`
	// Slots, in document order of their first occurrence.
	Slots []Slot `json:"slots"`
	// Hidden are spans of Source left out of every copy: HTML comments,
	// including telltale's own directives.
	Hidden []Span `json:"hidden,omitempty"`
	// Invisible are insertion points for the zero-width channel; empty
	// unless the document opted in.
	Invisible []int `json:"invisible,omitempty"`
	// Words is the number of prose words in the document.
	Words int `json:"words"`
}

// Span is a byte range [Start, End) of Template.Source.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Slot is one symbol of the codeword: a place, or a style applied in several
// places, where copies differ.
type Slot struct {
	Kind Kind `json:"kind"`
	// Name says what varies, for people: "declared", "order",
	// "lexical:approximately", "typographic:thousands".
	Name string `json:"name"`
	// Q is the number of symbols (alternatives) of the slot.
	Q int `json:"q"`
	// Occurrences are the places the slot changes, for every kind but
	// Order.
	Occurrences []Occurrence `json:"occurrences,omitempty"`
	// Items are the spans of an Order slot's list items, in canonical
	// order, and Perms[s] is the item order shown by symbol s: position k
	// shows item Perms[s][k]. Perms[0] is the canonical order.
	Items []Span  `json:"items,omitempty"`
	Perms [][]int `json:"perms,omitempty"`
}

// Occurrence is one place where a slot changes the text.
type Occurrence struct {
	Span
	// Alts[s] is the text shown for symbol s; Alts[0] is the canonical
	// text, Source[Start:End].
	Alts []string `json:"alts"`
}

// Robustness returns what the slot survives.
func (s *Slot) Robustness() Robustness { return s.Kind.Robustness() }

// Arities returns Q of every slot, the shape of a codeword.
func (t *Template) Arities() []int {
	q := make([]int, len(t.Slots))
	for i, s := range t.Slots {
		q[i] = s.Q
	}
	return q
}

// Robust says, for each slot, whether it survives paraphrase: declared
// facts and list orders (see fingerprint.SlotBiases).
func (t *Template) Robust() []bool {
	r := make([]bool, len(t.Slots))
	for i, s := range t.Slots {
		r[i] = s.Robustness() == Paraphrase
	}
	return r
}

// Marshal encodes a template for storage.
func (t *Template) Marshal() ([]byte, error) { return json.Marshal(t) }

// Unmarshal decodes a stored template and checks it.
func Unmarshal(b []byte) (*Template, error) {
	var t Template
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("failed to decode template: %w", err)
	}
	if err := t.Check(); err != nil {
		return nil, err
	}
	return &t, nil
}

// Check verifies a template's internal consistency: spans inside the source
// and not overlapping, canonical alternatives equal to the source, symbol
// counts matching alternatives and permutations.
func (t *Template) Check() error {
	n := len(t.Source)
	var spans []Span
	for i, s := range t.Slots {
		if s.Q < 2 {
			return fmt.Errorf("slot %d (%s) has %d symbols", i, s.Name, s.Q)
		}
		for _, o := range s.Occurrences {
			if o.Start < 0 || o.End > n || o.Start > o.End {
				return fmt.Errorf("slot %d (%s): span %d–%d outside the source", i, s.Name, o.Start, o.End)
			}
			if len(o.Alts) != s.Q {
				return fmt.Errorf("slot %d (%s): occurrence at %d has %d alternatives, want %d", i, s.Name, o.Start, len(o.Alts), s.Q)
			}
			if o.Alts[0] != t.Source[o.Start:o.End] {
				return fmt.Errorf("slot %d (%s): canonical alternative %q does not match the source %q", i, s.Name, o.Alts[0], t.Source[o.Start:o.End])
			}
			spans = append(spans, o.Span)
		}
		if s.Kind == Order {
			if len(s.Perms) != s.Q {
				return fmt.Errorf("slot %d (order) has %d permutations, want %d", i, len(s.Perms), s.Q)
			}
			for _, p := range s.Perms {
				if len(p) != len(s.Items) {
					return fmt.Errorf("slot %d (order): permutation of %d items, list has %d", i, len(p), len(s.Items))
				}
			}
		} else if len(s.Occurrences) == 0 {
			return fmt.Errorf("slot %d (%s) has no occurrences", i, s.Name)
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	for i := 1; i < len(spans); i++ {
		a, b := spans[i-1], spans[i]
		if b.Start < a.End || (a.Start == b.Start && a.End == a.Start && b.End == b.Start) {
			return fmt.Errorf("slot occurrences overlap at %d–%d and %d–%d", a.Start, a.End, b.Start, b.End)
		}
	}
	return nil
}
