package mark

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

// Density counts slots by kind per 1,000 prose words.
type Density struct {
	Words       int
	Slots       map[Kind]int
	Automatic   int // lexical + typographic
	PerThousand float64
}

func density(t *Template) Density {
	d := Density{Words: t.Words, Slots: map[Kind]int{}}
	for _, s := range t.Slots {
		d.Slots[s.Kind]++
		if s.Kind == Lexical || s.Kind == Typographic {
			d.Automatic++
		}
	}
	d.PerThousand = float64(d.Automatic) * 1000 / float64(max(d.Words, 1))
	return d
}

func TestDensityReport(t *testing.T) {
	t.Parallel()
	if !testing.Verbose() {
		t.Skip("prints the slot density table with -v")
	}
	inputs := map[string][]byte{}
	for _, n := range samples.Names() {
		b, _ := samples.Get(n)
		inputs[n] = b
	}
	arts, _ := filepath.Glob("../testdata/articles/*.txt")
	for _, a := range arts {
		b, _ := os.ReadFile(a)
		// Drop the header lines.
		if i := strings.Index(string(b), "\n\n"); i > 0 {
			b = b[i+2:]
		}
		inputs["article:"+filepath.Base(a)] = b
	}
	for name, src := range inputs {
		doc, err := parse.Parse(name, src)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := Mark(doc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := density(tpl)
		t.Logf("%-40s words=%5d declared=%2d order=%d lexical=%3d typographic=%3d automatic/1000=%.1f", name, d.Words, d.Slots[Declared], d.Slots[Order], d.Slots[Lexical], d.Slots[Typographic], d.PerThousand)
	}
}

// corpusDensity marks every document of a corpus folder and returns the
// density of each and of the whole.
func corpusDensity(t *testing.T, dir string) (map[string]Density, Density) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no documents in %s: %v", dir, err)
	}
	per := map[string]Density{}
	total := Density{Slots: map[Kind]int{}}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parse.Parse(filepath.Base(f), src)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := Mark(doc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := density(tpl)
		per[filepath.Base(f)] = d
		total.Words += d.Words
		total.Automatic += d.Automatic
		for k, n := range d.Slots {
			total.Slots[k] += n
		}
	}
	total.PerThousand = float64(total.Automatic) * 1000 / float64(max(total.Words, 1))
	return per, total
}

// TestCorpusDensity reports the automatic slot density of the development
// and held-out corpora (testdata/corpus), per document and overall:
//
//	go test ./mark -run TestCorpusDensity -v
func TestCorpusDensity(t *testing.T) {
	t.Parallel()
	for _, set := range []string{"dev", "heldout"} {
		per, total := corpusDensity(t, filepath.Join("..", "testdata", "corpus", set))
		names := make([]string, 0, len(per))
		for n := range per {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			d := per[n]
			t.Logf("%-8s %-58s words=%5d lexical=%3d typographic=%3d automatic/1000=%5.1f", set, n, d.Words, d.Slots[Lexical], d.Slots[Typographic], d.PerThousand)
		}
		t.Logf("%-8s %-58s words=%5d lexical=%3d typographic=%3d automatic/1000=%5.1f", set, "OVERALL", total.Words, total.Slots[Lexical], total.Slots[Typographic], total.PerThousand)
	}
}

// TestSpelling checks that the marker never takes a British document of the
// development corpus (testdata/corpus/MANIFEST.md) for an American one or
// the other way round, and tells most of them: a document with no telling
// spelling is unknown, which restricts its copies most.
func TestSpelling(t *testing.T) {
	t.Parallel()
	manifest, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "MANIFEST.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]lexicon.Spelling{}
	for _, line := range strings.Split(string(manifest), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "dev/") {
			continue
		}
		switch strings.TrimSpace(cells[3]) {
		case "UK":
			want[strings.TrimSpace(cells[1])] = lexicon.British
		case "US":
			want[strings.TrimSpace(cells[1])] = lexicon.American
		}
	}
	for _, n := range samples.Names() {
		want["samples/"+n] = lexicon.American
	}
	if len(want) < 12 {
		t.Fatalf("found %d documents in the manifest and samples", len(want))
	}
	told := 0
	for name, spelling := range want {
		var src []byte
		if n, ok := strings.CutPrefix(name, "samples/"); ok {
			src, _ = samples.Get(n)
		} else if src, err = os.ReadFile(filepath.Join("..", "testdata", "corpus", name)); err != nil {
			t.Fatal(err)
		}
		doc, err := parse.Parse(name, src)
		if err != nil {
			t.Fatal(err)
		}
		m := &marker{doc: doc, src: string(doc.Source), taken: make([]bool, len(doc.Source)+1)}
		m.prepareBlocks()
		switch m.spelling {
		case spelling:
			told++
		case lexicon.UnknownSpelling:
			t.Logf("%s: spelling unknown", name)
		default:
			t.Errorf("%s: spelling %v, want %v", name, m.spelling, spelling)
		}
	}
	if told < len(want)-3 {
		t.Errorf("spelling told for %d of %d documents", told, len(want))
	}
}
