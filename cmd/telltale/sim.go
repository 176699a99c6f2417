package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/sim"
)

// SimCmd simulates leaks to measure the code's efficiency and error rate.
type SimCmd struct {
	Trials  int     `default:"50" help:"Trials per point of the binary search (the same seeds at every point; they never count towards a reported figure)."`
	Fresh   int     `default:"700" help:"Trials per fresh batch at a candidate slot count, on new seeds: a point is reported when the lower end of the 95 % Wilson interval of its catch rate reaches the target."`
	Target  float64 `default:"0.99" help:"Catch rate to show."`
	Epsilon float64 `default:"1e-6" help:"False-accusation bound."`
	Seed    uint64  `default:"1" help:"Selects every seed of the run."`
	Quick   bool    `help:"A small grid, for a first look."`
	Only    string  `help:"Run only the efficiency rows whose case contains this text, and neither the table by number of recipients nor the tail check." placeholder:"TEXT"`
	Plot    string  `help:"Write an SVG plot of slots needed against recipients to this file." placeholder:"FILE"`
	Tail    int     `default:"100000" help:"Innocent trials for the empirical tail check."`
	// Scenarios runs the leak scenarios on plan layouts instead.
	Scenarios bool `help:"Run the leak scenarios (verbatim, reverted, house style, laundered, paraphrased, composites) on the layouts of a 1,500- and a 500-word plan, Trials each, and count innocents accused."`
}

type simRow struct {
	label string
	cfg   sim.Config
}

// design is the code built for c colluders (version 1: robust slots follow
// the coalition's law too; for binary word and style slots versions 1 and
// 2 are the same).
func design(c int) fingerprint.Design { return fingerprint.Design{Coalition: c, Version: 1} }

// simRows are the cases of the efficiency table. The rows marked "product"
// use the design the product chooses for 10⁴ recipients
// (fingerprint.DesignFor: resistant to 3 colluders, uniform robust slots).
func simRows() []simRow {
	product := fingerprint.DesignFor(10000)
	return []simRow{
		{"single leaker, exact reads, binary, uniform design", sim.Config{C: 1, Q: 2, Design: design(1)}},
		{"single leaker, exact reads, 4-ary, uniform design", sim.Config{C: 1, Q: 4, Design: design(1)}},
		{"**product**: single leaker, exact reads, binary, default design", sim.Config{C: 1, Q: 2, Design: product}},
		{"single leaker, 10% misread, binary, uniform design", sim.Config{C: 1, Q: 2, Misread: 0.1, Design: design(1)}},
		{"**product**: single leaker, half the slots erased, binary, default design", sim.Config{C: 1, Q: 2, Erasure: 0.5, Design: product}},
		{"**product**: paraphrase, declared facts only (3 alternatives), default design", sim.Config{C: 1, Q: 3, Robust: true, Design: product}},
		{"2 colluders, interleave, binary, design c=2", sim.Config{C: 2, Attack: sim.Interleave, Q: 2, Design: design(2)}},
		{"**product**: 2 colluders, interleave, binary, default design", sim.Config{C: 2, Attack: sim.Interleave, Q: 2, Design: product}},
		{"2 colluders, random, binary, design c=2", sim.Config{C: 2, Attack: sim.Random, Q: 2, Design: design(2)}},
		{"**product**: 2 colluders, random, binary, default design", sim.Config{C: 2, Attack: sim.Random, Q: 2, Design: product}},
		{"2 colluders, erase-where-different, binary, design c=2", sim.Config{C: 2, Attack: sim.EraseDifferent, Q: 2, Design: design(2)}},
		{"**product**: 3 colluders, interleave, binary, default design", sim.Config{C: 3, Attack: sim.Interleave, Q: 2, Design: product}},
		{"**product**: 3 colluders, majority, binary, default design", sim.Config{C: 3, Attack: sim.Majority, Q: 2, Design: product}},
		{"**product**: 3 colluders, minority, binary, default design", sim.Config{C: 3, Attack: sim.Minority, Q: 2, Design: product}},
		{"**product**: 3 colluders, random, binary, default design", sim.Config{C: 3, Attack: sim.Random, Q: 2, Design: product}},
		{"**product**: 3 colluders, erase-where-different, binary, default design", sim.Config{C: 3, Attack: sim.EraseDifferent, Q: 2, Design: product}},
	}
}

// maxSlots bounds every search.
const maxSlots = 6000

func (c *SimCmd) Run(e *env) error {
	if c.Scenarios {
		return c.runScenarios(e)
	}
	w := e.stdout
	start := time.Now()
	search := sim.Search{Target: c.Target, Trials: c.Trials, Fresh: c.Fresh, MaxSlots: maxSlots}
	fmt.Fprintf(w, "Simulation: slots for a %g catch at ε = %g, shown on fresh trials (search: %d trials per point; fresh batches of %d trials on new seeds; a point is reported when the lower end of its 95 %% Wilson interval reaches %g). Innocents simulated: min(n−c, %d); the union bound counts all n recipients and n(n−1) ordered pairs.\n\n",
		c.Target, c.Epsilon, c.Trials, c.Fresh, c.Target, sim.MaxSimulated)

	var innocents sim.Proportion
	searchAccused := 0
	point := func(cfg sim.Config, seed uint64) (sim.Point, error) {
		s := search
		s.Seed = seed
		p, err := sim.SlotsFor(cfg, s)
		if err != nil {
			return p, fmt.Errorf("failed to simulate %s: %w", cfg, err)
		}
		innocents = innocents.Add(p.Innocents())
		searchAccused += p.SearchAccused
		return p, nil
	}

	// Efficiency at n = 10,000.
	n := 10000
	rows := simRows()
	if c.Quick {
		rows = rows[:3]
	}
	if c.Only != "" {
		rows = slices.DeleteFunc(rows, func(r simRow) bool { return !strings.Contains(r.label, c.Only) })
	}
	fmt.Fprintf(w, "## Efficiency at n = %d\n\n", n)
	fmt.Fprintln(w, "| case | slots | observed | fresh catch (95 % Wilson) | search stopped at | fresh batches | innocents accused / simulated |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	byCase := map[string]sim.Point{}
	for i, r := range rows {
		r.cfg.N, r.cfg.Epsilon = n, c.Epsilon
		p, err := point(r.cfg, c.Seed*1000003+uint64(1000+i))
		if err != nil {
			return err
		}
		byCase[r.label] = p
		fmt.Fprintf(w, "| %s | %s | %d | %d | %s |\n", r.label, pointCells(p), p.SearchSlots, len(p.Fresh), count(p.Innocents()))
	}

	if c.Only != "" {
		fmt.Fprintf(w, "\nInnocents accused in the fresh trials: %s; in the search trials: %d. Time: %s.\n", count(innocents), searchAccused, time.Since(start).Round(time.Second))
		return nil
	}

	// Slots against n.
	ns := []int{12, 100, 10000, 1000000}
	curves := []simRow{
		{"c=1, default design", rows[2].cfg},
		{"c=1, uniform design", rows[0].cfg},
		{"c=2 interleave, default design", simRows()[7].cfg},
		{"c=3 interleave, default design", simRows()[11].cfg},
	}
	if c.Quick {
		curves = curves[:2]
	}
	fmt.Fprintf(w, "\n## Slots for a %g catch by number of recipients (observed slots; fresh catch rate, 95 %% Wilson)\n\n| case |", c.Target)
	for _, n := range ns {
		fmt.Fprintf(w, " n = %d |", n)
	}
	fmt.Fprintf(w, "\n|---|")
	for range ns {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	points := make([]plotter.XYs, len(curves))
	for ci, cv := range curves {
		fmt.Fprintf(w, "| %s |", cv.label)
		for ni, n := range ns {
			cfg := cv.cfg
			cfg.N, cfg.Epsilon = n, c.Epsilon
			p, ok := byCase[labelOf(rows, cv.cfg)]
			if !ok || n != 10000 {
				var err error
				if p, err = point(cfg, c.Seed*1000003+uint64(5000+10*ci+ni)); err != nil {
					return err
				}
			}
			if !p.Reached {
				fmt.Fprintf(w, " not shown within %d |", maxSlots)
				continue
			}
			mark := ""
			if n-cfg.C > sim.MaxSimulated {
				mark = "†"
			}
			fmt.Fprintf(w, " %.0f%s (%s) |", p.Observed, mark, p.Catch)
			points[ci] = append(points[ci], plotter.XY{X: math.Log10(float64(n)), Y: p.Observed})
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\n† %d innocents simulated of n−c: false accusations of the others are bounded by the thresholds (union over all n and n(n−1)), and only single decoders' accusations count as catches (a lower bound).\n", sim.MaxSimulated)

	// Empirical tail against the bound.
	fmt.Fprintf(w, "\n## Empirical false-accusation rate against the bound (%d innocent codewords, 200 observed slots)\n\n", c.Tail)
	levels := []float64{1e-1, 1e-2, 1e-3, 1e-4}
	fmt.Fprint(w, "| leak | decoder |")
	for _, p := range levels {
		fmt.Fprintf(w, " bound %g |", p)
	}
	fmt.Fprint(w, "\n|---|---|")
	for range levels {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for i, tc := range []simRow{
		{"single leaker, default design", sim.Config{C: 1, Q: 2, Design: fingerprint.DefaultDesign}},
		{"3 colluders, majority, default design", sim.Config{C: 3, Attack: sim.Majority, Q: 2, Design: fingerprint.DefaultDesign}},
	} {
		tails := sim.TailCheck(tc.cfg, 200, c.Tail, levels, uint64(77+i))
		for _, d := range []string{"tardos", "interleave-3"} {
			fmt.Fprintf(w, "| %s | %s |", tc.label, d)
			for k := range levels {
				fmt.Fprintf(w, " %.5f |", tails[d][k])
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\nInnocents accused in the fresh trials: %s; in the search trials: %d. Time: %s.\n", count(innocents), searchAccused, time.Since(start).Round(time.Second))
	if c.Plot != "" {
		if err := writePlot(c.Plot, curves, points); err != nil {
			return err
		}
		fmt.Fprintf(w, "Plot: %s\n", c.Plot)
	}
	return nil
}

// pointCells formats a point's slots, observed slots and fresh catch rate.
func pointCells(p sim.Point) string {
	if !p.Reached {
		last := "no fresh batch"
		if len(p.Fresh) > 0 {
			b := p.Fresh[len(p.Fresh)-1]
			last = fmt.Sprintf("last: %d slots, %s", b.Slots, b.Catch)
		}
		return fmt.Sprintf("not shown within %d | – | %s", maxSlots, last)
	}
	return fmt.Sprintf("%d | %.0f | %s", p.Slots, p.Observed, p.Catch)
}

// count formats how many of how many, without a rate: innocents accused
// are compared with the bound, not estimated.
func count(p sim.Proportion) string { return fmt.Sprintf("%d / %d", p.K, p.N) }

// labelOf finds the efficiency row with the same experiment.
func labelOf(rows []simRow, cfg sim.Config) string {
	for _, r := range rows {
		if r.cfg.C == cfg.C && r.cfg.Attack == cfg.Attack && r.cfg.Q == cfg.Q && r.cfg.Design == cfg.Design &&
			r.cfg.Erasure == cfg.Erasure && r.cfg.Misread == cfg.Misread && r.cfg.Robust == cfg.Robust {
			return r.label
		}
	}
	return ""
}

func writePlot(path string, curves []simRow, points []plotter.XYs) error {
	p := plot.New()
	p.Title.Text = "Observed slots for a 99% catch (fresh trials, 95% Wilson lower bound) at ε = 1e-6"
	p.X.Label.Text = "recipients (log10 n)"
	p.Y.Label.Text = "observed slots"
	var args []any
	for i, cv := range curves {
		if len(points[i]) > 0 {
			args = append(args, cv.label, points[i])
		}
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return err
	}
	p.Legend.Top = true
	p.Legend.Left = true
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	wt, err := p.WriterTo(7*vg.Inch, 4.5*vg.Inch, "svg")
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = wt.WriteTo(f)
	return err
}

// runScenarios prints the scenario table of docs/benchmarks.md.
func (c *SimCmd) runScenarios(e *env) error {
	w := e.stdout
	start := time.Now()
	fmt.Fprintf(w, "Leak scenarios on plan layouts: %d trials each, ε = 10⁻⁶, design chosen from the audience, up to 200 innocents simulated: the thresholds count all n recipients and n(n−1) pairs, and where fewer innocents are simulated than exist only single decoders' accusations count as catches.\n\n", c.Trials)
	fmt.Fprintln(w, "| plan | scenario | n | caught (95 % Wilson) | innocents accused | colluders called inconsistent |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	total, innocents := 0, 0
	for _, plan := range []struct {
		name   string
		layout []sim.Part
	}{{"1,500 words", sim.LongPlan}, {"500 words", sim.ShortPlan}} {
		for i, s := range sim.Scenarios {
			for _, n := range []int{20, 1000} {
				r := sim.RunScenario(plan.name, plan.layout, s, n, c.Trials, 200, uint64(i*1000+n))
				total += r.Trials
				innocents += r.Innocents
				fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %d |\n", plan.name, s.Name, n, r.Catch(), count(r.FalseAccusations()), r.Inconsistent)
			}
		}
	}
	fmt.Fprintf(w, "\n%d trials, %d innocents accused, in %s.\n", total, innocents, time.Since(start).Round(time.Second))
	return nil
}
