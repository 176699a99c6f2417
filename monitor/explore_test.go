package monitor

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

func sampleVersions(t testing.TB) []Protected {
	var out []Protected
	for i, name := range samples.Names() {
		src, _ := samples.Get(name)
		doc, err := parse.Parse(name, src)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := mark.Mark(doc, mark.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, FromTemplate(int64(i+1), name, tpl))
	}
	return out
}

var tagRE = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)

func TestExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	ix, err := NewIndex(Options{}, sampleVersions(t)...)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../testdata/articles/*.*")
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		b, _ := os.ReadFile(f)
		text := string(b)
		if strings.HasSuffix(f, ".html") {
			text = tagRE.ReplaceAllString(text, " ")
		} else {
			_, body, _ := strings.Cut(text, "\n\n")
			text = body
		}
		ix.opts.ReportThreshold = 0.01
		fmt.Printf("=== %s\n", filepath.Base(f))
		for _, r := range ix.MatchText(text) {
			fmt.Printf("  %s score=%.2f topic=%.2f hit=%v\n", r.Label, r.Score, r.Topic, r.Hit)
			for _, d := range r.Facts {
				fmt.Printf("     %-9s %5.2f f=%d l=%d/%d %q <- %q\n", d.Kind, d.Weight, d.Fact, d.List, d.Item, d.ArticleText, trunc(d.SourceText))
			}
		}
	}
}

func trunc(s string) string {
	if len(s) > 70 {
		return s[:70] + "…"
	}
	return s
}
