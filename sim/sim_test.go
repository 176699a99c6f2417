package sim

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/trace"
)

// TestReportedPointHoldsOnFreshTrials: the slot count SlotsFor reports
// comes with a catch rate measured on fresh trials whose lower 95 % Wilson
// bound reaches the claim, those trials share no seed with the search, and
// yet another independent batch at that slot count catches at least the
// claimed fraction.
func TestReportedPointHoldsOnFreshTrials(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	const claim = 0.9
	for _, cfg := range []Config{
		{N: 200, C: 1, Q: 2, Misread: 0.1, Design: fingerprint.Design{Coalition: 1, Version: 2}, Epsilon: 1e-6, Simulated: 40},
		{N: 200, C: 2, Attack: Interleave, Q: 2, Design: fingerprint.DefaultDesign, Epsilon: 1e-6, Simulated: 40},
	} {
		t.Run(fmt.Sprintf("c=%d", cfg.C), func(t *testing.T) {
			t.Parallel()
			s := Search{Target: claim, Trials: 20, Fresh: 60, MaxSlots: 2000, Seed: 5}
			p, err := SlotsFor(cfg, s)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Reached {
				t.Fatalf("no slot count reached %g: %+v", claim, p)
			}
			last := p.Fresh[len(p.Fresh)-1]
			if p.Catch != last.Catch || p.Slots != last.Slots || p.Catch.N != s.Fresh {
				t.Errorf("reported %d slots, %v; last fresh batch %d slots, %v of %d trials", p.Slots, p.Catch, last.Slots, last.Catch, s.Fresh)
			}
			if lo := p.Catch.Lower(); lo < claim {
				t.Errorf("reported %d slots with a fresh catch rate of %v: lower bound %.3f below the claim %g", p.Slots, p.Catch, lo, claim)
			}
			for i, b := range p.Fresh {
				if overlap(b.Seed, b.Catch.N, p.SearchSeed, s.Trials) {
					t.Errorf("fresh batch %d reuses the search's seeds", i)
				}
				for _, c := range p.Fresh[:i] {
					if overlap(b.Seed, b.Catch.N, c.Seed, c.Catch.N) {
						t.Errorf("fresh batch %d reuses an earlier batch's seeds", i)
					}
				}
			}
			// A third, independent look at the reported point.
			check, err := RunBatch(cfg, p.Slots, 100, splitmix(12345), 0)
			if err != nil {
				t.Fatal(err)
			}
			if overlap(check.Seed, 100, p.SearchSeed, s.Trials) {
				t.Fatal("the check reuses the search's seeds")
			}
			if check.Catch.Rate() < claim {
				t.Errorf("at the reported %d slots, 100 independent trials caught %v, below the claim %g", p.Slots, check.Catch, claim)
			}
			if p.SearchAccused != 0 || p.Innocents().K != 0 || check.Innocents.K != 0 {
				t.Errorf("innocents accused: %d in the search, %v fresh, %v in the check", p.SearchAccused, p.Innocents(), check.Innocents)
			}
			t.Logf("search stopped at %d; reported %d slots (%.0f observed), %v, after %d fresh batches; check %v",
				p.SearchSlots, p.Slots, p.Observed, p.Catch, len(p.Fresh), check.Catch)
		})
	}
}

// TestSlotsForRefusesWeakClaims: fresh batches too small to show the
// target at 95 % confidence are refused, with the number needed.
func TestSlotsForRefusesWeakClaims(t *testing.T) {
	t.Parallel()
	cfg := Config{N: 100, C: 1, Q: 2, Design: fingerprint.DefaultDesign, Epsilon: 1e-6}
	_, err := SlotsFor(cfg, Search{Target: 0.99, Trials: 100, Fresh: 100, MaxSlots: 100})
	if err == nil || !strings.Contains(err.Error(), "at least 381") {
		t.Errorf("100 fresh trials for a 99 %% claim: err = %v, want a hint of 381", err)
	}
}

// TestThresholdsEqualTracer: the thresholds a trial applies to a sample of
// the recipients are the ones trace.Attribute applies to all n of them,
// for every decoder, and the pair decoder's share is per ordered pair of
// all n.
func TestThresholdsEqualTracer(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	const eps = 1e-6
	leaks := []struct {
		name string
		cfg  Config
		m    int
	}{
		{"binary, 3 colluders", Config{C: 3, Attack: Majority, Q: 2, Design: fingerprint.DefaultDesign}, 300},
		{"long plan, house style", Config{C: 1, Layout: LongPlan, Edits: map[uint8]Edit{trace.ClassTypographic: Revert}, Design: fingerprint.DefaultDesign}, 0},
	}
	for _, leak := range leaks {
		ev, classes, codewords := leakFor(t, leak.cfg, leak.m, 30, 7)
		for _, n := range []int{12, 1000, 10000, 1000000} {
			t.Run(fmt.Sprintf("%s/n=%d", leak.name, n), func(t *testing.T) {
				p := trace.Params{Epsilon: eps, Classes: classes}
				sample := codewords[:min(n-2, len(codewords))]
				got, err := Decide(ev, sample, n, p)
				if err != nil {
					t.Fatal(err)
				}
				all := make([]fingerprint.Codeword, n)
				for i := range all {
					all[i] = codewords[i%len(codewords)]
				}
				want := trace.Attribute(ev, all, p).Decoders
				if len(got.Decoders) != len(want) {
					t.Fatalf("%d decoders, the tracer has %d", len(got.Decoders), len(want))
				}
				for i, w := range want {
					g := got.Decoders[i]
					if g.Name != w.Name || g.Subset != w.Subset || g.Slots != w.Slots || g.Share != w.Share {
						t.Errorf("decoder %d: %s/%s, %d slots, share %g; the tracer's: %s/%s, %d slots, share %g",
							i, g.Name, g.Subset, g.Slots, g.Share, w.Name, w.Subset, w.Slots, w.Share)
					}
					if !near(g.PerRecipient, w.PerRecipient) || g.PerRecipient > w.PerRecipient {
						t.Errorf("%s: %g per recipient, the tracer's %g", g.Name, g.PerRecipient, w.PerRecipient)
					}
					if !near(g.Threshold, w.Threshold) && !(math.IsNaN(g.Threshold) && math.IsNaN(w.Threshold)) &&
						!(math.IsInf(g.Threshold, 1) && math.IsInf(w.Threshold, 1)) {
						t.Errorf("%s: threshold %g, the tracer's %g", g.Name, g.Threshold, w.Threshold)
					}
				}
				if w := want[len(want)-1]; w.Name != trace.Pairs || !near(w.PerRecipient, w.Share/(float64(n)*float64(n-1))) {
					t.Errorf("the tracer's last decoder is %s with %g per pair, want pairs with share/n(n−1)", w.Name, w.PerRecipient)
				}
			})
		}
	}
}

// TestDecideAccusesAsTheTracer: with every recipient simulated, Decide
// accuses exactly whom trace.Attribute accuses; on a sample, the single
// decoders' accusations (Decision.Single) are exactly the sample's members
// that trace.Attribute's single decoders accuse among all n, across
// coalitions, attacks and seeds.
func TestDecideAccusesAsTheTracer(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	accusations := 0
	for seed := range uint64(24) {
		c := 1 + int(seed%3)
		cfg := Config{C: c, Attack: Attacks[seed%uint64(len(Attacks))], Q: 2, Design: fingerprint.DefaultDesign, Misread: 0.05}
		const n, k = 40, 15
		ev, classes, codewords := leakFor(t, cfg, 60+40*c, n-c, seed)
		p := trace.Params{Epsilon: 1e-3, Classes: classes}

		all, err := Decide(ev, codewords, n, p)
		if err != nil {
			t.Fatal(err)
		}
		want := accusedBy(trace.Attribute(ev, codewords, p), n)
		if all.Sampled || !slices.Equal(all.Accused, want) {
			t.Errorf("seed %d, %d colluders, all simulated: accused %v, the tracer %v", seed, c, all.Accused, want)
		}

		sample, err := Decide(ev, codewords[:k], n, p)
		if err != nil {
			t.Fatal(err)
		}
		// The product's single decoders, with their share of ε when pairs
		// take one.
		singles := p
		singles.NoPairs = true
		d := len(all.Decoders)
		if all.Decoders[d-1].Name != trace.Pairs {
			t.Fatalf("seed %d: no pair decoder among %d recipients", seed, n)
		}
		singles.Epsilon = p.Epsilon * float64(d-1) / float64(d)
		wantSingle := accusedBy(trace.Attribute(ev, codewords, singles), n)
		if !sample.Sampled || !slices.Equal(sample.Single, wantSingle[:k]) {
			t.Errorf("seed %d, %d colluders, %d of %d simulated: single decoders accused %v, the tracer's %v", seed, c, k, n, sample.Single, wantSingle[:k])
		}
		for i := range k {
			if sample.Single[i] {
				accusations++
			}
		}
	}
	if accusations < 12 {
		t.Errorf("only %d single-decoder accusations in 24 leaks: the test is too weak to mean anything", accusations)
	}
}

func accusedBy(a *trace.Attribution, n int) []bool {
	accused := make([]bool, n)
	for _, f := range a.Accused {
		accused[f.Index] = true
	}
	return accused
}

// TestSampledCatchIsALowerBound: a trial that simulates a sample of the
// innocents catches a colluder only if the same trial with every innocent
// does (the sample is the first innocents of the full trial), and the
// pair decoder makes the full trials catch strictly more often.
func TestSampledCatchIsALowerBound(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	full := Config{N: 300, C: 2, Attack: Interleave, Q: 2, Design: fingerprint.DefaultDesign, Epsilon: 1e-6}
	sampled := full
	sampled.Simulated = 20
	more := 0
	for seed := range uint64(40) {
		f, s := Trial(full, 150, seed), Trial(sampled, 150, seed)
		if f.Innocents != 298 || s.Innocents != 20 {
			t.Fatalf("simulated %d and %d innocents, want 298 and 20", f.Innocents, s.Innocents)
		}
		if s.Caught && !f.Caught {
			t.Errorf("seed %d: caught with 20 innocents simulated, not with all 298", seed)
		}
		if f.Caught && !s.Caught {
			more++
		}
	}
	if more == 0 {
		t.Errorf("the pair decoder never caught a colluder the single decoders missed: the test is too weak")
	}
}

// TestPairBoundCountsEveryPair: the pair decoder's threshold divides its
// share of ε among all n(n−1) ordered pairs of the n recipients, not the
// pairs of the sample simulated, however large n is.
func TestPairBoundCountsEveryPair(t *testing.T) {
	t.Parallel()
	ev, classes, codewords := leakFor(t, Config{C: 2, Attack: Interleave, Q: 2, Design: fingerprint.DefaultDesign}, 200, 30, 3)
	for _, n := range []int{100, 10000, 1000000, 100000000} {
		d, err := Decide(ev, codewords, n, trace.Params{Epsilon: 1e-6, Classes: classes})
		if err != nil {
			t.Fatal(err)
		}
		pr := d.Decoders[len(d.Decoders)-1]
		want := 1e-6 / float64(len(d.Decoders)) / (float64(n) * float64(n-1))
		if pr.Name != trace.Pairs || pr.PerRecipient > want || pr.PerRecipient < want*(1-1e-9) {
			t.Errorf("n=%d: %s gets %g per pair, want ε/(%d decoders · n(n−1)) = %g", n, pr.Name, pr.PerRecipient, len(d.Decoders), want)
		}
		for _, s := range d.Decoders[:len(d.Decoders)-1] {
			if w := 1e-6 / float64(len(d.Decoders)) / float64(n); s.PerRecipient > w || s.PerRecipient < w*(1-1e-9) {
				t.Errorf("n=%d: %s gets %g per recipient, want %g", n, s.Name, s.PerRecipient, w)
			}
		}
	}
}

// leakFor forges a leak by cfg's coalition and returns its evidence, the
// slot classes and the codewords: the coalition's first, then innocents.
func leakFor(t *testing.T, cfg Config, m, innocents int, seed uint64) (*fingerprint.Evidence, []uint8, []fingerprint.Codeword) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 3))
	arities, classes := cfg.arities(m)
	var bk fingerprint.Key
	binary.BigEndian.PutUint64(bk[:], seed)
	biases := fingerprint.SlotBiases(bk, arities, robust(classes), cfg.Design)
	codewords := make([]fingerprint.Codeword, cfg.C+innocents)
	for i := range codewords {
		var k fingerprint.Key
		binary.BigEndian.PutUint64(k[:], seed)
		binary.BigEndian.PutUint64(k[8:], uint64(i))
		k[31] = 4
		codewords[i] = fingerprint.NewCodeword(k, biases)
	}
	masks := Forge(cfg.Attack, codewords[:cfg.C], arities, rng)
	for j := range masks {
		if cfg.Misread > 0 && masks[j].Count() == 1 && rng.Float64() < cfg.Misread {
			masks[j] = fingerprint.Mask(1) << uint(wrongSymbol(masks[j], arities[j], rng))
		}
	}
	cfg.edit(masks, arities, classes, rng)
	ev, err := fingerprint.NewEvidence(biases, masks)
	if err != nil {
		t.Fatal(err)
	}
	return ev, classes, codewords
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Abs(b) }

// TestWilson checks the interval against values computed by hand.
func TestWilson(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p      Proportion
		lo, hi float64
	}{
		{Proportion{0, 10}, 0, 0.27753},
		{Proportion{10, 10}, 0.72247, 1},
		{Proportion{5, 10}, 0.23659, 0.76341},
		{Proportion{400, 400}, 0.99049, 1},
		{Proportion{997, 1000}, 0.99122, 0.99898},
		{Proportion{0, 0}, 0, 1},
	} {
		lo, hi := tc.p.Wilson()
		if math.Abs(lo-tc.lo) > 1e-5 || math.Abs(hi-tc.hi) > 1e-5 {
			t.Errorf("%d of %d: [%.5f, %.5f], want [%.5f, %.5f]", tc.p.K, tc.p.N, lo, hi, tc.lo, tc.hi)
		}
	}
	for _, target := range []float64{0.9, 0.99, 0.999} {
		n := MinTrials(target)
		if (Proportion{n, n}).Lower() < target || (Proportion{n - 1, n - 1}).Lower() >= target {
			t.Errorf("MinTrials(%g) = %d is not the fewest all-success trials showing it", target, n)
		}
	}
}

// TestOverlap checks overlap against an enumeration of the seeds,
// including batches that wrap around 2⁶⁴.
func TestOverlap(t *testing.T) {
	t.Parallel()
	step, inverse := uint64(seedStep), uint64(stepInverse)
	if step*inverse != 1 {
		t.Fatalf("stepInverse is not the inverse of seedStep")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		a := rng.Uint64()
		na, nb := 1+rng.IntN(20), 1+rng.IntN(20)
		b := a + uint64(rng.IntN(61)-30)*seedStep // often overlapping
		if rng.IntN(4) == 0 {
			b = rng.Uint64()
		}
		want := false
		for i := range na {
			for j := range nb {
				want = want || a+uint64(i)*seedStep == b+uint64(j)*seedStep
			}
		}
		if got := overlap(a, na, b, nb); got != want {
			t.Fatalf("overlap(%#x, %d, %#x, %d) = %v, want %v", a, na, b, nb, got, want)
		}
	}
}

// TestBatchIndependentOfWorkers: a batch's outcome depends on its seeds,
// not on how many goroutines ran it.
func TestBatchIndependentOfWorkers(t *testing.T) {
	t.Parallel()
	cfg := Config{N: 1000, C: 2, Attack: Random, Q: 2, Erasure: 0.2, Design: fingerprint.DefaultDesign, Epsilon: 1e-6, Simulated: 30}
	one, err := RunBatch(cfg, 150, 12, 99, 1)
	if err != nil {
		t.Fatal(err)
	}
	three, err := RunBatch(cfg, 150, 12, 99, 3)
	if err != nil {
		t.Fatal(err)
	}
	if one != three {
		t.Errorf("1 worker: %+v; 3 workers: %+v", one, three)
	}
}

// TestConfigCheck: an impossible experiment is an error that says what.
func TestConfigCheck(t *testing.T) {
	t.Parallel()
	_, err := RunBatch(Config{N: 10, C: 2, Attack: "average", Q: 2, Design: fingerprint.DefaultDesign, Epsilon: 1e-6}, 10, 1, 0, 1)
	if err == nil || !strings.Contains(err.Error(), `unknown attack "average"`) {
		t.Errorf("err = %v", err)
	}
	_, err = RunBatch(Config{N: 10, C: 1, Q: 2, Design: fingerprint.DefaultDesign}, 10, 1, 0, 1)
	if err == nil || !strings.Contains(err.Error(), "epsilon 0") {
		t.Errorf("err = %v", err)
	}
}
