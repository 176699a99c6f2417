package render

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

var update = flag.Bool("update", false, "rewrite golden files")

func compileSample(t testing.TB, name string) *Renderer {
	t.Helper()
	src, ok := samples.Get(name)
	if !ok {
		t.Fatalf("no sample %q", name)
	}
	return compileSource(t, name, src)
}

func compileSource(t testing.TB, name string, src []byte) *Renderer {
	t.Helper()
	doc, err := parse.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func randomCodeword(rng *rand.Rand, t *mark.Template) []uint8 {
	cw := make([]uint8, len(t.Slots))
	for i, s := range t.Slots {
		cw[i] = uint8(rng.IntN(s.Q))
	}
	return cw
}

// reset undoes a copy's slots using only the copy's text and where its
// slots landed: every occurrence goes back to its canonical alternative and
// every shuffled list back to its canonical order.
func reset(canon func(slot, occ int) string, out []byte, placed []Placed) string {
	sorted := slices.Clone(placed)
	slices.SortStableFunc(sorted, func(a, b Placed) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return (b.End - b.Start) - (a.End - a.Start)
	})
	var build func(a, b int, skip int) string
	build = func(a, b int, skip int) string {
		var sb strings.Builder
		pos := a
		for i, p := range sorted {
			if i == skip || p.Start < pos || p.End > b || (p.Start == b && p.End > p.Start) {
				continue
			}
			sb.Write(out[pos:p.Start])
			if p.Occ >= 0 {
				sb.WriteString(canon(p.Slot, p.Occ))
			} else {
				// Position p.Pos must show item p.Pos: find where it landed.
				for j, q := range sorted {
					if q.Occ < 0 && q.Slot == p.Slot && q.Item == p.Pos {
						sb.WriteString(build(q.Start, q.End, j))
					}
				}
			}
			pos = p.End
		}
		sb.Write(out[pos:b])
		return sb.String()
	}
	return build(0, len(out), -1)
}

// TestResetGivesCanonical: resetting every slot of any copy gives back the
// canonical text exactly, in every format, over thousands of random
// codewords; and the canonical Markdown is the author's source less its
// comments.
func TestResetGivesCanonical(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	for i, name := range samples.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(7, 11+uint64(i)))
			r := compileSample(t, name)
			tpl := r.Template()
			zero := make([]uint8, len(tpl.Slots))
			canonical := map[Format][]byte{}
			for _, f := range Formats {
				b, err := r.Body(f, zero, 0)
				if err != nil {
					t.Fatal(err)
				}
				canonical[f] = b
			}
			if got, want := string(canonical[Markdown]), withoutHidden(tpl); got != want {
				t.Fatalf("canonical Markdown differs from the source less comments:\n%s", firstDiff(got, want))
			}
			// Every slot occurrence and list position, numbered.
			places := make([]int, len(tpl.Slots)) // first place of each slot
			nplaces := 0
			for si, s := range tpl.Slots {
				places[si] = nplaces
				nplaces += len(s.Occurrences) + len(s.Items)
			}
			seen := make([]int, nplaces) // the rendering that last reported each place
			rendering := 0
			for i := 0; i < 2000; i++ {
				cw := randomCodeword(rng, tpl)
				for _, f := range Formats {
					out, placed, err := r.BodySpans(f, cw, 0)
					if err != nil {
						t.Fatal(err)
					}
					if len(placed) != nplaces {
						t.Fatalf("%s copy %d: %d places reported, the template has %d", f, i, len(placed), nplaces)
					}
					rendering++
					for _, p := range placed {
						k := places[p.Slot] + max(p.Occ, p.Pos)
						if seen[k] == rendering {
							t.Fatalf("%s copy %d: slot %d (occurrence %d, position %d) reported twice", f, i, p.Slot, p.Occ, p.Pos)
						}
						seen[k] = rendering
					}
					for _, p := range placed {
						if p.Occ >= 0 {
							o := &tpl.Slots[p.Slot].Occurrences[p.Occ]
							want := formatAlts(o.Alts, tpl.Slots[p.Slot].Kind, f)[cw[p.Slot]]
							if st := tpl.StyleSlot(o); st >= 0 {
								want = formatAlts(o.Styled[cw[p.Slot]], tpl.Slots[p.Slot].Kind, f)[cw[st]]
							}
							if got := string(out[p.Start:p.End]); got != want {
								t.Fatalf("%s: slot %d shows %q, codeword says %q", f, p.Slot, got, want)
							}
						}
					}
					canon := func(slot, occ int) string {
						s := tpl.Slots[slot]
						return formatAlts(s.Occurrences[occ].Alts, s.Kind, f)[0]
					}
					if got := reset(canon, out, placed); got != string(canonical[f]) {
						t.Fatalf("%s copy %d does not reset to the canonical text:\n%s", f, i, firstDiff(got, string(canonical[f])))
					}
				}
			}
		})
	}
}

func withoutHidden(t *mark.Template) string {
	var sb strings.Builder
	pos := 0
	for _, h := range t.Hidden {
		sb.WriteString(t.Source[pos:h.Start])
		pos = h.End
	}
	sb.WriteString(t.Source[pos:])
	return sb.String()
}

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return fmt.Sprintf("at byte %d:\n got: %q\nwant: %q", i, a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
}

// TestCopiesDifferOnlyInSlots: two copies are identical once their slot
// occurrences are blanked and their lists put back in canonical order.
func TestCopiesDifferOnlyInSlots(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 5))
	for _, name := range samples.Names() {
		r := compileSample(t, name)
		tpl := r.Template()
		skeleton := func(cw []uint8) string {
			out, placed, err := r.BodySpans(Markdown, cw, 0)
			if err != nil {
				t.Fatal(err)
			}
			blank := func(slot, occ int) string { return fmt.Sprintf("\x00%d.%d", slot, occ) }
			return reset(blank, out, placed)
		}
		first := randomCodeword(rng, tpl)
		firstBody, _ := r.Body(Markdown, first, 0)
		want := skeleton(first)
		differ := 0
		for i := 0; i < 200; i++ {
			cw := randomCodeword(rng, tpl)
			if got := skeleton(cw); got != want {
				t.Fatalf("%s: copies differ outside slots:\n%s", name, firstDiff(got, want))
			}
			if body, _ := r.Body(Markdown, cw, 0); !bytes.Equal(body, firstBody) {
				differ++
			}
		}
		if differ == 0 {
			t.Fatalf("%s: 200 copies with random codewords are all the same", name)
		}
	}
}

// TestEveryAlternativeAppears: over enough recipients, with codewords drawn
// from real biases, every alternative of every slot shows up in some copy.
func TestEveryAlternativeAppears(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	for _, name := range samples.Names() {
		r := compileSample(t, name)
		tpl := r.Template()
		var bk fingerprint.Key
		copy(bk[:], "bias key for "+name)
		biases := fingerprint.Biases(bk, tpl.Arities(), fingerprint.DefaultDesign)
		seen := make([]map[uint8]bool, len(tpl.Slots))
		for i := range seen {
			seen[i] = map[uint8]bool{}
		}
		for c := 0; c < 20000; c++ {
			var ck fingerprint.Key
			copy(ck[:], fmt.Sprintf("copy %d", c))
			for j, s := range fingerprint.NewCodeword(ck, biases) {
				seen[j][s] = true
			}
		}
		for j, s := range tpl.Slots {
			if len(seen[j]) != s.Q {
				t.Errorf("%s: slot %d (%s, q=%d) showed only %d alternatives in 20,000 copies (biases %.4f)", name, j, s.Name, s.Q, len(seen[j]), biases[j])
			}
		}
	}
}

var (
	fencedCode = regexp.MustCompile("(?s)```.*?```")
	inlineCode = regexp.MustCompile("`[^`\n]+`")
	urls       = regexp.MustCompile(`https?://[^\s)>\]]+`)
	quoted     = regexp.MustCompile(`"[^"\n]+"|“[^”\n]+”`)
	blockQuote = regexp.MustCompile(`(?m)^>.*$`)
	offRegion  = regexp.MustCompile(`(?s)<!-- telltale:off -->\n(.*?)<!-- telltale:on -->`)
)

// TestNeverTouched: code, URLs, quotations, block quotes and telltale:off
// regions of the samples appear unchanged in every copy.
func TestNeverTouched(t *testing.T) {
	t.Parallel()
	for i, name := range samples.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(1, 1+uint64(i)))
			r := compileSample(t, name)
			src := r.Template().Source
			var protected []string
			for _, re := range []*regexp.Regexp{fencedCode, inlineCode, urls, quoted, blockQuote} {
				protected = append(protected, re.FindAllString(src, -1)...)
			}
			for _, m := range offRegion.FindAllStringSubmatch(src, -1) {
				protected = append(protected, m[1])
			}
			if len(protected) < 5 {
				t.Fatalf("sample has only %d protected passages; it should exercise code, URLs, quotes and off regions", len(protected))
			}
			for i := 0; i < 300; i++ {
				out, err := r.Body(Markdown, randomCodeword(rng, r.Template()), 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range protected {
					if !bytes.Contains(out, []byte(p)) {
						t.Fatalf("protected passage changed in a copy: %q", p)
					}
				}
			}
		})
	}
}

// TestGolden pins the slots found in each sample and one rendered copy in
// every format. Review the diff before running with -update.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, name := range samples.Names() {
		t.Run(name, func(t *testing.T) {
			r := compileSample(t, name)
			tpl := r.Template()
			var slots strings.Builder
			for i, s := range tpl.Slots {
				fmt.Fprintf(&slots, "%3d %-28s q=%d", i, s.Name, s.Q)
				if s.Kind == mark.Order {
					for _, it := range s.Items {
						fmt.Fprintf(&slots, " | %s", tpl.Source[it.Start:it.End])
					}
				}
				for _, o := range s.Occurrences {
					fmt.Fprintf(&slots, " | %d:%q", o.Start, o.Alts)
				}
				slots.WriteString("\n")
			}
			golden(t, name+".slots.txt", []byte(slots.String()))
			cw := make([]uint8, len(tpl.Slots))
			for i, s := range tpl.Slots {
				cw[i] = uint8((i * 7) % s.Q)
			}
			for _, f := range Formats {
				out, err := r.Render(f, Copy{Codeword: cw, Number: 3, Of: 12, Recipient: "Dana Ortiz", Unit: "Houston field office"})
				if err != nil {
					t.Fatal(err)
				}
				if strings.ContainsFunc(string(out), func(r rune) bool { return r >= 0xE000 && r <= 0xF8FF }) {
					t.Fatalf("%s copy contains an internal marker character", f)
				}
				golden(t, name+".copy"+f.Ext(), out)
			}
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, firstDiff(string(got), string(want)))
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	r := compileSample(t, "board-memo")
	cw := randomCodeword(rand.New(rand.NewPCG(9, 9)), r.Template())
	c := Copy{Codeword: cw, Number: 1, Of: 2, Recipient: "Lee"}
	for _, f := range Formats {
		a, err := r.Render(f, c)
		if err != nil || len(a) == 0 {
			t.Fatalf("%s: %d bytes, %v", f, len(a), err)
		}
		b, _ := r.Render(f, c)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: rendering the same copy twice gave different bytes", f)
		}
	}
}

func TestMarking(t *testing.T) {
	t.Parallel()
	c := Copy{Number: 3, Of: 12, Recipient: "Dana Ortiz", Unit: "Houston"}
	tests := []struct{ tmpl, class, want string }{
		{"", "LAW ENFORCEMENT SENSITIVE", "Copy 3 of 12 — prepared for Dana Ortiz — LAW ENFORCEMENT SENSITIVE"},
		{"", "", "Copy 3 of 12 — prepared for Dana Ortiz"},
		{"{recipient} ({unit}) — copy {copy}", "", "Dana Ortiz (Houston) — copy 3"},
		{"{recipient} — {email}", "", "Dana Ortiz"},
	}
	for _, tt := range tests {
		if got := Marking(tt.tmpl, "T", tt.class, c); got != tt.want {
			t.Errorf("Marking(%q, %q) = %q, want %q", tt.tmpl, tt.class, got, tt.want)
		}
	}
}

func TestBodyErrors(t *testing.T) {
	t.Parallel()
	r := compileSample(t, "policy-draft")
	if _, err := r.Body(Markdown, []uint8{0}, 0); err == nil {
		t.Error("short codeword accepted")
	}
	cw := make([]uint8, len(r.Template().Slots))
	cw[0] = 200
	if _, err := r.Body(Markdown, cw, 0); err == nil {
		t.Error("out-of-range symbol accepted")
	}
	if _, err := r.Body("pdf", make([]uint8, len(r.Template().Slots)), 0); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestPinnedTemplates: templates stored before lists were shuffled by
// insertion (one order slot per list, with its permutations) still render
// every copy exactly as they did. The templates and copies in
// testdata/format1 were made by that release. Likewise testdata/format2,
// made before a repeated fact was one slot: each {{…}} there is a slot of
// its own, and its copy keeps stating 36 officers in one place and 37 in
// another.
func TestPinnedTemplates(t *testing.T) {
	t.Parallel()
	type pinned struct{ dir, name string }
	var all []pinned
	for _, name := range samples.Names() {
		all = append(all, pinned{"format1", name})
	}
	all = append(all, pinned{"format2", "repeated-facts"})
	for _, p := range all {
		t.Run(p.dir+"/"+p.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", p.dir, p.name+".template.json"))
			if err != nil {
				t.Fatal(err)
			}
			tpl, err := mark.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Compile(tpl)
			if err != nil {
				t.Fatal(err)
			}
			cw := make([]uint8, len(tpl.Slots))
			for i, s := range tpl.Slots {
				cw[i] = uint8((i * 7) % s.Q)
			}
			for _, f := range Formats {
				out, err := r.Render(f, Copy{Codeword: cw, Number: 3, Of: 12, Recipient: "Dana Ortiz", Unit: "Houston field office"})
				if err != nil {
					t.Fatal(err)
				}
				want, err := os.ReadFile(filepath.Join("testdata", p.dir, p.name+".copy"+f.Ext()))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out, want) {
					t.Errorf("%s: a %s template renders differently now", f, p.dir)
				}
			}
		})
	}
}

// TestRepeatedFacts: a declared fact stated in several places, in prose
// and in a table, shows the same alternative at every mention of a copy,
// in every format; a named fact written two ways shows the alternatives
// that go together.
func TestRepeatedFacts(t *testing.T) {
	t.Parallel()
	src := "# Order\n\nThe team of {{36|35|37}} officers enters at {{06:00|05:45|06:15}}; {{#sites: two|three|four}} sites.\n\n" +
		"| Phase | Time | Officers | Sites |\n|---|---|---|---|\n| Entry | {{06:00|05:45|06:15}} | {{36|35|37}} | {{#sites: 2|3|4}} |\n| Search | 06:30 | 24 | 1 |\n\n" +
		"All {{36|35|37}} officers are briefed beforehand.\n"
	r := compileSource(t, "order.md", []byte(src))
	tpl := r.Template()
	var declared []int
	for j, s := range tpl.Slots {
		if s.Kind == mark.Declared {
			declared = append(declared, j)
		}
	}
	if len(declared) != 3 {
		t.Fatalf("%d declared slots, want 3 (officers, time, sites)", len(declared))
	}
	for s := range 3 {
		cw := make([]uint8, len(tpl.Slots))
		for _, j := range declared {
			cw[j] = uint8(s)
		}
		for _, f := range Formats {
			out, placed, err := r.BodySpans(f, cw, 0)
			if err != nil {
				t.Fatal(err)
			}
			shown := 0
			for _, p := range placed {
				if p.Occ < 0 || tpl.Slots[p.Slot].Kind != mark.Declared {
					continue
				}
				o := tpl.Slots[p.Slot].Occurrences[p.Occ]
				if got := string(out[p.Start:p.End]); got != o.Alts[s] {
					t.Errorf("%s, symbol %d: mention at %d shows %q, want %q", f, s, o.Start, got, o.Alts[s])
				}
				shown++
			}
			if shown != 7 {
				t.Errorf("%s: %d mentions placed, want 7", f, shown)
			}
			if f == Text && !strings.Contains(string(out), fmt.Sprintf("Entry | %s | %s | %d", []string{"06:00", "05:45", "06:15"}[s], []string{"36", "35", "37"}[s], s+2)) {
				t.Errorf("the table row of symbol %d:\n%s", s, out)
			}
		}
	}
}
