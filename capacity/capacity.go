// Package capacity computes a template's traceability report: what its
// slots can prove before a single copy goes out.
//
// For a number of recipients n and a false-accusation bound ε, a leak
// pins one recipient only if the slots it shows carry enough evidence:
// ln(n · decoders / ε) nats (fingerprint.SingleLeakerThreshold). Each
// observed slot gives, on average, the expected entropy of its bias vector
// (fingerprint.ExpectedInformation). The report adds this up by robustness
// class — what survives paraphrase, retyping, or only an exact copy — and
// slides a window over the text to find how long a verbatim excerpt must be
// to single out a leaker. Where a paraphrase could not be attributed, it
// says how many declared slots to add.
package capacity

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
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
	// Need is the evidence, in nats, to accuse one leaker.
	Need float64
	// Verbatim, Retyped and Paraphrased are what each kind of leak can
	// show: an exact copy shows every slot; a retyped or OCR'd copy loses
	// typographic slots; a journalist's paraphrase keeps only declared
	// facts and list orders.
	Verbatim, Retyped, Paraphrased Evidence
	// Excerpt is how many consecutive words of a copy, quoted verbatim,
	// single out the leaker: the median and 90th percentile over every
	// starting point in the document. Zero if even the whole document
	// does not suffice.
	ExcerptMedian, ExcerptP90 int
	// AddDeclared is how many more declared slots (of three alternatives)
	// a paraphrase would need to be attributable; 0 if it already is.
	AddDeclared int
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
	Slots  int
	Nats   float64
	Enough bool
}

// Compute builds the report for n recipients at bound eps.
func Compute(t *mark.Template, d fingerprint.Design, n int, eps float64) *Traceability {
	r := &Traceability{Recipients: n, Epsilon: eps, Design: d, Words: t.Words, Need: fingerprint.SingleLeakerThreshold(n, eps)}
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
	for _, e := range []*Evidence{&r.Verbatim, &r.Retyped, &r.Paraphrased} {
		e.Enough = e.Nats >= r.Need
	}
	if !r.Paraphrased.Enough {
		per := fingerprint.SlotInformation(d, 3, true)
		r.AddDeclared = int(math.Ceil((r.Need - r.Paraphrased.Nats) / per))
	}
	r.ExcerptMedian, r.ExcerptP90 = excerptLengths(t, d, r.Need)
	return r
}

func (e *Evidence) add(nats float64) {
	e.Slots++
	e.Nats += nats
}

// excerptLengths slides over the text: from each word, how many words must
// a verbatim excerpt run before its slots carry the needed evidence? A
// document-wide slot counts once, where the excerpt first meets it.
func excerptLengths(t *mark.Template, d fingerprint.Design, need float64) (median, p90 int) {
	words := wordStarts(t.Source)
	if len(words) == 0 {
		return 0, 0
	}
	type hit struct {
		word int // index of the word the occurrence starts in
		slot int
	}
	var hits []hit
	for si, s := range t.Slots {
		if s.Kind == mark.Order {
			for _, it := range s.Items {
				hits = append(hits, hit{wordIndex(words, it.Start), si})
			}
			continue
		}
		for _, o := range s.Occurrences {
			hits = append(hits, hit{wordIndex(words, o.Start), si})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.word - b.word })
	info := make([]float64, len(t.Slots))
	for si, s := range t.Slots {
		info[si] = fingerprint.SlotInformation(d, s.Q, s.Robustness() == mark.Paraphrase)
	}
	// Order slots need at least two items seen: count them when the
	// second item is met.
	var lengths []int
	step := max(1, len(words)/400)
	for start := 0; start < len(words); start += step {
		seen := map[int]int{}
		total := 0.0
		length := 0
		for _, h := range hits {
			if h.word < start {
				continue
			}
			seen[h.slot]++
			first := seen[h.slot] == 1
			if t.Slots[h.slot].Kind == mark.Order {
				first = seen[h.slot] == 2
			}
			if first {
				total += info[h.slot]
			}
			if total >= need {
				length = h.word - start + 1
				break
			}
		}
		if length == 0 {
			break // no later start can do better
		}
		lengths = append(lengths, length)
	}
	if len(lengths) == 0 {
		return 0, 0
	}
	// Starts near the end cannot succeed; they count as failures at the
	// percentile level by not being in lengths, so report over successes
	// only, which is what "an excerpt that suffices" means.
	slices.Sort(lengths)
	return lengths[len(lengths)/2], lengths[len(lengths)*9/10]
}

// wordStarts returns the byte offset of every word of s.
func wordStarts(s string) []int {
	var out []int
	in := false
	for i, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			out = append(out, i)
		}
		in = w
	}
	return out
}

func wordIndex(starts []int, off int) int {
	i, found := slices.BinarySearch(starts, off)
	if !found && i > 0 {
		i--
	}
	return i
}

// String renders the report for people.
func (r *Traceability) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Traceability for %d recipients at ε = %g (design: coalitions of %d):\n", r.Recipients, r.Epsilon, r.Design.Coalition)
	fmt.Fprintf(&b, "  %-12s %6s %6s %8s %10s\n", "slots", "count", "/1000w", "bits", "robust to")
	for _, k := range r.Kinds {
		fmt.Fprintf(&b, "  %-12s %6d %6.1f %8.1f %10s\n", k.Kind, k.Slots, k.PerThousand, k.Bits, k.Kind.Robustness())
	}
	fmt.Fprintf(&b, "  %d prose words; one leaker is singled out by %.1f nats of evidence.\n", r.Words, r.Need)
	verdict := func(e Evidence) string {
		if e.Enough {
			return fmt.Sprintf("attributable (%d slots, %.0f nats, %.1f× what is needed)", e.Slots, e.Nats, e.Nats/r.Need)
		}
		return fmt.Sprintf("NOT attributable (%d slots, %.0f of %.0f nats needed)", e.Slots, e.Nats, r.Need)
	}
	fmt.Fprintf(&b, "  Whole copy, verbatim:         %s\n", verdict(r.Verbatim))
	fmt.Fprintf(&b, "  Retyped or OCR'd:             %s\n", verdict(r.Retyped))
	fmt.Fprintf(&b, "  Paraphrased by a journalist:  %s\n", verdict(r.Paraphrased))
	if r.ExcerptMedian > 0 {
		fmt.Fprintf(&b, "  A verbatim excerpt of about %d words (90%% of starting points: %d) singles out the leaker.\n", r.ExcerptMedian, r.ExcerptP90)
	} else {
		b.WriteString("  No verbatim excerpt, not even the whole text, singles out a leaker.\n")
	}
	if r.AddDeclared > 0 {
		fmt.Fprintf(&b, "  Advice: a paraphrased leak cannot be attributed. Add about %d declared variants ({{a|b|c}}) for facts a reporter would repeat, or shuffle a list (<!-- telltale:shuffle -->).\n", r.AddDeclared)
	}
	return b.String()
}
