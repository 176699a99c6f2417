package fingerprint

import (
	"fmt"
	"math"
	"math/bits"
	"sync"
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
	Q     []int     // number of symbols of each
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
		e.Q = append(e.Q, q)
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

// CountMatches returns how many informative slots a codeword matches.
func (e *Evidence) CountMatches(cw Codeword) int {
	n := 0
	for i, j := range e.Slots {
		if e.Masks[i].Has(cw[j]) {
			n++
		}
	}
	return n
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
// Its methods may be called concurrently.
type Scorer struct {
	Decoder Decoder
	ev      *Evidence
	a, b    []float64
	// table[i*32+s] is the value slot i adds for symbol s.
	table []float64
	// grouped is the slots as grouped two-point variables, built on the
	// first bound: every bound of this scorer has the same variables.
	grouped func() *twoPoint
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
	s.grouped = sync.OnceValue(func() *twoPoint { return group(e.P, s.a, s.b) })
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
	return s.grouped().logBound(score)
}

// Bound returns the Chernoff bound on P(S_innocent ≥ score).
func (s *Scorer) Bound(score float64) float64 { return math.Exp(s.LogBound(score)) }

// Threshold returns the smallest score whose bound is at most p, or +Inf
// if no score can reach it.
func (s *Scorer) Threshold(p float64) float64 {
	return s.grouped().threshold(math.Log(p))
}

// twoPoint is a set of independent two-point variables, grouped: count
// variables take value a with probability p and −b otherwise. Grouping
// equal variables makes the bound cost proportional to the number of
// distinct slots, not slots.
type twoPoint struct {
	p, a, b []float64
	count   []float64
	max     float64 // Σ a
	logAll  float64 // Σ ln p: every variable at a
	inf     bool    // some b is +Inf
}

func group(P, a, b []float64) *twoPoint {
	type key struct{ p, a, b float64 }
	idx := map[key]int{}
	t := &twoPoint{}
	for j := range P {
		k := key{P[j], a[j], b[j]}
		i, ok := idx[k]
		if !ok {
			i = len(t.p)
			idx[k] = i
			t.p, t.a, t.b, t.count = append(t.p, P[j]), append(t.a, a[j]), append(t.b, b[j]), append(t.count, 0)
			t.inf = t.inf || math.IsInf(b[j], 1)
		}
		t.count[i]++
		t.max += a[j]
		t.logAll += math.Log(P[j])
	}
	return t
}

// cgf returns K(λ) = Σ ln(p e^{λa} + (1−p) e^{−λb}) and its first and
// second derivatives, written so that large λ cannot overflow.
func (t *twoPoint) cgf(l float64) (k, dk, d2k float64) {
	for i := range t.p {
		p, a, w, c := t.p[i], t.a[i], t.a[i]+t.b[i], t.count[i]
		if math.IsInf(w, 1) {
			k += c * (l*a + math.Log(p))
			dk += c * a
			continue
		}
		e := (1 - p) * math.Exp(-l*w)
		den := p + e
		r := e / den
		k += c * (l*a + math.Log(den))
		dk += c * (a - w*r)
		d2k += c * w * w * r * (1 - r)
	}
	return
}

// lambdaFor returns the λ ≥ 0 where K'(λ) = s (K' increases with λ), by
// Newton's method safeguarded with bisection.
func (t *twoPoint) lambdaFor(s float64) float64 {
	lo, hi := 0.0, 1.0
	for {
		_, dk, _ := t.cgf(hi)
		if dk >= s {
			break
		}
		lo, hi = hi, hi*2
		if hi > 1e15 {
			return hi
		}
	}
	l := (lo + hi) / 2
	for i := 0; i < 100; i++ {
		_, dk, d2k := t.cgf(l)
		if dk < s {
			lo = l
		} else {
			hi = l
		}
		next := l - (dk-s)/d2k
		if d2k <= 0 || math.IsNaN(next) || next <= lo || next >= hi {
			next = (lo + hi) / 2
		}
		if math.Abs(next-l) <= 1e-12*(1+l) {
			return next
		}
		l = next
	}
	return l
}

// logChernoff computes min_{λ≥0} Σ ln(P e^{λa} + (1−P) e^{−λb}) − λs for
// independent two-point variables (a with probability P, −b otherwise).
func logChernoff(P, a, b []float64, s float64) float64 {
	return group(P, a, b).logBound(s)
}

func (t *twoPoint) logBound(s float64) float64 {
	if len(t.p) == 0 {
		if s <= 0 {
			return 0
		}
		return math.Inf(-1)
	}
	// At and beyond the maximum score the infimum is the limit λ → ∞:
	// Σ ln P (every variable matches) at the maximum, −∞ above it.
	tol := 1e-9 * (1 + math.Abs(t.max))
	switch {
	case s > t.max+tol:
		return math.Inf(-1)
	case s >= t.max-tol:
		return t.logAll
	}
	if !t.inf {
		if _, dk0, _ := t.cgf(0); dk0 >= s {
			return 0 // s at or below the innocent mean: the bound is trivial
		}
	}
	l := t.lambdaFor(s)
	k, _, _ := t.cgf(l)
	// No bound on P(S ≥ s) for s ≤ max can be below P(S = max).
	return math.Max(math.Min(k-l*s, 0), t.logAll)
}

// threshold finds the smallest s with logBound(s) ≤ logp. Along the
// optimal λ, both s(λ) = K'(λ) and the bound K(λ) − λK'(λ) are monotone,
// so one bisection over λ suffices.
func (t *twoPoint) threshold(logp float64) float64 {
	if t.logAll > logp {
		return math.Inf(1) // even a codeword matching everything is not enough
	}
	if t.inf {
		// A mismatch rules a codeword out: every finite score is the
		// maximum, reached with probability Π P.
		return t.max
	}
	bound := func(l float64) (float64, float64) {
		k, dk, _ := t.cgf(l)
		return k - l*dk, dk
	}
	lo, hi := 0.0, 1.0
	for {
		lb, _ := bound(hi)
		if lb <= logp {
			break
		}
		lo, hi = hi, hi*2
		if hi > 1e15 {
			return t.max
		}
	}
	for i := 0; i < 200 && hi-lo > 1e-13*hi; i++ {
		mid := (lo + hi) / 2
		if lb, _ := bound(mid); lb <= logp {
			hi = mid
		} else {
			lo = mid
		}
	}
	_, s := bound(hi)
	// Guard the floating-point edge: the returned score must itself
	// satisfy the bound.
	for t.logBound(s) > logp && s < t.max {
		s = math.Nextafter(s, math.Inf(1)) + 1e-12*(1+math.Abs(s))
	}
	return math.Min(s, t.max)
}

// PairScorer prepares the 2-coalition decoder: the log-likelihood that a
// pair {u, v} mixed their copies slot by slot, with a misread allowance rho
// that keeps scores finite. To accuse v, the pair's score is bounded given
// u's codeword: if v is innocent, v's symbols are independent of the
// observation and of u's, so the score is again a sum of independent
// two-point variables.
func (e *Evidence) PairScorer(rho float64) *PairScorer {
	ps := &PairScorer{ev: e, rho: rho, table: make([]float64, 3*len(e.P))}
	for i, p := range e.P {
		for k := range 3 {
			ps.table[3*i+k] = math.Log(((1-rho)*float64(k)/2 + rho*p) / p)
		}
	}
	return ps
}

// PairScorer scores pairs of codewords as a 2-coalition. Its methods may
// be called concurrently.
type PairScorer struct {
	ev  *Evidence
	rho float64
	// table[3*i+k] is slot i's log-likelihood ratio when k members match.
	table []float64
}

// g returns the per-slot pair log-likelihood ratio for slot i when u and v
// match (mu, mv).
func (ps *PairScorer) g(i int, mu, mv bool) float64 {
	return ps.table[3*i+matches(mu)+matches(mv)]
}

func matches(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// Score returns the pair score of two codewords.
func (ps *PairScorer) Score(u, v Codeword) float64 {
	sum := 0.0
	for i, j := range ps.ev.Slots {
		m := ps.ev.Masks[i]
		sum += ps.table[3*i+matches(m.Has(u[j]))+matches(m.Has(v[j]))]
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

// MultiScorer scores codewords with several decoders in one pass: the
// fast path for many recipients. Each slot's per-symbol values for every
// decoder, and whether the symbol matches, sit together in a small table
// that stays in cache.
type MultiScorer struct {
	ev     *Evidence
	k      int // decoders
	w      int // table entry width: k values and the match flag
	stride int // symbols per slot in the table
	table  []float32
	dense  bool // Slots are 0..m-1: no gathering needed
}

// MultiScorer prepares decoders for one pass over many codewords.
func (e *Evidence) MultiScorer(decoders ...Decoder) *MultiScorer {
	stride := 2
	for _, q := range e.Q {
		stride = max(stride, q)
	}
	w := len(decoders) + 1
	ms := &MultiScorer{ev: e, k: len(decoders), w: w, stride: stride, table: make([]float32, len(e.Slots)*stride*w)}
	for d, dec := range decoders {
		sc := e.Scorer(dec)
		for i := range e.Slots {
			for s := 0; s < stride; s++ {
				ms.table[(i*stride+s)*w+d] = float32(sc.table[i*32+s])
			}
		}
	}
	for i := range e.Slots {
		for s := 0; s < stride; s++ {
			if e.Masks[i].Has(uint8(s)) {
				ms.table[(i*stride+s)*w+len(decoders)] = 1
			}
		}
	}
	ms.dense = true
	for i, j := range e.Slots {
		if i != j {
			ms.dense = false
			break
		}
	}
	return ms
}

// ScoreInto writes the codeword's score under each decoder into out (len
// k) and returns the number of matching slots. Scores are summed in
// float32: use them to screen, and Scorer.Score for decisions.
func (ms *MultiScorer) ScoreInto(cw Codeword, out []float64) int {
	if ms.dense && ms.k == 2 {
		return ms.score2(cw[:len(ms.ev.Slots)], out)
	}
	var acc [9]float32
	w, stride, t := ms.w, ms.stride, ms.table
	for i, j := range ms.ev.Slots {
		base := (i*stride + int(cw[j])) * w
		for d := 0; d < w; d++ {
			acc[d] += t[base+d]
		}
	}
	for d := 0; d < ms.k; d++ {
		out[d] = float64(acc[d])
	}
	return int(acc[ms.k])
}

// score2 is ScoreInto for two decoders over dense slots, unrolled.
func (ms *MultiScorer) score2(cw []uint8, out []float64) int {
	var a0, a1, m float32
	t := ms.table
	stride := ms.stride
	for i, x := range cw {
		b := (i*stride + int(x)) * 3
		e := t[b : b+3 : b+3]
		a0 += e[0]
		a1 += e[1]
		m += e[2]
	}
	out[0], out[1] = float64(a0), float64(a1)
	return int(m)
}
