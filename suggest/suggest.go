// Package suggest proposes declared variants for the facts of a document:
// the canary trap, reviewed. A declared variant ({{140|138|142}}, package
// parse) is the one kind of mark that survives a journalist's paraphrase,
// because a reporter repeats the figures, times and names a copy states;
// but authors rarely write enough of them. [Suggest] finds the facts a plan
// can state differently in each copy and still be carried out — counts,
// amounts of money, times, code names, ordinal choices and optional
// details — and proposes alternatives within tolerances that keep it
// usable: a count ±3 % (never less than ±1), an approximate figure ±5 % and
// as round as it was, money ±1 %, a time a quarter of an hour (a deadline
// only earlier), a code name another of the same kind.
//
// A fact stated more than once is proposed once, with all its mentions:
// accepting it writes the same {{…}} at each, which parse makes one slot,
// so a copy states the same alternative everywhere and never contradicts
// itself. It is proposed only if every mention could be varied alike:
// each written the same way ("140" and "one hundred and forty", or
// "$412 million" and "$412,000,000", are left alone), each allowed by the
// rules below, and none in a heading, a quotation or code. A mention in a
// table cell counts when the fact is also proposed in the prose and the
// cell is neither a total nor part of one (its row or column adds up, or
// is labelled a total). Two different facts whose alternatives would be
// the same (two site visits, two analysts) would become one slot: only the
// first is proposed.
//
// It never proposes dates, years, names of people, addresses, legal
// citations, phone, reference or label numbers (Unit 9, Phase 2, Copy 7 of
// 18), ranges, rules (within 48 hours, at least two), ages, figures that
// add up to another, figures stated only in tables (often totals), and
// nothing inside telltale:off regions, code, quotations, block quotes,
// headings, links or an existing {{…}}.
//
// Every suggestion is for the owner to review: each copy will state one of
// the alternatives as fact, and the recipients act on what their copy
// says. [Apply] writes the accepted ones into the file as the author wrote
// it, touching nothing else: parsing the result gives back the same
// canonical text, with one declared variant more for each.
//
//	doc, _ := parse.Parse("plan.md", file)
//	sugs := suggest.Suggest(doc, suggest.Options{})
//	out, err := suggest.Apply(file, doc, sugs) // all of them accepted
package suggest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

// Kind is the kind of fact a suggestion varies.
type Kind uint8

const (
	Count    Kind = iota // a number of things, people, units or hours
	Amount               // money, or an approximate share
	Time                 // a clock time
	CodeName             // the name of an operation, exercise or code word
	Ordinal              // "our third acquisition"
	Detail               // an illustrative aside a copy may leave out
)

// Kinds lists every kind, in the order summaries give them.
var Kinds = []Kind{Count, Amount, Time, CodeName, Ordinal, Detail}

var kindNames = [...]string{"count", "amount", "time", "code name", "ordinal choice", "optional detail"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind%d", k)
}

// Plural is the kind's name for a number of suggestions other than one.
func (k Kind) Plural() string { return k.String() + "s" }

// ParseKind reads a kind's name as String writes it.
func ParseKind(s string) (Kind, bool) {
	i := slices.Index(kindNames[:], s)
	return Kind(i), i >= 0
}

// Suggestion is one proposed declared variant: a fact, with every place it
// is stated.
type Suggestion struct {
	// ID numbers the suggestions of a document from 1, in document order
	// of their first mention; the same source always gives the same
	// suggestions.
	ID   int
	Kind Kind
	// Span is the fact's canonical text in the parsed document's Source,
	// at its first mention.
	Span parse.Span
	// Line is the first mention's line in the file.
	Line int
	// Alternatives are what copies may state; Alternatives[0] is the text
	// as written.
	Alternatives []string
	// Context is the sentence the fact first stands in, for review.
	Context string
	// Why says what the fact was taken for and how far the alternatives
	// stray, so the owner can judge whether the plan stays usable.
	Why string
	// Mentions are every place the fact is stated, in document order,
	// the first at Span: one for a fact stated once. Accepting the
	// suggestion writes the same {{…}} at each.
	Mentions []Mention
	// Name is the fact's name, written {{#name: …}}, when another
	// suggested fact has the same alternatives ("two site visits", "two
	// minor observations"): without names they would be one fact.
	Name string

	hint string
}

// Mention is one place a suggested fact is stated.
type Mention struct {
	Span parse.Span
	Line int
	// Context is the sentence, or for a table cell its row, for review.
	Context string
	// Table says the mention is in a table cell.
	Table bool
}

// Text is the fact as written.
func (s Suggestion) Text() string { return s.Alternatives[0] }

// Markup is the suggestion in the author's syntax: {{140|138|142}}, or
// {{#site-visits: two|three}} for a named fact.
func (s Suggestion) Markup() string {
	var b strings.Builder
	b.WriteString("{{")
	if s.Name != "" {
		b.WriteString("#" + s.Name + ": ")
	}
	for i, a := range s.Alternatives {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(escape(a))
	}
	b.WriteString("}}")
	return b.String()
}

// escape protects the characters parse reads inside {{…}}.
func escape(a string) string {
	r := strings.NewReplacer(`\`, `\\`, `|`, `\|`, `}`, `\}`)
	return r.Replace(a)
}

// Options configure the suggester.
type Options struct {
	// MaxAlternatives caps the alternatives of one fact, the written one
	// included: each adds ln q nats of evidence to a leak that repeats the
	// fact, within the same tolerance. 0 means DefaultMaxAlternatives; at
	// least 2 and at most 16 (parse's limit).
	MaxAlternatives int
}

// DefaultMaxAlternatives is the alternatives a fact gets when its
// tolerance allows (a count of 180 or more at ±3 %, most amounts of money
// at ±1 %): eleven carry ln 11 ≈ 2.40 nats each. A journalist's story
// repeats what reporters pick — counts and money, with a small count and
// a time of three alternatives among them — and with seven such facts of
// at most seven alternatives and the order of four list items it fell
// short of the 17.7 nats that name one of a dozen recipients at ε = 10⁻⁶;
// with eleven it named every leaker (docs/benchmarks.md). More values
// within the same tolerance cost the plan nothing.
const DefaultMaxAlternatives = 11

func (o Options) perSide() int {
	m := o.MaxAlternatives
	if m == 0 {
		m = DefaultMaxAlternatives
	}
	m = min(max(m, 2), 16)
	return max((m-1)/2, 1)
}

func (o Options) max() int {
	if o.MaxAlternatives == 0 {
		return DefaultMaxAlternatives
	}
	return min(max(o.MaxAlternatives, 2), 16)
}

// Suggest finds the facts of a parsed document that copies may state
// differently, in document order of their first mention.
func Suggest(doc *parse.Document, opts Options) []Suggestion {
	// The rules are run until every fact they find can be proposed: a
	// fact refused (a mention the rules do not allow, alternatives that
	// another fact has) is refused before it takes its places, and the
	// rules are run again without it.
	f := newFinder(doc, opts)
	for {
		for bi := range doc.Blocks {
			if k := doc.Blocks[bi].Kind; k == parse.Heading || k == parse.TableCell {
				continue // headings are titles; table figures are often totals
			}
			f.block(bi)
		}
		f.repeats()
		out, more := f.link()
		if len(more) == 0 {
			for i := range out {
				out[i].ID = i + 1
			}
			return out
		}
		for _, k := range more {
			f.refused[k] = true
		}
		f.reset()
	}
}

// Apply writes the chosen suggestions into file, the document doc was
// parsed from, as declared variants, at every mention. Nothing else
// changes: parsing the result gives the same canonical Source.
func Apply(file []byte, doc *parse.Document, chosen []Suggestion) ([]byte, error) {
	type edit struct {
		span parse.Span
		s    *Suggestion
	}
	var edits []edit
	// Each suggestion must stay a fact of its own when the result is
	// parsed (see parse.Declared): a name is used once, and alternatives
	// without a name are nobody else's.
	unnamed, named, names := map[string]int{}, map[string]int{}, map[string]int{}
	for _, d := range doc.Declared {
		if d.Name != "" {
			names[strings.ToLower(d.Name)] = -1
			named[strings.Join(d.Alternatives, "\x00")] = -1
		} else {
			unnamed[strings.Join(d.Alternatives, "\x00")] = -1
		}
	}
	for i := range chosen {
		s := &chosen[i]
		if len(s.Alternatives) < 2 {
			return nil, fmt.Errorf("suggestion %d is malformed", s.ID)
		}
		list := strings.Join(s.Alternatives, "\x00")
		other, clash := unnamed[list]
		if s.Name != "" {
			if o, ok := names[strings.ToLower(s.Name)]; ok {
				other, clash = o, true
			}
		} else if o, ok := named[list]; ok {
			other, clash = o, true
		}
		if clash {
			what := "a declared variant of the document"
			if other >= 0 {
				what = fmt.Sprintf("suggestion %d", other)
			}
			return nil, fmt.Errorf("suggestion %d has the alternatives or the name of %s: they would be one fact", s.ID, what)
		}
		if s.Name != "" {
			names[strings.ToLower(s.Name)] = s.ID
			named[list] = s.ID
		} else {
			unnamed[list] = s.ID
		}
		mentions := s.Mentions
		if len(mentions) == 0 {
			mentions = []Mention{{Span: s.Span, Line: s.Line}}
		}
		for _, m := range mentions {
			edits = append(edits, edit{m.Span, s})
		}
	}
	slices.SortFunc(edits, func(a, b edit) int { return a.span.Start - b.span.Start })
	var out []byte
	last := 0
	for _, e := range edits {
		s := e.s
		if e.span.Start < 0 || e.span.End > len(doc.Source) || e.span.Start >= e.span.End {
			return nil, fmt.Errorf("suggestion %d is malformed", s.ID)
		}
		start, end := doc.FileOffset(e.span.Start), doc.FileOffset(e.span.End)
		if start < last || end > len(file) || string(file[start:end]) != s.Alternatives[0] {
			line, _ := doc.Line(e.span.Start)
			return nil, fmt.Errorf("suggestion %d (%q, line %d) does not match the document: was it made for another version?", s.ID, s.Alternatives[0], line)
		}
		out = append(out, file[last:start]...)
		out = append(out, s.Markup()...)
		last = end
	}
	return append(out, file[last:]...), nil
}

// Select returns the suggestions with the given IDs, refusing unknown or
// repeated ones.
func Select(all []Suggestion, ids []int) ([]Suggestion, error) {
	var out []Suggestion
	seen := map[int]bool{}
	for _, id := range ids {
		if id < 1 || id > len(all) || all[id-1].ID != id {
			return nil, fmt.Errorf("no suggestion %d (they are numbered 1 to %d)", id, len(all))
		}
		if seen[id] {
			return nil, fmt.Errorf("suggestion %d accepted twice", id)
		}
		seen[id] = true
		out = append(out, all[id-1])
	}
	return out, nil
}

// Counts counts suggestions by kind.
func Counts(sugs []Suggestion) map[Kind]int {
	c := map[Kind]int{}
	for _, s := range sugs {
		c[s.Kind]++
	}
	return c
}

// Summary says how many suggestions of each kind there are, every kind in
// order: "5 counts, 2 amounts, 3 times, 1 code name, 0 ordinal choices,
// 0 optional details".
func Summary(sugs []Suggestion) string {
	c := Counts(sugs)
	var parts []string
	for _, k := range Kinds {
		name := k.Plural()
		if c[k] == 1 {
			name = k.String()
		}
		parts = append(parts, fmt.Sprintf("%d %s", c[k], name))
	}
	return strings.Join(parts, ", ")
}

// Arities are the numbers of alternatives of the suggestions, what the
// traceability report needs to weigh them (capacity.Input.Suggested).
func Arities(sugs []Suggestion) []int {
	out := make([]int, len(sugs))
	for i, s := range sugs {
		out[i] = len(s.Alternatives)
	}
	return out
}

// Rate is how densely a document's facts were suggested.
type Rate struct {
	// Suggestions counts the facts proposed (each one slot); Mentions the
	// places they are stated, which is how many {{…}} accepting all of
	// them writes.
	Suggestions int
	Mentions    int
	// Words counts the document's prose words as the marker does (the
	// words of paragraphs, lists, tables and headings, outside code,
	// quotations and protected regions).
	Words int
}

// PerHundred is the suggestions (facts) per 100 prose words.
func (r Rate) PerHundred() float64 { return float64(r.Suggestions) * 100 / float64(max(r.Words, 1)) }

// MentionsPerHundred is the mentions of the suggested facts per 100 prose
// words.
func (r Rate) MentionsPerHundred() float64 {
	return float64(r.Mentions) * 100 / float64(max(r.Words, 1))
}

// Measure counts a document's prose words against its suggestions.
func Measure(doc *parse.Document, sugs []Suggestion) Rate {
	r := Rate{Suggestions: len(sugs)}
	for _, s := range sugs {
		r.Mentions += max(len(s.Mentions), 1)
	}
	for _, b := range doc.Blocks {
		for _, t := range lexicon.Tokenize(b.Text, b.Breaks) {
			if t.Kind != lexicon.Punct {
				r.Words++
			}
		}
	}
	return r
}
