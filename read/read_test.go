package read

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/fingerprint"
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

func TestReadVerbatim(t *testing.T) {
	for _, name := range samples.Names() {
		f := newFixture(t, name)
		cw := f.codeword(3)
		for _, format := range render.Formats {
			out, err := f.rend.Render(format, render.Copy{Codeword: cw, Number: 3, Of: 12, Recipient: "Dana Ortiz"})
			if err != nil {
				t.Fatal(err)
			}
			text, _, err := Extract(out)
			if err != nil {
				t.Fatal(err)
			}
			obs := f.reader.Read(text)
			n := f.check(t, obs, cw, fmt.Sprintf("%s %s", name, format))
			fmt.Printf("%s %s: read %d of %d slots, aligned %.2f\n", name, format, n, len(f.tpl.Slots), obs.Aligned)
		}
	}
}

func TestReadExcerpt(t *testing.T) {
	f := newFixture(t, "operations-plan")
	cw := f.codeword(5)
	out, _ := f.rend.Body(render.Text, cw, 0)
	words := strings.Fields(string(out))
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 20; i++ {
		n := 50 + rng.IntN(300)
		start := rng.IntN(len(words) - n)
		excerpt := strings.Join(words[start:start+n], " ")
		obs := f.reader.Read(excerpt)
		f.check(t, obs, cw, fmt.Sprintf("excerpt of %d words", n))
	}
}
