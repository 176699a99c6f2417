package sim

import (
	"encoding/binary"
	"math"
	"math/rand/v2"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/trace"
)

// TailCheck measures the empirical tail of innocent scores against the
// bound: over trials innocent codewords drawn independently of a fixed
// observation (m slots forged by cfg), the fraction whose score reaches the
// threshold for each level p, per decoder.
//
// With a Layout, the class Edits are applied and every decoder is also
// checked on each pre-registered subset of classes (named
// "decoder/subset").
func TailCheck(cfg Config, m, trials int, levels []float64, seed uint64) map[string][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	arities, classes := cfg.arities(m)
	var bk fingerprint.Key
	binary.BigEndian.PutUint64(bk[:], seed)
	biases := fingerprint.SlotBiases(bk, arities, robust(classes), cfg.Design)
	coalition := make([]fingerprint.Codeword, cfg.C)
	for i := range coalition {
		var k fingerprint.Key
		binary.BigEndian.PutUint64(k[8:], uint64(i))
		k[30] = 9
		coalition[i] = fingerprint.NewCodeword(k, biases)
	}
	masks := Forge(cfg.Attack, coalition, arities, rng)
	cfg.edit(masks, arities, classes, rng)
	full, _ := fingerprint.NewEvidence(biases, masks)
	decoders := cfg.Decoders
	if decoders == nil {
		decoders = trace.DefaultDecoders
	}
	type view struct {
		suffix string
		ev     *fingerprint.Evidence
	}
	views := []view{{"", full}}
	if classes != nil {
		for _, sub := range trace.DefaultSubsets[1:] {
			rev := full.Restrict(func(j int) bool { return sub.Classes>>classes[j]&1 == 1 })
			if len(rev.Slots) > 0 {
				views = append(views, view{"/" + sub.Name, rev})
			}
		}
	}
	out := map[string][]float64{}
	innocents := make([]fingerprint.Codeword, trials)
	for t := range innocents {
		var k fingerprint.Key
		binary.BigEndian.PutUint64(k[:], uint64(t))
		binary.BigEndian.PutUint64(k[8:], seed)
		k[31] = 3
		innocents[t] = fingerprint.NewCodeword(k, biases)
	}
	for _, vw := range views {
		for _, d := range decoders {
			out[d.Name+vw.suffix] = tail(vw.ev.Scorer(d), innocents, levels)
		}
	}
	return out
}

// tail returns, for each level p, the fraction of the codewords whose
// score reaches the threshold for p.
func tail(sc *fingerprint.Scorer, codewords []fingerprint.Codeword, levels []float64) []float64 {
	ths := make([]float64, len(levels))
	for i, p := range levels {
		ths[i] = sc.Threshold(p)
	}
	hits := make([]int, len(levels))
	for _, cw := range codewords {
		s := sc.Score(cw)
		for i, th := range ths {
			if s >= th && !math.IsInf(th, 1) {
				hits[i]++
			}
		}
	}
	freq := make([]float64, len(levels))
	for i := range hits {
		freq[i] = float64(hits[i]) / float64(len(codewords))
	}
	return freq
}
