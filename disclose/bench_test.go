package disclose_test

import (
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	. "github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/monitor/monitortest"
)

// Benchmarks run against synthetic protected versions: the three samples
// and copies of them with every name, number and declared fact changed and
// a share of the other content words replaced (reword), so that the copies
// are distinct documents on the same subjects. With reword 0 the copies keep
// the samples' prose: the worst case, where every article on one sample's
// subject shares its phrases with a third of the index.
//
//	go test -run XXX -bench . -benchmem ./disclose/

// BenchmarkMatch matches the article corpus (eight articles on the samples'
// subjects, four unrelated) against 1, 1,000 and 10,000 versions.
func BenchmarkMatch(b *testing.B) {
	for _, tc := range []struct {
		n      int
		reword float64
		cache  int
	}{{1, 0.5, 0}, {1000, 0.5, 0}, {10000, 0.5, 0}, {10000, 0.5, -1}, {10000, 0, 0}, {10000, 0, -1}} {
		name := fmt.Sprintf("versions=%d/reword=%.1f", tc.n, tc.reword)
		if tc.cache < 0 {
			name += "/nocache"
		}
		b.Run(name, func(b *testing.B) {
			ix := benchIndex(b, tc.n, tc.reword)
			SetViewCache(ix, tc.cache)
			texts := benchArticles(b)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				ix.Match(texts[i%len(texts)], time.Time{})
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

// BenchmarkMatchUnrelated matches only the unrelated articles: the bulk of
// the news.
func BenchmarkMatchUnrelated(b *testing.B) {
	ix := benchIndex(b, 10000, 0.5)
	var texts []string
	for _, a := range monitortest.Corpus(b) {
		if strings.HasPrefix(a.Name, "unrelated") {
			art, err := monitor.ExtractPage(a.Page, "text/html", "http://x.test/")
			if err != nil {
				b.Fatal(err)
			}
			texts = append(texts, art.Text)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Match(texts[i%len(texts)], time.Time{})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkIndex builds indexes and reports the heap they hold per version.
func BenchmarkIndex(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("versions=%d", n), func(b *testing.B) {
			vs := synthVersions(b, n, 0.5)
			var perVersion, textPerVersion float64
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				ix, err := NewIndex(Options{}, vs...)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				perVersion = float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
				runtime.KeepAlive(ix)
			}
			for _, v := range vs {
				textPerVersion += float64(len(v.Text))
			}
			b.ReportMetric(perVersion, "heap-bytes/version")
			b.ReportMetric(textPerVersion/float64(n), "text-bytes/version")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/float64(n)*1e6, "µs/version")
		})
	}
}

var benchCache sync.Map // "n/reword" → *Index

func benchIndex(b *testing.B, n int, reword float64) *Index {
	key := fmt.Sprintf("%d/%v", n, reword)
	if ix, ok := benchCache.Load(key); ok {
		return ix.(*Index)
	}
	ix, err := NewIndex(Options{}, synthVersions(b, n, reword)...)
	if err != nil {
		b.Fatal(err)
	}
	benchCache.Store(key, ix)
	return ix
}

func benchArticles(b *testing.B) []string {
	var texts []string
	for _, a := range monitortest.Corpus(b) {
		art, err := monitor.ExtractPage(a.Page, "text/html", "http://x.test/")
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, art.Text)
	}
	return texts
}

// synthVersions returns n versions: the three samples, then perturbed
// copies of them.
func synthVersions(tb testing.TB, n int, reword float64) []Protected {
	base := sampleVersions(tb)
	vocab := sampleVocabulary(base)
	out := make([]Protected, 0, n)
	for i := range n {
		if i < len(base) {
			out = append(out, base[i])
			continue
		}
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		out = append(out, perturb(base[i%len(base)], int64(i+1), rng, vocab, reword))
	}
	return out
}

// sampleVocabulary is the lower-case words of the samples that are in the
// background vocabulary (rare words would give copies the samples' rare
// words).
func sampleVocabulary(vs []Protected) []string {
	set := map[string]bool{}
	for _, v := range vs {
		for _, w := range strings.FieldsFunc(v.Text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) > 3 && unicode.IsLower([]rune(w)[0]) && DefaultBackground().Weight(w) <= 1 {
				set[w] = true
			}
		}
	}
	var out []string
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// perturber rewrites a text word by word, consistently within a version.
type perturber struct {
	rng    *rand.Rand
	vocab  []string
	reword float64
	names  map[string]string
}

var syllables = []string{"ka", "ro", "ven", "dal", "mi", "tor", "sa", "bel", "un", "gar", "lo", "fin", "ra", "esk", "ol", "tha", "mur", "ien", "pa", "dor"}

func (p *perturber) name(w string) string {
	if r, ok := p.names[w]; ok {
		return r
	}
	var b strings.Builder
	for range 2 + p.rng.IntN(2) {
		b.WriteString(syllables[p.rng.IntN(len(syllables))])
	}
	s := b.String()
	r := strings.ToUpper(s[:1]) + s[1:]
	if strings.ToUpper(w) == w && len(w) > 1 {
		r = strings.ToUpper(r)
	}
	p.names[w] = r
	return r
}

// word returns the replacement of one word or number; prev is the word
// before it.
func (p *perturber) word(w, prev string) string {
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case unicode.IsDigit(r) && Months[strings.ToLower(prev)] > 0 && len(w) <= 2:
		return fmt.Sprint(1 + p.rng.IntN(28)) // a valid day of a date
	case unicode.IsDigit(r):
		b := []byte(w)
		for i, c := range b {
			if '0' <= c && c <= '9' {
				b[i] = byte('0' + p.rng.IntN(10))
				if i == 0 && b[i] == '0' {
					b[i] = '1'
				}
			}
		}
		return string(b)
	case unicode.IsUpper(r):
		lw := strings.ToLower(w)
		if _, ok := Months[lw]; ok || Weekdays[lw] > 0 || DefaultBackground().Weight(w) == 0 {
			return w
		}
		return p.name(w)
	case p.rng.Float64() < p.reword:
		return p.vocab[p.rng.IntN(len(p.vocab))]
	}
	return w
}

// rewrite rewrites text and returns a function mapping old offsets to new.
func (p *perturber) rewrite(text string) (string, func(int) int) {
	var b strings.Builder
	var olds, news []int
	var prev string
	i := 0
	for i < len(text) {
		if strings.HasPrefix(text[i:], "<!--") {
			j := strings.Index(text[i:], "-->")
			if j < 0 {
				j = len(text) - i - 3
			}
			b.WriteString(text[i : i+j+3])
			i += j + 3
			continue
		}
		tok, ok := TokenRules.Next(text, i)
		if !ok || tok.Start > i {
			r, size := utf8.DecodeRuneInString(text[i:])
			b.WriteRune(r)
			i += size
			continue
		}
		end := tok.End
		olds, news = append(olds, i), append(news, b.Len())
		b.WriteString(p.word(text[i:end], prev))
		prev = text[i:end]
		olds, news = append(olds, end), append(news, b.Len())
		i = end
	}
	out := b.String()
	mapOff := func(x int) int {
		k := sort.SearchInts(olds, x+1) - 1
		if k < 0 {
			return x
		}
		if k%2 == 0 && x > olds[k] { // inside a word: map to its start
			return news[k]
		}
		return news[k] + x - olds[k]
	}
	return out, mapOff
}

func perturb(v Protected, id int64, rng *rand.Rand, vocab []string, reword float64) Protected {
	p := &perturber{rng: rng, vocab: vocab, reword: reword, names: map[string]string{}}
	text, mapOff := p.rewrite(v.Text)
	out := Protected{ID: id, Label: fmt.Sprintf("%s-%d", v.Label, id), Text: text}
	for _, f := range v.Facts {
		nf := Fact{Span: Span{mapOff(f.Span.Start), mapOff(f.Span.End)}}
		for _, alt := range f.Alts {
			p.reword = 0 // keep the fact's words, change its names and numbers
			a, _ := p.rewrite(alt)
			p.reword = reword
			nf.Alts = append(nf.Alts, a)
		}
		out.Facts = append(out.Facts, nf)
	}
	for _, l := range v.Lists {
		var nl List
		for _, it := range l.Items {
			nl.Items = append(nl.Items, Span{mapOff(it.Start), mapOff(it.End)})
		}
		out.Lists = append(out.Lists, nl)
	}
	return out
}

// TestSyntheticVersions checks the benchmark's versions: valid, distinct,
// and none of them reported by an article about the originals unless it
// shares the original's prose.
func TestSyntheticVersions(t *testing.T) {
	vs := synthVersions(t, 12, 0.5)
	ix, err := NewIndex(Options{}, vs...)
	if err != nil {
		t.Fatal(err)
	}
	if vs[3].Text == vs[0].Text || vs[3].Text == vs[6].Text {
		t.Fatal("perturbed copies are not distinct")
	}
	for _, a := range monitortest.Corpus(t) {
		if !strings.HasSuffix(a.Name, "-strong") {
			continue
		}
		art, err := monitor.ExtractPage(a.Page, "text/html", "http://x.test/")
		if err != nil {
			t.Fatal(err)
		}
		r := ix.Match(art.Text, art.Published)
		if len(r) == 0 || r[0].VersionID > 3 {
			t.Errorf("%s: best report %v, want an original sample", a.Name, r)
			continue
		}
		for _, x := range r[1:] {
			if x.Hit {
				t.Errorf("%s: perturbed copy %s is a hit (score %.1f)", a.Name, x.Label, x.Score)
			}
		}
	}
}

// BenchmarkMonitor is the monitor's throughput as it runs: each article is
// extracted from a news page (through readability: the article's text in a
// page of about 25 kB with navigation, scripts, a sidebar and a footer, as
// newsPage builds it) and
// matched against 10,000 protected versions — the news set's seven plans
// and synthetic versions — with the default cache. The articles are the
// development news set (21 about the plans, 102 negatives), so the cache
// hits as often as a stream of news in which a sixth is about a leak.
// Every sub-benchmark builds its own index: results do not depend on what
// ran before.
//
//	go test -run XXX -bench Monitor -benchtime 2000x -count 3 -cpu 1 ./disclose/
func BenchmarkMonitor(b *testing.B) {
	arts := loadNewsLabels(b, []string{"dev", "dev-negative"})
	type file struct {
		raw   []byte
		ctype string
	}
	var files []file
	for _, a := range arts {
		path := filepath.Join("../testdata/news", a.path)
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, file{newsPage(string(raw)), "text/html; charset=utf-8"})
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	for _, tc := range []struct {
		name    string
		extract bool
		cache   int
	}{{"extract+match", true, 0}, {"match", false, 0}, {"extract+match/nocache", true, -1}} {
		b.Run(tc.name, func(b *testing.B) {
			vs := newsVersions(b)
			for i, v := range synthVersions(b, 10000-len(vs), 0.5) {
				v.ID = int64(len(newsPlans) + 1 + i)
				vs = append(vs, v)
			}
			ix, err := NewIndex(Options{}, vs...)
			if err != nil {
				b.Fatal(err)
			}
			SetViewCache(ix, tc.cache)
			texts := make([]string, len(files))
			for i, f := range files {
				a, err := monitor.ExtractPage(f.raw, f.ctype, "file:///news")
				if err != nil {
					b.Fatal(err)
				}
				texts[i] = a.Text
			}
			b.ResetTimer()
			cpu := processCPU()
			for i := 0; b.Loop(); i++ {
				k := i % len(files)
				text := texts[k]
				if tc.extract {
					a, err := monitor.ExtractPage(files[k].raw, files[k].ctype, "file:///news")
					if err != nil {
						b.Fatal(err)
					}
					text = a.Text
				}
				ix.Match(text, time.Time{})
			}
			cpu = processCPU() - cpu
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
			// On a shared machine the wall clock counts others' work; the
			// process's CPU time per article does not.
			b.ReportMetric(float64(b.N)/cpu.Seconds(), "articles/cpu-s")
		})
	}
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// newsPage wraps a news-set article (headline, blank line, paragraphs) in
// a page like a news site's: navigation, a script, the article, related
// stories and a footer.
func newsPage(txt string) []byte {
	head, body, _ := strings.Cut(strings.TrimSpace(txt), "\n\n")
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s | The Daily Record</title>\n", e(head))
	fmt.Fprintf(&b, "<meta property=\"og:title\" content=\"%s\"><meta property=\"og:site_name\" content=\"The Daily Record\">\n", e(head))
	b.WriteString("<script>window.dataLayer=window.dataLayer||[];")
	for i := range 120 {
		fmt.Fprintf(&b, "function t%d(a,b){return dataLayer.push({event:'view',slot:%d,a:a,b:b})}", i, i)
	}
	b.WriteString("</script><style>")
	for i := range 80 {
		fmt.Fprintf(&b, ".c%d{margin:%dpx;padding:0 %dpx;font:14px/1.4 Georgia,serif}", i, i%7, i%5)
	}
	b.WriteString("</style></head><body><header><a href=\"/\">The Daily Record</a><nav>")
	for _, s := range []string{"News", "Politics", "Business", "Sport", "Culture", "Opinion", "Weather", "Obituaries", "Podcasts", "Puzzles"} {
		fmt.Fprintf(&b, "<a href=\"/%s/\">%s</a> ", strings.ToLower(s), s)
		for k := range 3 {
			fmt.Fprintf(&b, "<a href=\"/%s/%d/\">%s section %d</a> ", strings.ToLower(s), k, s, k)
		}
	}
	b.WriteString("</nav></header>\n<main><article><h1>" + e(head) + "</h1><p class=\"byline\">By Staff Reporter</p>\n")
	for _, p := range strings.Split(body, "\n\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", e(strings.TrimSpace(p)))
	}
	b.WriteString("</article><aside><h2>Most read</h2><ul>")
	for i := range 12 {
		fmt.Fprintf(&b, "<li><a href=\"/news/story-%d\">Council approves budget for road repairs in ward %d after long debate</a></li>", i, i)
	}
	b.WriteString("</ul></aside></main><footer><p>Copyright 2026 The Daily Record. All rights reserved.</p><p>Terms · Privacy · Cookies · Contact us · Advertise</p></footer></body></html>\n")
	return []byte(b.String())
}
