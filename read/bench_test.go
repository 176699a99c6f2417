package read

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/identify"
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

// BenchmarkIdentify finds the source of a 300-word excerpt among 10,000
// stored versions. Versions are the samples with a tenth of their words
// replaced at random, so no two are alike.
func BenchmarkIdentify(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("versions=%d", n), func(b *testing.B) {
			ix := identify.NewIndex([]byte("bench"))
			rng := rand.New(rand.NewPCG(3, 4))
			var base [][]string
			for _, name := range samples.Names() {
				src, _ := samples.Get(name)
				base = append(base, Words(string(src)))
			}
			vocab := base[0]
			var target []string
			for v := 0; v < n; v++ {
				words := append([]string(nil), base[v%len(base)]...)
				for i := range words {
					if rng.IntN(10) == 0 {
						words[i] = vocab[rng.IntN(len(vocab))] + fmt.Sprint(rng.IntN(1000))
					}
				}
				ix.Add(identify.Text{ID: int64(v), Words: words})
				if v == n/2 {
					target = words
				}
			}
			start := rng.IntN(len(target) - 300)
			leak := target[start : start+300]
			b.ResetTimer()
			for b.Loop() {
				m := ix.Identify(leak, 2)
				if m[0].ID != int64(n/2) {
					b.Fatalf("identified %d, want %d", m[0].ID, n/2)
				}
			}
		})
	}
}
