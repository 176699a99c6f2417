package disclose

import (
	"testing"
)

// shared returns the weight of the heaviest feature a version's text and an
// article's text share, and whether it is approximate.
func shared(doc, art string) (float32, bool, bool) {
	tz := tokenizer{bg: DefaultBackground()}
	var d, a view
	tz.analyze(doc, &d, true)
	tz.analyze(art, &a, false)
	keys := map[uint64]feature{}
	for _, f := range a.feats {
		if f.kind != fName && f.kind != fWord && f.kind != fValue {
			keys[f.key] = f
		}
	}
	var best float32
	found, approx := false, false
	for _, f := range d.feats {
		if af, ok := keys[f.key]; ok && af.kind == f.kind {
			if w := min(f.w, af.w); !found || w > best {
				best, found, approx = w, true, f.prec > 0 || af.prec > 0
			}
		}
	}
	return best, found, approx
}

// TestFactsAsFacts: reporters' restatements of a document's facts share a
// feature with it; other figures do not.
func TestFactsAsFacts(t *testing.T) {
	for _, tc := range []struct {
		doc, art string
		approx   bool
	}{
		{"approximately 2,000 family units", "2,000 families", false},
		{"approximately 2,000 family units", "2,000 households", false},
		{"approximately 2,000 family units", "nearly 2,000 families", false},
		{"10 cities", "ten cities", false},
		{"in ten cities, so that", "10 cities", false},
		{"312 outstanding felony warrants", "more than 300 warrants", true},
		{"312 outstanding felony warrants", "about 310 warrants", true},
		{"312 outstanding felony warrants", "300-plus warrants", true},
		{"the number of warrants is 312", "around 300 warrants", true},
		{"140 deputies, officers, and special agents", "roughly 140 police officers", false},
		{"140 deputies, officers, and special agents", "about 140 federal agents", false},
		{"budget of $1,250,000", "$1.25 million", false},
		{"budget of $1,250,000", "1.25 million dollars", false},
		{"budget of $1,250,000", "a $1.25m budget", false},
		{"continue for 72 hours", "three days", false},
		{"a 72-hour evacuation window", "72 hours", false},
		{"a day-and-a-half window", "36 hours of work", false},
		{"two dozen arrest teams", "24 teams", false},
		{"on Sunday, March 8, 2026", "March 8", false},
		{"on Sunday, March 8, 2026", "8 March", false},
		{"on Sunday, March 8, 2026", "Mar. 8", false},
		{"on Sunday, March 8, 2026", "this Sunday the 8th", false},
		{"Thursday 14 November 2024", "Nov. 14", false},
		{"will begin at 5:30 a.m. on", "at 5:30 in the morning", false},
		{"will begin at 5:30 a.m. on", "before dawn", true},
		{"will begin at 5:30 a.m. on", "early-morning raids", true},
		{"From 18:00: change freeze", "from 6pm", false},
		{"From 18:00: change freeze", "at 6 p.m.", false},
		{"reports by 1800Z daily", "by 18:00 GMT", false},
		{"arrive at 7:30 a.m.", "arrive at 7.30am", false},
		{"all by midday", "by 12 p.m.", false},
		{"41% increase", "41 per cent", false},
	} {
		_, ok, approx := shared(tc.doc, tc.art)
		if !ok || approx != tc.approx {
			t.Errorf("%q ↔ %q: shared %v approximate %v, want shared, approximate %v", tc.doc, tc.art, ok, approx, tc.approx)
		}
	}
	for _, tc := range []struct{ doc, art string }{
		{"312 outstanding felony warrants", "300 officers"},
		{"a 72-hour evacuation window", "three evacuations"},
		{"Thursday 14 November 2024", "14 novels"},
		{"the 2023 ransomware attack", "2023 attacks"},
		{"140 deputies", "150 deputies"},
		{"budget of $1,250,000", "$1.35 million"},
		{"at 5:30 a.m.", "at 5:30 p.m."},
		{"continue for 72 hours", "72 officers"},
	} {
		if _, ok, _ := shared(tc.doc, tc.art); ok {
			t.Errorf("%q ↔ %q share a feature", tc.doc, tc.art)
		}
	}
}
