package sim

import (
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/trace"
)

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
	// Innocents counts innocents accused (must be 0) among Simulated
	// innocent trials (innocents simulated per trial, summed);
	// Inconsistent, colluders called inconsistent (must be 0).
	Innocents, Simulated, Inconsistent int
}

// Catch is the fraction of trials in which a colluder was accused.
func (r ScenarioResult) Catch() Proportion { return Proportion{r.Caught, r.Trials} }

// FalseAccusations is the fraction of simulated innocents accused.
func (r ScenarioResult) FalseAccusations() Proportion { return Proportion{r.Innocents, r.Simulated} }

// ScenarioConfig is the experiment of a scenario on a plan layout among n
// recipients, with the design the product chooses for n
// (fingerprint.DesignFor) and ε = trace.DefaultEpsilon; at most simulated
// innocents are simulated per trial, and the thresholds count all n.
func ScenarioConfig(layout []Part, s Scenario, n, simulated int) Config {
	return Config{N: n, C: s.C, Attack: s.Attack, Erasure: s.Erasure, Misread: s.Misread, Design: fingerprint.DesignFor(n),
		Epsilon: trace.DefaultEpsilon, Simulated: min(n, simulated), Layout: layout, Edits: s.Edits}
}

// RunScenario runs trials of a scenario on a plan layout (ScenarioConfig),
// on the seeds of a batch from seed, one worker per CPU. It panics where
// RunBatch returns an error.
func RunScenario(plan string, layout []Part, s Scenario, n, trials, simulated int, seed uint64) ScenarioResult {
	b, err := RunBatch(ScenarioConfig(layout, s, n, simulated), 0, trials, seed, 0)
	if err != nil {
		panic(err)
	}
	return ScenarioResult{Plan: plan, Scenario: s, N: n, Trials: trials, Caught: b.Catch.K,
		Innocents: b.Innocents.K, Simulated: b.Innocents.N, Inconsistent: b.Inconsistent}
}
