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
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/internal/parallel"
)

// Params configure an attribution.
type Params struct {
	// Epsilon bounds the probability that any innocent is accused.
	Epsilon float64
	// Decoders are the score functions; nil means DefaultDecoders. Each
	// reads every subset of slot classes.
	Decoders []fingerprint.Decoder
	// Classes gives the class of each slot of the codewords (see
	// ClassDeclared…); nil puts every slot in one class.
	Classes []uint8
	// Subsets are the unions of classes decoded apart; nil means
	// DefaultSubsets (with Classes) or one subset of everything.
	Subsets []Subset
	// NoPairs disables joint decoding of pairs.
	NoPairs bool
	// PairCandidates is how many top-scoring recipients of each subset
	// are paired with each other; 0 means 48.
	PairCandidates int
	// Rho is the misread allowance of the pair decoder; 0 means 0.02.
	Rho float64
	// SlotInformation is the expected evidence (nats) of one more
	// observed slot, used to say how many more would be needed; 0 means
	// ln 2.
	SlotInformation float64
	// TotalSlots is the number of slots of the version, read or not: no
	// excerpt can show more. 0 means unknown.
	TotalSlots int
	// Workers is how many goroutines score the recipients; 0 means
	// GOMAXPROCS. The attribution does not depend on it.
	Workers int
}

// DefaultDecoders: the exact single-leaker score (fewest slots when the leak
// is one copy read without error), the symmetric Tardos score (robust to
// misreads and collusion) and the 3-coalition interleaving likelihood.
var DefaultDecoders = []fingerprint.Decoder{fingerprint.Exact, fingerprint.Tardos, fingerprint.Interleave(3)}

// Slot classes: the slot kinds of package mark, which edits change
// together.
const (
	ClassDeclared uint8 = iota
	ClassOrder
	ClassLexical
	ClassTypographic
	classes
)

// A Subset is a union of slot classes that every decoder also reads apart.
// An edit that fixes or re-randomises one class (a synonym reverter, a
// house style, laundering through another telltale) cannot cancel the
// evidence of a subset without it. Subsets are registered before any
// reading, and their decoders share ε with the others.
type Subset struct {
	Name    string
	Classes uint32 // bit c set: class c is read
}

// DefaultSubsets: everything; everything but typography (survives house
// style, retyping and OCR); everything but word choice (survives a synonym
// reverter); declared facts and list orders alone (survive paraphrase and
// laundering).
var DefaultSubsets = []Subset{
	{Name: SubsetAll, Classes: 1<<ClassDeclared | 1<<ClassOrder | 1<<ClassLexical | 1<<ClassTypographic},
	{Name: "no-typography", Classes: 1<<ClassDeclared | 1<<ClassOrder | 1<<ClassLexical},
	{Name: "no-lexical", Classes: 1<<ClassDeclared | 1<<ClassOrder | 1<<ClassTypographic},
	{Name: "facts", Classes: 1<<ClassDeclared | 1<<ClassOrder},
}

// DecoderCount is how many decoders share ε for a leak whose informative
// slots fall in the classes present (bit c: class c), among n
// recipients: the score functions on every distinct subset, and pairs.
func DecoderCount(present uint32, n int) int {
	seen := map[uint32]bool{}
	for _, sub := range DefaultSubsets {
		if key := sub.Classes & present; key != 0 {
			seen[key] = true
		}
	}
	d := len(DefaultDecoders) * max(len(seen), 1)
	if n >= 3 {
		d++
	}
	return d
}

// SubsetAll names the subset of every class; its decoders keep their plain
// names ("exact"), the others' are qualified ("exact/facts").
const SubsetAll = "all"

// Pairs is the decoder name of joint 2-coalition decoding.
const Pairs = "pairs"

// DefaultEpsilon is the default false-accusation bound.
const DefaultEpsilon = 1e-6

// MinEpsilon and MaxEpsilon bound the ε a trace may ask for: above 10⁻²
// one accusation in a hundred could be wrong, which no investigator should
// act on; below 10⁻¹² the bound asks for more evidence than any leak
// shows.
const (
	MinEpsilon = 1e-12
	MaxEpsilon = 1e-2
)

// CheckEpsilon refuses an ε outside [MinEpsilon, MaxEpsilon], with a hint.
func CheckEpsilon(eps float64) error {
	if !(eps >= MinEpsilon && eps <= MaxEpsilon) {
		return fmt.Errorf("epsilon %g is outside %s to %s (hint: it bounds the chance of accusing an innocent; the default %s suits most cases)",
			eps, FormatEpsilon(MinEpsilon), FormatEpsilon(MaxEpsilon), FormatEpsilon(DefaultEpsilon))
	}
	return nil
}

// Attribution is the outcome for a set of recipients.
type Attribution struct {
	Epsilon    float64
	Recipients int
	// Decoders lists each decoder with its share of ε and per-recipient
	// threshold.
	Decoders []DecoderResult
	// Observed is the number of informative slots.
	Observed int
	// Accused, Consistent and Inconsistent index the codewords given to
	// Attribute, ordered by the evidence against them. Consistent and
	// Inconsistent list at most MaxListed recipients each; the totals
	// count them all.
	Accused           []Finding
	Consistent        []Finding
	Inconsistent      []Finding
	ConsistentTotal   int
	InconsistentTotal int
	// Edited is true when no copy matches the whole evidence as the sole,
	// unedited source of the leak: the text was probably edited, had a
	// class of slots normalised, or was combined from several copies.
	Edited bool
	// MoreSlots estimates how many more observed slots, matching the
	// leading candidate, would make an accusation possible; 0 if someone
	// is accused or no more slots exist.
	MoreSlots int
}

// DecoderResult describes one decoder's part in the attribution.
type DecoderResult struct {
	Name string
	// Subset names the classes it read; Slots is how many informative
	// slots those are.
	Subset string
	Slots  int
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

// unit is one registered decoder: a score function on one subset.
type unit struct {
	name   string
	subset Subset
	key    uint32 // the classes of the subset that have informative slots
	dec    fingerprint.Decoder
	ev     *fingerprint.Evidence // restricted to the subset
	scorer *fingerprint.Scorer
	column int // in the class scorer's fused decoders; -1 for exact
}

// Attribute decides, for the recipients' codewords, who the evidence
// accuses.
func Attribute(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, p Params) *Attribution {
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
	sc := screen(ev, codewords, p, units, fused)
	accused := make([]bool, n)
	a.Decoders = boundSingles(sc, codewords, units, share, accused)
	if usePairs {
		pairs := float64(n) * float64(n-1)
		per := share / pairs
		a.Decoders = append(a.Decoders, DecoderResult{Name: Pairs, Subset: SubsetAll, Slots: len(ev.Slots), Share: share, PerRecipient: per, Threshold: math.NaN()})
		pairDecode(ev, codewords, sc.pairCandidates(p.PairCandidates), sc, accused, math.Log(per), p)
	}
	classify(a, ev, codewords, sc, accused)
	if len(a.Accused) == 0 {
		a.MoreSlots = moreSlots(a, p)
	}
	return a
}

func (p Params) withDefaults(observed int, codewords []fingerprint.Codeword) Params {
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
	if p.Classes == nil {
		if len(codewords) > 0 {
			p.Classes = make([]uint8, len(codewords[0]))
		}
		if p.Subsets == nil {
			p.Subsets = []Subset{{Name: SubsetAll, Classes: 1}}
		}
	}
	if p.Subsets == nil {
		p.Subsets = DefaultSubsets
	}
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	return p
}

// registerUnits lists the decoders: every score function on every subset
// that has informative slots, once per distinct set of slots. Which
// subsets have slots depends on the observation only, never on a
// codeword, so the shares of ε stay fixed given what was read.
func registerUnits(ev *fingerprint.Evidence, p Params) ([]*unit, []fingerprint.Decoder) {
	var present uint32
	for _, j := range ev.Slots {
		present |= 1 << p.Classes[j]
	}
	var units []*unit
	var fused []fingerprint.Decoder
	column := map[string]int{}
	seen := map[uint32]bool{}
	for _, sub := range p.Subsets {
		key := sub.Classes & present
		if key == 0 && present != 0 || seen[key] {
			continue
		}
		seen[key] = true
		rev := ev.Restrict(func(j int) bool { return key>>p.Classes[j]&1 == 1 })
		for _, dec := range p.Decoders {
			u := &unit{name: dec.Name, subset: sub, key: key, dec: dec, ev: rev, scorer: rev.Scorer(dec), column: -1}
			if sub.Name != SubsetAll {
				u.name += "/" + sub.Name
			}
			if dec.Name != fingerprint.Exact.Name {
				c, ok := column[dec.Name]
				if !ok {
					c = len(fused)
					column[dec.Name] = c
					fused = append(fused, dec)
				}
				u.column = c
			}
			units = append(units, u)
		}
	}
	return units, fused
}

// screening is every recipient's score under every decoder, computed in
// one pass over the codewords in float32: decisions use exact scores.
type screening struct {
	units  []*unit
	scores [][]float32 // by unit, then recipient
	slots  int         // informative slots
	// matched counts each copy's matching informative slots.
	matched []int32
	// soleOK says a copy is consistent, as the sole unedited source, with
	// the evidence of at least one subset; wholeOK, that the leak looks
	// like this copy unedited (see uneditedMismatches).
	soleOK, wholeOK []bool
	// evidence holds the findings of the few recipients given exact
	// scores and bounds; every other finding is implied by matched.
	evidence map[int]*Finding
}

// finding returns recipient i's finding as recorded so far.
func (sc *screening) finding(i int) Finding {
	if f := sc.evidence[i]; f != nil {
		return *f
	}
	m := int(sc.matched[i])
	return Finding{Index: i, Partner: -1, Score: math.Inf(-1), Matched: m, Mismatched: sc.slots - m}
}

// record returns recipient i's finding to update with evidence.
func (sc *screening) record(i int) *Finding {
	f := sc.evidence[i]
	if f == nil {
		v := sc.finding(i)
		f = &v
		sc.evidence[i] = f
	}
	return f
}

// screenPlan is what the screening loop needs of a unit: its classes, its
// slots, its maximum, and — once per distinct subset — the fewest matches
// that do not contradict it (contradicts is monotone in the matches).
type screenPlan struct {
	classes []int
	slots   int
	max     float32
	column  int
	minOK   int // -1 unless this unit tests its subset's consistency
}

// screenBlock is how many codewords a worker scores at a time.
const screenBlock = 64

// minPerWorker is the fewest recipients worth a goroutine of their own.
const minPerWorker = 1024

func screen(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, p Params, units []*unit, fused []fingerprint.Decoder) *screening {
	n := len(codewords)
	sc := &screening{units: units, scores: make([][]float32, len(units)), slots: len(ev.Slots),
		matched: make([]int32, n), soleOK: make([]bool, n), wholeOK: make([]bool, n), evidence: map[int]*Finding{}}
	for u := range units {
		sc.scores[u] = make([]float32, n)
	}
	cs := ev.ClassScorer(p.Classes, int(classes), fused...)
	plans := make([]screenPlan, len(units))
	seen := map[uint32]bool{}
	for u, un := range units {
		pl := screenPlan{max: float32(un.scorer.Max()), column: un.column, minOK: -1}
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
	// Each worker scores a contiguous range of recipients and writes only
	// their entries: the result is the same for any number of workers.
	workers := max(1, min(p.Workers, n/minPerWorker))
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*per, min(n, (w+1)*per)
		wg.Go(func() { sc.screenRange(cs, len(fused), plans, codewords, lo, hi) })
	}
	wg.Wait()
	return sc
}

// screenRange scores recipients lo to hi−1.
func (sc *screening) screenRange(cs *fingerprint.ClassScorer, k int, plans []screenPlan, codewords []fingerprint.Codeword, lo, hi int) {
	w := cs.Width()
	width := int(classes) * w
	out := make([]float32, screenBlock*width)
	m := sc.slots
	unedited := uneditedMismatches(m)
	inf := float32(math.Inf(-1))
	var matchedBy [classes]int
	for start := lo; start < hi; start += screenBlock {
		end := min(hi, start+screenBlock)
		cs.ScoreEach(codewords[start:end], out)
		for i := start; i < end; i++ {
			out := out[(i-start)*width : (i-start+1)*width]
			matched := 0
			for c := range int(classes) {
				matchedBy[c] = int(out[c*w+k])
				matched += matchedBy[c]
			}
			sc.matched[i] = int32(matched)
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
	}
}

// pairCandidates returns the recipients worth pairing: the best k of each
// subset by its widest-coalition score.
func (sc *screening) pairCandidates(k int) []int {
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

// boundsPerDecoder is how many recipients per decoder get exact scores
// and bounds: those at or above the threshold and the best-scoring few. A
// bound is monotone in the score, so the rest can only be weaker.
const boundsPerDecoder = 64

// boundSingles rescores the leading recipients of each decoder exactly,
// accuses those at or above its threshold for the decoder's share of ε
// divided among the recipients, and keeps each recipient's strongest
// evidence.
func boundSingles(sc *screening, codewords []fingerprint.Codeword, units []*unit, share float64, accused []bool) []DecoderResult {
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
			f := sc.record(i)
			if lb := un.scorer.LogBound(s); lb < f.LogBound || math.IsInf(f.Score, -1) {
				f.Decoder, f.Score, f.LogBound = un.name, s, lb
			}
		}
	}
	return results
}

// classify sorts recipients into accused, consistent and inconsistent,
// each ordered by the evidence against them; only the findings listed
// are built.
//
// A copy is called inconsistent only when the leak looks like one unedited
// copy — some copy matches nearly everything read, and enough is read
// (MinSlotsToRuleOut) — and this copy contradicts
// it, as its sole unedited source, in every subset of classes, so that an
// edit confined to one class cannot make its true source look
// inconsistent. If no copy matches everything, the text was edited,
// normalised or combined from several copies, and nobody is ruled out.
func classify(a *Attribution, ev *fingerprint.Evidence, codewords []fingerprint.Codeword, sc *screening, accused []bool) {
	n := len(sc.matched)
	unedited := slices.Contains(sc.wholeOK, true)
	a.Edited = len(ev.Slots) > 0 && !unedited
	// With few slots read, a composite whose other copies gave only
	// passages without marks looks like one copy: rule nobody out then.
	anyOK := unedited && len(ev.Slots) >= MinSlotsToRuleOut
	class := make([]uint8, n)
	var counts [3]int
	for i := range n {
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
	for i := range n {
		idx[class[i]] = append(idx[class[i]], int32(i))
	}
	for c := range idx {
		idx[c] = orderByEvidence(sc, idx[c])
	}
	a.ConsistentTotal, a.InconsistentTotal = counts[1], counts[2]
	lists := []*[]Finding{&a.Accused, &a.Consistent, &a.Inconsistent}
	for c, l := range lists {
		if c > 0 && len(idx[c]) > MaxListed {
			idx[c] = idx[c][:MaxListed]
		}
		*l = make([]Finding, 0, len(idx[c]))
		for rank, i := range idx[c] {
			f := sc.finding(int(i))
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
func pairDecode(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, cands []int, sc *screening, accused []bool, logPer float64, p Params) {
	ps := ev.PairScorer(p.Rho)
	type pair struct {
		u, v int
		s    float64
	}
	// Each candidate's pairs with the later ones form a row; workers take
	// rows in turn and the rows are joined in order, so the pairs come in
	// the same order for any number of workers.
	rows := make([][]pair, len(cands))
	parallel.For(min(p.Workers, len(cands)/8), len(cands), func(x int) {
		for y := x + 1; y < len(cands); y++ {
			u, v := cands[x], cands[y]
			if s := ps.Score(codewords[u], codewords[v]); s > 0 {
				rows[x] = append(rows[x], pair{u, v, s})
			}
		}
	})
	pairs := slices.Concat(rows...)
	// Bounds for the strongest pairs only: a weaker pair is not
	// accused (never a false accusation, at worst a missed one).
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].s > pairs[j].s })
	for _, pr := range pairs[:min(len(pairs), maxPairsBounded)] {
		for _, m := range [][2]int{{pr.u, pr.v}, {pr.v, pr.u}} {
			lb := ps.LogBoundGiven(codewords[m[0]], pr.s)
			if lb <= logPer {
				accused[m[1]] = true
			}
			if f := sc.finding(m[1]); lb < f.LogBound {
				r := sc.record(m[1])
				r.Decoder, r.Score, r.LogBound, r.Partner = Pairs, pr.s, lb, m[0]
			}
		}
	}
}

// maxPairsBounded is how many of the highest-scoring pairs get bounds.
const maxPairsBounded = 48

// SoleDelta and SoleMisread define when a copy contradicts a leak as its
// sole unedited source: even allowing SoleMisread of the slots to be
// misread, the chance of so many mismatches is below SoleDelta. This says
// nothing about a copy's holder when the leak was edited or combined.
const (
	SoleDelta   = 1e-3
	SoleMisread = 0.1
)

// MinSlotsToRuleOut is the fewest informative slots with which a copy may
// be called inconsistent with the leak: with fewer, the marks may all sit
// in the passages one copy gave to a composite.
const MinSlotsToRuleOut = 40

// uneditedMismatches is the most of m informative slots in which a leak
// that looks like a copy unedited differs from it: one slot in twenty (or
// one slot), what reading errors of a verbatim, retyped or OCR'd copy
// explain. A composite of copies, or a copy with a class of slots
// normalised, differs from every copy in far more.
func uneditedMismatches(m int) int {
	return max(1, m/20)
}

// contradicts reports whether a copy matching matched of m informative
// slots contradicts the leak as its sole unedited source: a Chernoff bound
// on a sole source (each slot read right with probability ≥ 1−SoleMisread)
// showing this few matches is below SoleDelta.
func contradicts(matched, m int) bool {
	if m == 0 || matched == m {
		return false
	}
	k := float64(matched) / float64(m)
	q := 1 - SoleMisread
	if k >= q {
		return false
	}
	// P(Bin(m, q) ≤ k m) ≤ exp(−m D(k ‖ q)).
	kl := 0.0
	if k > 0 {
		kl += k * math.Log(k/q)
	}
	kl += (1 - k) * math.Log((1-k)/(1-q))
	return -float64(m)*kl < math.Log(SoleDelta)
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
	candidates := slices.Concat(a.Consistent, a.Inconsistent)
	for _, f := range candidates {
		if f.Decoder == fingerprint.Exact.Name && f.Mismatched == 0 {
			have = math.Max(have, -f.LogBound)
		}
	}
	more := int(math.Ceil((need - have) / p.SlotInformation))
	if p.TotalSlots > 0 && more > p.TotalSlots-a.Observed {
		return 0 // more than the version has: no excerpt could do it
	}
	return more
}

// MaxListed caps the consistent and inconsistent recipients listed in an
// attribution (their totals are always given): beyond it a list helps no
// investigator.
const MaxListed = 10000

// maxDetailed recipients of each class, in order, and every one with
// evidence against them, get per-slot match details in their finding.
const maxDetailed = 1000

// topIndices returns the indices of the k highest scores, plus every index
// scoring at least th.
func topIndices(scores []float32, k int, th float32) []int {
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

// orderByEvidence orders recipients by bound, then by matches
// (descending), then by index. Most have no bound computed (0): those are
// placed by match count in linear time. idx must be increasing.
func orderByEvidence(sc *screening, idx []int32) []int32 {
	var withBound []int32 // every recipient with a bound, increasing
	for i, f := range sc.evidence {
		if f.LogBound < 0 {
			withBound = append(withBound, int32(i))
		}
	}
	slices.Sort(withBound)
	bounded := make([]int32, 0, len(withBound))
	count := make([]int, sc.slots+2)
	bucket := func(i int32) int { return sc.slots - min(max(int(sc.matched[i]), 0), sc.slots) } // most matches first
	isBounded := func(walk func(i int32, bounded bool)) {
		b := 0
		for _, i := range idx {
			for b < len(withBound) && withBound[b] < i {
				b++
			}
			walk(i, b < len(withBound) && withBound[b] == i)
		}
	}
	isBounded(func(i int32, ok bool) {
		if ok {
			bounded = append(bounded, i)
		} else {
			count[bucket(i)+1]++
		}
	})
	slices.SortFunc(bounded, func(x, y int32) int {
		a, b := sc.evidence[int(x)], sc.evidence[int(y)]
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
	out := make([]int32, len(idx))
	copy(out, bounded)
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	rest := out[len(bounded):]
	isBounded(func(i int32, ok bool) {
		if !ok {
			b := bucket(i)
			rest[count[b]] = i
			count[b]++
		}
	})
	return out
}
