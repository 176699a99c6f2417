package fingerprint

import (
	"fmt"
	"math"
	"math/bits"
)

// # Decoding
//
// An observation says, for each slot, which symbols are consistent with the
// leaked text: a bit mask over the slot's symbols. A slot that was not seen
// has every bit set (erased). The observation must be read without looking
// at any codeword; then an innocent recipient's symbol in slot j lies in the
// observed set with probability P_j = Σ_{y∈Y_j} p_j[y], independently of
// every other slot, and any score that adds a per-slot value a_j for a
// match and −b_j for a mismatch is, for an innocent, a sum of independent
// two-point variables. Its upper tail is bounded by Chernoff:
//
//	P(S ≥ s) ≤ exp(min_{λ≥0} Σ_j ln(P_j e^{λ a_j} + (1−P_j) e^{−λ b_j}) − λ s)
//
// The minimum is found by bisection on the derivative. No Gaussian
// approximation is used anywhere: it understates the tail.

// Mask is the set of symbols consistent with what was read in one slot.
type Mask uint32

// All returns the mask of every symbol of a slot with q symbols: nothing
// was learned.
func All(q int) Mask { return Mask(1)<<uint(q) - 1 }

// Has reports whether symbol s is in the mask.
func (m Mask) Has(s uint8) bool { return m>>s&1 == 1 }

// Count returns the number of symbols in the mask.
func (m Mask) Count() int { return bits.OnesCount32(uint32(m)) }

// Evidence is an observation prepared for scoring: the informative slots,
// their masks, and the probability P_j that an innocent matches each.
type Evidence struct {
	Slots []int     // indices of informative slots, increasing
	Masks []Mask    // observed set of each
	P     []float64 // innocent match probability of each
}

// NewEvidence keeps the slots whose mask is informative: not empty and not
// every symbol.
func NewEvidence(biases [][]float64, masks []Mask) (*Evidence, error) {
	if len(masks) != len(biases) {
		return nil, fmt.Errorf("observation has %d slots, biases %d", len(masks), len(biases))
	}
	e := &Evidence{}
	for j, m := range masks {
		q := len(biases[j])
		m &= All(q)
		if m == 0 || m == All(q) {
			continue
		}
		p := 0.0
		for s := 0; s < q; s++ {
			if m.Has(uint8(s)) {
				p += biases[j][s]
			}
		}
		if p <= 0 || p >= 1 {
			continue
		}
		e.Slots = append(e.Slots, j)
		e.Masks = append(e.Masks, m)
		e.P = append(e.P, p)
	}
	return e, nil
}

// Matches returns, for a codeword, which informative slots it matches.
func (e *Evidence) Matches(cw Codeword) []bool {
	out := make([]bool, len(e.Slots))
	for i, j := range e.Slots {
		out[i] = e.Masks[i].Has(cw[j])
	}
	return out
}

// Decoder is a per-recipient score.
type Decoder struct {
	// Name identifies the decoder in verdicts: "exact", "tardos",
	// "interleave-3".
	Name string
	kind decoderKind
	c    int
}

type decoderKind uint8

const (
	kindExact decoderKind = iota
	kindTardos
	kindInterleave
)

var (
	// Exact is the log-likelihood score of a single leaker read without
	// error: −ln P_j for a match; a mismatch rules the recipient out.
	// With uniform biases it accuses after log_q(n/ε) matching slots, the
	// fewest possible.
	Exact = Decoder{Name: "exact", kind: kindExact}
	// Tardos is the symmetric q-ary Tardos score: +√((1−P)/P) for a
	// match, −√(P/(1−P)) for a mismatch. It tolerates misreads and
	// collusion.
	Tardos = Decoder{Name: "tardos", kind: kindTardos}
)

// Interleave returns the log-likelihood score against a coalition of c
// recipients mixing their copies slot by slot:
// ln(([x∈Y] + (c−1)P) / (cP)).
func Interleave(c int) Decoder {
	return Decoder{Name: fmt.Sprintf("interleave-%d", c), kind: kindInterleave, c: c}
}

// weights returns the match value a and the mismatch penalty b (the score
// adds −b) for a slot whose innocent match probability is p. b is +Inf when
// a mismatch rules a recipient out.
func (d Decoder) weights(p float64) (a, b float64) {
	switch d.kind {
	case kindExact:
		return -math.Log(p), math.Inf(1)
	case kindTardos:
		return math.Sqrt((1 - p) / p), math.Sqrt(p / (1 - p))
	default:
		c := float64(d.c)
		return math.Log((1 + (c-1)*p) / (c * p)), math.Log(c / (c - 1))
	}
}

// Scorer scores codewords against one piece of evidence with one decoder.
type Scorer struct {
	Decoder Decoder
	ev      *Evidence
	a, b    []float64
	// table[i*32+s] is the value slot i adds for symbol s.
	table []float64
}

// Scorer prepares a decoder for this evidence.
func (e *Evidence) Scorer(d Decoder) *Scorer {
	s := &Scorer{Decoder: d, ev: e, a: make([]float64, len(e.P)), b: make([]float64, len(e.P)), table: make([]float64, 32*len(e.P))}
	for i, p := range e.P {
		s.a[i], s.b[i] = d.weights(p)
		for sym := 0; sym < 32; sym++ {
			if e.Masks[i].Has(uint8(sym)) {
				s.table[i*32+sym] = s.a[i]
			} else {
				s.table[i*32+sym] = -s.b[i]
			}
		}
	}
	return s
}

// Score returns a codeword's score; −Inf if the decoder rules it out.
func (s *Scorer) Score(cw Codeword) float64 {
	sum := 0.0
	for i, j := range s.ev.Slots {
		sum += s.table[i*32+int(cw[j])]
	}
	return sum
}

// ScoreGathered scores a codeword already restricted to the evidence's
// slots (sub[i] is the symbol in slot Slots[i]). It is the fast path for
// scoring many recipients.
func (s *Scorer) ScoreGathered(sub []uint8) float64 {
	sum := 0.0
	t := s.table
	for i, x := range sub {
		sum += t[i*32+int(x)]
	}
	return sum
}

// Max returns the largest score any codeword can reach.
func (s *Scorer) Max() float64 {
	sum := 0.0
	for _, a := range s.a {
		sum += a
	}
	return sum
}

// LogBound returns the natural log of the Chernoff bound on the probability
// that an innocent recipient scores at least score.
func (s *Scorer) LogBound(score float64) float64 {
	return logChernoff(s.ev.P, s.a, s.b, score)
}

// Bound returns the Chernoff bound on P(S_innocent ≥ score).
func (s *Scorer) Bound(score float64) float64 { return math.Exp(s.LogBound(score)) }

// Threshold returns the smallest score whose bound is at most p, or +Inf
// if no score can reach it.
func (s *Scorer) Threshold(p float64) float64 {
	return threshold(s.ev.P, s.a, s.b, math.Log(p))
}

// logChernoff computes min_{λ≥0} Σ ln(P e^{λa} + (1−P) e^{−λb}) − λs for
// independent two-point variables (a with probability P, −b otherwise).
func logChernoff(P, a, b []float64, s float64) float64 {
	if len(P) == 0 {
		if s <= 0 {
			return 0
		}
		return math.Inf(-1)
	}
	// f(λ) = Σ g_j(λ) − λ s with g_j(λ) = λ a_j + ln(P_j + (1−P_j) e^{−λ(a_j+b_j)}),
	// written so that large λ cannot overflow.
	f := func(l float64) float64 {
		if l == 0 {
			return 0
		}
		sum := -l * s
		for j := range P {
			sum += l*a[j] + math.Log(P[j]+(1-P[j])*expNeg(l*(a[j]+b[j])))
		}
		return sum
	}
	// f'(λ) = Σ [a_j − w_j (1−P_j)e^{−λw_j}/(P_j+(1−P_j)e^{−λw_j})] − s with
	// w_j = a_j + b_j, increasing in λ (f is convex). An infinite penalty
	// makes the mean −∞ at λ = 0 and contributes a_j for any λ > 0.
	df := func(l float64) float64 {
		sum := -s
		for j := range P {
			w := a[j] + b[j]
			if math.IsInf(w, 1) {
				if l == 0 {
					return math.Inf(-1)
				}
				sum += a[j]
				continue
			}
			e := (1 - P[j]) * math.Exp(-l*w)
			sum += a[j] - w*e/(P[j]+e)
		}
		return sum
	}
	// At and beyond the maximum score the infimum is the limit λ → ∞:
	// Σ ln P_j (every slot matches) at the maximum, −∞ above it.
	maxScore, allMatch := 0.0, 0.0
	for j := range P {
		maxScore += a[j]
		allMatch += math.Log(P[j])
	}
	tol := 1e-9 * (1 + math.Abs(maxScore))
	switch {
	case s > maxScore+tol:
		return math.Inf(-1)
	case s >= maxScore-tol:
		return allMatch
	}
	if df(0) >= 0 {
		return 0 // s at or below the innocent mean: the bound is trivial
	}
	hi := 1.0
	for df(hi) < 0 {
		hi *= 2
		if hi > 1e15 {
			return allMatch
		}
	}
	lo := 0.0
	for i := 0; i < 100 && hi-lo > 1e-12*hi; i++ {
		mid := (lo + hi) / 2
		if df(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	// No bound on P(S ≥ s) for s ≤ max can be below P(S = max).
	return math.Max(math.Min(f(lo), f(hi)), allMatch)
}

func expNeg(x float64) float64 {
	if math.IsInf(x, 1) {
		return 0
	}
	return math.Exp(-x)
}

// threshold finds the smallest s with logChernoff(s) ≤ logp by bisection
// on s between the innocent mean and the maximum score.
func threshold(P, a, b []float64, logp float64) float64 {
	max := 0.0
	for _, v := range a {
		max += v
	}
	if logChernoff(P, a, b, max) > logp {
		return math.Inf(1)
	}
	mean := 0.0
	for j := range P {
		if math.IsInf(b[j], 1) {
			// A mismatch rules a codeword out: every finite score is
			// the maximum, reached with probability Π P_j.
			return max
		}
		mean += P[j]*a[j] - (1-P[j])*b[j]
	}
	lo := math.Min(mean, max)
	hi := max
	for i := 0; i < 200 && hi-lo > 1e-9*(1+math.Abs(hi)); i++ {
		mid := (lo + hi) / 2
		if logChernoff(P, a, b, mid) <= logp {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// PairScorer prepares the 2-coalition decoder: the log-likelihood that a
// pair {u, v} mixed their copies slot by slot, with a misread allowance rho
// that keeps scores finite. To accuse v, the pair's score is bounded given
// u's codeword: if v is innocent, v's symbols are independent of the
// observation and of u's, so the score is again a sum of independent
// two-point variables.
func (e *Evidence) PairScorer(rho float64) *PairScorer {
	return &PairScorer{ev: e, rho: rho}
}

// PairScorer scores pairs of codewords as a 2-coalition.
type PairScorer struct {
	ev  *Evidence
	rho float64
}

// g returns the per-slot pair log-likelihood ratio for slot i when u and v
// match (mu, mv).
func (ps *PairScorer) g(i int, mu, mv bool) float64 {
	p := ps.ev.P[i]
	k := 0.0
	if mu {
		k++
	}
	if mv {
		k++
	}
	return math.Log(((1-ps.rho)*k/2 + ps.rho*p) / p)
}

// Score returns the pair score of two codewords.
func (ps *PairScorer) Score(u, v Codeword) float64 {
	sum := 0.0
	for i, j := range ps.ev.Slots {
		sum += ps.g(i, ps.ev.Masks[i].Has(u[j]), ps.ev.Masks[i].Has(v[j]))
	}
	return sum
}

// LogBoundGiven returns the log Chernoff bound on the pair score reaching
// score when the second member is innocent and the first has codeword u.
func (ps *PairScorer) LogBoundGiven(u Codeword, score float64) float64 {
	n := len(ps.ev.Slots)
	a, b := make([]float64, n), make([]float64, n)
	for i, j := range ps.ev.Slots {
		mu := ps.ev.Masks[i].Has(u[j])
		a[i] = ps.g(i, mu, true)
		b[i] = -ps.g(i, mu, false)
	}
	// A two-point variable needs a > −b; when u matches and the slot is
	// certain, both values may coincide, which contributes a constant.
	return logChernoff(ps.ev.P, a, b, score)
}
