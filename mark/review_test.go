package mark

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

// Review sample parameters. Changing them draws a different sample; the
// write-up in docs/slot-review.md names the values it was made with.
const (
	reviewSize  = 100
	reviewSeed1 = 2026
	reviewSeed2 = 314
	// reviewWords caps the context on each side of an occurrence when the
	// sentence is longer.
	reviewWords = 14
)

// reviewItem is one automatic slot occurrence of a sample.
type reviewItem struct {
	sample string
	src    string
	slot   Slot
	occ    int // index into slot.Occurrences
}

// TestSlotReview prints a fixed random sample of automatic (lexical and
// typographic) slot occurrences of the sample documents, each in its
// sentence with every alternative substituted, for a person to judge
// whether any alternative changes the meaning, the register or the grammar.
//
//	TELLTALE_REVIEW=1 go test ./mark/ -run SlotReview -v
//
// The sample is stratified: each document contributes in proportion to its
// number of automatic occurrences (largest remainder), and occurrences are
// drawn without replacement with a PCG seeded with reviewSeed1/reviewSeed2.
// TELLTALE_REVIEW_ALL=1 prints every occurrence instead of the sample.
func TestSlotReview(t *testing.T) {
	t.Parallel()
	if os.Getenv("TELLTALE_REVIEW") != "1" {
		t.Skip("set TELLTALE_REVIEW=1 to print the slot review sample")
	}
	docs := reviewDocuments(t)
	names := slices.Sorted(maps.Keys(docs))
	pop := map[string][]reviewItem{}
	total := 0
	for _, n := range names {
		src := docs[n]
		doc, err := parse.Parse(n, src)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := Mark(doc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range tpl.Slots {
			if s.Kind != Lexical && s.Kind != Typographic {
				continue
			}
			for oi := range s.Occurrences {
				pop[n] = append(pop[n], reviewItem{sample: n, src: tpl.Source, slot: s, occ: oi})
			}
		}
		// Document order, so the draw depends only on the seed.
		slices.SortStableFunc(pop[n], func(a, b reviewItem) int {
			return a.slot.Occurrences[a.occ].Start - b.slot.Occurrences[b.occ].Start
		})
		total += len(pop[n])
	}

	var picked []reviewItem
	if os.Getenv("TELLTALE_REVIEW_ALL") == "1" {
		for _, n := range names {
			picked = append(picked, pop[n]...)
		}
	} else {
		quota := stratify(names, pop, total, reviewSize)
		rng := rand.New(rand.NewPCG(reviewSeed1, reviewSeed2))
		for _, n := range names {
			perm := rng.Perm(len(pop[n]))[:quota[n]]
			slices.Sort(perm)
			for _, i := range perm {
				picked = append(picked, pop[n][i])
			}
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "slot review: %d automatic occurrences in %d samples", total, len(names))
	for _, n := range names {
		fmt.Fprintf(&b, ", %s %d", n, len(pop[n]))
	}
	fmt.Fprintf(&b, "; showing %d (seed %d/%d)\n\n", len(picked), reviewSeed1, reviewSeed2)
	for i, it := range picked {
		o := it.slot.Occurrences[it.occ]
		fmt.Fprintf(&b, "#%03d %s %s (occurrence %d of %d, offset %d)\n", i+1, it.sample, it.slot.Name, it.occ+1, len(it.slot.Occurrences), o.Start)
		for k, alt := range o.Alts {
			label := "canonical"
			if k > 0 {
				label = fmt.Sprintf("alt %d    ", k)
			}
			fmt.Fprintf(&b, "   %s: %s\n", label, reviewContext(it.src, o.Span, alt))
		}
		b.WriteString("\n")
	}
	t.Log("\n" + b.String())
}

// reviewDocuments returns the documents to draw from: the samples, or with
// TELLTALE_REVIEW_CORPUS=dev or heldout the documents of that corpus
// (testdata/corpus). The held-out review prints slots with their context
// only: it is the one look at the held-out corpus that tuning may not use.
func reviewDocuments(t *testing.T) map[string][]byte {
	docs := map[string][]byte{}
	corpus := os.Getenv("TELLTALE_REVIEW_CORPUS")
	if corpus == "" {
		for _, n := range samples.Names() {
			docs[n], _ = samples.Get(n)
		}
		return docs
	}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", corpus, "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no documents in corpus %q: %v", corpus, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[strings.TrimSuffix(filepath.Base(f), ".md")] = src
	}
	return docs
}

// stratify splits n draws among the samples in proportion to their
// population, by largest remainder (ties: the earlier name).
func stratify(names []string, pop map[string][]reviewItem, total, n int) map[string]int {
	quota := map[string]int{}
	if total == 0 {
		return quota
	}
	n = min(n, total)
	type rem struct {
		name string
		frac float64
	}
	var rems []rem
	given := 0
	for _, name := range names {
		exact := float64(n) * float64(len(pop[name])) / float64(total)
		quota[name] = int(exact)
		given += quota[name]
		rems = append(rems, rem{name, exact - float64(quota[name])})
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.frac > b.frac:
			return -1
		case a.frac < b.frac:
			return 1
		}
		return 0
	})
	for i := 0; given < n; i++ {
		r := rems[i%len(rems)]
		if quota[r.name] < len(pop[r.name]) {
			quota[r.name]++
			given++
		}
	}
	return quota
}

// reviewContext returns the sentence around span s of src, on one line,
// with the span replaced by alt and marked [[like this]]. The sentence is
// cut at a sentence end or a blank line, and to reviewWords words on
// either side.
func reviewContext(src string, s Span, alt string) string {
	start := sentenceStart(src, s.Start)
	end := sentenceEnd(src, s.End)
	before := lastWords(src[start:s.Start], reviewWords)
	after := firstWords(src[s.End:end], reviewWords)
	out := before + "[[" + alt + "]]" + after
	return strings.Join(strings.Fields(out), " ")
}

// sentenceStart returns the offset where the sentence containing i begins:
// after ". ", "! ", "? " or a blank line.
func sentenceStart(src string, i int) int {
	for j := i; j > 0; j-- {
		if strings.HasPrefix(src[j-1:], "\n\n") && j-1 < i {
			return j + 1
		}
		if j >= 2 && strings.ContainsRune(".!?", rune(src[j-2])) && src[j-1] == ' ' && j-2 < i-1 && !abbreviationBefore(src, j-2) {
			return j
		}
	}
	return 0
}

// sentenceEnd returns the offset just after the sentence containing i.
func sentenceEnd(src string, i int) int {
	for j := i; j < len(src); j++ {
		if strings.HasPrefix(src[j:], "\n\n") {
			return j
		}
		if strings.ContainsRune(".!?", rune(src[j])) && (j+1 == len(src) || src[j+1] == ' ' || src[j+1] == '\n') && !abbreviationBefore(src, j) {
			return j + 1
		}
	}
	return len(src)
}

// abbreviationBefore reports whether the period at src[j] ends an
// abbreviation such as "a.m." or "U.S." rather than a sentence.
func abbreviationBefore(src string, j int) bool {
	if src[j] != '.' {
		return false
	}
	k := j
	for k > 0 && (unicode.IsLetter(rune(src[k-1])) || src[k-1] == '.') {
		k--
	}
	w := src[k : j+1]
	return strings.Count(w, ".") > 1 || slices.Contains([]string{"Inc.", "Co.", "Ltd.", "No.", "Mr.", "Ms.", "Dr.", "St.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "R."}, w)
}

func lastWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return s
	}
	return "… " + strings.Join(f[len(f)-n:], " ") + tailSpace(s)
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return s
	}
	return headSpace(s) + strings.Join(f[:n], " ") + " …"
}

func tailSpace(s string) string {
	if strings.HasSuffix(s, " ") || strings.HasSuffix(s, "\n") {
		return " "
	}
	return ""
}

func headSpace(s string) string {
	if strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\n") {
		return " "
	}
	return ""
}
