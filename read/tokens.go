package read

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/prose"
	"github.com/telltale-dev/telltale/zerowidth"
)

// token is a word or number of a text, normalized for comparison: lower
// case, curly apostrophes straightened, inner hyphens kept.
type token struct {
	norm       string
	start, end int // bytes in the text
}

// tokenize splits text into word and number tokens; punctuation and
// whitespace separate them and are not tokens. Zero-width characters are
// ignored.
func tokenize(text string) []token {
	var toks []token
	for t := range tokenRules.Tokens(text) {
		toks = append(toks, token{norm: normalize(text[t.Start:t.End]), start: t.Start, end: t.End})
	}
	return toks
}

// tokenRules split text as the reader compares it: words of letters and
// digits, with inner apostrophes and hyphens ("well-known", not "60-90"),
// digits joined at commas and points ("1,250", "3,4"), and zero-width
// characters and soft hyphens inside a word ignored.
var tokenRules = prose.Rules{Hyphens: true, Invisible: true}

// normalize returns a token's text in lower case, with curly apostrophes
// straightened and zero-width characters and soft hyphens dropped.
func normalize(s string) string {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] < utf8.RuneSelf && !('A' <= s[i] && s[i] <= 'Z')
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case zerowidth.IsZeroWidth(r) || r == '\u00AD':
		case r == '’':
			b.WriteByte('\'')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// collapse normalizes whitespace for comparing a gap: every run of
// whitespace (including line breaks from reflowing) becomes one space;
// zero-width characters and soft hyphens are dropped; curly apostrophes
// are straightened (the tokens already treat them as one).
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case zerowidth.IsZeroWidth(r) || r == '\u00AD':
			continue
		case unicode.IsSpace(r) || r == '\u00A0':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r == '’' {
			r = '\''
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// editDistance is the Levenshtein distance between two strings, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// stopwords are too common to identify a passage.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but of to in on at by for with from as is are was were be been being it its this that these those
		will would shall should can could may might must has have had do does did not no than then there their they them we our us you your he she his her
		i me my which who whom whose what when where while if so such also all any each every both some more most other into over under about after before
		up down out off per via upon within without during including including between among through`) {
		stopwords[w] = true
	}
}
