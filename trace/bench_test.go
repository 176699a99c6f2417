package trace_test

import (
	"math/rand/v2"
	"testing"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/internal/cputime"
	"github.com/telltale-dev/telltale/trace"
)

// BenchmarkAttribute scores and bounds n recipients over m observed binary
// slots with every decoder, pairs included. cpu-s/op is the CPU time of
// every core per attribution.
func BenchmarkAttribute(b *testing.B) {
	for _, tc := range []struct {
		name    string
		n, m    int
		classes bool // slots in four classes, decoded on every subset
	}{
		{"n=1000/m=1000", 1000, 1000, false},
		{"n=1e6/m=1000", 1000000, 1000, false},
		{"n=1000/m=1000/classes", 1000, 1000, true},
		{"n=1e6/m=1000/classes", 1000000, 1000, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			arities := make([]int, tc.m)
			for i := range arities {
				arities[i] = 2
			}
			biases := fingerprint.Biases(fingerprint.Key{3}, arities, fingerprint.DefaultDesign)
			// Symbols follow the biases, as real codewords do (the bound
			// assumes it); a fast generator stands in for the PRF.
			data := make([]byte, tc.n*tc.m)
			for i := range data {
				if rng.Float64() < biases[i%tc.m][1] {
					data[i] = 1
				}
			}
			codewords := make([]fingerprint.Codeword, tc.n)
			for i := range codewords {
				codewords[i] = data[i*tc.m : (i+1)*tc.m]
			}
			masks := make([]fingerprint.Mask, tc.m)
			for j := range masks {
				masks[j] = 1 << codewords[7][j] // recipient 7 leaked
			}
			ev, _ := fingerprint.NewEvidence(biases, masks)
			var classes []uint8
			if tc.classes {
				// A plan's mix: a few declared and order slots, most of
				// them word and style slots.
				classes = make([]uint8, tc.m)
				for j := range classes {
					switch {
					case j%20 == 0:
						classes[j] = trace.ClassDeclared
					case j%20 == 1:
						classes[j] = trace.ClassOrder
					case j%2 == 0:
						classes[j] = trace.ClassLexical
					default:
						classes[j] = trace.ClassTypographic
					}
				}
			}
			b.ResetTimer()
			cpu := cputime.Used()
			for b.Loop() {
				at := trace.Attribute(ev, codewords, trace.Params{Epsilon: 1e-6, Classes: classes})
				if len(at.Accused) != 1 || at.Accused[0].Index != 7 {
					b.Fatalf("accused %+v", at.Accused)
				}
			}
			b.ReportMetric((cputime.Used()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
