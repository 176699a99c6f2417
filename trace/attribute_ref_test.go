package trace

// The reference implementation of the decision rule: the plain,
// single-pass form Attribute had before it was split across cores
// (commit 2c5a807), kept to check that the fast path decides exactly the
// same. Only names differ.

import (
	"math"
	"slices"
	"sort"

	"github.com/telltale-dev/telltale/fingerprint"
)

// refAttribute decides, for the recipients' codewords, who the evidence
// accuses.
func refAttribute(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, p Params) *Attribution {
	p = p.withDefaults(len(ev.Slots), codewords)
	n := len(codewords)
	units, fused := registerUnits(ev, p)
	usePairs := !p.NoPairs && n >= 3 && len(ev.Slots) > 0
	d := len(units)
	if usePairs {
		d++
	}
	share := p.Epsilon / float64(max(d, 1))
	a := &Attribution{Epsilon: p.Epsilon, Recipients: n, Observed: len(ev.Slots)}
	if n == 0 {
		return a
	}
	sc := refScreen(ev, codewords, p, units, fused)
	accused := make([]bool, n)
	a.Decoders = refBoundSingles(sc, codewords, units, share, accused)
	if usePairs {
		pairs := float64(n) * float64(n-1)
		per := share / pairs
		a.Decoders = append(a.Decoders, DecoderResult{Name: Pairs, Subset: SubsetAll, Slots: len(ev.Slots), Share: share, PerRecipient: per, Threshold: math.NaN()})
		refPairDecode(ev, codewords, sc.pairCandidates(p.PairCandidates), sc.findings, accused, math.Log(per), p)
	}
	refClassify(a, ev, codewords, sc, accused)
	if len(a.Accused) == 0 {
		a.MoreSlots = moreSlots(a, p)
	}
	return a
}

// refScreening is every recipient's score under every decoder, computed in
// one pass over the codewords in float32: decisions use exact scores.
type refScreening struct {
	units    []*unit
	scores   [][]float32 // by unit, then recipient
	findings []Finding   // match counts; scores filled in by the bounds
	// soleOK says a copy is consistent, as the sole unedited source, with
	// the evidence of at least one subset; wholeOK, that the leak looks
	// like this copy unedited (see uneditedMismatches).
	soleOK, wholeOK []bool
}

func refScreen(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, p Params, units []*unit, fused []fingerprint.Decoder) *refScreening {
	n := len(codewords)
	sc := &refScreening{units: units, scores: make([][]float32, len(units)), findings: make([]Finding, n),
		soleOK: make([]bool, n), wholeOK: make([]bool, n)}
	for u := range units {
		sc.scores[u] = make([]float32, n)
	}
	cs := ev.ClassScorer(p.Classes, int(classes), fused...)
	w, k := cs.Width(), len(fused)
	out := make([]float32, int(classes)*w)
	// Per unit, what the loop needs: its classes, its slots, its maximum,
	// and — once per distinct subset — the fewest matches that do not
	// contradict it (contradicts is monotone in the matches).
	type plan struct {
		classes []int
		slots   int
		max     float32
		column  int
		minOK   int // -1 unless this unit tests its subset's consistency
	}
	plans := make([]plan, len(units))
	seen := map[uint32]bool{}
	for u, un := range units {
		pl := plan{max: float32(un.scorer.Max()), column: un.column, minOK: -1}
		for c := range int(classes) {
			if un.key>>c&1 == 1 {
				pl.classes = append(pl.classes, c)
				pl.slots += cs.Slots[c]
			}
		}
		if !seen[un.key] {
			seen[un.key] = true
			pl.minOK = pl.slots
			for pl.minOK > 0 && !contradicts(pl.minOK-1, pl.slots) {
				pl.minOK--
			}
		}
		plans[u] = pl
	}
	m := len(ev.Slots)
	unedited := uneditedMismatches(m)
	inf := float32(math.Inf(-1))
	var matchedBy [classes]int
	for i, cw := range codewords {
		cs.ScoreInto(cw, out)
		matched := 0
		for c := range int(classes) {
			matchedBy[c] = int(out[c*w+k])
			matched += matchedBy[c]
		}
		sc.findings[i] = Finding{Index: i, Partner: -1, Score: math.Inf(-1), Matched: matched, Mismatched: m - matched}
		sc.wholeOK[i] = m-matched <= unedited
		for u := range plans {
			pl := &plans[u]
			got := 0
			for _, c := range pl.classes {
				got += matchedBy[c]
			}
			if pl.minOK >= 0 && got >= pl.minOK {
				sc.soleOK[i] = true
			}
			switch {
			case pl.column >= 0:
				var sum float32
				for _, c := range pl.classes {
					sum += out[c*w+pl.column]
				}
				sc.scores[u][i] = sum
			case got == pl.slots:
				sc.scores[u][i] = pl.max
			default:
				sc.scores[u][i] = inf
			}
		}
	}
	return sc
}

// pairCandidates returns the recipients worth pairing: the best k of each
// subset by its widest-coalition score.
func (sc *refScreening) pairCandidates(k int) []int {
	widest := map[uint32]int{}
	for u, un := range sc.units {
		if un.column >= 0 {
			widest[un.key] = u
		}
	}
	seen := map[int]bool{}
	var out []int
	for u := range sc.units {
		if widest[sc.units[u].key] != u || sc.units[u].column < 0 {
			continue
		}
		for _, i := range topIndices(sc.scores[u], k, float32(math.Inf(1))) {
			if !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		}
	}
	slices.Sort(out)
	return out
}

// boundSingles rescores the leading recipients of each decoder exactly,
// accuses those at or above its threshold for the decoder's share of ε
// divided among the recipients, and keeps each recipient's strongest
// evidence.
func refBoundSingles(sc *refScreening, codewords []fingerprint.Codeword, units []*unit, share float64, accused []bool) []DecoderResult {
	var results []DecoderResult
	per := share / float64(len(codewords))
	for u, un := range units {
		th := un.scorer.Threshold(per)
		results = append(results, DecoderResult{Name: un.name, Subset: un.subset.Name, Slots: len(un.ev.Slots), Share: share, PerRecipient: per, Threshold: th})
		// Screened scores may be off by float32 rounding: recheck a margin
		// below the threshold exactly.
		margin := 1e-3 * (1 + math.Abs(th))
		for _, i := range topIndices(sc.scores[u], boundsPerDecoder, float32(th-margin)) {
			s := un.scorer.Score(codewords[i])
			if math.IsInf(s, -1) {
				continue
			}
			if s >= th {
				accused[i] = true
			}
			f := &sc.findings[i]
			if lb := un.scorer.LogBound(s); lb < f.LogBound || math.IsInf(f.Score, -1) {
				f.Decoder, f.Score, f.LogBound = un.name, s, lb
			}
		}
	}
	return results
}

// classify sorts recipients into accused, consistent and inconsistent,
// each ordered by the evidence against them, through an index
// permutation: findings are large to move.
//
// A copy is called inconsistent only when the leak looks like one unedited
// copy — some copy matches nearly everything read, and enough is read
// (MinSlotsToRuleOut) — and this copy contradicts
// it, as its sole unedited source, in every subset of classes, so that an
// edit confined to one class cannot make its true source look
// inconsistent. If no copy matches everything, the text was edited,
// normalised or combined from several copies, and nobody is ruled out.
func refClassify(a *Attribution, ev *fingerprint.Evidence, codewords []fingerprint.Codeword, sc *refScreening, accused []bool) {
	findings := sc.findings
	unedited := slices.Contains(sc.wholeOK, true)
	a.Edited = len(ev.Slots) > 0 && !unedited
	// With few slots read, a composite whose other copies gave only
	// passages without marks looks like one copy: rule nobody out then.
	anyOK := unedited && len(ev.Slots) >= MinSlotsToRuleOut
	class := make([]uint8, len(findings))
	var counts [3]int
	for i := range findings {
		switch {
		case accused[i]:
			class[i] = 0
		case anyOK && !sc.soleOK[i]:
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
		idx[c] = refOrderByEvidence(findings, idx[c], len(ev.Slots))
	}
	a.ConsistentTotal, a.InconsistentTotal = counts[1], counts[2]
	lists := []*[]Finding{&a.Accused, &a.Consistent, &a.Inconsistent}
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

// pairDecode scores pairs among the candidates as 2-coalitions, and
// accuses a member when the bound on the pair's score, given the other
// member's codeword, is below the per-pair share.
func refPairDecode(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, cands []int, findings []Finding, accused []bool, logPer float64, p Params) {
	ps := ev.PairScorer(p.Rho)
	type pair struct {
		u, v int
		s    float64
	}
	var pairs []pair
	for x := 0; x < len(cands); x++ {
		for y := x + 1; y < len(cands); y++ {
			u, v := cands[x], cands[y]
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

// orderByEvidence orders findings by bound, then by matches (descending),
// then by index. Most findings have no bound computed (0): those are
// bucketed by match count in linear time.
func refOrderByEvidence(findings []Finding, idx []int32, slots int) []int32 {
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
