package trace_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/sim"
	"github.com/telltale-dev/telltale/trace"
)

// TestNoInnocentAccused runs thousands of seeded trials across coalition
// sizes, attacks, erasure and misread rates, designs and slot counts, and
// asserts that no innocent recipient is ever accused.
func TestNoInnocentAccused(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	// Seeds continue from one coalition size to the next: 96 trials for
	// one leaker, 480 for each coalition.
	for c, first := range map[int]int{1: 0, 2: 96, 3: 576} {
		t.Run(fmt.Sprintf("c=%d", c), func(t *testing.T) {
			t.Parallel()
			noInnocentAccused(t, c, first)
		})
	}
}

func noInnocentAccused(t *testing.T, c, first int) {
	trials := first
	caught := 0
	attacks := []sim.Attack{sim.Interleave}
	if c > 1 {
		attacks = sim.Attacks
	}
	for _, attack := range attacks {
		for _, erasure := range []float64{0, 0.4} {
			for _, misread := range []float64{0, 0.1} {
				for _, design := range []int{1, 3} {
					for _, m := range []int{16, 64, 200} {
						cfg := sim.Config{N: 40, C: c, Attack: attack, Q: 2 + m%3, Erasure: erasure, Misread: misread,
							Design: fingerprint.Design{Coalition: design, Version: 1}, Epsilon: 1e-3, Simulated: 40}
						for s := 0; s < 4; s++ {
							o := sim.Trial(cfg, m, uint64(trials)*7919+1)
							trials++
							if o.Caught {
								caught++
							}
							if o.InnocentsHit > 0 {
								t.Fatalf("%s, m=%d, seed %d: %d innocents accused", cfg, m, s, o.InnocentsHit)
							}
						}
					}
				}
			}
		}
	}
	trials -= first
	t.Logf("%d trials, colluder caught in %d, no innocent accused", trials, caught)
	if want := 96 * len(attacks); trials != want {
		t.Errorf("%d trials, want %d", trials, want)
	}
	if caught < trials/4 {
		t.Errorf("colluders caught in only %d of %d trials: the test is too weak to mean anything", caught, trials)
	}
}

// TestEmpiricalTailBelowBound: over 100,000 innocent codewords, the
// fraction reaching each decoder's threshold for bound p stays below p.
func TestEmpiricalTailBelowBound(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	levels := []float64{1e-1, 1e-2, 1e-3}
	for _, cfg := range []sim.Config{
		{C: 1, Q: 2, Design: fingerprint.Design{Coalition: 3, Version: 1}},
		{C: 2, Attack: sim.Interleave, Q: 3, Design: fingerprint.Design{Coalition: 3, Version: 1}},
		{C: 3, Attack: sim.Majority, Q: 2, Design: fingerprint.Design{Coalition: 1, Version: 1}},
	} {
		t.Run(fmt.Sprintf("c=%d", cfg.C), func(t *testing.T) {
			t.Parallel()
			const trials = 100000
			tails := sim.TailCheck(cfg, 80, trials, levels, 42)
			for name, freq := range tails {
				for i, p := range levels {
					if slack := 4 * math.Sqrt(p/trials); freq[i] > p+slack {
						t.Errorf("c=%d %s: %.5f of innocents reach the bound-%g threshold", cfg.C, name, freq[i], p)
					}
				}
			}
		})
	}
}

// TestVerbatimIdentifies: a whole copy, read exactly, identifies its
// recipient among 12 and among 1,000 at ε = 1e-6 (uniform and default
// designs), with nobody else accused.
func TestVerbatimIdentifies(t *testing.T) {
	t.Parallel()
	for _, n := range []int{12, 1000} {
		for _, design := range []int{1, 3} {
			cfg := sim.Config{N: n, C: 1, Q: 2, Design: fingerprint.Design{Coalition: design, Version: 1}, Epsilon: 1e-6, Simulated: n}
			for s := uint64(0); s < 3; s++ {
				o := sim.Trial(cfg, 120, s)
				if !o.Caught || o.InnocentsHit != 0 {
					t.Errorf("n=%d design c%d seed %d: caught=%v innocents=%d", n, design, s, o.Caught, o.InnocentsHit)
				}
			}
		}
	}
}

// TestPairsCatchTwo: two colluders mixing their copies slot by slot are
// caught when enough slots are observed.
func TestPairsCatchTwo(t *testing.T) {
	t.Parallel()
	cfg := sim.Config{N: 100, C: 2, Attack: sim.Interleave, Q: 2, Design: fingerprint.Design{Coalition: 2, Version: 1}, Epsilon: 1e-6, Simulated: 100}
	rate, innocents, _ := sim.CatchRate(cfg, 300, 20, 9)
	if rate < 0.95 || innocents != 0 {
		t.Errorf("pairs: caught %.0f%% of coalitions with 300 slots, %d innocents accused", 100*rate, innocents)
	}
}

// TestThinEvidenceInconclusive: a handful of slots never accuses anyone,
// whatever they show.
func TestThinEvidenceInconclusive(t *testing.T) {
	t.Parallel()
	for s := uint64(0); s < 200; s++ {
		cfg := sim.Config{N: 12, C: 1, Q: 3, Design: fingerprint.DefaultDesign, Epsilon: 1e-6, Simulated: 12}
		if o := sim.Trial(cfg, 5, s); o.Caught || o.InnocentsHit > 0 {
			t.Fatalf("5 slots led to an accusation (seed %d)", s)
		}
	}
}

func ExampleFormatBound() {
	fmt.Println(trace.FormatBound(math.Log(0.5)), trace.FormatBound(math.Log(3.2e-9)))
	// Output: 0.5000 3.2 × 10⁻⁹
}

func ExampleFormatEpsilon() {
	fmt.Println(trace.FormatEpsilon(1e-6), trace.FormatEpsilon(2.5e-7), trace.FormatEpsilon(0.01))
	// Output: 10⁻⁶ 2.5 × 10⁻⁷ 0.01
}

// TestScenarios runs every leak scenario (sim.Scenarios) on the long and
// short plan layouts: no innocent is ever accused and no colluder called
// inconsistent, and the long plan catches its single leaker however its
// word choices and typography were normalised or laundered. The figures
// in docs/benchmarks.md come from the same scenarios at 10⁵ trials
// (telltale sim --scenarios).
func TestScenarios(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	for _, plan := range []struct {
		name   string
		layout []sim.Part
	}{{"long plan", sim.LongPlan}, {"short plan", sim.ShortPlan}} {
		for _, s := range sim.Scenarios {
			for _, n := range []int{20, 1000} {
				t.Run(fmt.Sprintf("%s/%s/n=%d", plan.name, s.Name, n), func(t *testing.T) {
					t.Parallel()
					r := sim.RunScenario(plan.name, plan.layout, s, n, 40, 100, uint64(n)*31+7)
					if r.Innocents > 0 || r.Inconsistent > 0 {
						t.Errorf("%d innocents accused, %d colluders called inconsistent", r.Innocents, r.Inconsistent)
					}
					if plan.name == "long plan" && s.C == 1 && !strings.HasPrefix(s.Name, "read errors") && r.Caught < r.Trials*9/10 {
						t.Errorf("caught %d of %d", r.Caught, r.Trials)
					}
					t.Logf("caught %d of %d", r.Caught, r.Trials)
				})
			}
		}
	}
}
