package leaktest

import (
	"testing"

	"github.com/telltale-dev/telltale/lexicon"
)

func TestHouseStyle(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"Teams meet at 5:30 AM and 6:00 p.m.", "Teams meet at 5:30 a.m. and 6 p.m."},
		{"Houston, Galveston, and Beaumont", "Houston, Galveston and Beaumont"},
		{"seven teams in 2400 homes", "7 teams in 2,400 homes"},
		{"In 2026 the rate rose 4.5% and 3 per cent", "In 2026 the rate rose 4.5 percent and 3 percent"},
		{"on 8 March 2026 — 5–7 days", "on March 8, 2026 — 5 to 7 days"},
		{"“Quoted”—here", `"Quoted" — here`},
	} {
		if got := HouseStyle(tt.in); got != tt.want {
			t.Errorf("HouseStyle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRevertSynonyms(t *testing.T) {
	t.Parallel()
	lex := lexicon.Default()
	// Copies that chose different members revert to the same text.
	a := RevertSynonyms("We will begin prior to the review, in order to notify each team.", lex)
	b := RevertSynonyms("We will commence before the review, so as to inform every team.", lex)
	if a != b {
		t.Errorf("reverted copies differ:\n%s\n%s", a, b)
	}
	if a == "We will begin prior to the review, in order to notify each team." {
		t.Errorf("nothing reverted: %s", a)
	}
}
