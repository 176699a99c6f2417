package prose

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// show renders tokens as their texts, numbers marked # and punctuation
// marked ~.
func show(text string, r Rules) string {
	var out []string
	for t := range r.Tokens(text) {
		s := text[t.Start:t.End]
		switch t.Kind {
		case Number:
			s = "#" + s
		case Punct:
			s = "~" + s
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// The rules telltale's callers use, for realistic combinations.
var (
	lexiconRules = Rules{Numbers: true, Marks: true, Punct: true, Hyphens: true, Colons: true}
	readerRules  = Rules{Hyphens: true, Invisible: true}
	matcherRules = Rules{Colons: true, Thousands: true}
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		rules Rules
		text  string
		want  string
	}{
		// The zero rules: letters and digits, inner apostrophes, digits
		// joined at commas and points.
		{Rules{}, "Don't stop", "Don't stop"},
		{Rules{}, "Halvorsen’s plan, the 90's", "Halvorsen’s plan the 90's"},
		{Rules{}, "rock 'n' roll, word' 'tis", "rock n roll word tis"},
		{Rules{}, "well-known 60-90", "well known 60 90"},
		{Rules{}, "$1,250,000 and 48.50, 3,4 or 5:30.", "1,250,000 and 48.50 3,4 or 5 30"},
		{Rules{}, "covid19 3rd l'été", "covid19 3rd l'été"},
		{Rules{}, "it'— x", "it x"},           // an apostrophe before a dash is a quote
		{Rules{}, "it'\u00a0x", "it x"},       // or before a no-break space
		{Rules{}, "cafe\u0301 ok", "cafe ok"}, // a combining mark ends a word
		{Rules{}, "a\u200bb", "a b"},
		{Rules{}, "end. Next", "end Next"},
		{Rules{}, "", ""},
		{Rules{}, " \t\n", ""},
		{Rules{}, "x,1 1,x 1.", "x 1 1 x 1"},
		// Hyphens join letters only.
		{Rules{Hyphens: true}, "well-known 60-90 covid-19 x-ray -a a- a--b", "well-known 60 90 covid 19 x-ray a a a b"},
		// Colons and thousands.
		{Rules{Colons: true, Thousands: true}, "5:30 3,4 1,250 12,345,6 1,2345 1,25", "5:30 3 4 1,250 12,345 6 1 2345 1 25"},
		{Rules{Thousands: true}, "1,250.75 1,000,000", "1,250.75 1,000,000"},
		// Invisible characters inside a token are skipped, not ends.
		{Rules{Invisible: true}, "foo\u200bbar soft\u00adware \u200bword", "foo\u200bbar soft\u00adware word"},
		{Rules{Invisible: true}, "don\u00ad't 1\u200b,5", "don\u00ad t 1\u200b 5"},
		// Numbers, punctuation and marks, as the lexicon reads a source.
		{lexiconRules, "About $1,250 at 5:30, it's the 3rd.", "About #$1,250 at #5:30 ~, it's the #3 rd ~."},
		{lexiconRules, "$.50 or $ 5 €12 ١٢", "#$.50 or #$ #5 #€12 #١٢"},
		{lexiconRules, "re\u0301sume\u0301 co-op \u0301x", "re\u0301sume\u0301 co-op ~\u0301 x"},
		{lexiconRules, "90's O'Neil", "#90 ~' s O'Neil"},
		{lexiconRules, "a\u200bb", "a ~\u200b b"},
		// As the reader and the matcher read.
		{readerRules, "The well-known 1,250-page plan's 5:30", "The well-known 1,250 page plan's 5 30"},
		{matcherRules, "Multi-agency 1,250-page plan’s 5:30 a.m.", "Multi agency 1,250 page plan’s 5:30 a m"},
	} {
		if got := show(tc.text, tc.rules); got != tc.want {
			t.Errorf("%+v %q:\n got %q\nwant %q", tc.rules, tc.text, got, tc.want)
		}
	}
}

func TestNext(t *testing.T) {
	text := "<!-- 12 --> Sunday, 5:30"
	var got []string
	for i := 0; ; {
		tok, ok := matcherRules.Next(text, i)
		if !ok {
			if tok.Start != len(text) || tok.End != len(text) {
				t.Errorf("no token: %+v, want the end of the text", tok)
			}
			break
		}
		got = append(got, fmt.Sprintf("%d:%s", tok.Start, text[tok.Start:tok.End]))
		i = tok.End
	}
	if want := []string{"5:12", "12:Sunday", "20:5:30"}; !slices.Equal(got, want) {
		t.Errorf("Next: %q, want %q", got, want)
	}
	for _, tc := range []struct {
		rules Rules
		at    int
		want  string // "" for no token
	}{
		{matcherRules, 0, ""}, {matcherRules, 5, "12"}, {matcherRules, 11, ""}, {matcherRules, 20, "5:30"},
		{matcherRules, len(text), ""}, {lexiconRules, 0, "<"}, {lexiconRules, 11, ""}, {lexiconRules, 18, ","},
	} {
		got := ""
		if tok, ok := tc.rules.At(text, tc.at); ok {
			got = text[tok.Start:tok.End]
		}
		if got != tc.want {
			t.Errorf("%+v At(%d) = %q, want %q", tc.rules, tc.at, got, tc.want)
		}
	}
}

func TestNumberWords(t *testing.T) {
	for _, tc := range []struct {
		word  string
		value float64
		ok    bool
	}{
		{"one", 1, true}, {"eight", 8, true}, {"seventeen", 17, true}, {"ninety", 90, true},
		{"dozen", 12, true}, {"hundred", 100, true},
		{"Eight", 0, false}, {"zero", 0, false}, {"thousand", 0, false}, {"twenty-one", 0, false},
		{"on", 0, false}, {"ones", 0, false}, {"", 0, false},
	} {
		if v, ok := NumberWord(tc.word); v != tc.value || ok != tc.ok {
			t.Errorf("NumberWord(%q) = %v, %v; want %v, %v", tc.word, v, ok, tc.value, tc.ok)
		}
	}
	for w, want := range map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 0, "hundred": 0} {
		if v, _ := ScaleWord(w); v != want {
			t.Errorf("ScaleWord(%q) = %v, want %v", w, v, want)
		}
	}
	for w, want := range map[string]float64{"bn": 1e9, "mn": 1e6, "m": 1e6, "million": 0, "k": 0} {
		if v, _ := Abbreviation(w); v != want {
			t.Errorf("Abbreviation(%q) = %v, want %v", w, v, want)
		}
	}
	// The shortcut in NumberWord agrees with the table.
	for w, v := range numbers {
		if got, ok := NumberWord(w); !ok || got != v {
			t.Errorf("NumberWord(%q) = %v, %v; want %v", w, got, ok, v)
		}
	}
}

// checkTokens checks what holds of every tokenization: tokens are non-empty
// spans of whole characters (of valid UTF-8), in order; what lies between them starts no
// token (and, with Punct, is white space); a token never starts or ends with
// a joining character; and a token read alone is that one token.
func checkTokens(t *testing.T, text string, r Rules) {
	t.Helper()
	valid := utf8.ValidString(text)
	last := 0
	for tok := range r.Tokens(text) {
		s := text[tok.Start:tok.End]
		switch {
		case tok.Start < last || tok.End <= tok.Start || tok.End > len(text):
			t.Fatalf("%+v: token %+v after offset %d in %d bytes", r, tok, last, len(text))
		case valid && (!utf8.RuneStart(text[tok.Start]) || tok.End < len(text) && !utf8.RuneStart(text[tok.End])):
			t.Fatalf("%+v: token %+v splits a character of %q", r, tok, text)
		case tok.Kind == Number && !r.Numbers || tok.Kind == Punct && !r.Punct:
			t.Fatalf("%+v: token %q of kind %d", r, s, tok.Kind)
		}
		for _, c := range text[last:tok.Start] {
			if _, ok := r.start(c); ok || r.Punct && !isSpace(c) {
				t.Fatalf("%+v: %q between tokens in %q", r, c, text)
			}
		}
		if tok.Kind != Punct {
			first, _ := utf8.DecodeRuneInString(s)
			lastRune, _ := utf8.DecodeLastRuneInString(s)
			if k, ok := r.start(first); !ok || k != tok.Kind {
				t.Fatalf("%+v: token %q starts with %q", r, s, first)
			}
			if strings.ContainsRune("'’-,.:", lastRune) {
				t.Fatalf("%+v: token %q ends with %q", r, s, lastRune)
			}
		}
		if at, ok := r.At(text, tok.Start); !ok || at != tok {
			t.Fatalf("%+v: At(%d) = %+v, %v; want %+v", r, tok.Start, at, ok, tok)
		}
		var alone []Token
		for a := range r.Tokens(s) {
			alone = append(alone, a)
		}
		if len(alone) != 1 || alone[0] != (Token{0, len(s), tok.Kind}) {
			t.Fatalf("%+v: token %q alone reads as %+v", r, s, alone)
		}
		last = tok.End
	}
	for _, c := range text[last:] {
		if _, ok := r.start(c); ok || r.Punct && !isSpace(c) {
			t.Fatalf("%+v: %q after the last token of %q", r, c, text)
		}
	}
}

// rulesOf makes one of the 128 combinations of rules from seven bits.
func rulesOf(bits uint8) Rules {
	return Rules{
		Numbers: bits&1 != 0, Marks: bits&2 != 0, Punct: bits&4 != 0, Hyphens: bits&8 != 0,
		Colons: bits&16 != 0, Thousands: bits&32 != 0, Invisible: bits&64 != 0,
	}
}

var seeds = []string{
	"Don't stop: $1,250,000 at 5:30 a.m. on March 8 — the 3rd well-known 60-90 plan’s co-op.",
	"re\u0301sume\u0301 foo\u200bbar soft\u00adware €12 ١٢,٣٤ 1,2345 12,345,6 x'\u00a0y '' -- ,, ..",
	"\xff\xfe broken \xe2\x80 utf-8 $ $. $.5 5: :5 a' 'a a- -a",
}

func TestTokenProperties(t *testing.T) {
	for bits := range 128 {
		for _, s := range seeds {
			checkTokens(t, s, rulesOf(uint8(bits)))
		}
	}
}

// FuzzTokens checks the properties of checkTokens for any text and rules.
func FuzzTokens(f *testing.F) {
	for i, s := range seeds {
		f.Add(s, uint8(i*37))
	}
	f.Fuzz(func(t *testing.T, text string, bits uint8) {
		checkTokens(t, text, rulesOf(bits&127))
	})
}
