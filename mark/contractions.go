package mark

// Contractions: "don't" ↔ "do not", "I'm" ↔ "I am", only in documents whose
// author already writes contractions (e-mails, notes). A board memo with no
// contraction keeps its register.

import (
	"strings"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

// contractions maps a contraction (straight apostrophe, lower case) to its
// full form. Forms in 's and 'd are left out where they are ambiguous ("he's
// left": has; "I'd like": would), except "it's", "that's" and "there's"
// before a word that cannot follow "has".
var contractions = map[string]string{
	"don't": "do not", "doesn't": "does not", "didn't": "did not",
	"isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not",
	"hasn't": "has not", "haven't": "have not", "hadn't": "had not",
	"won't": "will not", "wouldn't": "would not", "can't": "cannot", "couldn't": "could not",
	"shouldn't": "should not",
	"i'm":       "i am", "we're": "we are", "you're": "you are", "they're": "they are",
	"i've": "i have", "we've": "we have", "you've": "you have", "they've": "they have",
	"i'll": "i will", "we'll": "we will", "you'll": "you will", "they'll": "they will",
	"he'll": "he will", "she'll": "she will",
	"it's": "it is", "that's": "that is", "there's": "there is",
}

// expansions is contractions the other way round, for the full forms a
// contraction may replace. "that is" is left out ("a sum that is due" is
// a relative clause: "that's due" reads wrongly), and so are the forms of
// "have", which contract only before a participle.
var expansions = func() map[string]string {
	m := map[string]string{}
	for c, full := range contractions {
		if full == "that is" || strings.HasSuffix(full, " have") {
			continue
		}
		m[full] = c
	}
	return m
}()

// minContractions is how many contractions a document must show, outside
// quotations, for its register to allow them.
const minContractions = 2

// informal reports whether the document writes contractions, and which
// apostrophe it writes them with.
func (m *marker) informal() (bool, string) {
	n, curly := 0, 0
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind == parse.Heading || !strings.ContainsAny(b.Text, "'’") {
			continue
		}
		for _, t := range b.toks {
			if t.Kind != lexicon.Word || inside(b.excluded, t.Start) {
				continue
			}
			w := strings.ToLower(strings.ReplaceAll(t.Text, "’", "'"))
			if _, ok := contractions[w]; ok {
				n++
				if strings.Contains(t.Text, "’") {
					curly++
				}
			}
		}
	}
	apostrophe := "'"
	if curly*2 > n {
		apostrophe = "’"
	}
	return n >= minContractions, apostrophe
}

func inside(spans []parse.Span, i int) bool {
	for _, x := range spans {
		if i >= x.Start && i < x.End {
			return true
		}
	}
	return false
}

// contractionSlots makes a slot of every contraction and of every full form
// that may contract, in a document whose register allows contractions.
func (m *marker) contractionSlots() {
	ok, apostrophe := m.informal()
	if !ok {
		return
	}
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind == parse.Heading {
			continue
		}
		questions := questionSentences(b.toks)
		for i := 0; i < len(b.toks); i++ {
			t := b.toks[i]
			if t.Kind != lexicon.Word {
				continue
			}
			var n int
			var alt string
			if strings.ContainsAny(t.Text, "'’") {
				n, alt = 1, expandAt(b.toks, i, questions[i])
			} else {
				n, alt = contractAt(b.toks, i, apostrophe)
			}
			if alt == "" {
				continue
			}
			s, ok := m.source(b, t.Start, b.toks[i+n-1].End)
			if !ok {
				continue
			}
			m.slots = append(m.slots, Slot{Kind: Lexical, Name: "lexical:contraction", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{m.src[s.Start:s.End], alt}}}})
			m.take(s)
			i += n - 1
		}
	}
}

// questionSentences reports, for each token, whether its sentence ends with
// a question mark: "Why didn't the truck slow down?" cannot expand to
// "Why did not the truck…".
func questionSentences(toks []lexicon.Token) []bool {
	out := make([]bool, len(toks))
	start := 0
	for i, t := range toks {
		end := i == len(toks)-1
		if t.Kind == lexicon.Punct && strings.Contains(".!?", t.Text) || end {
			q := t.Text == "?"
			for k := start; k <= i; k++ {
				out[k] = q
			}
			start = i + 1
		}
	}
	return out
}

// expandAt returns the full form of the contraction at toks[i] in the
// case it is written in, or "".
func expandAt(toks []lexicon.Token, i int, question bool) string {
	t := toks[i]
	full, ok := contractions[strings.ToLower(strings.ReplaceAll(t.Text, "’", "'"))]
	if !ok || question || i+1 >= len(toks) || !toks[i+1].Joined {
		return ""
	}
	next := toks[i+1]
	if next.Kind != lexicon.Word && strings.HasSuffix(full, " not") {
		return "" // "…, isn't it" and the like
	}
	if strings.HasSuffix(t.Text, "s") && !strings.HasSuffix(t.Text, "n't") && !strings.HasSuffix(t.Text, "n’t") {
		// 's may be "has": "it's been", "it's finished the".
		if next.Kind != lexicon.Word || mayFollowHas(strings.ToLower(next.Text)) {
			return ""
		}
	}
	if clausePronouns[strings.ToLower(next.Text)] || next.Text == "there" {
		return "" // an inverted tag: "don't you"
	}
	return matchCase(full, t.Text)
}

// mayFollowHas reports whether a word may be a participle after "has".
func mayFollowHas(w string) bool {
	return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "en") || participles[w]
}

var participles = set("been got gotten had done made gone seen sent told found put set run come become begun taken given held kept left lost meant met paid read said sold spent stood understood won written")

// contractAt returns how many tokens from toks[i] form a full form that
// may contract, and the contraction in the case written, or 0 and "". The
// full form must be followed by a word: "Yes, I am." cannot become "Yes,
// I'm."
func contractAt(toks []lexicon.Token, i int, apostrophe string) (int, string) {
	t := toks[i]
	lw := strings.ToLower(t.Text)
	if lw == "cannot" {
		if i+1 < len(toks) && toks[i+1].Joined && toks[i+1].Kind == lexicon.Word {
			return 1, matchCase(strings.ReplaceAll("can't", "'", apostrophe), t.Text)
		}
		return 0, ""
	}
	if i+2 >= len(toks) || !toks[i+1].Joined || !toks[i+2].Joined || toks[i+2].Kind != lexicon.Word {
		return 0, ""
	}
	second := toks[i+1]
	if second.Kind != lexicon.Word || !isLowerWord(second.Text) {
		return 0, ""
	}
	c, ok := expansions[lw+" "+second.Text]
	if !ok || lw == "i" && t.Text != "I" {
		return 0, ""
	}
	if second.Text == "will" && strings.EqualFold(toks[i+2].Text, "not") || toks[i+2].Text == "to" {
		return 0, "" // "we'll not" is not idiomatic ("will not" contracts as "won't"); "it's to leak" reads badly
	}
	if strings.HasPrefix(c, "it's") || strings.HasPrefix(c, "there's") {
		// "it is" before a participle may be a passive ("it is done"),
		// which contracts as well, but "it's" before "been" cannot
		// stand for "it is".
		if participles[strings.ToLower(toks[i+2].Text)] {
			return 0, ""
		}
	}
	return 2, matchCase(strings.ReplaceAll(c, "'", apostrophe), t.Text)
}

// matchCase writes s (lower case) in the case of like: capitalised if like
// is, and "I" always capital.
func matchCase(s, like string) string {
	if s == "i am" || strings.HasPrefix(s, "i ") || strings.HasPrefix(s, "i'") || strings.HasPrefix(s, "i’") {
		s = "I" + s[1:]
	}
	if isCapWord(like) {
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}
