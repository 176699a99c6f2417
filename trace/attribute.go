// Package trace turns an observation of a leaked text into a verdict: who
// is accused, with what bound on the chance of accusing an innocent; who is
// still consistent with the evidence (which is not proof); who is excluded;
// and what would make the evidence conclusive.
//
// [Attribute] is the decision rule, on codewords alone, so the simulator
// and the tests exercise exactly what the product runs. The false-accusation
// budget ε is split evenly among the decoders; each decoder accuses a
// recipient only if the Chernoff bound on an innocent's score, times the
// number of recipients (or ordered pairs, for the pair decoder), is at most
// its share. By the union bound, the chance that any innocent recipient is
// accused by any decoder is at most ε — provided the observation was read
// without looking at any codeword, the slots are independent, and the biases
// are secret.
package trace

import (
	"math"
	"slices"
	"sort"

	"github.com/telltale-dev/telltale/fingerprint"
)

// Params configure an attribution.
type Params struct {
	// Epsilon bounds the probability that any innocent is accused.
	Epsilon float64
	// Decoders score each recipient; nil means DefaultDecoders.
	Decoders []fingerprint.Decoder
	// NoPairs disables joint decoding of pairs.
	NoPairs bool
	// PairCandidates is how many top-scoring recipients are paired with
	// each other; 0 means 48.
	PairCandidates int
	// Rho is the misread allowance of the pair decoder; 0 means 0.02.
	Rho float64
	// SlotInformation is the expected evidence (nats) of one more
	// observed slot, used to say how many more would be needed; 0 means
	// ln 2.
	SlotInformation float64
}

// DefaultDecoders: the exact single-leaker score (fewest slots when the leak
// is one copy read without error), the symmetric Tardos score (robust to
// misreads and collusion) and the 3-coalition interleaving likelihood.
var DefaultDecoders = []fingerprint.Decoder{fingerprint.Exact, fingerprint.Tardos, fingerprint.Interleave(3)}

// Pairs is the decoder name of joint 2-coalition decoding.
const Pairs = "pairs"

// DefaultEpsilon is the default false-accusation bound.
const DefaultEpsilon = 1e-6

// Attribution is the outcome for a set of recipients.
type Attribution struct {
	Epsilon    float64
	Recipients int
	// Decoders lists each decoder with its share of ε and per-recipient
	// threshold.
	Decoders []DecoderResult
	// Observed is the number of informative slots.
	Observed int
	// Accused, Consistent and Excluded index the codewords given to
	// Attribute, ordered by the evidence against them. Consistent and
	// Excluded list at most MaxListed recipients each; the totals count
	// them all.
	Accused         []Finding
	Consistent      []Finding
	Excluded        []Finding
	ConsistentTotal int
	ExcludedTotal   int
	// MoreSlots estimates how many more observed slots, matching the
	// leading candidate, would make an accusation possible; 0 if someone
	// is accused or nothing could help.
	MoreSlots int
}

// DecoderResult describes one decoder's part in the attribution.
type DecoderResult struct {
	Name string
	// Share is the decoder's part of ε; PerRecipient is Share divided
	// by the number of recipients (ordered pairs for the pair decoder).
	Share, PerRecipient float64
	// Threshold is the score an accused recipient needs; +Inf if no score
	// can reach it with this evidence.
	Threshold float64
}

// Finding is one recipient's result.
type Finding struct {
	Index int // into the codewords given to Attribute
	// Decoder is the decoder with the strongest evidence against the
	// recipient; Score and LogBound are its score and the natural log of
	// the bound on an innocent scoring that high.
	Decoder  string
	Score    float64
	LogBound float64
	// Partner is the other member when the pair decoder accused, else -1.
	Partner int
	// Matched and Mismatched count informative slots.
	Matched, Mismatched int
	// Matches says, per informative slot, whether the copy agrees.
	Matches []bool
}

// Bound returns the bound on an innocent reaching the finding's score.
func (f Finding) Bound() float64 { return math.Exp(f.LogBound) }

// Attribute decides, for the recipients' codewords, who the evidence
// accuses.
func Attribute(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, p Params) *Attribution {
	if p.Decoders == nil {
		p.Decoders = DefaultDecoders
	}
	if p.PairCandidates == 0 {
		p.PairCandidates = 48
	}
	if p.Rho == 0 {
		p.Rho = 0.02
	}
	if p.SlotInformation == 0 {
		p.SlotInformation = math.Ln2
	}
	n := len(codewords)
	usePairs := !p.NoPairs && n >= 3
	d := len(p.Decoders)
	if usePairs {
		d++
	}
	share := p.Epsilon / float64(d)
	a := &Attribution{Epsilon: p.Epsilon, Recipients: n, Observed: len(ev.Slots)}
	if n == 0 {
		return a
	}

	sc := screen(ev, codewords, p.Decoders)
	accused := make([]bool, n)
	a.Decoders = boundSingles(sc, codewords, p.Decoders, share, accused)
	if usePairs {
		pairs := float64(n) * float64(n-1)
		per := share / pairs
		a.Decoders = append(a.Decoders, DecoderResult{Name: Pairs, Share: share, PerRecipient: per, Threshold: math.NaN()})
		pairDecode(ev, codewords, sc.pairRank(), sc.findings, accused, math.Log(per), p)
	}
	classify(a, ev, codewords, sc.findings, accused)
	if len(a.Accused) == 0 {
		a.MoreSlots = moreSlots(a, p)
	}
	return a
}

// screening is every recipient's score under every decoder, computed in
// one pass over the codewords in float32: decisions use exact scores.
type screening struct {
	scorers []*fingerprint.Scorer
	// column is a decoder's column in the fused scorer, or -1 for the
	// exact decoder, which needs no sum: its score is the maximum for a
	// codeword matching every slot and −∞ otherwise.
	column   []int
	scores   [][]float64 // by decoder, then recipient
	findings []Finding   // match counts; scores filled in by the bounds
}

func screen(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, decoders []fingerprint.Decoder) *screening {
	n := len(codewords)
	sc := &screening{scorers: make([]*fingerprint.Scorer, len(decoders)), column: make([]int, len(decoders)),
		scores: make([][]float64, len(decoders)), findings: make([]Finding, n)}
	var fused []fingerprint.Decoder
	for d, dec := range decoders {
		sc.scorers[d] = ev.Scorer(dec)
		sc.column[d] = -1
		if dec.Name != fingerprint.Exact.Name {
			sc.column[d] = len(fused)
			fused = append(fused, dec)
		}
		sc.scores[d] = make([]float64, n)
	}
	multi := ev.MultiScorer(fused...)
	out := make([]float64, len(fused))
	m := len(ev.Slots)
	for i, cw := range codewords {
		f := Finding{Index: i, Partner: -1, Score: math.Inf(-1)}
		f.Matched = multi.ScoreInto(cw, out)
		f.Mismatched = m - f.Matched
		for d := range sc.scorers {
			switch {
			case sc.column[d] >= 0:
				sc.scores[d][i] = out[sc.column[d]]
			case f.Matched == m:
				sc.scores[d][i] = sc.scorers[d].Max()
			default:
				sc.scores[d][i] = math.Inf(-1)
			}
		}
		sc.findings[i] = f
	}
	return sc
}

// pairRank orders pair candidates: by the widest-coalition score.
func (sc *screening) pairRank() []float64 {
	rank := sc.scores[0]
	for d := range sc.scorers {
		if sc.column[d] >= 0 {
			rank = sc.scores[d]
		}
	}
	return rank
}

// boundsPerDecoder is how many recipients per decoder get exact scores
// and bounds: those at or above the threshold and the best-scoring few. A
// bound is monotone in the score, so the rest can only be weaker.
const boundsPerDecoder = 64

// boundSingles rescores the leading recipients of each decoder exactly,
// accuses those at or above its threshold for the decoder's share of ε
// divided among the recipients, and keeps each recipient's strongest
// evidence.
func boundSingles(sc *screening, codewords []fingerprint.Codeword, decoders []fingerprint.Decoder, share float64, accused []bool) []DecoderResult {
	var results []DecoderResult
	per := share / float64(len(codewords))
	for d, dec := range decoders {
		scorer := sc.scorers[d]
		th := scorer.Threshold(per)
		results = append(results, DecoderResult{Name: dec.Name, Share: share, PerRecipient: per, Threshold: th})
		// Screened scores may be off by float32 rounding: recheck a margin
		// below the threshold exactly.
		margin := 1e-3 * (1 + math.Abs(th))
		for _, i := range topIndices(sc.scores[d], boundsPerDecoder, th-margin) {
			s := scorer.Score(codewords[i])
			if math.IsInf(s, -1) {
				continue
			}
			if s >= th {
				accused[i] = true
			}
			f := &sc.findings[i]
			if lb := scorer.LogBound(s); lb < f.LogBound || math.IsInf(f.Score, -1) {
				f.Decoder, f.Score, f.LogBound = dec.Name, s, lb
			}
		}
	}
	return results
}

// classify sorts recipients into accused, consistent and excluded, each
// ordered by the evidence against them, through an index permutation:
// findings are large to move.
func classify(a *Attribution, ev *fingerprint.Evidence, codewords []fingerprint.Codeword, findings []Finding, accused []bool) {
	class := make([]uint8, len(findings))
	var counts [3]int
	for i := range findings {
		switch {
		case accused[i]:
			class[i] = 0
		case excluded(ev, findings[i]):
			class[i] = 2
		default:
			class[i] = 1
		}
		counts[class[i]]++
	}
	idx := make([][]int32, 3)
	for c := range idx {
		idx[c] = make([]int32, 0, counts[c])
	}
	for i := range findings {
		idx[class[i]] = append(idx[class[i]], int32(i))
	}
	for c := range idx {
		idx[c] = orderByEvidence(findings, idx[c], len(ev.Slots))
	}
	a.ConsistentTotal, a.ExcludedTotal = counts[1], counts[2]
	lists := []*[]Finding{&a.Accused, &a.Consistent, &a.Excluded}
	for c, l := range lists {
		if c > 0 && len(idx[c]) > MaxListed {
			idx[c] = idx[c][:MaxListed]
		}
		*l = make([]Finding, 0, len(idx[c]))
		for rank, i := range idx[c] {
			f := findings[i]
			if c == 0 || rank < maxDetailed || f.LogBound < 0 {
				f.Matches = ev.Matches(codewords[f.Index])
			}
			*l = append(*l, f)
		}
	}
}

// pairDecode scores pairs among the best single candidates as
// 2-coalitions, and accuses a member when the bound on the pair's score,
// given the other member's codeword, is below the per-pair share.
func pairDecode(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, rank []float64, findings []Finding, accused []bool, logPer float64, p Params) {
	type cand struct {
		i int
		s float64
	}
	var cands []cand
	for _, i := range topIndices(rank, p.PairCandidates, math.Inf(1)) {
		cands = append(cands, cand{i, rank[i]})
	}
	sort.Slice(cands, func(x, y int) bool { return cands[x].s > cands[y].s })
	ps := ev.PairScorer(p.Rho)
	type pair struct {
		u, v int
		s    float64
	}
	var pairs []pair
	for x := 0; x < len(cands); x++ {
		for y := x + 1; y < len(cands); y++ {
			u, v := cands[x].i, cands[y].i
			if s := ps.Score(codewords[u], codewords[v]); s > 0 {
				pairs = append(pairs, pair{u, v, s})
			}
		}
	}
	// Bounds for the strongest pairs only: a weaker pair is not
	// accused (never a false accusation, at worst a missed one).
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].s > pairs[j].s })
	for _, pr := range pairs[:min(len(pairs), maxPairsBounded)] {
		for _, m := range [][2]int{{pr.u, pr.v}, {pr.v, pr.u}} {
			lb := ps.LogBoundGiven(codewords[m[0]], pr.s)
			if lb <= logPer {
				accused[m[1]] = true
			}
			if f := &findings[m[1]]; lb < f.LogBound {
				f.Decoder, f.Score, f.LogBound, f.Partner = Pairs, pr.s, lb, m[0]
			}
		}
	}
}

// maxPairsBounded is how many of the highest-scoring pairs get bounds.
const maxPairsBounded = 48

// ExcludeDelta and ExcludeMisread define exclusion: a recipient is excluded
// as the sole source of the leak when, even allowing ExcludeMisread of the
// slots to be misread, the chance of so many mismatches is below
// ExcludeDelta.
const (
	ExcludeDelta   = 1e-3
	ExcludeMisread = 0.1
)

// excluded reports whether a copy contradicts the leak: a Chernoff bound
// on a sole source (each slot read right with probability ≥ 1−r) showing
// this few matches is below ExcludeDelta.
func excluded(ev *fingerprint.Evidence, f Finding) bool {
	m := f.Matched + f.Mismatched
	if m == 0 || f.Mismatched == 0 {
		return false
	}
	k := float64(f.Matched) / float64(m)
	q := 1 - ExcludeMisread
	if k >= q {
		return false
	}
	// P(Bin(m, q) ≤ k m) ≤ exp(−m D(k ‖ q)).
	kl := 0.0
	if k > 0 {
		kl += k * math.Log(k/q)
	}
	kl += (1 - k) * math.Log((1-k)/(1-q))
	return -float64(m)*kl < math.Log(ExcludeDelta)
}

// moreSlots estimates how many more observed slots, all matching the
// leading candidate, the exact decoder would need to accuse.
func moreSlots(a *Attribution, p Params) int {
	var exact *DecoderResult
	for i := range a.Decoders {
		if a.Decoders[i].Name == fingerprint.Exact.Name {
			exact = &a.Decoders[i]
		}
	}
	if exact == nil {
		return 0
	}
	need := -math.Log(exact.PerRecipient)
	have := 0.0
	candidates := slices.Concat(a.Consistent, a.Excluded)
	for _, f := range candidates {
		if f.Decoder == fingerprint.Exact.Name && f.Mismatched == 0 {
			have = math.Max(have, -f.LogBound)
		}
	}
	if have == 0 {
		// The best candidate mismatches somewhere; count from zero
		// as a rough guide.
		have = 0
	}
	return int(math.Ceil((need - have) / p.SlotInformation))
}

// MaxListed caps the consistent and excluded recipients listed in an
// attribution (their totals are always given): beyond it a list helps no
// investigator.
const MaxListed = 10000

// maxDetailed recipients of each class, in order, and every one with
// evidence against them, get per-slot match details in their finding.
const maxDetailed = 1000

// topIndices returns the indices of the k highest scores, plus every index
// scoring at least th.
func topIndices(scores []float64, k int, th float64) []int {
	idx := make([]int, 0, k)
	for i, s := range scores {
		if s >= th {
			idx = append(idx, i)
		}
	}
	// Partial selection of the k best by a bounded min-heap.
	h := make([]int, 0, k)
	less := func(a, b int) bool { return scores[h[a]] < scores[h[b]] }
	down := func(i int) {
		for {
			l, r, m := 2*i+1, 2*i+2, i
			if l < len(h) && less(l, m) {
				m = l
			}
			if r < len(h) && less(r, m) {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for i := range scores {
		if len(h) < k {
			h = append(h, i)
			for j := len(h) - 1; j > 0; {
				parent := (j - 1) / 2
				if !less(j, parent) {
					break
				}
				h[j], h[parent] = h[parent], h[j]
				j = parent
			}
		} else if k > 0 && scores[i] > scores[h[0]] {
			h[0] = i
			down(0)
		}
	}
	return append(idx, h...)
}

// orderByEvidence orders findings by bound, then by matches (descending),
// then by index. Most findings have no bound computed (0): those are
// bucketed by match count in linear time.
func orderByEvidence(findings []Finding, idx []int32, slots int) []int32 {
	var bounded []int32
	buckets := make([][]int32, slots+1)
	for _, i := range idx {
		f := &findings[i]
		if f.LogBound < 0 {
			bounded = append(bounded, i)
			continue
		}
		m := min(max(f.Matched, 0), slots)
		buckets[m] = append(buckets[m], i)
	}
	slices.SortFunc(bounded, func(x, y int32) int {
		a, b := &findings[x], &findings[y]
		switch {
		case a.LogBound < b.LogBound:
			return -1
		case a.LogBound > b.LogBound:
			return 1
		case a.Matched != b.Matched:
			return b.Matched - a.Matched
		}
		return int(x - y)
	})
	out := append(idx[:0:0], bounded...)
	for m := slots; m >= 0; m-- {
		out = append(out, buckets[m]...)
	}
	return out
}
