package lexicon

import (
	"strings"
	"testing"
	"unicode"
)

const testData = `
# quantities
approximately | about | roughly          @ next=NUM
begin/begins/began/begun/beginning | start/starts/started/started/starting
in order to | =to
prior to | =before                        @ next=DET
in addition | additionally                @ start next=,
`

func mustParse(t *testing.T, s string) *Lexicon {
	t.Helper()
	l, err := Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestMatchAt(t *testing.T) {
	l := mustParse(t, testData)
	tests := []struct {
		text string
		want string // alternatives joined by |, "" for no match at the first word found
		at   string // the word to try
	}{
		{"We need about 140 deputies.", "about|approximately|roughly", "about"},
		{"About 140 deputies will come.", "About|Approximately|Roughly", "About"},
		{"We talked about the plan.", "", "about"},
		{"ABOUT 140 deputies", "", "ABOUT"},
		{"Operations began at dawn.", "began|started", "began"},
		{"Operations started at dawn.", "", "started"}, // past or participle: ambiguous
		{"Operations begin at dawn.", "begin|start", "begin"},
		{"We left in order to rest.", "in order to|to", "in"},
		{"We left in order\nto rest.", "in order to|to", "in"},
		{"We left in order\n\nto rest.", "", "in"},
		{"Prior to the raid, we met.", "Prior to|Before", "Prior"},
		{"Prior to 5 p.m. we met.", "", "Prior"},
		{"In addition, we met.", "In addition|Additionally", "In"},
		{"We met, in addition, twice.", "", "in"},
		{"The Begin Street office.", "", "Begin"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			toks := Tokenize(tt.text, nil)
			i := -1
			for k, tok := range toks {
				if tok.Text == tt.at {
					i = k
					break
				}
			}
			if i < 0 {
				t.Fatalf("token %q not found", tt.at)
			}
			m, ok := l.MatchAt(toks, i)
			got := ""
			if ok {
				got = strings.Join(m.Alternatives, "|")
			}
			if got != tt.want {
				t.Errorf("MatchAt(%q) = %q, want %q", tt.at, got, tt.want)
			}
		})
	}
}

func TestTokenizeBreaks(t *testing.T) {
	text := "prior to the"
	toks := Tokenize(text, []int{5})
	if toks[1].Joined {
		t.Errorf("token after a markup break must not be joined: %+v", toks)
	}
	if !toks[2].Joined {
		t.Errorf("plain space must join: %+v", toks)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ data, want string }{
		{"a | b/c", "has 2 forms"},
		{"alone", "at least two members"},
		{"=a | =b", "replacement-only"},
		{"a | b @ next=FOO", "unknown class"},
		{"a | b @ after=x", "unknown condition"},
		{"a | B", "lower case"},
		{"a | b\nb | c", "already matched"},
		{"a | | b", "empty member"},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want it to mention %q", tt.data, err, tt.want)
		}
	}
}

// TestDefault checks the reviewed lexicon: it parses (no word matchable in
// two sets), is large enough, and every form round-trips case.
func TestDefault(t *testing.T) {
	l := Default()
	if len(l.Sets) < 150 {
		t.Errorf("lexicon has %d sets, want at least 150", len(l.Sets))
	}
	for _, s := range l.Sets {
		for _, m := range s.Members {
			for _, f := range m.Forms {
				for _, c := range []textCase{caseLower, caseTitle, caseUpper} {
					cased := applyCase(f, c)
					if strings.ToLower(cased) != f {
						t.Errorf("line %d: %q does not round-trip case %d (%q)", s.Line, f, c, cased)
					}
					if c == caseTitle && caseOf(strings.Fields(cased)[0]) != caseTitle && unicode.IsLetter([]rune(f)[0]) {
						t.Errorf("line %d: %q title-cased to %q, which does not read as title case", s.Line, f, cased)
					}
				}
			}
		}
	}
}

func TestSpellingRule(t *testing.T) {
	l := mustParse(t, "among | amongst @ uk\ntoward | towards @ us\n")
	toks := Tokenize("It was among them, toward the end.", nil)
	for _, tt := range []struct {
		at       int
		spelling Spelling
		want     bool
	}{
		{2, British, true}, {2, American, false}, {2, UnknownSpelling, false},
		{5, American, true}, {5, British, false}, {5, UnknownSpelling, false},
	} {
		if _, ok := l.MatchIn(toks, tt.at, tt.spelling); ok != tt.want {
			t.Errorf("MatchIn(%q, %v) = %v, want %v", toks[tt.at].Text, tt.spelling, ok, tt.want)
		}
	}
}

func TestSpellingCounter(t *testing.T) {
	for _, tt := range []struct {
		text string
		want Spelling
	}{
		{"The labour market organisation", British},
		{"The labor market organization", American},
		{"They organize the centre", British},
		{"They organize it", American},
		{"Growth of 5 per cent", British},
		{"Growth of 5 percent", American},
		{"The plan", UnknownSpelling},
	} {
		var c SpellingCounter
		for _, w := range strings.Fields(tt.text) {
			c.Add(w)
		}
		if got := c.Spelling(); got != tt.want {
			t.Errorf("%q: %v, want %v", tt.text, got, tt.want)
		}
	}
}
