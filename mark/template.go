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
	// Order. A declared fact has one at each mention (see
	// parse.Declared): a copy states the same alternative at every one.
	// Templates made before repeated mentions were linked have one
	// declared slot per {{…}}, even for the same alternatives; they keep
	// that form and render and read as they did.
	Occurrences []Occurrence `json:"occurrences,omitempty"`
	// Items are the spans of a shuffled list's items, in canonical order.
	//
	// A list is shuffled by insertion (templates made since insertion
	// existed): a list of k items has k−1 consecutive Order slots, the
	// first holding Items. The slot with Insert = i places item i among
	// items 0…i: symbol s puts it s places before the end of those, so
	// symbol 0 everywhere is the canonical order, and the k−1 independent
	// symbols (of 2, 3, …, k values) carry log₂ k! bits. The other slots
	// of the list hold At, the list's first byte, instead of Items.
	//
	// Older templates have one Order slot per list, with Perms[s] the item
	// order shown by symbol s (position k shows item Perms[s][k]; Perms[0]
	// is the canonical order).
	Items  []Span  `json:"items,omitempty"`
	Perms  [][]int `json:"perms,omitempty"`
	Insert int     `json:"insert,omitempty"`
	At     int     `json:"at,omitempty"`
}

// MaxInsertionItems is the longest list shuffled by insertion: a slot may
// have at most 32 symbols.
const MaxInsertionItems = 32

// InsertionOrder returns the item order of a list shuffled by insertion:
// syms[i−1] is the symbol of the slot placing item i. order[p] is the item
// at position p; it is written into dst if dst is long enough.
func InsertionOrder(dst []int, syms []uint8) []int {
	k := len(syms) + 1
	if cap(dst) < k {
		dst = make([]int, k)
	}
	order := dst[:1]
	order[0] = 0
	for i := 1; i < k; i++ {
		p := i - min(int(syms[i-1]), i)
		order = append(order, 0)
		copy(order[p+1:], order[p:i])
		order[p] = i
	}
	return order
}

// ItemAt returns which item a list shows at position pos, for the list
// whose first Order slot is slot (see Slot.Items), under codeword cw.
func (t *Template) ItemAt(slot int, cw []uint8, pos int) int {
	s := &t.Slots[slot]
	if s.Insert == 0 {
		return s.Perms[cw[slot]][pos]
	}
	var buf [MaxInsertionItems]int
	return InsertionOrder(buf[:0], cw[slot:slot+len(s.Items)-1])[pos]
}

// ListOrder returns the item order a list shows under codeword cw: the
// item at each position, for the list whose first Order slot is slot.
func (t *Template) ListOrder(slot int, cw []uint8) []int {
	s := &t.Slots[slot]
	if s.Insert == 0 {
		return slices.Clone(s.Perms[cw[slot]])
	}
	return InsertionOrder(nil, cw[slot:slot+len(s.Items)-1])
}

// Occurrence is one place where a slot changes the text.
type Occurrence struct {
	Span
	// Alts[s] is the text shown for symbol s; Alts[0] is the canonical
	// text, Source[Start:End].
	Alts []string `json:"alts"`
	// Style, for a declared fact whose alternatives contain a
	// document-wide style (a time, a date, a number), names that style's
	// slot ("typographic:meridiem"), and Styled[s][f] is alternative s
	// written in the slot's style f, so that the fact follows the copy's
	// style. Styled[s][0] is Alts[s].
	Style  string     `json:"style,omitempty"`
	Styled [][]string `json:"styled,omitempty"`
}

// StyleSlot returns the index of the slot an occurrence's Style names, or
// -1.
func (t *Template) StyleSlot(o *Occurrence) int {
	if o.Style == "" {
		return -1
	}
	for i, s := range t.Slots {
		if s.Kind == Typographic && s.Name == o.Style {
			return i
		}
	}
	return -1
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
			if err := t.checkStyled(&o); err != nil {
				return fmt.Errorf("slot %d (%s): %w", i, s.Name, err)
			}
			spans = append(spans, o.Span)
		}
		if s.Kind == Order && s.Insert > 0 {
			if err := t.checkInsertion(i); err != nil {
				return err
			}
		} else if s.Kind == Order {
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

// checkInsertion checks the slots of a list shuffled by insertion, from
// its first slot i, or a later slot's place in its list.
func (t *Template) checkInsertion(i int) error {
	s := t.Slots[i]
	if s.Insert > 1 {
		first := i - s.Insert + 1
		if first < 0 || t.Slots[first].Insert != 1 || s.At != t.Slots[first].Items[0].Start {
			return fmt.Errorf("slot %d (order): item %d is not part of a list", i, s.Insert)
		}
		return nil
	}
	k := len(s.Items)
	if k < 2 || k > MaxInsertionItems || len(s.Perms) > 0 || i+k-1 > len(t.Slots) {
		return fmt.Errorf("slot %d (order): a list of %d items", i, k)
	}
	for j := 1; j < k; j++ {
		o := t.Slots[i+j-1]
		if o.Kind != Order || o.Insert != j || o.Q != j+1 || (j > 1 && len(o.Items) > 0) {
			return fmt.Errorf("slot %d (order): item %d of the list at slot %d places %d with %d symbols", i+j-1, j, i, o.Insert, o.Q)
		}
	}
	return nil
}

// checkStyled checks a styled occurrence: its style slot exists, and it
// has a text for every alternative in every style.
func (t *Template) checkStyled(o *Occurrence) error {
	if o.Style == "" && o.Styled == nil {
		return nil
	}
	st := t.StyleSlot(o)
	if st < 0 {
		return fmt.Errorf("style %q is not a slot", o.Style)
	}
	if len(o.Styled) != len(o.Alts) {
		return fmt.Errorf("%d styled alternatives, want %d", len(o.Styled), len(o.Alts))
	}
	for s, row := range o.Styled {
		if len(row) != t.Slots[st].Q || row[0] != o.Alts[s] {
			return fmt.Errorf("alternative %d has %d styles (want %d) or a changed text", s, len(row), t.Slots[st].Q)
		}
	}
	return nil
}
