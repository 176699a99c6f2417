package read

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
)

// longSample joins the samples' bodies (front matter stripped) until
// there are n words.
func longSample(n int) []byte {
	var b bytes.Buffer
	b.WriteString("---\ntitle: Long\n---\n")
	words := 0
	for words < n {
		for _, name := range samples.Names() {
			src, _ := samples.Get(name)
			s := string(src)
			s = s[strings.Index(s[3:], "\n---\n")+8:]
			b.WriteString(s + "\n\n")
			words += len(strings.Fields(s))
			if words >= n {
				break
			}
		}
	}
	return b.Bytes()
}

// BenchmarkRead reads a 2,000-word excerpt of a copy (reflowed, OCR'd at
// 1 %) against a 5,000-word template.
func BenchmarkRead(b *testing.B) {
	doc, err := parse.Parse("long.md", longSample(5000))
	if err != nil {
		b.Fatal(err)
	}
	tpl, _ := mark.Mark(doc, mark.Options{})
	rend, _ := render.Compile(tpl)
	rd, _ := New(tpl)
	cw := fingerprint.NewCodeword(fingerprint.Key{1}, fingerprint.Biases(fingerprint.Key{2}, tpl.Arities(), fingerprint.DefaultDesign))
	txt, _ := rend.Body(render.Text, cw, 0)
	rng := rand.New(rand.NewPCG(1, 1))
	leak := leaktest.OCR(rng, leaktest.Reflow(leaktest.Excerpt(rng, string(txt), 2000), 70), 0.01)
	b.ReportMetric(float64(tpl.Words), "template-words")
	var obs *Observation
	for b.Loop() {
		obs = rd.Read(leak)
	}
	b.ReportMetric(float64(len(obs.Readings)), "slots-read")
}
