package identify

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/samples"
)

// BenchmarkFind finds the source of a 300-word excerpt among 1,000 and
// 10,000 stored versions: the samples with a tenth of their words replaced
// at random, so that no two are alike.
//
//	go test ./identify/ -run XXX -bench Find -benchtime 10x -cpu 1
func BenchmarkFind(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("versions=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(3, 4))
			var base [][]string
			for _, name := range samples.Names() {
				src, _ := samples.Get(name)
				s := string(src)
				base = append(base, strings.Fields(s[strings.Index(s[3:], "\n---\n")+8:]))
			}
			vocab := base[0]
			var vs []disclose.Protected
			var target []string
			for v := range n {
				words := append([]string(nil), base[v%len(base)]...)
				for i := range words {
					if rng.IntN(10) == 0 {
						words[i] = vocab[rng.IntN(len(vocab))] + fmt.Sprint(rng.IntN(1000))
					}
				}
				vs = append(vs, disclose.Protected{ID: int64(v), Label: fmt.Sprint(v), Text: strings.Join(words, " ")})
				if v == n/2 {
					target = words
				}
			}
			ix, err := disclose.NewIndex(disclose.Options{Key: []byte("bench")}, vs...)
			if err != nil {
				b.Fatal(err)
			}
			start := rng.IntN(len(target) - 300)
			leak := strings.Join(target[start:start+300], " ")
			b.ResetTimer()
			for b.Loop() {
				r, err := Find(ix, leak, nil)
				if err != nil || r.Best.VersionID != int64(n/2) {
					b.Fatalf("identified %+v (%v), want %d", r.Best, err, n/2)
				}
			}
		})
	}
}
