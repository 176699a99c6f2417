// Package sim simulates leaks against telltale's fingerprinting code and
// decision rule, to say how many observed slots a verdict needs and how
// often innocents would be accused. It is for measuring the product, not
// for running it: docs/benchmarks.md reports its figures, and the tests of
// package trace use its trials.
//
// A trial ([Trial]) draws secret biases and the coalition's codewords
// from the real keyed PRF (package fingerprint), lets the coalition forge
// a leak by an [Attack], erases and misreads slots, edits whole slot
// classes, and runs the product's decision rule ([Decide], which calls
// trace.Attribute). The thresholds are always the ones the product uses
// for all n recipients and all n(n−1) ordered pairs: ε is split among the
// decoders exactly as trace.Attribute splits it for n, never rescaled to
// the number simulated.
//
// # Innocents
//
// Every innocent is simulated, min(n−c, [MaxSimulated]) of them by
// default (so all of them up to 10⁴ recipients), drawn from the same
// biases by a seeded PCG. When fewer are simulated than exist, two things
// change, and both err on the side of the product:
//
//   - False accusations of the innocents not simulated are bounded
//     analytically, not counted: each decoder accuses an innocent with
//     probability at most its threshold's share per recipient (per ordered
//     pair for the pair decoder), so all n recipients and n(n−1) pairs
//     together stay below ε. [TailCheck] measures how conservative that
//     bound is.
//   - A colluder counts as caught only if a single decoder accuses it. The
//     pair decoder pairs the best-scoring recipients, and which those are
//     depends on innocents not simulated; a single decoder's verdict on a
//     colluder does not. The catch rate is then a lower bound.
//
// # Claims
//
// [SlotsFor] answers "how many slots for a 99 % catch?" in two steps. A
// binary search finds a candidate slot count, reusing one set of seeds at
// every point it tries (common random numbers keep the search monotone).
// Those trials are spent: the reported figure comes from fresh trials at
// the reported slot count, on seeds the search never used, and a slot
// count is reported only if the lower end of the 95 % Wilson interval of
// its fresh catch rate reaches the target. Batches of fresh trials run on
// an ascending ladder of slot counts, each on new seeds, until one does.
//
// [RunScenario] runs the leak scenarios ([Scenarios]) on plan layouts
// ([LongPlan], [ShortPlan]); [TailCheck] compares the empirical tail of
// innocent scores with the bound.
package sim

import (
	"encoding/binary"
	"fmt"
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
	N        int     // recipients
	C        int     // colluders (1: a single leaker)
	Attack   Attack  // ignored when C == 1
	Q        int     // symbols per slot
	Erasure  float64 // fraction of slots erased at random
	Misread  float64 // fraction of observed slots read as a wrong symbol
	Design   fingerprint.Design
	Epsilon  float64
	Decoders []fingerprint.Decoder // nil: trace.DefaultDecoders
	NoPairs  bool
	// Simulated is how many innocents are simulated; 0 means
	// min(N−C, MaxSimulated). The thresholds count all N recipients
	// whatever it is; with fewer than N−C, only single decoders' verdicts
	// count as catches (see the package comment).
	Simulated int
	// Robust, without a Layout, makes every slot a declared fact: a robust
	// class, uniform from design version 2, decoded as the product decodes
	// a leak that shows only declared facts (a paraphrase).
	Robust bool
	// Layout, if set, gives the slots by class (and Trial's m and Q are
	// ignored); the decision rule then reads the classes apart.
	Layout []Part
	// Edits apply to whole classes after the coalition forged the leak.
	Edits map[uint8]Edit
}

// MaxSimulated caps the innocents simulated explicitly per trial by
// default, for time: every innocent up to 10⁴ recipients.
const MaxSimulated = 10000

func (c Config) String() string {
	s := fmt.Sprintf("n=%d c=%d attack=%s q=%d erasure=%.2f misread=%.2f design=c%dv%d", c.N, c.C, c.Attack, c.Q, c.Erasure, c.Misread, c.Design.Coalition, c.Design.Version)
	if c.Robust {
		s += " robust"
	}
	return s
}

// Check reports whether the experiment can run, naming what is wrong.
func (c Config) Check() error {
	switch {
	case c.N < 1 || c.C < 1 || c.C > c.N:
		return fmt.Errorf("sim: %s: need 1 ≤ colluders ≤ recipients", c)
	case c.C > 1 && !knownAttack(c.Attack):
		return fmt.Errorf("sim: %s: unknown attack %q (one of %v)", c, c.Attack, Attacks)
	case c.Layout == nil && (c.Q < 2 || c.Q > 32):
		return fmt.Errorf("sim: %s: symbols per slot must be 2 to 32", c)
	case !(c.Erasure >= 0 && c.Erasure <= 1) || !(c.Misread >= 0 && c.Misread <= 1):
		return fmt.Errorf("sim: %s: erasure and misread are fractions in [0, 1]", c)
	case !(c.Epsilon > 0 && c.Epsilon < 1):
		return fmt.Errorf("sim: %s: epsilon %g is not in (0, 1)", c, c.Epsilon)
	case c.Simulated < 0:
		return fmt.Errorf("sim: %s: %d innocents simulated", c, c.Simulated)
	}
	if err := c.Design.Check(); err != nil {
		return fmt.Errorf("sim: %s: %w", c, err)
	}
	return nil
}

func knownAttack(a Attack) bool {
	for _, b := range Attacks {
		if a == b {
			return true
		}
	}
	return false
}

// innocents is how many innocents a trial simulates.
func (c Config) innocents() int {
	k := c.Simulated
	if k == 0 {
		k = MaxSimulated
	}
	return max(0, min(k, c.N-c.C))
}

// Outcome of one trial.
type Outcome struct {
	// Caught: at least one colluder accused (by a single decoder, if
	// fewer innocents were simulated than exist).
	Caught       bool
	InnocentsHit int // innocents accused (must stay 0)
	// Innocents is how many innocents were simulated.
	Innocents      int
	Observed       int // informative slots
	ColludersFound int
	// ColludersInconsistent counts colluders the verdict lists as
	// inconsistent with the leak as its sole unedited source.
	ColludersInconsistent int
	// Edited reports the verdict's finding that no copy matches the whole
	// evidence.
	Edited bool
}

// arities returns the symbols of each slot and, with a layout (or Robust),
// each slot's class.
func (c Config) arities(m int) ([]int, []uint8) {
	if c.Layout == nil {
		a := make([]int, m)
		for i := range a {
			a[i] = c.Q
		}
		if c.Robust {
			return a, make([]uint8, m) // all trace.ClassDeclared
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

// Trial runs one seeded trial with m slots in total. It panics if cfg
// fails Check or the decision rule cannot be reproduced (see Decide);
// RunBatch returns those as errors.
func Trial(cfg Config, m int, seed uint64) Outcome {
	if err := cfg.Check(); err != nil {
		panic(err)
	}
	o, err := trial(cfg, m, seed)
	if err != nil {
		panic(err)
	}
	return o
}

// trial runs one trial of a checked configuration.
func trial(cfg Config, m int, seed uint64) (Outcome, error) {
	rng := rand.New(rand.NewPCG(seed, 0x7e11))
	arities, classes := cfg.arities(m)
	if len(arities) == 0 {
		return Outcome{}, fmt.Errorf("sim: %s: no slots (m = %d)", cfg, m)
	}
	var bk fingerprint.Key
	binary.BigEndian.PutUint64(bk[:], seed)
	bk[31] = 1
	biases := fingerprint.SlotBiases(bk, arities, robust(classes), cfg.Design)
	codewords := make([]fingerprint.Codeword, cfg.C+cfg.innocents())
	for i := range cfg.C {
		var k fingerprint.Key
		binary.BigEndian.PutUint64(k[:], seed)
		binary.BigEndian.PutUint64(k[8:], uint64(i))
		k[31] = 2
		codewords[i] = fingerprint.NewCodeword(k, biases)
	}
	innocents := rand.New(rand.NewPCG(seed, 0x1badc0de))
	for i := cfg.C; i < len(codewords); i++ {
		codewords[i] = drawCodeword(biases, innocents)
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
		return Outcome{}, fmt.Errorf("sim: %s, seed %d: %w", cfg, seed, err)
	}
	d, err := Decide(ev, codewords, cfg.N, trace.Params{Epsilon: cfg.Epsilon, Decoders: cfg.Decoders, NoPairs: cfg.NoPairs, Classes: classes})
	if err != nil {
		return Outcome{}, fmt.Errorf("sim: %s, seed %d: %w", cfg, seed, err)
	}
	out := Outcome{Observed: len(ev.Slots), Edited: d.Edited, Innocents: len(codewords) - cfg.C}
	for i, accused := range d.Accused {
		switch {
		case accused && i < cfg.C:
			out.ColludersFound++
			// With a sample of the innocents, only a single decoder's
			// accusation is what the product would make among all n.
			out.Caught = out.Caught || !d.Sampled || d.Single[i]
		case accused:
			out.InnocentsHit++
		case d.Inconsistent[i] && i < cfg.C:
			out.ColludersInconsistent++
		}
	}
	return out, nil
}

// drawCodeword draws an innocent's codeword from the slot biases with rng,
// by the inverse distribution function as fingerprint.NewCodeword does with
// its keyed PRF. An innocent's codeword is independent of the leak either
// way; a PCG draws it some twenty times faster than AES, which is what lets
// a trial simulate all 10⁴ innocents.
func drawCodeword(biases [][]float64, rng *rand.Rand) fingerprint.Codeword {
	cw := make(fingerprint.Codeword, len(biases))
	for j, b := range biases {
		u := rng.Float64()
		s := 0
		for s < len(b)-1 && u >= b[s] {
			u -= b[s]
			s++
		}
		cw[j] = uint8(s)
	}
	return cw
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
