package mark

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenDocuments returns the documents whose slots TestGolden pins: the
// samples, rendered copies of them (testdata/copies, which show the
// samples' other styles), documents stating declared facts more than once
// (testdata/facts), and the articles and leak fixtures of the
// repository's testdata, read as Markdown.
func goldenDocuments(t *testing.T) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	for _, name := range samples.Names() {
		src, _ := samples.Get(name)
		docs["samples-"+name] = src
	}
	for _, pattern := range []string{"testdata/copies/*.md", "testdata/facts/*.md", "../testdata/articles/*", "../testdata/leaks/*"} {
		paths, err := filepath.Glob(pattern)
		if err != nil || len(paths) == 0 {
			t.Fatalf("no documents match %s: %v", pattern, err)
		}
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			docs[filepath.Base(filepath.Dir(p))+"-"+filepath.Base(p)] = src
		}
	}
	return docs
}

// describeSlots writes every slot of a template, one per line: kind, name,
// symbol count, and each occurrence's span and alternatives (for a list
// order, the items' spans and the orders).
func describeSlots(tpl *Template) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title=%q words=%d slots=%d hidden=%v invisible=%v\n", tpl.Title, tpl.Words, len(tpl.Slots), tpl.Hidden, tpl.Invisible)
	for i, s := range tpl.Slots {
		fmt.Fprintf(&b, "%3d %-11s %-28s q=%d", i, s.Kind, s.Name, s.Q)
		for _, it := range s.Items {
			fmt.Fprintf(&b, " | item %d-%d", it.Start, it.End)
		}
		if s.Perms != nil {
			fmt.Fprintf(&b, " | perms %v", s.Perms)
		}
		for _, o := range s.Occurrences {
			fmt.Fprintf(&b, " | %d-%d:%q", o.Start, o.End, o.Alts)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestGolden pins every slot the marker finds in a corpus of documents, so
// that a change to the marker's code that should not change what it finds
// (a refactoring) is seen to change nothing. Review the diff of a change
// that should, then run go test ./mark -run TestGolden -update.
func TestGolden(t *testing.T) {
	t.Parallel()
	for name, src := range goldenDocuments(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc, err := parse.Parse(name, src)
			if err != nil {
				t.Fatal(err)
			}
			tpl, err := Mark(doc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := describeSlots(tpl)
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".slots.txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./mark -run TestGolden -update to create it)", err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("%s differs from %s at line %d:\ngot:  %s\nwant: %s", name, path, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%s differs from %s: %d lines, want %d", name, path, len(gl), len(wl))
			}
		})
	}
}
