package fingerprint

import (
	"math/rand/v2"
	"testing"

	"github.com/telltale-dev/telltale/internal/cputime"
)

// BenchmarkClassScorer scores 10,240 codewords of 1,000 binary slots in
// four classes with two fused decoders, as trace screens recipients: one
// at a time (ScoreInto) and side by side (ScoreEach).
func BenchmarkClassScorer(b *testing.B) {
	const n, m = 10240, 1000
	rng := rand.New(rand.NewPCG(1, 2))
	arities := make([]int, m)
	class := make([]uint8, m)
	masks := make([]Mask, m)
	for j := range arities {
		arities[j] = 2
		class[j] = uint8(j % 4)
		masks[j] = 1 << rng.IntN(2)
	}
	biases := Biases(Key{3}, arities, DefaultDesign)
	ev, _ := NewEvidence(biases, masks)
	cs := ev.ClassScorer(class, 4, Tardos, Interleave(3))
	data := make([]byte, n*m)
	for i := range data {
		data[i] = byte(rng.IntN(2))
	}
	cws := make([]Codeword, n)
	for i := range cws {
		cws[i] = data[i*m : (i+1)*m]
	}
	out := make([]float32, 64*4*cs.Width())
	b.Run("one", func(b *testing.B) {
		c0 := cputime.Used()
		for b.Loop() {
			for _, cw := range cws {
				cs.ScoreInto(cw, out)
			}
		}
		b.ReportMetric(float64((cputime.Used()-c0).Nanoseconds())/float64(b.N)/(n*m), "cpu-ns/slot")
	})
	b.Run("each", func(b *testing.B) {
		c0 := cputime.Used()
		for b.Loop() {
			for i := 0; i+64 <= n; i += 64 {
				cs.ScoreEach(cws[i:i+64], out)
			}
		}
		b.ReportMetric(float64((cputime.Used()-c0).Nanoseconds())/float64(b.N)/(n*m), "cpu-ns/slot")
	})
}
