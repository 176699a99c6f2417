package fingerprint

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// tailTable holds the exact distribution of an innocent's score on a
// small evidence set, enumerated outcome by outcome.
type tailTable struct {
	scores []float64 // every distinct outcome's score, ascending
	suffix []float64 // suffix[i]: the probability of scores[i:]
}

// newTailTable enumerates every innocent outcome of a small evidence set.
func newTailTable(sc *Scorer) *tailTable {
	m := len(sc.ev.P)
	type outcome struct{ score, prob float64 }
	outcomes := make([]outcome, 0, 1<<m)
	for mask := 0; mask < 1<<m; mask++ {
		prob, score := 1.0, 0.0
		for i := 0; i < m; i++ {
			if mask>>i&1 == 1 {
				prob *= sc.ev.P[i]
				score += sc.a[i]
			} else {
				prob *= 1 - sc.ev.P[i]
				score -= sc.b[i]
			}
		}
		outcomes = append(outcomes, outcome{score, prob})
	}
	return sortedTail(func(yield func(score, prob float64)) {
		for _, o := range outcomes {
			yield(o.score, o.prob)
		}
	})
}

// sortedTail builds a tail table from (score, probability) pairs.
func sortedTail(pairs func(yield func(score, prob float64))) *tailTable {
	var tt tailTable
	var probs []float64
	pairs(func(score, prob float64) {
		tt.scores = append(tt.scores, score)
		probs = append(probs, prob)
	})
	idx := make([]int, len(tt.scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(tt.scores[a], tt.scores[b]) })
	sorted := make([]float64, len(idx))
	tt.suffix = make([]float64, len(idx)+1)
	for k := len(idx) - 1; k >= 0; k-- {
		sorted[k] = tt.scores[idx[k]]
		tt.suffix[k] = tt.suffix[k+1] + probs[idx[k]]
	}
	tt.scores = sorted
	return &tt
}

// tail returns P(S ≥ s) exactly (up to 1e-12 in s).
func (tt *tailTable) tail(s float64) float64 {
	i, _ := slices.BinarySearch(tt.scores, s-1e-12)
	return tt.suffix[i]
}

func randomEvidence(rng *rand.Rand, m int) *Evidence {
	biases := make([][]float64, m)
	masks := make([]Mask, m)
	for j := range biases {
		q := 2 + rng.IntN(3)
		b := make([]float64, q)
		sum := 0.0
		for s := range b {
			b[s] = 0.05 + rng.Float64()
			sum += b[s]
		}
		for s := range b {
			b[s] /= sum
		}
		biases[j] = b
		masks[j] = Mask(1) << uint(rng.IntN(q))
		if rng.IntN(4) == 0 && q > 2 {
			masks[j] |= Mask(1) << uint(rng.IntN(q))
		}
	}
	e, _ := NewEvidence(biases, masks)
	return e
}

// TestBoundDominatesExactTail: the Chernoff bound is never below the exact
// tail probability, for every decoder, over many random small problems.
func TestBoundDominatesExactTail(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	problems := make([]*Evidence, 300)
	for trial := range problems {
		problems[trial] = randomEvidence(rng, 4+rng.IntN(10))
	}
	for _, d := range []Decoder{Exact, Tardos, Interleave(2), Interleave(3)} {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			for _, e := range problems {
				sc := e.Scorer(d)
				tails := newTailTable(sc)
				max := sc.Max()
				for k := 0; k <= 20; k++ {
					s := max * float64(k) / 20
					if d.kind == kindTardos || d.kind == kindInterleave {
						s = -max + 2*max*float64(k)/20
					}
					exact := tails.tail(s)
					bound := sc.Bound(s)
					if bound < exact*(1-1e-9) {
						t.Fatalf("%s: bound %g below exact tail %g at s=%g (m=%d)", d.Name, bound, exact, s, len(e.P))
					}
					if bound > 1+1e-12 || math.IsNaN(bound) {
						t.Fatalf("%s: bound %g", d.Name, bound)
					}
				}
			}
		})
	}
}

// TestExactDecoder: with the exact decoder the bound at the maximum is
// exactly Π P_j, and the threshold is the maximum once Π P_j ≤ p.
func TestExactDecoder(t *testing.T) {
	t.Parallel()
	biases := [][]float64{{0.5, 0.5}, {0.25, 0.25, 0.25, 0.25}, {0.5, 0.5}}
	e, _ := NewEvidence(biases, []Mask{1, 4, 2})
	sc := e.Scorer(Exact)
	if got, want := sc.Bound(sc.Max()), 0.5*0.25*0.5; math.Abs(got-want) > 1e-9 {
		t.Errorf("bound at max = %g, want %g", got, want)
	}
	if th := sc.Threshold(0.1); th != sc.Max() {
		t.Errorf("threshold(0.1) = %g, want the max %g", th, sc.Max())
	}
	if th := sc.Threshold(0.01); !math.IsInf(th, 1) {
		t.Errorf("threshold(0.01) = %g, want +Inf (unreachable)", th)
	}
	if s := sc.Score(Codeword{0, 2, 1}); s != sc.Max() {
		t.Errorf("matching codeword scores %g", s)
	}
	if s := sc.Score(Codeword{1, 2, 1}); !math.IsInf(s, -1) {
		t.Errorf("mismatching codeword scores %g, want -Inf", s)
	}
}

// TestEmpiricalTail: over 100,000 innocent codewords drawn from the biases,
// the fraction scoring at least the threshold for p never exceeds p (plus
// sampling slack), for several p, but is not far below it.
func TestEmpiricalTail(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	m := 60
	biases := Biases(Key{9}, func() []int {
		q := make([]int, m)
		for i := range q {
			q[i] = 2 + i%3
		}
		return q
	}(), DefaultDesign)
	masks := make([]Mask, m)
	for j := range masks {
		masks[j] = Mask(1) << uint(rng.IntN(len(biases[j])))
	}
	e, _ := NewEvidence(biases, masks)
	const trials = 100000
	innocents := make([]Codeword, trials)
	for k := range innocents {
		var key Key
		key[0], key[1], key[2], key[3] = byte(k), byte(k>>8), byte(k>>16), 77
		innocents[k] = NewCodeword(key, biases)
	}
	for _, d := range []Decoder{Tardos, Interleave(2), Interleave(3)} {
		sc := e.Scorer(d)
		levels := []float64{1e-1, 1e-2, 1e-3}
		ths := make([]float64, len(levels))
		for i, p := range levels {
			ths[i] = sc.Threshold(p)
		}
		hits := make([]int, len(levels))
		for _, cw := range innocents {
			s := sc.Score(cw)
			for i, th := range ths {
				if s >= th {
					hits[i]++
				}
			}
		}
		for i, p := range levels {
			freq := float64(hits[i]) / trials
			slack := 4 * math.Sqrt(p/trials)
			if freq > p+slack {
				t.Errorf("%s: %.5f of innocents reach the threshold for p=%g", d.Name, freq, p)
			}
		}
		// Nor is the threshold needlessly high: about one innocent in a
		// hundred reaches the one for p = 0.1. Fewer than one in a
		// thousand would mean the bound had become useless.
		if freq := float64(hits[0]) / trials; freq < levels[0]/100 {
			t.Errorf("%s: only %.5f of innocents reach the threshold for p=%g: the threshold is far too high", d.Name, freq, levels[0])
		}
	}
}

// TestPairBound: the conditional pair bound dominates the exact tail over
// an innocent second member.
func TestPairBound(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 3))
	type problem struct {
		e *Evidence
		u Codeword
	}
	problems := make([]problem, 100)
	for trial := range problems {
		e := randomEvidence(rng, 4+rng.IntN(8))
		u := make(Codeword, 32)
		for i := range u {
			u[i] = uint8(rng.IntN(2))
		}
		problems[trial] = problem{e, u}
	}
	for part := range 4 {
		t.Run(fmt.Sprintf("trials %d-%d", part*25, part*25+24), func(t *testing.T) {
			t.Parallel()
			for _, pr := range problems[part*25 : part*25+25] {
				checkPairBound(t, pr.e, pr.u)
			}
		})
	}
}

// checkPairBound enumerates every outcome of an innocent second member v
// and checks that the pair bound given u dominates the exact tail.
func checkPairBound(t *testing.T, e *Evidence, u Codeword) {
	t.Helper()
	ps := e.PairScorer(0.02)
	m := len(e.Slots)
	scores := map[float64]float64{}
	for mask := 0; mask < 1<<m; mask++ {
		prob, score := 1.0, 0.0
		for i, j := range e.Slots {
			mv := mask>>i&1 == 1
			if mv {
				prob *= e.P[i]
			} else {
				prob *= 1 - e.P[i]
			}
			score += ps.g(i, e.Masks[i].Has(u[j]), mv)
		}
		scores[score] += prob
	}
	tails := sortedTail(func(yield func(score, prob float64)) {
		for s, p := range scores {
			yield(s, p)
		}
	})
	for _, s := range tails.scores {
		tail := tails.tail(s)
		if b := math.Exp(ps.LogBoundGiven(u, s)); b < tail*(1-1e-9) {
			t.Fatalf("pair bound %g below exact tail %g", b, tail)
		}
	}
}

func TestEvidenceSkipsUninformative(t *testing.T) {
	t.Parallel()
	biases := [][]float64{{0.5, 0.5}, {0.3, 0.7}, {0.2, 0.3, 0.5}}
	e, err := NewEvidence(biases, []Mask{3, 0, 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Slots) != 1 || e.Slots[0] != 2 || math.Abs(e.P[0]-0.3) > 1e-12 {
		t.Errorf("evidence = %+v, want only slot 2 with P=0.3", e)
	}
	if _, err := NewEvidence(biases, []Mask{1}); err == nil {
		t.Error("short observation accepted")
	}
}
