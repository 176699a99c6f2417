package sim

import (
	"fmt"
	"math"
)

// A Proportion is K successes in N independent trials.
type Proportion struct{ K, N int }

// Rate is K/N (0 for no trials).
func (p Proportion) Rate() float64 {
	if p.N == 0 {
		return 0
	}
	return float64(p.K) / float64(p.N)
}

// z95 is the standard normal quantile of a two-sided 95 % interval.
const z95 = 1.959963984540054

// Wilson returns the 95 % Wilson score interval of the rate: each end is
// a one-sided 97.5 % bound. With no trials it is [0, 1].
func (p Proportion) Wilson() (lo, hi float64) {
	if p.N == 0 {
		return 0, 1
	}
	n := float64(p.N)
	r := p.Rate()
	z2 := z95 * z95
	center := (r + z2/(2*n)) / (1 + z2/n)
	half := z95 / (1 + z2/n) * math.Sqrt(r*(1-r)/n+z2/(4*n*n))
	return max(0, center-half), min(1, center+half)
}

// Lower is the lower end of the 95 % Wilson interval.
func (p Proportion) Lower() float64 {
	lo, _ := p.Wilson()
	return lo
}

// Add returns the sum of two counts.
func (p Proportion) Add(q Proportion) Proportion { return Proportion{p.K + q.K, p.N + q.N} }

// String formats the rate as a percentage with its 95 % interval:
// "99.6 % (99.0–99.8 %)".
func (p Proportion) String() string {
	lo, hi := p.Wilson()
	return fmt.Sprintf("%.1f %% (%.1f–%.1f %%)", 100*p.Rate(), 100*lo, 100*hi)
}

// MinTrials is the fewest trials whose 95 % Wilson interval, with every
// trial a success, can show a rate of at least target.
func MinTrials(target float64) int {
	// All successes: the lower end is N/(N+z²).
	return int(math.Floor(z95*z95*target/(1-target))) + 1
}
