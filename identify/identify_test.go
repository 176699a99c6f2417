package identify

import (
	"strings"
	"testing"
)

func words(s string) []string { return strings.Fields(strings.ToLower(s)) }

const (
	planText = `the task force will serve outstanding felony warrants across eight cities during a single enforcement window with priority given to subjects wanted for homicide aggravated assault armed robbery and offenses against children while the logistics section reserves vehicles`
	memoText = `northgate logistics recommends that the board authorize a definitive offer to acquire halvorsen cold chain for cash representing a premium over the volume weighted average share price financed with committed term loans`
)

func TestIdentify(t *testing.T) {
	ix := NewIndex([]byte("k"))
	ix.Add(Text{ID: 1, Label: "plan", Words: words(planText)})
	ix.Add(Text{ID: 2, Label: "memo", Words: words(memoText)})
	if ix.Len() != 2 {
		t.Fatalf("Len = %d", ix.Len())
	}
	excerpt := words(planText)[5:25]
	m := ix.Identify(excerpt, 2)
	if len(m) == 0 || m[0].ID != 1 || !m[0].Confident() {
		t.Fatalf("excerpt identified as %+v", m)
	}
	if m[0].Overlap < 0.5 {
		t.Errorf("verbatim excerpt overlap %.2f", m[0].Overlap)
	}
	// An unrelated text is not confidently anything.
	other := words("the city council voted on tuesday to extend the library opening hours on weekends after a petition")
	for _, m := range ix.Identify(other, 2) {
		if m.Confident() {
			t.Errorf("unrelated text confidently matched %s: %+v", m.Label, m)
		}
	}
	if got := NewIndex(nil).Identify(excerpt, 1); got != nil {
		t.Errorf("empty index matched %+v", got)
	}
}

// TestFixedWordsOnly: shingles that cross slot words are not indexed, so
// copies that differ in those words identify equally well.
func TestFixedWordsOnly(t *testing.T) {
	w := words("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa")
	fixed := make([]bool, len(w))
	for i := range fixed {
		fixed[i] = i%5 != 2 // every fifth word varies
	}
	ix := NewIndex([]byte("k"))
	ix.Add(Text{ID: 7, Words: w, Fixed: fixed})
	copyWords := append([]string(nil), w...)
	for i := range copyWords {
		if !fixed[i] {
			copyWords[i] = "variant"
		}
	}
	a, b := ix.Identify(w, 1), ix.Identify(copyWords, 1)
	if len(a) == 0 || len(b) == 0 || a[0].Shingles != b[0].Shingles {
		t.Errorf("canonical %+v vs copy %+v: slot words changed the shingle hits", a, b)
	}
}
