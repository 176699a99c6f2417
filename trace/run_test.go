package trace_test

import (
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
	"github.com/telltale-dev/telltale/trace"
)

// version is a marked sample with its secret biases and twelve holders,
// built without a store.
type version struct {
	reader  *read.Reader
	render  *render.Renderer
	biases  [][]float64
	design  fingerprint.Design
	holders []trace.Holder
}

func newVersion(t testing.TB, sample string) *version {
	t.Helper()
	src, ok := samples.Get(sample)
	if !ok {
		t.Fatalf("no sample %q", sample)
	}
	return newVersionFrom(t, sample, src)
}

func newVersionFrom(t testing.TB, sample string, src []byte) *version {
	t.Helper()
	p := compilePlan(t, sample, src)
	tpl := p.tpl
	v := &version{reader: p.reader, render: p.rend, design: fingerprint.Design{Coalition: 3, Version: 1}}
	v.biases = fingerprint.Biases(fingerprint.Key{1}, tpl.Arities(), v.design)
	for i := range 12 {
		name := string(rune('A'+i)) + ". Recipient"
		v.holders = append(v.holders, trace.Holder{
			CopyID: int64(100 + i), Copy: i + 1, Tag: uint32(7000 + i),
			Codeword:  fingerprint.NewCodeword(fingerprint.Key{2, byte(i)}, v.biases),
			Recipient: trace.RecipientRef{ID: int64(i + 1), Name: name, Email: "r" + string(rune('a'+i)) + "@example.org"},
		})
	}
	return v
}

func (v *version) copyText(t testing.TB, i int) string {
	t.Helper()
	h := v.holders[i]
	b, err := v.render.Render(render.Text, render.Copy{Codeword: h.Codeword, Tag: h.Tag, Number: h.Copy, Of: len(v.holders), Recipient: h.Recipient.Name})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (v *version) run(t *testing.T, leak string) *trace.Verdict {
	t.Helper()
	l, err := trace.PrepareLeak("leak.txt", []byte(leak))
	if err != nil {
		t.Fatal(err)
	}
	verdict, err := trace.Run(trace.Input{Reader: v.reader, Biases: v.biases, Design: v.design, Holders: v.holders, Leak: l,
		Source: trace.SourceInfo{Document: "plan", Version: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return verdict
}

// TestRunWithoutStore produces verdicts from a template, biases, holders
// and a leak alone.
func TestRunWithoutStore(t *testing.T) {
	t.Parallel()
	v := newVersion(t, "operations-plan")
	full := v.copyText(t, 4)
	words := strings.Fields(full)

	t.Run("whole copy accuses its holder", func(t *testing.T) {
		got := v.run(t, full)
		if got.Outcome != trace.OutcomeAccused || len(got.Accused) != 1 || got.Accused[0].CopyID != 104 {
			t.Fatalf("outcome %s, accused %+v; want copy 104 alone", got.Outcome, got.Accused)
		}
		if got.Recipients != 12 || got.Slots.Read == 0 || len(got.Observations) != got.Slots.Read {
			t.Errorf("recipients %d, slots read %d, observations %d", got.Recipients, got.Slots.Read, len(got.Observations))
		}
		if !strings.Contains(got.Statement, "E. Recipient (copy 5)") {
			t.Errorf("statement %q does not name the holder", got.Statement)
		}
		if got.Source.Aligned < 0.9 {
			t.Errorf("aligned %.2f of a whole copy", got.Source.Aligned)
		}
		for _, o := range got.Observations {
			for _, sp := range o.Spans {
				if full[sp.Start:sp.End] != sp.Text {
					t.Fatalf("slot %d span %d:%d is %q in the leak, verdict says %q", o.Slot, sp.Start, sp.End, full[sp.Start:sp.End], sp.Text)
				}
			}
		}
	})
	t.Run("short quote is inconclusive", func(t *testing.T) {
		got := v.run(t, strings.Join(words[40:60], " "))
		if got.Outcome == trace.OutcomeAccused {
			t.Fatalf("20 words accused %+v", got.Accused)
		}
		if got.ConsistentTotal+got.ExcludedTotal != 12 {
			t.Errorf("consistent %d + excluded %d, want 12", got.ConsistentTotal, got.ExcludedTotal)
		}
	})
	t.Run("fixed text alone is no evidence", func(t *testing.T) {
		got := v.run(t, "Nothing in this sentence comes from any plan at all.")
		if got.Outcome != trace.OutcomeNoEvidence || got.Slots.Read != 0 {
			t.Fatalf("outcome %s with %d slots read", got.Outcome, got.Slots.Read)
		}
	})
	t.Run("epsilon range", func(t *testing.T) {
		l, _ := trace.PrepareLeak("x", []byte(full))
		for eps, ok := range map[float64]bool{2: false, 0.9: false, 0.011: false, 1e-13: false, -1e-6: false, 1e-2: true, 1e-12: true, 1e-6: true} {
			_, err := trace.Run(trace.Input{Reader: v.reader, Biases: v.biases, Holders: v.holders, Leak: l, Epsilon: eps})
			if (err == nil) != ok {
				t.Errorf("epsilon %g: %v, want accepted=%v", eps, err, ok)
			}
			if err != nil && !strings.Contains(err.Error(), "hint:") {
				t.Errorf("epsilon %g: %v has no hint", eps, err)
			}
		}
	})
}

func TestPrepareLeak(t *testing.T) {
	t.Parallel()
	if _, err := trace.PrepareLeak("empty", []byte("  \n ")); err == nil {
		t.Error("a leak without words was accepted")
	}
	l, err := trace.PrepareLeak("page.html", []byte("<html><body><p>The operation starts on Sunday.</p></body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Info.Format != "html" || l.Info.Words != 5 || len(l.Info.SHA256) != 64 || strings.Contains(l.Text, "<p>") {
		t.Errorf("prepared %+v, text %q", l.Info, l.Text)
	}
}

// FuzzRun: no text the fuzzer makes is a recipient's copy, so nobody may
// be accused. (Each input may be with probability ≤ ε; 1e-9 keeps the
// chance over a long fuzzing run negligible.)
func FuzzRun(f *testing.F) {
	for _, n := range samples.Names() {
		b, _ := samples.Get(n)
		f.Add(string(b))
	}
	f.Add("Houston, Galveston, and Beaumont were named; 312 warrants; Tidewater at 5:30 a.m.")
	v := newVersion(f, "operations-plan")
	f.Fuzz(func(t *testing.T, text string) {
		leak, err := trace.PrepareLeak("fuzz", []byte(text))
		if err != nil {
			return
		}
		got, err := trace.Run(trace.Input{Reader: v.reader, Biases: v.biases, Design: v.design, Holders: v.holders, Leak: leak, Epsilon: 1e-9})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Accused) > 0 {
			t.Fatalf("text that is no copy accused %s", got.Accused[0].Recipient.Name)
		}
	})
}

// TestInvisibleConflict: invisible marks name their copy only as a note,
// and marks of two copies are reported as a conflict naming nobody.
func TestInvisibleConflict(t *testing.T) {
	t.Parallel()
	src, _ := samples.Get("operations-plan")
	src = []byte(strings.Replace(string(src), "classification:", "invisible: true\nclassification:", 1))
	v := newVersionFrom(t, "operations-plan", src)
	three, seven := v.copyText(t, 2), v.copyText(t, 6)

	got := v.run(t, three)
	if got.Invisible == nil || got.Invisible.Match == nil || got.Invisible.Copy != 3 || got.Invisible.Conflict {
		t.Fatalf("copy 3 alone: invisible %+v", got.Invisible)
	}
	if !strings.Contains(strings.Join(got.Notes, " "), "invisible mark of copy 3") || !strings.Contains(got.Text(), "not counted as evidence") {
		t.Errorf("copy 3 alone: notes %q", got.Notes)
	}

	// The first half of copy 3 with the second half of copy 7: frames of
	// both.
	mixed := three[:len(three)/2] + seven[len(seven)/2:]
	got = v.run(t, mixed)
	if got.Invisible == nil || !got.Invisible.Conflict || got.Invisible.Match != nil || got.Invisible.Tags != 2 {
		t.Fatalf("mixed copies: invisible %+v", got.Invisible)
	}
	notes := strings.Join(got.Notes, " ")
	if !strings.Contains(notes, "2 different copies") || !strings.Contains(notes, "copy 3") || !strings.Contains(notes, "copy 7") || !strings.Contains(notes, "not used as evidence") {
		t.Errorf("mixed copies: notes %q", got.Notes)
	}
}

// TestEditedLeakText: a copy with its word choices reverted and its
// typography normalised is still attributed; the verdict's text says the
// leak was edited and clears nobody.
func TestEditedLeakText(t *testing.T) {
	t.Parallel()
	p := loadPlan(t, "../testdata/plans/dev/long-plan.md")
	is := p.issue(20, 1)
	v := is.trace(t, leaktest.HouseStyle(leaktest.RevertSynonyms(is.body(t, 0, render.Text), lex)))
	text := v.Text()
	if v.Outcome != trace.OutcomeAccused || v.Accused[0].CopyID != 1 {
		t.Fatalf("not attributed:\n%s", text)
	}
	if !v.Edited || !strings.Contains(text, "HOW THE LEAK WAS MADE") || !strings.Contains(text, trace.EditedNote) {
		t.Errorf("edited %v; text:\n%s", v.Edited, text)
	}
	if v.ExcludedTotal != 0 || strings.Contains(text, "INCONSISTENT") {
		t.Errorf("copies called inconsistent in an edited leak:\n%s", text)
	}
	// Reverting the lexicon's sets leaves the lexical slots that are not
	// word sets (an optional "that", "before"/"prior to"), so the word
	// choices may still agree better than chance; the house style
	// normalises all the typography.
	if notes := strings.Join(v.Notes, " "); !strings.Contains(notes, "word choices agree with the accused copy in only") && !strings.Contains(notes, "typography agrees with the accused copy in only") {
		t.Errorf("no note on the reverted or normalised classes: %q", v.Notes)
	}
	t.Logf("notes: %q; accused by %s", v.Notes, v.Accused[0].Decoder)
}
