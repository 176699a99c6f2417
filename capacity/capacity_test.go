package capacity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
)

func template(t *testing.T, src []byte) *mark.Template {
	t.Helper()
	doc, err := parse.Parse("doc.md", src)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// measured is the input of a measured report: the template with its
// reader, renderer and biases under a fixed key.
func measured(t *testing.T, tpl *mark.Template, n int) Input {
	t.Helper()
	rd, err := read.New(tpl)
	if err != nil {
		t.Fatal(err)
	}
	rend, err := render.Compile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	d := fingerprint.DefaultDesign
	return Input{Template: tpl, Design: d, Recipients: n, Epsilon: DefaultEpsilon, Reader: rd, Renderer: rend,
		Biases: fingerprint.SlotBiases(fingerprint.Key{3}, tpl.Arities(), tpl.Robust(), d)}
}

// TestExcerptsCalibrated: the excerpt lengths the report gives hold for
// other copies: of excerpts of the reported nine-in-ten length, taken
// anywhere in copies under other codewords, at least eight in ten carry
// the evidence needed when read.
func TestExcerptsCalibrated(t *testing.T) {
	t.Parallel()
	src, _ := samples.Get("operations-plan")
	in := measured(t, template(t, src), 12)
	r := Compute(in)
	if !r.Measured || r.ExcerptMedian == 0 || r.ExcerptP90 < r.ExcerptMedian {
		t.Fatalf("excerpts: median %d, p90 %d", r.ExcerptMedian, r.ExcerptP90)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	ok, trials := 0, 0
	for c := range 8 {
		cw := fingerprint.NewCodeword(fingerprint.Key{9, byte(c)}, in.Biases)
		body, _ := in.Renderer.Body(render.Text, cw, 0)
		words := strings.Fields(string(body))
		for range 10 {
			start := rng.IntN(len(words) - r.ExcerptP90 + 1)
			obs := in.Reader.Read(strings.Join(words[start:start+r.ExcerptP90], " "))
			ev, _ := fingerprint.NewEvidence(in.Biases, obs.Masks)
			if sc := ev.Scorer(fingerprint.Exact); sc.Score(cw) >= r.Need {
				ok++
			}
			trials++
		}
	}
	t.Logf("excerpts of %d words (reported for nine in ten): %d of %d suffice", r.ExcerptP90, ok, trials)
	if ok < trials*8/10 {
		t.Errorf("excerpts of the reported %d words suffice in only %d of %d", r.ExcerptP90, ok, trials)
	}
}

func TestSamples(t *testing.T) {
	t.Parallel()
	for _, name := range samples.Names() {
		src, _ := samples.Get(name)
		r := Compute(measured(t, template(t, src), 12))
		if !r.Verbatim.Enough {
			t.Errorf("%s: a whole verbatim copy is not attributable among 12: %s", name, r)
		}
		if r.ExcerptMedian == 0 || r.ExcerptMedian > r.Words {
			t.Errorf("%s: excerpt median %d words of %d", name, r.ExcerptMedian, r.Words)
		}
		if r.ExcerptP90 < r.ExcerptMedian {
			t.Errorf("%s: p90 %d < median %d", name, r.ExcerptP90, r.ExcerptMedian)
		}
		s := r.String()
		for _, want := range []string{"declared", "lexical", "verbatim", "Paraphrased"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: report lacks %q:\n%s", name, want, s)
			}
		}
	}
}

// TestAdvice: a plan with no declared facts cannot be attributed from a
// paraphrase, and the report says how many declared variants to add.
func TestAdvice(t *testing.T) {
	t.Parallel()
	src := []byte("# Plan\n\nThe team will begin approximately 140 arrests prior to the end of March, and they will ensure that the public is safe.\n")
	r := Compute(Input{Template: template(t, src), Design: fingerprint.DefaultDesign, Recipients: 1000, Epsilon: DefaultEpsilon})
	if r.Paraphrased.Enough || r.AddDeclared == 0 {
		t.Fatalf("paraphrase judged attributable with no declared slots: %+v", r)
	}
	if !strings.Contains(r.String(), "Add about") {
		t.Errorf("no advice in report:\n%s", r)
	}
	if r.Verbatim.Enough {
		t.Errorf("a two-sentence plan judged attributable among 1000: %s", r)
	}
	if r.ExcerptMedian != 0 {
		t.Errorf("excerpt length %d for a plan that cannot be attributed", r.ExcerptMedian)
	}
}

// TestMoreRecipientsNeedMore: the evidence needed grows with n.
func TestMoreRecipientsNeedMore(t *testing.T) {
	t.Parallel()
	src, _ := samples.Get("operations-plan")
	tpl := template(t, src)
	small := Compute(Input{Template: tpl, Design: fingerprint.DefaultDesign, Recipients: 12, Epsilon: DefaultEpsilon})
	large := Compute(Input{Template: tpl, Design: fingerprint.DefaultDesign, Recipients: 10000, Epsilon: DefaultEpsilon})
	if large.Need <= small.Need || large.ExcerptMedian < small.ExcerptMedian {
		t.Errorf("n=10000 needs %.1f nats / %d words, n=12 needs %.1f / %d", large.Need, large.ExcerptMedian, small.Need, small.ExcerptMedian)
	}
}

// TestSuggested: suggestions weighed by the report say how many to accept,
// and accepting that many (as declared variants of a new version) does
// make a paraphrase attributable.
func TestSuggested(t *testing.T) {
	t.Parallel()
	src := []byte("# Plan\n\nThe team will begin approximately 140 arrests prior to the end of March, and they will ensure that the public is safe.\n")
	base := Compute(Input{Template: template(t, src), Design: fingerprint.DefaultDesign, Recipients: 12, Epsilon: DefaultEpsilon,
		Suggested: []int{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 3, 3}})
	sg := base.Suggested
	if base.Paraphrased.Enough || sg == nil || sg.Offered != 13 || !sg.Paraphrased.Enough || sg.Needed <= 0 || sg.Needed > 13 {
		t.Fatalf("suggested = %+v, paraphrased %+v", sg, base.Paraphrased)
	}
	// Accept exactly the Needed with the most alternatives: enough; one
	// fewer: not.
	for _, k := range []int{sg.Needed, sg.Needed - 1} {
		var b strings.Builder
		b.WriteString("# Plan\n\n")
		for i := range k {
			fmt.Fprintf(&b, "Team %c brings {{10%d|20%d|30%d|40%d|50%d|60%d|70%d}} boxes.\n\n", 'A'+i, i, i, i, i, i, i, i)
		}
		r := Compute(Input{Template: template(t, []byte(b.String())), Design: fingerprint.DefaultDesign, Recipients: 12, Epsilon: DefaultEpsilon})
		if r.Paraphrased.Enough != (k == sg.Needed) {
			t.Errorf("with %d facts of 7 accepted: paraphrase attributable = %v (needed %d): %s", k, r.Paraphrased.Enough, sg.Needed, r)
		}
		if k == sg.Needed && (r.FactsToRepeat != k || r.Facts != k) {
			t.Errorf("facts to repeat %d of %d, want %d", r.FactsToRepeat, r.Facts, k)
		}
	}
	if !strings.Contains(base.String(), "Suggested facts to vary: 13") || !strings.Contains(strings.Join(base.Advice(), " "), fmt.Sprintf("Accept at least %d of the 13", sg.Needed)) {
		t.Errorf("report does not weigh the suggestions:\n%s", base)
	}
	none := Compute(Input{Template: template(t, src), Design: fingerprint.DefaultDesign, Recipients: 12, Epsilon: DefaultEpsilon, Suggested: []int{2}})
	if none.Suggested.Needed != -1 || !strings.Contains(strings.Join(none.Advice(), " "), "not even with all 1 suggested") {
		t.Errorf("one binary suggestion: %+v %q", none.Suggested, none.Advice())
	}
}

// TestFindings: every kind of leak gets a plain statement, and the advice
// comes with what cannot be attributed.
func TestFindings(t *testing.T) {
	t.Parallel()
	src, _ := samples.Get("operations-plan")
	r := Compute(measured(t, template(t, src), 12))
	f := r.Findings()
	if len(f) != 3 || !f[0].Attributable || !strings.Contains(f[0].Says, "words") {
		t.Fatalf("findings = %+v", f)
	}
	for _, x := range f {
		if x.Leak == "" || x.Says == "" || strings.Contains(x.Says, "%!") {
			t.Errorf("finding %+v", x)
		}
	}
	if f[2].Attributable != r.Paraphrased.Enough {
		t.Errorf("paraphrase finding %+v disagrees with %+v", f[2], r.Paraphrased)
	}
	thin := Compute(Input{Template: template(t, []byte("# Plan\n\nWe will begin soon.\n")), Design: fingerprint.DefaultDesign, Recipients: 12, Epsilon: DefaultEpsilon})
	if len(thin.Advice()) == 0 || thin.Findings()[2].Attributable {
		t.Errorf("a plan with no marks: advice %q, findings %+v", thin.Advice(), thin.Findings())
	}
}

// TestRepeatedFactsCountOnce: a fact stated in several places is one slot
// in the report, carrying ln q once, however often it is mentioned.
func TestRepeatedFactsCountOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		src                string
		facts, occurrences int
		paraphraseNats     float64
	}{
		{"stated once", "We send {{140|138|142}} officers at {{06:00|05:45}}.\n", 2, 2, math.Log(3) + math.Log(2)},
		{"stated three times", "We send {{140|138|142}} officers.\n\nAll {{140|138|142}} officers report.\n\n| Unit | Officers |\n|---|---|\n| A | {{140|138|142}} |\n", 1, 3, math.Log(3)},
		{"named spellings", "We send {{#officers: 140|138}} officers; {{#officers: one hundred and forty|one hundred and thirty-eight}} report.\n", 1, 2, math.Log(2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compute(Input{Template: template(t, []byte(tt.src)), Design: fingerprint.DesignFor(12), Recipients: 12, Epsilon: DefaultEpsilon})
			var declared KindStats
			for _, k := range r.Kinds {
				if k.Kind == mark.Declared {
					declared = k
				}
			}
			if r.Facts != tt.facts || declared.Slots != tt.facts || declared.Occurrences != tt.occurrences {
				t.Errorf("facts %d, declared slots %d with %d occurrences; want %d facts, %d occurrences", r.Facts, declared.Slots, declared.Occurrences, tt.facts, tt.occurrences)
			}
			if math.Abs(r.Paraphrased.Nats-tt.paraphraseNats) > 1e-9 || r.Paraphrased.Slots != tt.facts {
				t.Errorf("a paraphrase carries %.3f nats in %d slots, want %.3f in %d", r.Paraphrased.Nats, r.Paraphrased.Slots, tt.paraphraseNats, tt.facts)
			}
		})
	}
}
