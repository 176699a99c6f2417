package suggest

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/parse"
)

func TestShowDev(t *testing.T) {
	files := strings.Fields(os.Getenv("SG_FILES"))
	for _, name := range files {
		src, _ := os.ReadFile(name)
		doc, err := parse.Parse(name, src)
		if err != nil {
			t.Fatal(err)
		}
		sugs := Suggest(doc, Options{})
		words := len(strings.Fields(string(src)))
		fmt.Printf("== %s: %d suggestions, %d words, %.2f/100 — %s\n", name, len(sugs), words, float64(len(sugs))*100/float64(words), Summary(sugs))
		for _, s := range sugs {
			fmt.Printf("  %4d %-14s %s\n        %.110s\n", s.Line, s.Kind, strings.Join(s.Alternatives, " | "), s.Context)
		}
	}
}

func TestWhyNot(t *testing.T) {
	for _, name := range strings.Fields(os.Getenv("SG_FILES")) {
		src, _ := os.ReadFile(name)
		doc, _ := parse.Parse(name, src)
		f := newFinder(doc, Options{})
		sugs := Suggest(doc, Options{})
		fmt.Printf("== %s\n", name)
		for bi := range doc.Blocks {
			b := &doc.Blocks[bi]
			if b.Kind == parse.Heading || b.Kind == parse.TableCell {
				continue
			}
			s := scanBlock(b)
			for i, tk := range s.toks {
				if !numeric(tk) {
					continue
				}
				sp, _ := b.SourceSpan(tk.start, tk.end)
				done := false
				for _, sg := range sugs {
					if sp.Start >= sg.Span.Start && sp.Start < sg.Span.End {
						done = true
					}
				}
				if done {
					continue
				}
				fig, _ := parseFigure(tk.text)
				fc := fact{i: i, start: tk.start, end: tk.end, fig: fig}
				if smallWords[tk.low] != "" {
					fig, _ = parseFigure(smallWords[tk.low])
					fc = fact{i: i, start: tk.start, end: tk.end, fig: fig, word: tk.text}
				}
				reason := "kind/tolerance"
				switch {
				case !f.describe(s, &fc):
					reason = "not a quantity"
					if f.dateOrYear(s, &fc) {
						reason = "date/year"
					} else if f.reference(s, &fc) {
						reason = "reference"
					}
				case ruled(s, &fc):
					reason = "ruled/range"
				case ageLike(s, &fc):
					reason = "age"
				case partitive(s, &fc):
					reason = "partitive"
				case fc.word == "" && f.numberCount[strings.ReplaceAll(f.numberText(&fc), ",", "")] > 1:
					reason = "repeated"
				case s.summed[fc.i]:
					reason = "summed"
				case fc.unit < 0:
					reason = "no unit"
				case notUnits[s.toks[fc.unit].low]:
					reason = "not unit " + s.toks[fc.unit].low
				case timeUnits[s.toks[fc.unit].low]:
					reason = "duration"
				}
				ctx := s.text[max(0, tk.start-50):min(len(s.text), tk.end+40)]
				fmt.Printf("  %-14s %-10s %q\n", reason, tk.text, strings.ReplaceAll(ctx, "\n", " "))
			}
		}
	}
}
