package read

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
)

type fixture struct {
	tpl    *mark.Template
	rend   *render.Renderer
	reader *Reader
	biases [][]float64
}

func newFixture(t testing.TB, name string) *fixture {
	t.Helper()
	src, _ := samples.Get(name)
	return fixtureFrom(t, name, src)
}

// fixtureFrom parses, marks and compiles a document's source, named for
// its format (".md").
func fixtureFrom(t testing.TB, name string, src []byte) *fixture {
	t.Helper()
	doc, err := parse.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rend, err := render.Compile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := New(tpl)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{tpl, rend, rd, fingerprint.Biases(fingerprint.Key{7}, tpl.Arities(), fingerprint.DefaultDesign)}
}

func (f *fixture) codeword(i int) fingerprint.Codeword {
	return fingerprint.NewCodeword(fingerprint.Key{byte(i), 1}, f.biases)
}

// check asserts that no slot is misread: the copy's symbol is in every
// reading. It returns the number of slots read.
func (f *fixture) check(t *testing.T, obs *Observation, cw fingerprint.Codeword, what string) int {
	t.Helper()
	for _, r := range obs.Readings {
		if !r.Seen.Has(cw[r.Slot]) {
			s := f.tpl.Slots[r.Slot]
			t.Errorf("%s: slot %d (%s) misread: saw %b, copy has %d; spans %v", what, r.Slot, s.Name, r.Seen, cw[r.Slot], r.Spans)
		}
	}
	return len(obs.Readings)
}

// TestReadVerbatim: an exact copy, in every format, reads almost every
// slot, each as exactly the copy's symbol.
func TestReadVerbatim(t *testing.T) {
	t.Parallel()
	for _, name := range samples.Names() {
		f := newFixture(t, name)
		cw := f.codeword(3)
		for _, format := range render.Formats {
			out, err := f.rend.Render(format, render.Copy{Codeword: cw, Number: 3, Of: 12, Recipient: "Dana Ortiz"})
			if err != nil {
				t.Fatal(err)
			}
			text, _, err := extract.Text(out)
			if err != nil {
				t.Fatal(err)
			}
			obs := f.reader.Read(text)
			for _, r := range obs.Readings {
				if r.Seen != 1<<cw[r.Slot] {
					t.Errorf("%s %s: slot %d (%s) read as %b, the copy shows symbol %d", name, format, r.Slot, f.tpl.Slots[r.Slot].Name, r.Seen, cw[r.Slot])
				}
			}
			n := len(obs.Readings)
			if min := len(f.tpl.Slots) * 95 / 100; n < min {
				t.Errorf("%s %s: read %d of %d slots from a verbatim copy, want at least %d", name, format, n, len(f.tpl.Slots), min)
			}
			t.Logf("%s %s: read %d of %d slots, aligned %.2f", name, format, n, len(f.tpl.Slots), obs.Aligned)
		}
	}
}

// TestReadExcerpt: an excerpt of a copy reads the slots inside it, and
// only those, never misread.
func TestReadExcerpt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "operations-plan")
	cw := f.codeword(5)
	out, placed, err := f.rend.BodySpans(render.Text, cw, 0)
	if err != nil {
		t.Fatal(err)
	}
	words := fieldSpans(string(out))
	rng := rand.New(rand.NewPCG(1, 1))
	total := 0
	for i := 0; i < 20; i++ {
		n := 50 + rng.IntN(300)
		start := rng.IntN(len(words) - n)
		var excerpt []string
		for _, w := range words[start : start+n] {
			excerpt = append(excerpt, string(out[w[0]:w[1]]))
		}
		obs := f.reader.Read(strings.Join(excerpt, " "))
		what := fmt.Sprintf("excerpt of %d words", n)
		f.check(t, obs, cw, what)
		// The slots with an occurrence or a list item in the excerpt.
		inside := map[int]bool{}
		lo, hi := words[start][0], words[start+n-1][1]
		// Slots within three words of either end need not be read: the
		// reader places a word by its neighbours.
		clo, chi := words[start+3][0], words[start+n-4][1]
		inContext := map[int]bool{}
		items := map[int][]int{} // list items inside, by the list's first slot
		for _, p := range placed {
			if p.Occ < 0 && f.tpl.Slots[p.Slot].Insert > 0 {
				if p.Start >= lo && p.Start < hi { // the item's name at least
					items[p.Slot] = append(items[p.Slot], p.Item)
				}
				continue
			}
			if p.Start >= lo && p.End <= hi {
				inside[p.Slot] = true
			}
			// An occurrence that shows the same text in every
			// symbol ("March 8" where the other style is AP's "March
			// 8") cannot be read.
			if p.Start >= clo && p.End <= chi && distinct(f.rend.Alternatives(render.Text, p.Slot, p.Occ)) {
				inContext[p.Slot] = true
			}
		}
		// A list's slot placing item i is in the excerpt when item i and
		// an earlier item are.
		for first, its := range items {
			for _, i := range its {
				if i > 0 && slices.ContainsFunc(its, func(j int) bool { return j < i }) {
					inside[first+i-1] = true
					inContext[first+i-1] = true
				}
			}
		}
		read := map[int]bool{}
		for _, r := range obs.Readings {
			read[r.Slot] = true
			if !inside[r.Slot] {
				t.Errorf("%s: slot %d (%s) read, but it is not in the excerpt", what, r.Slot, f.tpl.Slots[r.Slot].Name)
			}
		}
		missed := 0
		for s := range inContext {
			if !read[s] {
				missed++
			}
		}
		if missed > max(1, len(inContext)/10) {
			var which []string
			for s := range inContext {
				if !read[s] {
					which = append(which, fmt.Sprintf("%d (%s)", s, f.tpl.Slots[s].Name))
				}
			}
			t.Errorf("%s: %d of the %d slots in it not read: %s", what, missed, len(inContext), strings.Join(which, ", "))
		}
		total += len(read)
	}
	if total == 0 {
		t.Error("no slot read from any excerpt")
	}
}

// distinct reports whether some two alternatives differ.
func distinct(alts []string) bool {
	for _, a := range alts[1:] {
		if a != alts[0] {
			return true
		}
	}
	return false
}

// fieldSpans returns the byte ranges of the fields strings.Fields finds.
func fieldSpans(s string) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range s {
		switch {
		case unicode.IsSpace(r) && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		case !unicode.IsSpace(r) && start < 0:
			start = i
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

// misreads counts readings that exclude the copy's own symbol.
func (f *fixture) misreads(obs *Observation, cw fingerprint.Codeword) int {
	n := 0
	for _, r := range obs.Readings {
		if !r.Seen.Has(cw[r.Slot]) {
			n++
		}
	}
	return n
}

// TestReadTransformed: reading survives the ways leaks are changed, with
// few slots misread and typographic slots erased rather than misread when
// typography was normalised.
func TestReadTransformed(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	type transform struct {
		name       string
		fn         func(text, html string) string
		minRead    float64 // fraction of slots that must be read
		maxMisread float64
	}
	transforms := []transform{
		{"reflowed", func(s, _ string) string { return leaktest.Reflow(s, 60) }, 0.95, 0},
		{"retyped", func(s, _ string) string { return leaktest.Retype(leaktest.Reflow(s, 72)) }, 0.85, 0},
		{"news page", func(_, h string) string { return leaktest.NewsPage(h) }, 0.95, 0},
		{"edited", func(s, _ string) string { return leaktest.Edit(rng, s, 0.02) }, 0.85, 0.02},
		{"OCR 1%", func(s, _ string) string { return leaktest.OCR(rng, leaktest.Reflow(s, 70), 0.01) }, 0.8, 0.05},
		{"OCR 3%", func(s, _ string) string { return leaktest.OCR(rng, leaktest.Reflow(s, 70), 0.03) }, 0.6, 0.05},
	}
	for _, name := range samples.Names() {
		f := newFixture(t, name)
		for i := 0; i < 5; i++ {
			cw := f.codeword(i)
			txt, _ := f.rend.Render(render.Text, render.Copy{Codeword: cw, Number: i, Of: 12, Recipient: "R"})
			html, _ := f.rend.Render(render.HTML, render.Copy{Codeword: cw, Number: i, Of: 12, Recipient: "R"})
			for _, tr := range transforms {
				leak := tr.fn(string(txt), string(html))
				text, _, err := extract.Text([]byte(leak))
				if err != nil {
					t.Fatal(err)
				}
				obs := f.reader.Read(text)
				read := float64(len(obs.Readings)) / float64(len(f.tpl.Slots))
				mis := float64(f.misreads(obs, cw)) / float64(max(1, len(obs.Readings)))
				if read < tr.minRead || mis > tr.maxMisread {
					t.Errorf("%s %s copy %d: read %.0f%% of slots (want ≥ %.0f%%), misread %.1f%% (want ≤ %.1f%%)",
						name, tr.name, i, 100*read, 100*tr.minRead, 100*mis, 100*tr.maxMisread)
				}
				if tr.name == "retyped" {
					for _, r := range obs.Readings {
						if nm := f.tpl.Slots[r.Slot].Name; nm == "typographic:dashes" {
							t.Errorf("%s retyped: dash style read from a normalised text", name)
						}
					}
				}
			}
		}
	}
}

// FuzzRead: any text read against a sample's template gives valid masks and
// spans and never panics. (trace's FuzzRun checks that no such text
// accuses anyone.)
func FuzzRead(f *testing.F) {
	for _, n := range samples.Names() {
		b, _ := samples.Get(n)
		f.Add(string(b))
	}
	f.Add("Houston, Galveston, and Beaumont were named; 312 warrants; Tidewater at 5:30 a.m.")
	fx := newFixture(f, "operations-plan")
	f.Fuzz(func(t *testing.T, leak string) {
		obs := fx.reader.Read(leak)
		for j, m := range obs.Masks {
			if m == 0 || m&^fingerprint.All(fx.tpl.Slots[j].Q) != 0 {
				t.Fatalf("slot %d: invalid mask %b", j, m)
			}
		}
		for _, r := range obs.Readings {
			for _, sp := range r.Spans {
				if sp.Start < 0 || sp.End > len(leak) || sp.Start > sp.End {
					t.Fatalf("span %+v outside the leak of %d bytes", sp, len(leak))
				}
			}
		}
	})
}

// TestNumbersDates: the day of a date is not a count, so a declared
// "eight cities" is never read from "8 March" or "March 8".
func TestNumbersDates(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"Enforcement 8 March – 11 March", "on March 8 at dawn", "on Sept. 8 at dawn"} {
		for _, n := range numbers(text, tokenize(text)) {
			if sameValue(n.value, 8) {
				t.Errorf("%q: the day 8 reads as the number 8", text)
			}
		}
	}
	text := "across 8 cities in March"
	found := false
	for _, n := range numbers(text, tokenize(text)) {
		found = found || sameValue(n.value, 8)
	}
	if !found {
		t.Errorf("%q: the count 8 is not read", text)
	}
}

// TestNumbersInsideWords: digits that are part of a word ("covid19",
// "café19") are no number; the letter before them may be any letter.
func TestNumbersInsideWords(t *testing.T) {
	for text, want := range map[string]bool{"covid19 cases": false, "café19 opens": false, "at 19 sites": true, "the €19 fee": true} {
		found := false
		for _, n := range numbers(text, tokenize(text)) {
			found = found || sameValue(n.value, 19)
		}
		if found != want {
			t.Errorf("%q: 19 read %v, want %v", text, found, want)
		}
	}
}
