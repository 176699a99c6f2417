// Package sim simulates leaks against telltale's fingerprinting code and
// decision rule, to measure how many observed slots a verdict needs and how
// often innocents would be accused.
//
// A trial draws secret biases and real codewords (package fingerprint), lets
// a coalition forge a leak by an [Attack], erases and misreads slots, and
// runs the same decision rule as the product (trace.Attribute). Innocent
// recipients are simulated explicitly: min(n, MaxSimulated) of them, while
// the union bound always counts all n.
package sim

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/trace"
)

// Attack is how a coalition combines its copies into a leak.
type Attack string

const (
	// Interleave takes each slot from a random colluder.
	Interleave Attack = "interleave"
	// Majority takes the most common symbol among the colluders (ties at
	// random).
	Majority Attack = "majority"
	// Minority takes the least common symbol present.
	Minority Attack = "minority"
	// Random takes a random symbol among those the colluders hold.
	Random Attack = "random"
	// EraseDifferent erases every slot where the colluders differ.
	EraseDifferent Attack = "erase-different"
)

// Attacks lists every attack.
var Attacks = []Attack{Interleave, Majority, Minority, Random, EraseDifferent}

// Part is a run of slots of one class (trace.ClassDeclared…), each with
// the given number of symbols.
type Part struct {
	Class   uint8
	Arities []int
}

// Slots returns a part of n slots of class with q symbols each.
func Slots(class uint8, n, q int) Part {
	p := Part{Class: class}
	for range n {
		p.Arities = append(p.Arities, q)
	}
	return p
}

// List returns the order slots of a shuffled list of k items: one symbol
// per item after the first, with 2, 3, …, k values.
func List(k int) Part {
	p := Part{Class: trace.ClassOrder}
	for q := 2; q <= k; q++ {
		p.Arities = append(p.Arities, q)
	}
	return p
}

// Edit is what a leaker does to every slot of one class after forging the
// leak. Every edit is blind to the codewords, as real edits are.
type Edit string

const (
	// Revert shows one fixed symbol per slot: a synonym reverter mapping
	// every word set to one member, or a house style.
	Revert Edit = "revert"
	// Launder shows a fresh random symbol per slot: the copy was run
	// through a second telltale under another key.
	Launder Edit = "launder"
	// Drop erases the class: a paraphrase that keeps none of it.
	Drop Edit = "drop"
)

// Config is one experiment.
type Config struct {
	N         int     // recipients
	C         int     // colluders (1: a single leaker)
	Attack    Attack  // ignored when C == 1
	Q         int     // symbols per slot
	Erasure   float64 // fraction of slots erased at random
	Misread   float64 // fraction of observed slots read as a wrong symbol
	Design    fingerprint.Design
	Epsilon   float64
	Decoders  []fingerprint.Decoder // nil: trace.DefaultDecoders
	NoPairs   bool
	Simulated int // innocents simulated; 0: min(N, MaxSimulated)
	// Layout, if set, gives the slots by class (and Trial's m and Q are
	// ignored); the decision rule then reads the classes apart.
	Layout []Part
	// Edits apply to whole classes after the coalition forged the leak.
	Edits map[uint8]Edit
}

// MaxSimulated caps the innocents simulated explicitly per trial.
const MaxSimulated = 1000

func (c Config) String() string {
	return fmt.Sprintf("n=%d c=%d attack=%s q=%d erasure=%.2f misread=%.2f design=c%d", c.N, c.C, c.Attack, c.Q, c.Erasure, c.Misread, c.Design.Coalition)
}

// Outcome of one trial.
type Outcome struct {
	Caught         bool // at least one colluder accused
	InnocentsHit   int  // innocents accused (must stay 0)
	Observed       int  // informative slots
	ColludersFound int
	// ColludersInconsistent counts colluders the verdict lists as
	// inconsistent with the leak as its sole unedited source.
	ColludersInconsistent int
	// Edited reports the verdict's finding that no copy matches the whole
	// evidence.
	Edited bool
}

// arities returns the symbols of each slot and, with a layout, each slot's
// class.
func (c Config) arities(m int) ([]int, []uint8) {
	if c.Layout == nil {
		a := make([]int, m)
		for i := range a {
			a[i] = c.Q
		}
		return a, nil
	}
	var a []int
	var classes []uint8
	for _, p := range c.Layout {
		for _, q := range p.Arities {
			a = append(a, q)
			classes = append(classes, p.Class)
		}
	}
	return a, classes
}

// edit applies the configured class edits to the masks.
func (c Config) edit(masks []fingerprint.Mask, arities []int, classes []uint8, rng *rand.Rand) {
	for j := range masks {
		if classes == nil {
			break
		}
		q := arities[j]
		switch c.Edits[classes[j]] {
		case Revert:
			masks[j] = fingerprint.Mask(1) << uint(j*7919%q)
		case Launder:
			masks[j] = fingerprint.Mask(1) << uint(rng.IntN(q))
		case Drop:
			masks[j] = fingerprint.All(q)
		}
	}
}

// Trial runs one seeded trial with m slots in total.
func Trial(cfg Config, m int, seed uint64) Outcome {
	rng := rand.New(rand.NewPCG(seed, 0x7e11))
	arities, classes := cfg.arities(m)
	var bk fingerprint.Key
	binary.BigEndian.PutUint64(bk[:], seed)
	bk[31] = 1
	biases := fingerprint.SlotBiases(bk, arities, robust(classes), cfg.Design)
	innocents := cfg.Simulated
	if innocents == 0 {
		innocents = min(cfg.N, MaxSimulated)
	}
	innocents = max(0, min(innocents, cfg.N-cfg.C))
	codewords := make([]fingerprint.Codeword, cfg.C+innocents)
	for i := range codewords {
		var k fingerprint.Key
		binary.BigEndian.PutUint64(k[:], seed)
		binary.BigEndian.PutUint64(k[8:], uint64(i))
		k[31] = 2
		codewords[i] = fingerprint.NewCodeword(k, biases)
	}
	masks := Forge(cfg.Attack, codewords[:cfg.C], arities, rng)
	for j := range masks {
		switch {
		case rng.Float64() < cfg.Erasure:
			masks[j] = fingerprint.All(arities[j])
		case cfg.Misread > 0 && masks[j].Count() == 1 && rng.Float64() < cfg.Misread:
			masks[j] = fingerprint.Mask(1) << uint(wrongSymbol(masks[j], arities[j], rng))
		}
	}
	cfg.edit(masks, arities, classes, rng)
	ev, err := fingerprint.NewEvidence(biases, masks)
	if err != nil {
		panic(err)
	}
	// The union bound counts every recipient, simulated or not: pad the
	// recipient count by scaling ε.
	eps := cfg.Epsilon * float64(len(codewords)) / float64(cfg.N)
	at := trace.Attribute(ev, codewords, trace.Params{Epsilon: eps, Decoders: cfg.Decoders, NoPairs: cfg.NoPairs, Classes: classes})
	out := Outcome{Observed: len(ev.Slots), Edited: at.Edited}
	for _, f := range at.Accused {
		if f.Index < cfg.C {
			out.ColludersFound++
			out.Caught = true
		} else {
			out.InnocentsHit++
		}
	}
	for _, f := range at.Inconsistent {
		if f.Index < cfg.C {
			out.ColludersInconsistent++
		}
	}
	return out
}

func wrongSymbol(m fingerprint.Mask, q int, rng *rand.Rand) int {
	for {
		s := rng.IntN(q)
		if !m.Has(uint8(s)) {
			return s
		}
	}
}

// Forge builds the observation a coalition leaves: one symbol per slot, or
// an erased slot.
// arities gives each slot's number of symbols.
func Forge(attack Attack, coalition []fingerprint.Codeword, arities []int, rng *rand.Rand) []fingerprint.Mask {
	m := len(coalition[0])
	masks := make([]fingerprint.Mask, m)
	for j := 0; j < m; j++ {
		if len(coalition) == 1 {
			masks[j] = fingerprint.Mask(1) << coalition[0][j]
			continue
		}
		q := arities[j]
		counts := make([]int, q)
		for _, cw := range coalition {
			counts[cw[j]]++
		}
		var sym int
		switch attack {
		case Interleave:
			sym = int(coalition[rng.IntN(len(coalition))][j])
		case Majority, Minority:
			best := -1
			var ties []int
			for s, c := range counts {
				if c == 0 {
					continue
				}
				better := best < 0 || (attack == Majority && c > counts[best]) || (attack == Minority && c < counts[best])
				switch {
				case better:
					best, ties = s, []int{s}
				case c == counts[best]:
					ties = append(ties, s)
				}
			}
			sym = ties[rng.IntN(len(ties))]
		case Random:
			var present []int
			for s, c := range counts {
				if c > 0 {
					present = append(present, s)
				}
			}
			sym = present[rng.IntN(len(present))]
		case EraseDifferent:
			distinct := 0
			for _, c := range counts {
				if c > 0 {
					distinct++
					sym = -1
				}
			}
			if distinct > 1 {
				masks[j] = fingerprint.All(q)
				continue
			}
			sym = int(coalition[0][j])
		default:
			panic("sim: unknown attack " + string(attack))
		}
		masks[j] = fingerprint.Mask(1) << uint(sym)
	}
	return masks
}

// CatchRate runs trials with m slots and returns the fraction in which a
// colluder was accused, and the total innocents accused.
func CatchRate(cfg Config, m, trials int, seed uint64) (rate float64, innocents int, observed float64) {
	caught := 0
	obs := 0
	for t := 0; t < trials; t++ {
		o := Trial(cfg, m, seed+uint64(t)*0x9E3779B97F4A7C15)
		if o.Caught {
			caught++
		}
		innocents += o.InnocentsHit
		obs += o.Observed
	}
	return float64(caught) / float64(trials), innocents, float64(obs) / float64(trials)
}

// SlotsFor finds the smallest number of slots (to a resolution of about
// 3 %) at which the catch rate reaches target, searching up to maxSlots. It
// returns the slot count, the mean number of informative (observed) slots
// there, and the innocents accused along the way; ok is false if maxSlots
// does not suffice.
func SlotsFor(cfg Config, target float64, trials, maxSlots int, seed uint64) (slots int, observed float64, innocents int, ok bool) {
	lo, hi := 1, 8
	for {
		r, inn, obs := CatchRate(cfg, hi, trials, seed)
		innocents += inn
		if r >= target {
			observed = obs
			break
		}
		if hi >= maxSlots {
			return 0, 0, innocents, false
		}
		lo, hi = hi, min(hi*2, maxSlots)
	}
	for hi-lo > max(1, hi/32) {
		mid := (lo + hi) / 2
		r, inn, obs := CatchRate(cfg, mid, trials, seed)
		innocents += inn
		if r >= target {
			hi, observed = mid, obs
		} else {
			lo = mid
		}
	}
	return hi, observed, innocents, true
}

// TailCheck measures the empirical tail of innocent scores against the
// bound: over trials innocent codewords drawn independently of a fixed
// observation (m slots forged by cfg), the fraction whose score reaches the
// threshold for each level p, per decoder.
//
// With a Layout, the class Edits are applied and every decoder is also
// checked on each pre-registered subset of classes (named
// "decoder/subset").
func TailCheck(cfg Config, m, trials int, levels []float64, seed uint64) map[string][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	arities, classes := cfg.arities(m)
	var bk fingerprint.Key
	binary.BigEndian.PutUint64(bk[:], seed)
	biases := fingerprint.SlotBiases(bk, arities, robust(classes), cfg.Design)
	coalition := make([]fingerprint.Codeword, cfg.C)
	for i := range coalition {
		var k fingerprint.Key
		binary.BigEndian.PutUint64(k[8:], uint64(i))
		k[30] = 9
		coalition[i] = fingerprint.NewCodeword(k, biases)
	}
	masks := Forge(cfg.Attack, coalition, arities, rng)
	cfg.edit(masks, arities, classes, rng)
	full, _ := fingerprint.NewEvidence(biases, masks)
	decoders := cfg.Decoders
	if decoders == nil {
		decoders = trace.DefaultDecoders
	}
	type view struct {
		suffix string
		ev     *fingerprint.Evidence
	}
	views := []view{{"", full}}
	if classes != nil {
		for _, sub := range trace.DefaultSubsets[1:] {
			rev := full.Restrict(func(j int) bool { return sub.Classes>>classes[j]&1 == 1 })
			if len(rev.Slots) > 0 {
				views = append(views, view{"/" + sub.Name, rev})
			}
		}
	}
	out := map[string][]float64{}
	innocents := make([]fingerprint.Codeword, trials)
	for t := range innocents {
		var k fingerprint.Key
		binary.BigEndian.PutUint64(k[:], uint64(t))
		binary.BigEndian.PutUint64(k[8:], seed)
		k[31] = 3
		innocents[t] = fingerprint.NewCodeword(k, biases)
	}
	for _, vw := range views {
		for _, d := range decoders {
			out[d.Name+vw.suffix] = tail(vw.ev.Scorer(d), innocents, levels)
		}
	}
	return out
}

// tail returns, for each level p, the fraction of the codewords whose
// score reaches the threshold for p.
func tail(sc *fingerprint.Scorer, codewords []fingerprint.Codeword, levels []float64) []float64 {
	ths := make([]float64, len(levels))
	for i, p := range levels {
		ths[i] = sc.Threshold(p)
	}
	hits := make([]int, len(levels))
	for _, cw := range codewords {
		s := sc.Score(cw)
		for i, th := range ths {
			if s >= th && !math.IsInf(th, 1) {
				hits[i]++
			}
		}
	}
	freq := make([]float64, len(levels))
	for i := range hits {
		freq[i] = float64(hits[i]) / float64(len(codewords))
	}
	return freq
}

// robust marks the slots of the robust classes (declared facts and list
// orders); nil without classes.
func robust(classes []uint8) []bool {
	if classes == nil {
		return nil
	}
	r := make([]bool, len(classes))
	for j, c := range classes {
		r[j] = c == trace.ClassDeclared || c == trace.ClassOrder
	}
	return r
}

// Plan layouts: the slots of the marked plans in testdata/plans, by class.
var (
	// LongPlan is a 1,500-word plan: ten declared facts (five of two
	// alternatives, five of three), shuffled lists of ten and eight
	// items, and its word and style slots.
	LongPlan = []Part{Slots(trace.ClassDeclared, 5, 2), Slots(trace.ClassDeclared, 5, 3), List(10), List(8),
		Slots(trace.ClassLexical, 17, 2), Slots(trace.ClassTypographic, 15, 2)}
	// ShortPlan is a 500-word plan: two declared facts and a shuffled
	// list of ten items.
	ShortPlan = []Part{Slots(trace.ClassDeclared, 2, 2), List(10), Slots(trace.ClassLexical, 8, 2), Slots(trace.ClassTypographic, 4, 2)}
)

// A Scenario is a leak made of a plan's copies: a coalition attack, read
// errors, and edits to whole classes.
type Scenario struct {
	Name    string
	C       int
	Attack  Attack
	Erasure float64
	Misread float64
	Edits   map[uint8]Edit
}

// Scenarios are the leaks a careful leaker or a journalist makes.
var Scenarios = []Scenario{
	{Name: "verbatim", C: 1},
	{Name: "read errors (30% erased, 10% misread)", C: 1, Erasure: 0.3, Misread: 0.1},
	{Name: "synonyms reverted", C: 1, Edits: map[uint8]Edit{trace.ClassLexical: Revert}},
	{Name: "house style", C: 1, Edits: map[uint8]Edit{trace.ClassTypographic: Revert}},
	{Name: "reverted and house style", C: 1, Edits: map[uint8]Edit{trace.ClassLexical: Revert, trace.ClassTypographic: Revert}},
	{Name: "laundered", C: 1, Edits: map[uint8]Edit{trace.ClassLexical: Launder, trace.ClassTypographic: Launder}},
	{Name: "paraphrased (facts and order only)", C: 1, Edits: map[uint8]Edit{trace.ClassLexical: Drop, trace.ClassTypographic: Drop}},
	{Name: "composite of 3", C: 3, Attack: Interleave},
	{Name: "composite of 3, reverted", C: 3, Attack: Interleave, Edits: map[uint8]Edit{trace.ClassLexical: Revert, trace.ClassTypographic: Revert}},
}

// ScenarioResult is one scenario's outcome over trials.
type ScenarioResult struct {
	Plan     string
	Scenario Scenario
	N        int
	Trials   int
	Caught   int
	// Innocents counts innocents accused (must be 0); Inconsistent,
	// colluders called inconsistent (must be 0).
	Innocents, Inconsistent int
}

// RunScenario runs trials of a scenario on a plan layout among n
// recipients, with the design the product chooses for n
// (fingerprint.DesignFor); simulated innocents are capped at simulated.
func RunScenario(plan string, layout []Part, s Scenario, n, trials, simulated int, seed uint64) ScenarioResult {
	cfg := Config{N: n, C: s.C, Attack: s.Attack, Erasure: s.Erasure, Misread: s.Misread, Design: fingerprint.DesignFor(n),
		Epsilon: 1e-6, Simulated: min(n, simulated), Layout: layout, Edits: s.Edits}
	r := ScenarioResult{Plan: plan, Scenario: s, N: n, Trials: trials}
	for t := range trials {
		o := Trial(cfg, 0, seed+uint64(t)*0x9E3779B97F4A7C15)
		if o.Caught {
			r.Caught++
		}
		r.Innocents += o.InnocentsHit
		r.Inconsistent += o.ColludersInconsistent
	}
	return r
}
