package fingerprint

import (
	"math"
	"math/rand/v2"
	"testing"
)

// exactTail enumerates every innocent outcome of a small evidence set and
// returns P(S ≥ s) exactly.
func exactTail(sc *Scorer, s float64) float64 {
	m := len(sc.ev.P)
	total := 0.0
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
		if score >= s-1e-12 {
			total += prob
		}
	}
	return total
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
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 300; trial++ {
		e := randomEvidence(rng, 4+rng.IntN(10))
		for _, d := range []Decoder{Exact, Tardos, Interleave(2), Interleave(3)} {
			sc := e.Scorer(d)
			max := sc.Max()
			for k := 0; k <= 20; k++ {
				s := max * float64(k) / 20
				if d.kind == kindTardos || d.kind == kindInterleave {
					s = -max + 2*max*float64(k)/20
				}
				exact := exactTail(sc, s)
				bound := sc.Bound(s)
				if bound < exact*(1-1e-9) {
					t.Fatalf("%s: bound %g below exact tail %g at s=%g (m=%d)", d.Name, bound, exact, s, len(e.P))
				}
				if bound > 1+1e-12 || math.IsNaN(bound) {
					t.Fatalf("%s: bound %g", d.Name, bound)
				}
			}
		}
	}
}

// TestExactDecoder: with the exact decoder the bound at the maximum is
// exactly Π P_j, and the threshold is the maximum once Π P_j ≤ p.
func TestExactDecoder(t *testing.T) {
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
// sampling slack), for several p.
func TestEmpiricalTail(t *testing.T) {
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
	for _, d := range []Decoder{Tardos, Interleave(2), Interleave(3)} {
		sc := e.Scorer(d)
		levels := []float64{1e-1, 1e-2, 1e-3}
		ths := make([]float64, len(levels))
		for i, p := range levels {
			ths[i] = sc.Threshold(p)
		}
		hits := make([]int, len(levels))
		for k := 0; k < trials; k++ {
			var key Key
			key[0], key[1], key[2], key[3] = byte(k), byte(k>>8), byte(k>>16), 77
			s := sc.Score(NewCodeword(key, biases))
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
	}
}

// TestPairBound: the conditional pair bound dominates the exact tail over
// an innocent second member.
func TestPairBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for trial := 0; trial < 100; trial++ {
		e := randomEvidence(rng, 4+rng.IntN(8))
		ps := e.PairScorer(0.02)
		u := make(Codeword, 32)
		for i := range u {
			u[i] = uint8(rng.IntN(2))
		}
		// Enumerate v's matches.
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
		for s := range scores {
			tail := 0.0
			for s2, p := range scores {
				if s2 >= s-1e-12 {
					tail += p
				}
			}
			if b := math.Exp(ps.LogBoundGiven(u, s)); b < tail*(1-1e-9) {
				t.Fatalf("pair bound %g below exact tail %g", b, tail)
			}
		}
	}
}

func TestEvidenceSkipsUninformative(t *testing.T) {
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
