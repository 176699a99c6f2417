package mark

import (
	"bytes"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

// longDocument joins the samples' bodies until the prose reaches n words.
func longDocument(tb testing.TB, n int) []byte {
	var body bytes.Buffer
	body.WriteString("---\ntitle: Long\n---\n")
	words := 0
	for words < n {
		for _, name := range samples.Names() {
			src, _ := samples.Get(name)
			s := string(src)
			if i := strings.Index(s[3:], "\n---\n"); i >= 0 {
				s = s[i+8:]
			}
			body.WriteString(s)
			body.WriteString("\n\n")
			words += len(strings.Fields(s))
			if words >= n {
				break
			}
		}
	}
	return body.Bytes()
}

// BenchmarkMark10k parses and marks a 10,000-word document.
func BenchmarkMark10k(b *testing.B) {
	src := longDocument(b, 10000)
	b.SetBytes(int64(len(src)))
	var tpl *Template
	for b.Loop() {
		doc, err := parse.Parse("long.md", src)
		if err != nil {
			b.Fatal(err)
		}
		if tpl, err = Mark(doc, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(tpl.Words), "words")
	b.ReportMetric(float64(len(tpl.Slots)), "slots")
}
