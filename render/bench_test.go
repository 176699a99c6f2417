package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/samples"
)

// twoThousandWords is the operations plan extended with the policy draft
// to about 2,000 words of prose.
func twoThousandWords() []byte {
	plan, _ := samples.Get("operations-plan")
	policy, _ := samples.Get("policy-draft")
	s := string(policy)
	s = s[strings.Index(s[3:], "\n---\n")+8:]
	var b bytes.Buffer
	b.Write(plan)
	b.WriteString("\n\n")
	words := len(strings.Fields(string(plan)))
	for _, para := range strings.Split(s, "\n\n") {
		if words >= 2450 {
			break
		}
		b.WriteString(para + "\n\n")
		words += len(strings.Fields(para))
	}
	return b.Bytes()
}

// BenchmarkRender measures copies per second of a 2,000-word document:
// drawing the codeword from the biases and rendering the copy.
func BenchmarkRender(b *testing.B) {
	r := compileSource(b, "2k.md", twoThousandWords())
	tpl := r.Template()
	biases := fingerprint.Biases(fingerprint.Key{1}, tpl.Arities(), fingerprint.DefaultDesign)
	for _, f := range Formats {
		for _, page := range []bool{false, true} {
			name := fmt.Sprintf("%s/body", f)
			if page {
				name = fmt.Sprintf("%s/marked", f)
			}
			b.Run(name, func(b *testing.B) {
				var k fingerprint.Key
				n := 0
				var size int
				for b.Loop() {
					k[0], k[1], k[2] = byte(n), byte(n>>8), byte(n>>16)
					n++
					cw := fingerprint.NewCodeword(k, biases)
					var out []byte
					var err error
					if page {
						out, err = r.Render(f, Copy{Codeword: cw, Number: n, Of: 1000, Recipient: "Dana Ortiz"})
					} else {
						out, err = r.Body(f, cw, 0)
					}
					if err != nil {
						b.Fatal(err)
					}
					size = len(out)
				}
				b.SetBytes(int64(size))
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "copies/s")
				b.ReportMetric(float64(tpl.Words), "words")
			})
		}
	}
}
