package disclose_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/telltale-dev/telltale/disclose"
)

func corpusSeeds(f *testing.F) [][]byte {
	files, _ := filepath.Glob("../testdata/articles/*.*")
	var out [][]byte
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && !strings.HasSuffix(name, ".md") {
			out = append(out, b)
		}
	}
	return out
}

// FuzzMatch: any text matches without panicking, and every span of every
// report lies in the text and holds what the report quotes.
func FuzzMatch(f *testing.F) {
	ix := sampleIndex(f)
	for _, b := range corpusSeeds(f) {
		f.Add(string(b))
	}
	f.Add("$1,250,000 5:30 a.m. Monday, March 16 140 deputies 31 percent 1.4 million households")
	f.Add("<!-- comment 12 -->")
	f.Fuzz(func(t *testing.T, text string) {
		reports := ix.Match(text, time.Time{})
		for i, r := range reports {
			if i > 0 && r.Score > reports[i-1].Score {
				t.Fatal("reports not sorted by score")
			}
			if r.Hit != (r.Level == Strong) || r.Score < 0 {
				t.Fatalf("inconsistent report %+v", r)
			}
			for _, d := range r.Facts {
				for _, s := range d.Article {
					if s.Start < 0 || s.End > len(text) || s.Start > s.End {
						t.Fatalf("span %v outside the text (%d bytes)", s, len(text))
					}
				}
				if text[d.Article[0].Start:d.Article[0].End] != d.ArticleText {
					t.Fatalf("span %v holds %q, report says %q", d.Article[0], text[d.Article[0].Start:d.Article[0].End], d.ArticleText)
				}
			}
		}
	})
}
