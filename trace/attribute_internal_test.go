package trace

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/fingerprint"
)

// TestAttributeMatchesReference: the fast path (screening split across
// workers, findings kept only where there is evidence) decides exactly
// what the plain single-pass rule decides, finding for finding, whatever
// the number of workers: on leaks of one copy, of pairs, misread, with
// slot classes, and with scores tied everywhere (few slots, many
// recipients).
func TestAttributeMatchesReference(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 3))
	for trial := range 60 {
		n := []int{1, 2, 3, 40, 500, 3000, 9000}[trial%7]
		m := []int{0, 3, 12, 60, 300}[trial%5]
		q := 2 + trial%3
		withClasses := trial%2 == 1
		design := fingerprint.Design{Coalition: 1 + 2*(trial%2), Version: 2}
		arities := make([]int, m)
		for j := range arities {
			arities[j] = q
			if j%7 == 0 {
				arities[j] = 5
			}
		}
		biases := fingerprint.Biases(fingerprint.Key{byte(trial)}, arities, design)
		codewords := make([]fingerprint.Codeword, n)
		for i := range codewords {
			codewords[i] = fingerprint.NewCodeword(fingerprint.Key{byte(trial), byte(i), byte(i >> 8)}, biases)
		}
		// The leak: one copy, or two interleaved, with some slots
		// erased and some misread.
		masks := make([]fingerprint.Mask, m)
		a, b := rng.IntN(n), rng.IntN(n)
		for j := range masks {
			src := a
			if trial%3 == 2 && j%2 == 1 {
				src = b
			}
			switch r := rng.Float64(); {
			case r < 0.2:
				masks[j] = fingerprint.All(arities[j])
			case r < 0.25:
				masks[j] = 1 << rng.IntN(arities[j])
			default:
				masks[j] = 1 << codewords[src][j]
			}
		}
		ev, err := fingerprint.NewEvidence(biases, masks)
		if err != nil {
			t.Fatal(err)
		}
		p := Params{Epsilon: 1e-3}
		if withClasses {
			p.Classes = make([]uint8, m)
			for j := range p.Classes {
				p.Classes[j] = uint8(j % int(classes))
			}
		}
		want := fmt.Sprintf("%+v", refAttribute(ev, codewords, p))
		for _, workers := range []int{1, 2, 3, 8} {
			p.Workers = workers
			if got := fmt.Sprintf("%+v", Attribute(ev, codewords, p)); got != want {
				t.Fatalf("trial %d (n=%d m=%d q=%d classes=%v), %d workers:\ngot  %s\nwant %s", trial, n, m, q, withClasses, workers, got, want)
			}
		}
	}
}
