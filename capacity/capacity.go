// Package capacity computes a version's traceability report: what its
// slots can prove before a single copy goes out.
//
// For n recipients and a false-accusation bound ε, a leak pins one
// recipient only if the slots it shows carry enough evidence: ln(n · D /
// ε) nats, where D is the number of decoders the tracer registers for what
// such a leak shows (package trace). Each observed slot gives, on average,
// the expected entropy of its bias vector (fingerprint.SlotInformation).
// The report adds this up by robustness class — what survives paraphrase,
// retyping, or only an exact copy — and, given the version's reader,
// measures how long a verbatim excerpt must be to single out a leaker by
// reading excerpts of a rendered copy. Where a paraphrase could not be
// attributed, it says how many declared slots to add.
package capacity

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// DefaultEpsilon is the false-accusation bound reports assume.
const DefaultEpsilon = 1e-6

// Traceability is a template's traceability report.
type Traceability struct {
	Recipients int
	Epsilon    float64
	Design     fingerprint.Design
	Words      int
	Kinds      []KindStats
	// Need is the evidence, in nats, to accuse one leaker from a whole
	// verbatim copy; each kind of leak below has its own (fewer decoders
	// read fewer classes).
	Need float64
	// Verbatim, Retyped and Paraphrased are what each kind of leak can
	// show: an exact copy shows every slot; a retyped or OCR'd copy loses
	// typographic slots; a journalist's paraphrase keeps only declared
	// facts and list orders.
	Verbatim, Retyped, Paraphrased Evidence
	// ExcerptMedian and ExcerptP90 are how many consecutive words of a
	// copy, quoted verbatim from anywhere in it, single out the leaker in
	// half and in nine in ten of cases, measured by reading excerpts of a
	// rendered copy (Excerpts). Zero if even the whole document does not
	// suffice, or if not measured.
	ExcerptMedian, ExcerptP90 int
	// Measured says the excerpt lengths were measured.
	Measured bool
	// AddDeclared is how many more declared slots (of three alternatives)
	// a paraphrase would need to be attributable; 0 if it already is.
	AddDeclared int
	// Facts counts the declared facts; FactsToRepeat is the fewest of
	// them a paraphrase that repeats no list must repeat to be
	// attributable, those with the most alternatives first (a lower
	// bound); -1 if not even all of them suffice.
	Facts, FactsToRepeat int
	// Suggested weighs suggested declared variants not yet accepted
	// (package suggest); nil if none were weighed.
	Suggested *Suggested

	facts   []float64 // the evidence of each declared fact
	present uint32    // the classes of the template's slots
}

// Suggested is what accepting suggested declared variants would add to
// what a paraphrased leak proves.
type Suggested struct {
	// Offered counts the suggestions; Nats is the evidence all of them
	// add to a paraphrase that repeats every fact.
	Offered int
	Nats    float64
	// Paraphrased is what a paraphrase repeating every fact and list
	// order would carry with all of them accepted.
	Paraphrased Evidence
	// Needed is the fewest suggestions, those with the most alternatives
	// first, whose acceptance makes such a paraphrase attributable: 0 if
	// it already is, -1 if not even all of them make it so.
	Needed int
	// FactsToRepeat is Traceability.FactsToRepeat with all of them
	// accepted.
	FactsToRepeat int
}

// KindStats counts the slots of one kind.
type KindStats struct {
	Kind        mark.Kind
	Slots       int
	Occurrences int
	Bits        float64 // Σ log2 q
	Evidence    float64 // expected nats against an innocent, read exactly
	PerThousand float64 // slots per 1,000 words
}

// Evidence is what one kind of leak carries.
type Evidence struct {
	Slots int
	Nats  float64
	// Need is the evidence this kind of leak must carry; Enough says
	// whether it does, on average.
	Need   float64
	Enough bool
}

// Input is what a report is computed from: a version's template and
// design, and the audience. With Reader, Renderer and Biases the excerpt
// lengths are measured.
type Input struct {
	Template   *mark.Template
	Design     fingerprint.Design
	Recipients int
	Epsilon    float64
	Reader     *read.Reader
	Renderer   *render.Renderer
	Biases     [][]float64
	// Suggested are the numbers of alternatives of suggested declared
	// variants not yet accepted (suggest.Arities); the report then says
	// how many of them a paraphrased leak needs.
	Suggested []int
}

// Compute builds the report.
func Compute(in Input) *Traceability {
	t, d, n, eps := in.Template, in.Design, in.Recipients, in.Epsilon
	r := &Traceability{Recipients: n, Epsilon: eps, Design: d, Words: t.Words}
	byKind := map[mark.Kind]*KindStats{}
	for _, k := range mark.Kinds {
		byKind[k] = &KindStats{Kind: k}
	}
	for _, s := range t.Slots {
		ks := byKind[s.Kind]
		ks.Slots++
		ks.Occurrences += max(len(s.Occurrences), 1)
		ks.Bits += math.Log2(float64(s.Q))
		info := fingerprint.SlotInformation(d, s.Q, s.Robustness() == mark.Paraphrase)
		ks.Evidence += info
		r.Verbatim.add(info)
		if s.Kind != mark.Typographic {
			r.Retyped.add(info)
		}
		if s.Kind.Robustness() == mark.Paraphrase {
			r.Paraphrased.add(info)
		}
	}
	for _, k := range mark.Kinds {
		ks := byKind[k]
		ks.PerThousand = float64(ks.Slots) * 1000 / float64(max(t.Words, 1))
		r.Kinds = append(r.Kinds, *ks)
	}
	all := []mark.Kind{mark.Declared, mark.Order, mark.Lexical, mark.Typographic}
	r.Verbatim.Need = need(t, all, n, eps)
	r.Retyped.Need = need(t, all[:3], n, eps)
	r.Paraphrased.Need = need(t, all[:2], n, eps)
	r.Need = r.Verbatim.Need
	for _, e := range []*Evidence{&r.Verbatim, &r.Retyped, &r.Paraphrased} {
		e.Enough = e.Nats >= e.Need
	}
	if !r.Paraphrased.Enough {
		per := fingerprint.SlotInformation(d, 3, true)
		r.AddDeclared = int(math.Ceil((r.Paraphrased.Need - r.Paraphrased.Nats) / per))
	}
	r.present = classesOf(t)
	for _, s := range t.Slots {
		if s.Kind == mark.Declared {
			r.facts = append(r.facts, fingerprint.SlotInformation(d, s.Q, true))
		}
	}
	r.Facts = len(r.facts)
	r.FactsToRepeat = fewest(r.facts, needFor(1<<trace.ClassDeclared, n, eps))
	if in.Suggested != nil {
		r.Suggested = r.suggested(in.Suggested)
	}
	if in.Reader != nil && in.Renderer != nil && in.Biases != nil {
		r.ExcerptMedian, r.ExcerptP90 = Excerpts(in.Reader, in.Renderer, in.Biases, r.Need)
		r.Measured = true
	}
	return r
}

// WithSuggested returns a copy of the report that also weighs suggested
// declared variants with the given numbers of alternatives (see
// Input.Suggested), so that a measured report need not be measured again.
func (r *Traceability) WithSuggested(arities []int) *Traceability {
	c := *r
	c.Suggested = c.suggested(arities)
	return &c
}

// suggested weighs suggested declared variants of the given arities.
func (r *Traceability) suggested(arities []int) *Suggested {
	facts, present := r.facts, r.present
	d, n, eps := r.Design, r.Recipients, r.Epsilon
	sg := &Suggested{Offered: len(arities)}
	var gains []float64
	for _, q := range arities {
		g := fingerprint.SlotInformation(d, q, true)
		gains = append(gains, g)
		sg.Nats += g
	}
	paraphrase := present&(1<<trace.ClassDeclared|1<<trace.ClassOrder) | 1<<trace.ClassDeclared
	sg.Paraphrased = Evidence{Slots: r.Paraphrased.Slots + len(arities), Nats: r.Paraphrased.Nats + sg.Nats, Need: needFor(paraphrase, n, eps)}
	sg.Paraphrased.Enough = sg.Paraphrased.Nats >= sg.Paraphrased.Need
	sg.Needed = fewest(gains, sg.Paraphrased.Need-r.Paraphrased.Nats)
	sg.FactsToRepeat = fewest(append(slices.Clone(facts), gains...), needFor(1<<trace.ClassDeclared, n, eps))
	return sg
}

// fewest is how many of the values, largest first, add up to need: 0 if
// need is not positive, -1 if all of them fall short.
func fewest(values []float64, need float64) int {
	if need <= 0 {
		return 0
	}
	v := slices.Clone(values)
	slices.SortFunc(v, func(a, b float64) int { return cmp.Compare(b, a) })
	sum := 0.0
	for i, x := range v {
		sum += x
		if sum >= need {
			return i + 1
		}
	}
	return -1
}

// classesOf returns the classes of a template's slots (bit c: class c).
func classesOf(t *mark.Template) uint32 {
	var present uint32
	for _, s := range t.Slots {
		present |= 1 << kindClass(s.Kind)
	}
	return present
}

// needFor is the evidence a leak showing slots of the given classes must
// carry among n recipients.
func needFor(present uint32, n int, eps float64) float64 {
	return math.Log(float64(max(n, 1)) * float64(trace.DecoderCount(present, n)) / eps)
}

// need is the evidence a leak showing slots of the given kinds must carry
// among n recipients: ln(n · D / ε) with D the decoders the tracer
// registers for those kinds.
func need(t *mark.Template, kinds []mark.Kind, n int, eps float64) float64 {
	var present uint32
	for _, s := range t.Slots {
		if slices.Contains(kinds, s.Kind) {
			present |= 1 << kindClass(s.Kind)
		}
	}
	return math.Log(float64(max(n, 1)) * float64(trace.DecoderCount(present, n)) / eps)
}

func kindClass(k mark.Kind) uint8 {
	switch k {
	case mark.Declared:
		return trace.ClassDeclared
	case mark.Order:
		return trace.ClassOrder
	case mark.Lexical:
		return trace.ClassLexical
	}
	return trace.ClassTypographic
}

// Excerpts measures how many consecutive words of a copy, quoted verbatim
// from anywhere in it, single out the leaker in half and in nine in ten of
// cases: it renders a copy, reads excerpts of it with the version's reader
// as a leak would be read, and adds up the evidence the exact decoder
// would find in the slots read (need nats accuse). 0 if even the whole
// document does not carry enough.
func Excerpts(rd *read.Reader, rend *render.Renderer, biases [][]float64, need float64) (median, p90 int) {
	cw := fingerprint.NewCodeword(fingerprint.Key{'e', 'x', 'c', 'e', 'r', 'p', 't'}, biases)
	body, err := rend.Body(render.Text, cw, 0)
	if err != nil {
		return 0, 0
	}
	text := string(body)
	starts := wordStarts(text)
	if len(starts) == 0 {
		return 0, 0
	}
	// Read the whole copy once: each slot read, with the words where it
	// was seen and the evidence it gives. An excerpt shows a slot if it
	// holds one of those words away from its ends (the reader places a
	// word by its neighbours).
	type seen struct {
		nats  float64
		words []int
	}
	var slots []seen
	total := 0.0
	for _, r := range rd.Read(text).Readings {
		if !r.Seen.Has(cw[r.Slot]) {
			continue
		}
		p := 0.0
		for s, x := range biases[r.Slot] {
			if r.Seen.Has(uint8(s)) {
				p += x
			}
		}
		if p <= 0 || p >= 1 {
			continue
		}
		sl := seen{nats: -math.Log(p)}
		for _, sp := range r.Spans {
			sl.words = append(sl.words, wordIndex(starts, sp.Start))
		}
		slots = append(slots, sl)
		total += sl.nats
	}
	if total < need {
		return 0, 0
	}
	const margin = 3
	evidence := func(start, n int) float64 {
		lo, hi := start+margin, start+n-margin
		if start == 0 {
			lo = 0
		}
		if start+n == len(starts) {
			hi = len(starts)
		}
		sum := 0.0
		for _, sl := range slots {
			for _, w := range sl.words {
				if w >= lo && w < hi {
					sum += sl.nats
					break
				}
			}
		}
		return sum
	}
	share := func(n int) float64 { // of excerpts of n words, those that suffice
		step := max(1, (len(starts)-n)/200)
		ok, all := 0, 0
		for start := 0; start+n <= len(starts); start += step {
			all++
			if evidence(start, n) >= need {
				ok++
			}
		}
		return float64(ok) / float64(max(all, 1))
	}
	lengths := excerptGrid(len(starts))
	shortest := func(q float64) int {
		i, _ := slices.BinarySearchFunc(lengths, q, func(n int, q float64) int {
			if share(n) >= q {
				return 1
			}
			return -1
		})
		if i == len(lengths) {
			return 0
		}
		return lengths[i]
	}
	return shortest(0.5), shortest(0.9)
}

// wordStarts returns the byte offset of every word of s, as strings.Fields
// splits it.
func wordStarts(s string) []int {
	var out []int
	in := false
	for i, r := range s {
		w := !unicode.IsSpace(r)
		if w && !in {
			out = append(out, i)
		}
		in = w
	}
	return out
}

// wordIndex is the word an offset falls in.
func wordIndex(starts []int, off int) int {
	i, found := slices.BinarySearch(starts, off)
	if !found && i > 0 {
		i--
	}
	return i
}

// excerptGrid lists the excerpt lengths tried: steps of about a quarter,
// ending with the whole document.
func excerptGrid(words int) []int {
	var out []int
	for n := 25; n < words; n = n * 5 / 4 {
		if r := (n + 4) / 5 * 5; r < words && (len(out) == 0 || r > out[len(out)-1]) {
			out = append(out, r)
		}
	}
	return append(out, words)
}

func (e *Evidence) add(nats float64) {
	e.Slots++
	e.Nats += nats
}

// String renders the report for people.
func (r *Traceability) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Traceability for %d recipients at ε = %g (%s):\n", r.Recipients, r.Epsilon, designText(r.Design))
	fmt.Fprintf(&b, "  %-12s %6s %6s %8s %10s\n", "slots", "count", "/1000w", "bits", "robust to")
	for _, k := range r.Kinds {
		fmt.Fprintf(&b, "  %-12s %6d %6.1f %8.1f %10s\n", k.Kind, k.Slots, k.PerThousand, k.Bits, k.Kind.Robustness())
	}
	fmt.Fprintf(&b, "  %d prose words; one leaker is singled out by %.1f nats of evidence from a whole copy.\n", r.Words, r.Need)
	verdict := func(e Evidence) string {
		if e.Enough {
			return fmt.Sprintf("attributable (%d slots, %.0f nats, %.1f× the %.0f needed)", e.Slots, e.Nats, e.Nats/e.Need, e.Need)
		}
		return fmt.Sprintf("NOT attributable (%d slots, %.0f of %.0f nats needed)", e.Slots, e.Nats, e.Need)
	}
	fmt.Fprintf(&b, "  Whole copy, verbatim:         %s\n", verdict(r.Verbatim))
	fmt.Fprintf(&b, "  Retyped or OCR'd:             %s\n", verdict(r.Retyped))
	fmt.Fprintf(&b, "  Paraphrased by a journalist:  %s\n", verdict(r.Paraphrased))
	switch {
	case !r.Measured:
	case r.ExcerptMedian == 0:
		b.WriteString("  No verbatim excerpt, not even the whole text, singles out a leaker.\n")
	case r.ExcerptP90 == 0:
		fmt.Fprintf(&b, "  A verbatim excerpt of %d words singles out the leaker in half of cases; no excerpt shorter than the whole text does in nine of ten (measured by reading excerpts of a copy).\n", r.ExcerptMedian)
	default:
		fmt.Fprintf(&b, "  A verbatim excerpt of %d words singles out the leaker in half of cases, %d words in nine of ten (measured by reading excerpts of a copy).\n", r.ExcerptMedian, r.ExcerptP90)
	}
	switch {
	case r.Facts == 0:
	case r.FactsToRepeat > 0:
		fmt.Fprintf(&b, "  A paraphrase naming no list must repeat at least %d of the %d declared facts (those with the most alternatives).\n", r.FactsToRepeat, r.Facts)
	case r.FactsToRepeat < 0:
		fmt.Fprintf(&b, "  A paraphrase repeating all %d declared facts and no list would not be attributable.\n", r.Facts)
	}
	if sg := r.Suggested; sg != nil && sg.Offered > 0 {
		fmt.Fprintf(&b, "  Suggested facts to vary: %d (telltale doc suggest), adding %.0f nats; with all accepted a paraphrase is %s", sg.Offered, sg.Nats, verdict(sg.Paraphrased))
		switch {
		case sg.Needed > 0:
			fmt.Fprintf(&b, "; accepting the %d with the most alternatives suffices.\n", sg.Needed)
		default:
			b.WriteString(".\n")
		}
	}
	for _, a := range r.Advice() {
		fmt.Fprintf(&b, "  Advice: %s\n", a)
	}
	return b.String()
}

// Finding is what one kind of leak would prove, in plain words.
type Finding struct {
	// Leak names the kind of leak: "A whole copy, verbatim".
	Leak string
	// Attributable says whether such a leak would name its recipient
	// with the bound ε.
	Attributable bool
	// Says is the finding for people.
	Says string
}

// Findings says, for each kind of leak, what it would prove.
func (r *Traceability) Findings() []Finding {
	among := fmt.Sprintf("one of %d recipients", r.Recipients)
	var out []Finding
	whole := Finding{Leak: "A whole copy, verbatim", Attributable: r.Verbatim.Enough}
	switch {
	case !r.Verbatim.Enough:
		whole.Says = fmt.Sprintf("would not single out %s: the document has too few marks (%.0f of %.0f nats of evidence).", among, r.Verbatim.Nats, r.Verbatim.Need)
	case r.Measured && r.ExcerptMedian > 0 && r.ExcerptP90 > 0:
		whole.Says = fmt.Sprintf("names its recipient. So does a verbatim excerpt of about %d words in half of cases, and of %d words in nine of ten.", r.ExcerptMedian, r.ExcerptP90)
	case r.Measured && r.ExcerptMedian > 0:
		whole.Says = fmt.Sprintf("names its recipient. So does a verbatim excerpt of about %d words in half of cases; shorter excerpts often do not.", r.ExcerptMedian)
	default:
		whole.Says = fmt.Sprintf("names its recipient, with %.1f times the evidence needed.", r.Verbatim.Nats/r.Verbatim.Need)
	}
	out = append(out, whole)
	retyped := Finding{Leak: "A retyped, photographed or OCR'd copy", Attributable: r.Retyped.Enough}
	if r.Retyped.Enough {
		retyped.Says = "names its recipient from the words and facts alone, even when punctuation and layout are lost."
	} else {
		retyped.Says = fmt.Sprintf("would not single out %s once typography is lost (%.0f of %.0f nats).", among, r.Retyped.Nats, r.Retyped.Need)
	}
	out = append(out, retyped)
	para := Finding{Leak: "A journalist's paraphrase", Attributable: r.Paraphrased.Enough}
	switch {
	case r.Paraphrased.Slots == 0:
		para.Says = "proves nothing: a paraphrase keeps only facts and the order of lists, and none of them vary between copies."
	case r.Paraphrased.Enough && r.FactsToRepeat > 0:
		para.Says = fmt.Sprintf("names its recipient if it repeats enough of the facts that vary: at least %d of the %d declared facts, or fewer with the order of a shuffled list.", r.FactsToRepeat, r.Facts)
	case r.Paraphrased.Enough:
		para.Says = "names its recipient if it repeats every fact that varies and the order of the shuffled lists."
	default:
		para.Says = fmt.Sprintf("would not single out %s even if it repeated every varied fact and list order (%.0f of %.0f nats): it could only narrow the suspects.", among, r.Paraphrased.Nats, r.Paraphrased.Need)
	}
	out = append(out, para)
	return out
}

// Advice says what would make the version more traceable, most useful
// first; nil if nothing needs doing.
func (r *Traceability) Advice() []string {
	var out []string
	if sg := r.Suggested; sg != nil && sg.Offered > 0 && !r.Paraphrased.Enough {
		if sg.Needed > 0 {
			out = append(out, fmt.Sprintf("A paraphrased leak cannot be attributed. Accept at least %d of the %d suggested facts to vary (those with the most alternatives first), and review each: every copy states one alternative as fact.", sg.Needed, sg.Offered))
		} else {
			out = append(out, fmt.Sprintf("A paraphrased leak cannot be attributed, not even with all %d suggested facts accepted. Accept them, add more declared variants ({{a|b|c}}) by hand, or shuffle a list (<!-- telltale:shuffle -->).", sg.Offered))
		}
	} else if r.AddDeclared > 0 {
		out = append(out, fmt.Sprintf("A paraphrased leak cannot be attributed. Add about %s ({{a|b|c}}) for facts a reporter would repeat, or shuffle a list (<!-- telltale:shuffle -->); telltale doc suggest proposes some.", plural(r.AddDeclared, "declared variant")))
	}
	if !r.Verbatim.Enough {
		out = append(out, "Even a whole copy could not be attributed: the document is too short for this many recipients. Issue it to fewer people, or add declared variants and shuffled lists.")
	} else if r.Measured && r.ExcerptMedian == 0 {
		out = append(out, "No verbatim excerpt shorter than the whole text singles out a leaker: add declared variants or shuffled lists so that short quotations carry more evidence.")
	}
	return out
}

// DesignText says what the report's design resists, for people.
func (r *Traceability) DesignText() string { return designText(r.Design) }

// plural writes a count with its noun: "1 declared variant", "3
// declared variants".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// designText says what a design resists, for people.
func designText(d fingerprint.Design) string {
	if d.Coalition <= 1 {
		return fmt.Sprintf("built for a single leaker, the likely case among %d or fewer; a document added with --coalition 3 resists three colluders, with less evidence in each slot", fingerprint.SmallAudience)
	}
	s := fmt.Sprintf("word and style marks resist coalitions of up to %d", d.Coalition)
	if d.Version >= 2 {
		s += "; declared facts and list orders carry the most evidence against a single leaker"
	}
	return s
}
