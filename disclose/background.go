package disclose

import (
	"bufio"
	"cmp"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// Rarity tiers of the background vocabulary, from the most to the least
// frequent in ordinary English news.
const (
	tierStop      uint8 = iota // function words: the, of, would
	tierCommon                 // everyday words: city, plan, money
	tierNews                   // words news uses all the time: warrant, merger, rebate
	tierName                   // common first names and surnames
	tierPlace                  // well-known places: Houston, Los Angeles
	tierQualifier              // states, countries, compass points: Texas, northern
	tierRare                   // anything else
)

// tierWeight is the evidence, roughly in bits, that sharing one word of a
// tier with a protected document gives.
var tierWeight = [...]float32{
	tierStop:      0,
	tierCommon:    0.5,
	tierNews:      1.0,
	tierName:      0.6,
	tierPlace:     0.4,
	tierQualifier: 0.2,
	tierRare:      3.0,
}

var tierNames = map[string]uint8{
	"stop": tierStop, "common": tierCommon, "news": tierNews, "names": tierName,
	"places": tierPlace, "qualifiers": tierQualifier,
}

//go:embed background.txt
var backgroundText string

// Background is the vocabulary of ordinary news: words, names and places that
// appear so often in articles that sharing them with a protected document is
// no evidence of a leak. Words not in the background are rare, and rare words
// shared with a document are evidence.
//
// A Background is immutable and safe for concurrent use.
type Background struct {
	tiers map[uint64]uint8
}

// DefaultBackground returns the embedded background vocabulary
// (background.txt, a reviewed data file).
var DefaultBackground = sync.OnceValue(func() *Background {
	bg, err := ParseBackground(strings.NewReader(backgroundText))
	if err != nil {
		panic("disclose: embedded background.txt: " + err.Error())
	}
	return bg
})

// ParseBackground reads a background vocabulary: sections headed [stop],
// [common], [news], [names], [places] and [qualifiers], each followed by
// lower-case words separated by white space; # starts a comment. A word listed
// in several sections counts in the first of [stop], [qualifiers], [common],
// [news], [names], [places]. Regular inflections (plurals, -ed, -ing, -er,
// -ly) are added automatically, and words derived from listed ones
// ("reallocating", "unencrypted") weigh as their base.
func ParseBackground(r io.Reader) (*Background, error) {
	bg := &Background{tiers: make(map[uint64]uint8, 40000)}
	tier := uint8(255)
	sc := bufio.NewScanner(r)
	line := 0
	type entry struct {
		word string
		tier uint8
	}
	var words []entry
	for sc.Scan() {
		line++
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if strings.HasPrefix(text, "[") {
			name := strings.Trim(text, "[]")
			t, ok := tierNames[name]
			if !ok {
				return nil, fmt.Errorf("line %d: unknown section %q", line, name)
			}
			tier = t
			continue
		}
		if tier == 255 {
			return nil, fmt.Errorf("line %d: words before the first section", line)
		}
		// Entries split as the tokenizer splits text: "multi-agency" lists
		// "multi" and "agency", "moody's" lists "moody".
		for t := range tokenRules.Tokens(text) {
			var tz tokenizer
			if norm := string(tz.normalize(text[t.Start:t.End])); norm != "" {
				words = append(words, entry{norm, tier})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	// A word in several sections takes the first of: function word,
	// qualifier ("Texas", though "Texas City" is a place), everyday word
	// ("new", though "New Haven" is a place), news word, name, place.
	priority := [...]int{tierStop: 0, tierQualifier: 1, tierCommon: 2, tierNews: 3, tierName: 4, tierPlace: 5}
	slices.SortStableFunc(words, func(a, b entry) int { return cmp.Compare(priority[a.tier], priority[b.tier]) })
	// Base forms first, so that a listed word keeps its own tier even when it
	// is also an inflection of another listed word.
	for _, e := range words {
		if _, ok := bg.tiers[hashString(e.word)]; !ok {
			bg.tiers[hashString(e.word)] = e.tier
		}
	}
	for _, e := range words {
		if e.tier == tierName || e.tier == tierPlace || e.tier == tierQualifier {
			continue
		}
		for _, f := range inflections(e.word) {
			if _, ok := bg.tiers[hashString(f)]; !ok {
				bg.tiers[hashString(f)] = e.tier
			}
		}
	}
	return bg, nil
}

// Len returns the number of word forms in the background.
func (bg *Background) Len() int { return len(bg.tiers) }

// Weight returns the evidence weight of sharing word with a document: 0 for
// function words, small for common words and places, 3 for words not in the
// background.
func (bg *Background) Weight(word string) float64 {
	var tz tokenizer
	norm := tz.normalize(word)
	return float64(tierWeight[bg.tierOf(norm, stemPlural(append([]byte(nil), norm...)))])
}

// tierOf returns the tier of a normalized word: its singular's tier if the
// singular is listed (so that both forms weigh the same), else the word's,
// else the tier of the word it derives from ("reallocating" → "allocate").
func (bg *Background) tierOf(norm, stem []byte) uint8 {
	if t, ok := bg.tiers[hashBytes(stem)]; ok {
		return t
	}
	if t, ok := bg.tiers[hashBytes(norm)]; ok {
		return t
	}
	if len(norm) <= 2 {
		return tierCommon
	}
	if len(norm) <= maxDerivedLen {
		budget := maxDerivedLookups
		if t, ok := bg.derived(string(norm), 2, &budget); ok {
			return t
		}
	}
	return tierRare
}

// Bounds on the search for a word's base, so that a hostile page of long
// made-up words ("ationationation…") costs no more than ordinary text.
const (
	maxDerivedLen     = 24
	maxDerivedLookups = 48
)

// suffixes are derivational and inflectional endings with the endings a base
// may have had: "coordination" → "coordinate", "careless" → "care".
var suffixes = []struct {
	suf  string
	base []string
}{
	{"izations", []string{"ize"}}, {"ization", []string{"ize"}}, {"ations", []string{"ate", "", "e"}},
	{"ation", []string{"ate", "", "e"}}, {"ments", []string{""}}, {"ment", []string{""}},
	{"nesses", []string{""}}, {"iness", []string{"y"}}, {"ness", []string{""}}, {"less", []string{""}},
	{"fully", []string{""}}, {"ful", []string{""}}, {"ities", []string{"", "e"}}, {"ity", []string{"", "e"}},
	{"ability", []string{"", "e", "ate"}}, {"ably", []string{"", "e", "ate"}}, {"able", []string{"", "e", "ate"}},
	{"ibly", []string{"", "e"}}, {"ible", []string{"", "e"}}, {"ions", []string{"", "e"}}, {"ion", []string{"", "e"}},
	{"ively", []string{"", "e"}}, {"ives", []string{"", "e"}}, {"ive", []string{"", "e"}},
	{"ically", []string{"ic", "ical"}}, {"ally", []string{"al", ""}}, {"ily", []string{"y"}}, {"ly", []string{"", "le"}},
	{"ied", []string{"y"}}, {"ies", []string{"y"}}, {"ier", []string{"y"}}, {"iest", []string{"y"}},
	{"izing", []string{"ize"}}, {"ized", []string{"ize"}}, {"izes", []string{"ize"}}, {"ize", []string{"", "e"}},
	{"ising", []string{"ise"}}, {"ised", []string{"ise"}}, {"ise", []string{"", "e"}},
	{"ings", []string{"", "e", "-"}}, {"ing", []string{"", "e", "-"}}, {"ed", []string{"", "e", "-"}},
	{"ers", []string{"", "e", "-"}}, {"er", []string{"", "e", "-"}}, {"est", []string{"", "e", "-"}},
	{"ships", []string{""}}, {"ship", []string{""}}, {"hood", []string{""}}, {"isms", []string{""}},
	{"ism", []string{""}}, {"ists", []string{"", "e"}}, {"ist", []string{"", "e"}}, {"als", []string{"", "e"}},
	{"al", []string{"", "e"}}, {"es", []string{""}}, {"s", []string{""}},
}

// prefixes whose removal leaves the word's meaning in the base:
// "unencrypted", "reassign", "nonprofit".
var prefixes = []string{"counter", "under", "inter", "over", "self", "multi", "anti", "semi", "non", "pre",
	"mis", "dis", "out", "sub", "un", "re", "co"}

// derived looks a word up through its base: a suffix or prefix removed. Only
// bases in the word tiers count, so "Prescott" does not become common
// through "Scott".
func (bg *Background) derived(w string, depth int, budget *int) (uint8, bool) {
	if depth == 0 || len(w) < 5 {
		return 0, false
	}
	lookup := func(base string) (uint8, bool) {
		if len(base) < 3 || *budget <= 0 {
			return 0, false
		}
		*budget--
		t, ok := bg.tiers[hashString(base)]
		if ok && t <= tierNews {
			return max(t, tierCommon), true
		}
		if t, ok := bg.derived(base, depth-1, budget); ok {
			return t, true
		}
		return 0, false
	}
	for _, s := range suffixes {
		stem, found := strings.CutSuffix(w, s.suf)
		if !found || len(stem) < 3 {
			continue
		}
		for _, b := range s.base {
			base := stem + b
			if b == "-" { // doubled consonant: planned → plan
				n := len(stem)
				if stem[n-1] != stem[n-2] {
					continue
				}
				base = stem[:n-1]
			}
			if t, ok := lookup(base); ok {
				return t, true
			}
		}
	}
	for _, p := range prefixes {
		if rest, found := strings.CutPrefix(w, p); found {
			if t, ok := lookup(rest); ok {
				return t, true
			}
		}
	}
	return 0, false
}

// inflections returns regular English inflections of a base word.
func inflections(w string) []string {
	n := len(w)
	if n < 3 {
		return nil
	}
	last := w[n-1]
	out := []string{w + "s", w + "er", w + "ers", w + "ly", w + "ed", w + "ing", w + "est"}
	switch {
	case last == 'y' && !isVowel(w[n-2]):
		stem := w[:n-1]
		out = append(out, stem+"ies", stem+"ied", stem+"ier", stem+"iest", stem+"ily")
	case last == 'e':
		stem := w[:n-1]
		out = append(out, w+"d", w+"r", w+"rs", stem+"ing", w+"st")
	case last == 's' || last == 'x' || last == 'z' || strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh"):
		out = append(out, w+"es")
	}
	// Doubled final consonant: plan → planned, planning.
	if n >= 3 && !isVowel(last) && isVowel(w[n-2]) && !isVowel(w[n-3]) && strings.IndexByte("wxy", last) < 0 {
		out = append(out, w+string(last)+"ed", w+string(last)+"ing", w+string(last)+"er")
	}
	if strings.HasSuffix(w, "al") {
		out = append(out, w+"ly")
	}
	if strings.HasSuffix(w, "ic") {
		out = append(out, w+"ally")
	}
	return out
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }
