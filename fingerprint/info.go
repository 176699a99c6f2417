package fingerprint

import (
	"math"
	"sync"
)

var infoCache sync.Map // infoKey → float64

type infoKey struct {
	d      Design
	q      int
	robust bool
}

// ExpectedInformation returns the expected evidence, in nats, that one
// observed slot with q symbols gives against an innocent recipient when a
// single leaker's copy is read exactly: the expected entropy of the slot's
// bias vector under the design. It depends only on the design, not on any
// secret.
func ExpectedInformation(d Design, q int) float64 {
	return SlotInformation(d, q, false)
}

// SlotInformation is ExpectedInformation for a slot that may be robust
// (see SlotBiases).
func SlotInformation(d Design, q int, robust bool) float64 {
	key := infoKey{d, q, robust && d.Version >= 2}
	if v, ok := infoCache.Load(key); ok {
		return v.(float64)
	}
	var h float64
	switch {
	case q < 2:
		h = 0
	case d.Uniform(robust):
		h = math.Log(float64(q))
	default:
		// Average over many slots of a fixed public key: a deterministic
		// Monte Carlo estimate of the design's expected entropy.
		const n = 4000
		arities := make([]int, n)
		for i := range arities {
			arities[i] = q
		}
		for _, b := range Biases(Key{}, arities, d) {
			h += entropy(b)
		}
		h /= n
	}
	infoCache.Store(key, h)
	return h
}

func entropy(p []float64) float64 {
	h := 0.0
	for _, x := range p {
		if x > 0 {
			h -= x * math.Log(x)
		}
	}
	return h
}
