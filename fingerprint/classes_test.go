package fingerprint

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestScoreEachIsScoreInto: scoring codewords side by side gives every
// codeword exactly the values scoring it alone does, for any number of
// codewords and decoders.
func TestScoreEachIsScoreInto(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for trial := range 20 {
		e := randomEvidence(rng, 1+rng.IntN(300))
		m := e.Slots[len(e.Slots)-1] + 1
		class := make([]uint8, m)
		for j := range class {
			class[j] = uint8(rng.IntN(4))
		}
		decoders := []Decoder{Tardos, Interleave(3)}
		if trial%3 == 2 {
			decoders = []Decoder{Tardos, Interleave(2), Interleave(3)}
		}
		cs := e.ClassScorer(class, 4, decoders...)
		cws := make([]Codeword, rng.IntN(11))
		for i := range cws {
			cws[i] = make(Codeword, m)
			for j := range cws[i] {
				cws[i][j] = uint8(rng.IntN(4))
			}
		}
		n := 4 * cs.Width()
		got := make([]float32, len(cws)*n)
		cs.ScoreEach(cws, got)
		want := make([]float32, n)
		for i, cw := range cws {
			cs.ScoreInto(cw, want)
			for k, v := range want {
				if math.Float32bits(got[i*n+k]) != math.Float32bits(v) {
					t.Fatalf("trial %d, codeword %d of %d, value %d: ScoreEach %g, ScoreInto %g", trial, i, len(cws), k, got[i*n+k], v)
				}
			}
		}
	}
}

// TestPairScoreFormula: the pair scorer's table holds the log-likelihood
// ratio of its definition, ln(((1−ρ)k/2 + ρP)/P) for k members matching.
func TestPairScoreFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 1))
	e := randomEvidence(rng, 50)
	const rho = 0.02
	ps := e.PairScorer(rho)
	u, v := make(Codeword, 50), make(Codeword, 50)
	for j := range u {
		u[j], v[j] = uint8(rng.IntN(3)), uint8(rng.IntN(3))
	}
	want := 0.0
	for i, j := range e.Slots {
		k := 0.0
		for _, cw := range []Codeword{u, v} {
			if e.Masks[i].Has(cw[j]) {
				k++
			}
		}
		want += math.Log(((1-rho)*k/2 + rho*e.P[i]) / e.P[i])
	}
	if got := ps.Score(u, v); got != want {
		t.Errorf("pair score %v, want %v", got, want)
	}
}
