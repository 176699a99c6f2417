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
	// Attribute. Accused are ordered by bound, the others by score.
	Accused    []Finding
	Consistent []Finding
	Excluded   []Finding
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

	findings := make([]Finding, n)
	for i, cw := range codewords {
		m := ev.Matches(cw)
		f := Finding{Index: i, Partner: -1, LogBound: 0, Score: math.Inf(-1), Matches: m}
		for _, ok := range m {
			if ok {
				f.Matched++
			} else {
				f.Mismatched++
			}
		}
		findings[i] = f
	}
	accused := make([]bool, n)
	for _, dec := range p.Decoders {
		sc := ev.Scorer(dec)
		per := share / float64(n)
		th := sc.Threshold(per)
		a.Decoders = append(a.Decoders, DecoderResult{Name: dec.Name, Share: share, PerRecipient: per, Threshold: th})
		for i, cw := range codewords {
			s := sc.Score(cw)
			if math.IsInf(s, -1) {
				continue
			}
			if s >= th {
				accused[i] = true
			}
			// Keep the decoder with the smallest bound (computed
			// only for scores above the innocent mean).
			if lb := sc.LogBound(s); lb < findings[i].LogBound || math.IsInf(findings[i].Score, -1) {
				findings[i].Decoder, findings[i].Score, findings[i].LogBound = dec.Name, s, lb
			}
		}
	}
	if usePairs {
		pairs := float64(n) * float64(n-1)
		per := share / pairs
		a.Decoders = append(a.Decoders, DecoderResult{Name: Pairs, Share: share, PerRecipient: per, Threshold: math.NaN()})
		pairDecode(ev, codewords, findings, accused, math.Log(per), p)
	}

	for i := range findings {
		f := findings[i]
		switch {
		case accused[i]:
			a.Accused = append(a.Accused, f)
		case excluded(ev, f):
			a.Excluded = append(a.Excluded, f)
		default:
			a.Consistent = append(a.Consistent, f)
		}
	}
	sort.SliceStable(a.Accused, func(i, j int) bool { return a.Accused[i].LogBound < a.Accused[j].LogBound })
	byEvidence := func(fs []Finding) {
		sort.SliceStable(fs, func(i, j int) bool {
			if fs[i].LogBound != fs[j].LogBound {
				return fs[i].LogBound < fs[j].LogBound
			}
			return fs[i].Matched > fs[j].Matched
		})
	}
	byEvidence(a.Consistent)
	byEvidence(a.Excluded)
	if len(a.Accused) == 0 {
		a.MoreSlots = moreSlots(a, p)
	}
	return a
}

// pairDecode scores pairs among the best single candidates as
// 2-coalitions, and accuses a member when the bound on the pair's score,
// given the other member's codeword, is below the per-pair share.
func pairDecode(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, findings []Finding, accused []bool, logPer float64, p Params) {
	sc := ev.Scorer(fingerprint.Interleave(2))
	type cand struct {
		i int
		s float64
	}
	cands := make([]cand, len(codewords))
	for i, cw := range codewords {
		cands[i] = cand{i, sc.Score(cw)}
	}
	sort.Slice(cands, func(x, y int) bool { return cands[x].s > cands[y].s })
	cands = cands[:min(len(cands), p.PairCandidates)]
	ps := ev.PairScorer(p.Rho)
	for x := 0; x < len(cands); x++ {
		for y := x + 1; y < len(cands); y++ {
			u, v := cands[x].i, cands[y].i
			s := ps.Score(codewords[u], codewords[v])
			if s <= 0 {
				continue
			}
			for _, m := range [][2]int{{u, v}, {v, u}} {
				lb := ps.LogBoundGiven(codewords[m[0]], s)
				if lb <= logPer {
					accused[m[1]] = true
				}
				if f := &findings[m[1]]; lb < f.LogBound {
					f.Decoder, f.Score, f.LogBound, f.Partner = Pairs, s, lb, m[0]
				}
			}
		}
	}
}

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
