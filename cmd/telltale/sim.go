package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
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
	Trials  int     `default:"100" help:"Trials per measured point (a 99 % catch needs at most one miss in 100)."`
	Epsilon float64 `default:"1e-6" help:"False-accusation bound."`
	Quick   bool    `help:"A small grid, for a first look."`
	Plot    string  `help:"Write an SVG plot of slots needed against recipients to this file." placeholder:"FILE"`
	Tail    int     `default:"100000" help:"Innocent trials for the empirical tail check."`
	// Scenarios runs the leak scenarios on plan layouts instead.
	Scenarios bool `help:"Run the leak scenarios (verbatim, reverted, house style, laundered, paraphrased, composites) on the layouts of a 1,500- and a 500-word plan, Trials each, and count innocents accused."`
}

type simRow struct {
	label string
	cfg   sim.Config
}

func design(c int) fingerprint.Design { return fingerprint.Design{Coalition: c, Version: 1} }

func (c *SimCmd) Run(e *env) error {
	if c.Scenarios {
		return c.runScenarios(e)
	}
	w := e.stdout
	start := time.Now()
	fmt.Fprintf(w, "Simulation: observed slots for a 99%% catch at ε = %g (%d trials per point; innocents simulated: min(n, %d), union bound over all n).\n\n", c.Epsilon, c.Trials, sim.MaxSimulated)

	// Efficiency at n = 10,000.
	n := 10000
	rows := []simRow{
		{"single leaker, exact reads, binary, uniform design", sim.Config{C: 1, Q: 2, Design: design(1)}},
		{"single leaker, exact reads, 4-ary, uniform design", sim.Config{C: 1, Q: 4, Design: design(1)}},
		{"single leaker, exact reads, binary, default design (c=3)", sim.Config{C: 1, Q: 2, Design: design(3)}},
		{"single leaker, 10% misread, binary, uniform design", sim.Config{C: 1, Q: 2, Misread: 0.1, Design: design(1)}},
		{"single leaker, half the slots erased, binary, default design", sim.Config{C: 1, Q: 2, Erasure: 0.5, Design: design(3)}},
		{"paraphrase: declared facts only (3 alternatives), default design", sim.Config{C: 1, Q: 3, Design: design(3)}},
		{"2 colluders, interleave, binary, design c=2", sim.Config{C: 2, Attack: sim.Interleave, Q: 2, Design: design(2)}},
		{"2 colluders, random, binary, design c=2", sim.Config{C: 2, Attack: sim.Random, Q: 2, Design: design(2)}},
		{"2 colluders, erase-where-different, binary, design c=2", sim.Config{C: 2, Attack: sim.EraseDifferent, Q: 2, Design: design(2)}},
		{"3 colluders, interleave, binary, design c=3", sim.Config{C: 3, Attack: sim.Interleave, Q: 2, Design: design(3)}},
		{"3 colluders, majority, binary, design c=3", sim.Config{C: 3, Attack: sim.Majority, Q: 2, Design: design(3)}},
		{"3 colluders, minority, binary, design c=3", sim.Config{C: 3, Attack: sim.Minority, Q: 2, Design: design(3)}},
		{"3 colluders, random, binary, design c=3", sim.Config{C: 3, Attack: sim.Random, Q: 2, Design: design(3)}},
		{"3 colluders, erase-where-different, binary, design c=3", sim.Config{C: 3, Attack: sim.EraseDifferent, Q: 2, Design: design(3)}},
	}
	if c.Quick {
		rows = rows[:3]
	}
	fmt.Fprintf(w, "## Efficiency at n = %d\n\n", n)
	fmt.Fprintln(w, "| case | observed slots for 99 % catch | innocents accused |")
	fmt.Fprintln(w, "|---|---|---|")
	innocents := 0
	for i, r := range rows {
		r.cfg.N, r.cfg.Epsilon = n, c.Epsilon
		slots, obs, inn, ok := sim.SlotsFor(r.cfg, 0.99, c.Trials, 6000, uint64(1000+i))
		innocents += inn
		cell := fmt.Sprintf("%.0f (of %d slots)", obs, slots)
		if !ok {
			cell = "not reached within 6,000 slots"
		}
		fmt.Fprintf(w, "| %s | %s | %d |\n", r.label, cell, inn)
	}

	// Slots against n.
	ns := []int{12, 100, 10000, 1000000}
	curves := []simRow{
		{"c=1, default design", sim.Config{C: 1, Q: 2, Design: design(3)}},
		{"c=1, uniform design", sim.Config{C: 1, Q: 2, Design: design(1)}},
		{"c=2 interleave, design c=2", sim.Config{C: 2, Attack: sim.Interleave, Q: 2, Design: design(2)}},
		{"c=3 interleave, design c=3", sim.Config{C: 3, Attack: sim.Interleave, Q: 2, Design: design(3)}},
	}
	if c.Quick {
		curves = curves[:2]
	}
	fmt.Fprintf(w, "\n## Observed slots for 99 %% catch by number of recipients\n\n| case |")
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
			_, obs, inn, ok := sim.SlotsFor(cfg, 0.99, c.Trials, 6000, uint64(5000+10*ci+ni))
			innocents += inn
			if !ok {
				fmt.Fprint(w, " > 6,000 |")
				continue
			}
			fmt.Fprintf(w, " %.0f |", obs)
			points[ci] = append(points[ci], plotter.XY{X: math.Log10(float64(n)), Y: obs})
		}
		fmt.Fprintln(w)
	}

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
		{"single leaker, default design", sim.Config{C: 1, Q: 2, Design: design(3)}},
		{"3 colluders, majority, default design", sim.Config{C: 3, Attack: sim.Majority, Q: 2, Design: design(3)}},
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
	fmt.Fprintf(w, "\nInnocents accused in all trials above: %d. Time: %s.\n", innocents, time.Since(start).Round(time.Second))
	if c.Plot != "" {
		if err := writePlot(c.Plot, curves, points); err != nil {
			return err
		}
		fmt.Fprintf(w, "Plot: %s\n", c.Plot)
	}
	return nil
}

func writePlot(path string, curves []simRow, points []plotter.XYs) error {
	p := plot.New()
	p.Title.Text = "Observed slots for a 99% catch at ε = 1e-6"
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
	fmt.Fprintf(w, "Leak scenarios on plan layouts: %d trials each, ε = 10⁻⁶, design chosen from the audience, up to 200 innocents simulated (the union bound counts all n).\n\n", c.Trials)
	fmt.Fprintln(w, "| plan | scenario | n | caught | innocents accused | colluders called inconsistent |")
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
				fmt.Fprintf(w, "| %s | %s | %d | %.1f %% | %d | %d |\n", plan.name, s.Name, n, 100*float64(r.Caught)/float64(r.Trials), r.Innocents, r.Inconsistent)
			}
		}
	}
	fmt.Fprintf(w, "\n%d trials, %d innocents accused, in %s.\n", total, innocents, time.Since(start).Round(time.Second))
	return nil
}
