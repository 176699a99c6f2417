package trace_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// attackTrials is how many leakers each attack is tried with. The suite
// runs a few; docs/benchmarks.md records 100 each:
//
//	go test ./trace -run TestAttacksOnPlans -v -args -attack-trials=100
var attackTrials = flag.Int("attack-trials", 4, "leakers tried per attack in TestAttacksOnPlans")

// plan is a marked plan from testdata/plans, compiled once.
type plan struct {
	name   string
	tpl    *mark.Template
	reader *read.Reader
	rend   *render.Renderer
}

func loadPlan(t testing.TB, path string) *plan {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Base(filepath.Dir(path))
	return compilePlan(t, dir+"/"+strings.TrimSuffix(filepath.Base(path), ".md"), src)
}

// compilePlan parses, marks and compiles a source.
func compilePlan(t testing.TB, name string, src []byte) *plan {
	t.Helper()
	doc, err := parse.Parse(filepath.Base(name)+".md", src)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := read.New(tpl)
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.Compile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	return &plan{name: name, tpl: tpl, reader: rd, rend: r}
}

// issued is one trial: the plan's biases under a fresh key and n holders,
// as the product would issue them for an audience of n.
type issued struct {
	*plan
	design  fingerprint.Design
	biases  [][]float64
	holders []trace.Holder
}

func (p *plan) issue(n int, trial uint64) *issued {
	d := fingerprint.DesignFor(n)
	var bk fingerprint.Key
	copy(bk[:], fmt.Sprintf("bias %s %d", p.name, trial))
	is := &issued{plan: p, design: d, biases: fingerprint.SlotBiases(bk, p.tpl.Arities(), p.tpl.Robust(), d)}
	for i := range n {
		var ck fingerprint.Key
		copy(ck[:], fmt.Sprintf("copy %d %d", trial, i))
		is.holders = append(is.holders, trace.Holder{CopyID: int64(i + 1), Copy: i + 1, Codeword: fingerprint.NewCodeword(ck, is.biases),
			Recipient: trace.RecipientRef{ID: int64(i + 1), Name: fmt.Sprintf("Recipient %d", i+1)}})
	}
	return is
}

// body is holder i's copy as plain text, without the marking line a
// leaker would remove.
func (is *issued) body(t testing.TB, i int, f render.Format) string {
	t.Helper()
	b, err := is.rend.Body(f, is.holders[i].Codeword, 0)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (is *issued) trace(t testing.TB, leak string) *trace.Verdict {
	t.Helper()
	l, err := trace.PrepareLeak("leak.txt", []byte(leak))
	if err != nil {
		t.Fatal(err)
	}
	v, err := trace.Run(trace.Input{Reader: is.reader, Biases: is.biases, Design: is.design, Holders: is.holders, Leak: l})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// An attack makes a leak from the first copies of a trial; members is
// how many copies it uses (the coalition).
type attack struct {
	name    string
	members int
	leak    func(t testing.TB, is *issued, trial uint64) string
}

var lex = lexicon.Default()

var attacks = []attack{
	{"verbatim", 1, func(t testing.TB, is *issued, _ uint64) string { return is.body(t, 0, render.Text) }},
	{"synonyms reverted", 1, func(t testing.TB, is *issued, _ uint64) string {
		return leaktest.RevertSynonyms(is.body(t, 0, render.Text), lex)
	}},
	{"house style", 1, func(t testing.TB, is *issued, _ uint64) string {
		return leaktest.HouseStyle(is.body(t, 0, render.Text))
	}},
	{"reverted and house style", 1, func(t testing.TB, is *issued, _ uint64) string {
		return leaktest.HouseStyle(leaktest.RevertSynonyms(is.body(t, 0, render.Text), lex))
	}},
	{"laundered", 1, launder},
	{"retyped, list as prose", 1, func(t testing.TB, is *issued, _ uint64) string {
		return leaktest.Retype(leaktest.ListsToProse(is.body(t, 0, render.Text)))
	}},
	{"composite of 3", 3, func(t testing.TB, is *issued, trial uint64) string {
		// Each paragraph from one of three copies, each copy giving a
		// third of them in a random order. (A member whose paragraphs
		// carry no marks cannot be told from an innocent by anyone.)
		rng := rand.New(rand.NewPCG(trial, 3))
		var copies [3][]string
		for i := range copies {
			copies[i] = strings.Split(is.body(t, i, render.Text), "\n\n")
		}
		from := make([]int, len(copies[0]))
		for k := range from {
			from[k] = k % 3
		}
		rng.Shuffle(len(from), func(i, j int) { from[i], from[j] = from[j], from[i] })
		var parts []string
		for k := range copies[0] {
			if c := copies[from[k]]; k < len(c) {
				parts = append(parts, c[k])
			}
		}
		return strings.Join(parts, "\n\n")
	}},
}

// launder runs the leaker's copy through a telltale of the leaker's own:
// added as a document under another key and issued to himself, every
// word and style slot is drawn afresh, blind to his codeword.
func launder(t testing.TB, is *issued, trial uint64) string {
	t.Helper()
	doc, err := parse.Parse("copy.md", []byte(is.body(t, 0, render.Markdown)))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.Compile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	own := fingerprint.SlotBiases(fingerprint.Key{'o', 'w', 'n', byte(trial)}, tpl.Arities(), tpl.Robust(), fingerprint.DefaultDesign)
	out, err := r.Body(render.Text, fingerprint.NewCodeword(fingerprint.Key{'m', 'e', byte(trial)}, own), 0)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// outcome counts what an attack achieved over trials.
type outcome struct {
	trials, caught, innocents, membersInconsistent, edited int
}

func (o outcome) rate() float64 { return float64(o.caught) / float64(max(o.trials, 1)) }

func run(t *testing.T, p *plan, a attack, n, trials int) outcome {
	var o outcome
	for trial := range uint64(trials) {
		is := p.issue(n, trial)
		v := is.trace(t, a.leak(t, is, trial))
		o.trials++
		caught := false
		for _, f := range v.Accused {
			if int(f.CopyID) <= a.members {
				caught = true
			} else {
				o.innocents++
				t.Errorf("%s, %s, n=%d, trial %d: innocent %s accused\n%s", p.name, a.name, n, trial, f.Recipient.Name, v.Text())
			}
		}
		if caught {
			o.caught++
		}
		for _, f := range v.Excluded {
			if int(f.CopyID) <= a.members {
				o.membersInconsistent++
				t.Errorf("%s, %s, n=%d, trial %d: %s, a true source, called inconsistent\n%s", p.name, a.name, n, trial, f.Recipient.Name, v.Text())
			}
		}
		if v.Edited {
			o.edited++
		}
	}
	return o
}

// TestAttacksOnPlans traces rendered copies of the marked plans in
// testdata/plans — the development ones, and the held-out ones written
// without sight of the code — after the attacks a careful leaker or a
// journalist makes. No innocent may ever be accused and no true source
// called inconsistent; the long plans must catch their leaker however
// word choices and typography are normalised or laundered (from their
// declared facts and list orders alone if need be), and the short plans
// from a whole copy, verbatim or retyped with its list written as prose.
func TestAttacksOnPlans(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	trials := *attackTrials
	type want struct {
		attack string
		n      int
		rate   float64 // least share of trials caught; 0: only counted
	}
	long := []want{
		{"verbatim", 20, 1}, {"synonyms reverted", 20, 0.9}, {"house style", 20, 0.9}, {"reverted and house style", 20, 0.9},
		{"laundered", 20, 0.9}, {"retyped, list as prose", 20, 0.9}, {"composite of 3", 20, 0},
		{"reverted and house style", 1000, 0.6}, {"laundered", 1000, 0.6}, {"composite of 3", 1000, 0},
	}
	short := []want{
		{"verbatim", 12, 1}, {"retyped, list as prose", 12, 0.9}, {"synonyms reverted", 12, 0}, {"house style", 12, 0},
		{"reverted and house style", 12, 0}, {"laundered", 12, 0}, {"composite of 3", 12, 0},
	}
	for _, set := range []string{"dev", "heldout"} {
		for file, wants := range map[string][]want{"long-plan.md": long, "short-plan.md": short} {
			p := loadPlan(t, filepath.Join("..", "testdata", "plans", set, file))
			for _, w := range wants {
				var a attack
				for _, x := range attacks {
					if x.name == w.attack {
						a = x
					}
				}
				t.Run(fmt.Sprintf("%s/%s/n=%d", p.name, a.name, w.n), func(t *testing.T) {
					t.Parallel()
					o := run(t, p, a, w.n, trials)
					t.Logf("%s, %s, n=%d: caught %d of %d (%.0f%%), innocents accused %d, true sources called inconsistent %d, judged edited %d",
						p.name, a.name, w.n, o.caught, o.trials, 100*o.rate(), o.innocents, o.membersInconsistent, o.edited)
					if o.rate() < w.rate {
						t.Errorf("caught %d of %d, want at least %.0f%%", o.caught, o.trials, 100*w.rate)
					}
				})
			}
		}
	}
}
