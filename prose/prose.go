// Package prose splits English prose into words, numbers and punctuation,
// and reads the words for numbers. It is telltale's one tokenizer: the
// lexicon (finding word sets in a source), the reader (aligning a leak with
// a template) and the disclosure matcher (comparing news with protected
// versions) all call it.
//
// A [Rules] value says how characters join into tokens; each caller keeps
// the rules its comparisons were built on. [Rules.Tokens] iterates over the
// tokens of a text; [Rules.Next] finds the one at or after an offset and
// [Rules.At] the one at an offset, for callers that look at what lies
// between tokens. Tokens are byte spans of the
// text, never copies: callers normalize them (case, apostrophes) as their
// comparisons need.
//
// The zero Rules make words of letters and digits ("covid19", "3rd",
// "1,250", "48.50"), join them at an inner apostrophe ("don't", "90's") and
// join digits at an inner comma or point; everything else separates tokens.
//
// [NumberWord], [ScaleWord] and [Abbreviation] read the words for numbers
// ("eight", "dozen", "million", "bn").
package prose

import (
	"iter"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/zerowidth"
)

// Kind says what a token is.
type Kind uint8

const (
	// Word is letters (and digits, unless Rules.Numbers) with inner
	// apostrophes, and hyphens if Rules.Hyphens.
	Word Kind = iota
	// Number is a digit or currency sign followed by digits with inner
	// separators; only with Rules.Numbers.
	Number
	// Punct is any other single character except white space; only with
	// Rules.Punct.
	Punct
)

// Token is a span [Start, End) of bytes of a text.
type Token struct {
	Start, End int
	Kind       Kind
}

// Rules say how text splits into tokens. The zero value is described in
// the package documentation; each field adds to it.
type Rules struct {
	// Numbers makes numbers tokens of their own (Kind Number): a digit or a
	// currency sign, then digits with inner separators ("$1,250", "5:30").
	// Words are then letters only: "3rd" is a number and a word.
	Numbers bool
	// Marks keeps combining marks (Unicode Mn) in a word, so that
	// decomposed accents do not split it.
	Marks bool
	// Punct makes every other character except white space a token of its
	// own (Kind Punct); without it such characters only separate tokens.
	Punct bool
	// Hyphens joins words at a hyphen between letters ("well-known", but
	// not "60-90" or "covid-19").
	Hyphens bool
	// Colons joins digits at a colon as at a comma or point ("5:30").
	Colons bool
	// Thousands joins digits at a comma only before a group of exactly
	// three digits: "1,250" is one number, "3,4" two.
	Thousands bool
	// Invisible skips zero-width characters (zerowidth.IsZeroWidth) and
	// soft hyphens inside a token: they lie in its span but do not end it.
	Invisible bool
}

// Tokens returns the tokens of text in order.
func (r Rules) Tokens(text string) iter.Seq[Token] {
	return func(yield func(Token) bool) {
		for i := 0; ; {
			t, ok := r.Next(text, i)
			if !ok || !yield(t) {
				return
			}
			i = t.End
		}
	}
}

// Next returns the first token that starts at or after byte offset i, or
// false if there is none. Offset i must not fall inside a token.
func (r Rules) Next(text string, i int) (Token, bool) {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf && !startsASCII[c] {
			// ASCII white space, punctuation and symbols, inline.
			if r.Punct && !isSpace(rune(c)) {
				return Token{Start: i, End: i + 1, Kind: Punct}, true
			}
			i++
			continue
		}
		if t, ok := r.at(text, i); ok {
			return t, true
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return Token{Start: len(text), End: len(text)}, false
}

// At returns the token that starts at byte offset i, or false if none does
// (i is at white space, at a character that only separates tokens, or at
// the end). Offset i must not fall inside a token.
func (r Rules) At(text string, i int) (Token, bool) {
	if i >= len(text) || text[i] < utf8.RuneSelf && !r.Punct && !startsASCII[text[i]] {
		return Token{}, false
	}
	return r.at(text, i)
}

// at returns the token that starts at i, if one does.
func (r Rules) at(text string, i int) (Token, bool) {
	c, size := rune(text[i]), 1
	if c >= utf8.RuneSelf {
		c, size = utf8.DecodeRuneInString(text[i:])
	}
	if kind, ok := r.start(c); ok {
		return Token{Start: i, End: r.end(text, i+size, c, kind), Kind: kind}, true
	}
	if r.Punct && !isSpace(c) {
		return Token{Start: i, End: i + size, Kind: Punct}, true
	}
	return Token{}, false
}

// start reports whether c starts a token, and of what kind.
func (r Rules) start(c rune) (Kind, bool) {
	if c < utf8.RuneSelf {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			return Word, true
		case '0' <= c && c <= '9' && r.Numbers, c == '$' && r.Numbers:
			return Number, true
		case '0' <= c && c <= '9':
			return Word, true
		}
		return 0, false
	}
	switch {
	case isLetter(c):
		return Word, true
	case isDigit(c):
		if r.Numbers {
			return Number, true
		}
		return Word, true
	case r.Numbers && isCurrency(c):
		return Number, true
	}
	return 0, false
}

// end returns the end of the token of the given kind whose first character,
// first, ends at j.
func (r Rules) end(text string, j int, first rune, kind Kind) int {
	// prev is the last character taken, or -1 after an invisible one:
	// separators join only what is visibly joined.
	prev := first
	letters := kind == Word
	digits := kind == Number || !r.Numbers
	for j < len(text) {
		c, size := rune(text[j]), 1
		if c < utf8.RuneSelf {
			// ASCII, inline: most of any text.
			switch {
			case letters && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') || digits && '0' <= c && c <= '9':
			case !isJoiner(c) || !r.joins(text, j, 1, c, prev, kind):
				return j
			}
			j++
			prev = c
			continue
		}
		c, size = utf8.DecodeRuneInString(text[j:])
		switch {
		case r.continues(c, kind):
		case r.Invisible && (c == softHyphen || zerowidth.IsZeroWidth(c)):
			j += size
			prev = -1
			continue
		case !r.joins(text, j, size, c, prev, kind):
			return j
		}
		j += size
		prev = c
	}
	return j
}

// continues reports whether c goes on a token of the given kind.
func (r Rules) continues(c rune, kind Kind) bool {
	if kind == Number {
		return isDigit(c)
	}
	return isLetter(c) || !r.Numbers && isDigit(c) || r.Marks && c >= utf8.RuneSelf && unicode.Is(unicode.Mn, c)
}

// joins reports whether the character c at j (size bytes), after prev,
// joins what comes before and after it into one token.
func (r Rules) joins(text string, j, size int, c, prev rune, kind Kind) bool {
	if prev < 0 || j+size >= len(text) {
		return false
	}
	switch c {
	case '\'', '’':
		// "don't", "Halvorsen’s", "90's"
		if kind != Word {
			return false
		}
		next, _ := utf8.DecodeRuneInString(text[j+size:])
		k, ok := r.start(next)
		return ok && k == Word
	case '-':
		// "well-known", not "60-90"
		if !r.Hyphens || kind != Word || !(isLetter(prev) || unicode.Is(unicode.Mn, prev)) {
			return false
		}
		next, _ := utf8.DecodeRuneInString(text[j+size:])
		return isLetter(next)
	case ':':
		if !r.Colons {
			return false
		}
		fallthrough
	case ',', '.':
		// "1,250", "48.50", "5:30"; after a number's currency sign too
		// ("$.50").
		if !(isDigit(prev) || kind == Number && isCurrency(prev)) || !isASCIIDigit(text[j+1]) {
			return false
		}
		return c != ',' || !r.Thousands || thousands(text[j+1:])
	}
	return false
}

// startsASCII marks the ASCII characters that may start a token other than
// punctuation: letters, digits and the dollar sign.
var startsASCII = func() (starts [utf8.RuneSelf]bool) {
	for c := range starts {
		starts[c] = isLetter(rune(c)) || isDigit(rune(c)) || isCurrency(rune(c))
	}
	return starts
}()

// isJoiner reports whether an ASCII character may join the parts of a
// token.
func isJoiner(c rune) bool {
	return c == '\'' || c == '-' || c == ',' || c == '.' || c == ':'
}

// thousands reports whether s starts with a group of exactly three digits.
func thousands(s string) bool {
	return len(s) >= 3 && isASCIIDigit(s[0]) && isASCIIDigit(s[1]) && isASCIIDigit(s[2]) && (len(s) == 3 || !isASCIIDigit(s[3]))
}

const softHyphen = '\u00AD'

func isLetter(c rune) bool {
	if c < utf8.RuneSelf {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	return unicode.IsLetter(c)
}

func isDigit(c rune) bool {
	if c < utf8.RuneSelf {
		return '0' <= c && c <= '9'
	}
	return unicode.IsDigit(c)
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

func isCurrency(c rune) bool {
	if c < utf8.RuneSelf {
		return c == '$'
	}
	return unicode.Is(unicode.Sc, c)
}

func isSpace(c rune) bool {
	if c < utf8.RuneSelf {
		return c == ' ' || '\t' <= c && c <= '\r'
	}
	return unicode.IsSpace(c)
}
