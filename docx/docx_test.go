package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
)

var fixtures = []string{"plan.docx", "long-plan.docx", "oddities.docx"}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func marked(t testing.TB, name string) ([]byte, *mark.Template, *Renderer) {
	t.Helper()
	file := fixture(t, name)
	tpl, r, err := Mark(name, file, mark.Options{})
	if err != nil {
		t.Fatalf("Mark(%s): %v", name, err)
	}
	return file, tpl, r
}

func randomCodeword(rng *rand.Rand, t *mark.Template) []uint8 {
	cw := make([]uint8, len(t.Slots))
	for i, s := range t.Slots {
		cw[i] = uint8(rng.IntN(s.Q))
	}
	return cw
}

// storyTexts returns each story's paragraphs' texts, by part.
func storyTexts(t testing.TB, file []byte) map[string][]string {
	t.Helper()
	d, err := Open(file)
	if err != nil {
		t.Fatalf("a copy does not open: %v", err)
	}
	out := map[string][]string{}
	for _, s := range d.Stories {
		for _, p := range s.Paragraphs {
			if !p.Deleted {
				out[s.Part] = append(out[s.Part], p.Text())
			}
		}
	}
	return out
}

var declaredMarkup = regexp.MustCompile(`\{\{([^|{}]*)(?:\|[^{}]*)?\}\}`)

// expected computes, without the XML, the text each paragraph of a copy
// shows: the original paragraphs' text with each slot occurrence's
// covered text replaced (the replacement where its first text was),
// directive paragraphs gone, shuffled list items in the copy's order,
// and the marking line at the end of every header.
func expected(r *Renderer, cw []uint8, marking string) map[string][]string {
	out, _ := expectedParagraphs(r, cw, marking)
	return out
}

// expectedParagraphs is expected, and the text each paragraph of the
// document shows in the copy.
func expectedParagraphs(r *Renderer, cw []uint8, marking string) (map[string][]string, map[*Paragraph]string) {
	st := r.state(render.Copy{Codeword: cw})
	type edit struct {
		from, to int
		text     string
	}
	edits := map[*Paragraph]map[int][]edit{}
	for i, l := range r.leaves {
		if !st.changed[i] {
			continue
		}
		add := func(p *Paragraph, item, from, to int, text string) {
			if edits[p] == nil {
				edits[p] = map[int][]edit{}
			}
			edits[p][item] = append(edits[p][item], edit{from, to, text})
		}
		if len(l.covers) == 0 {
			add(l.anchor.p, l.anchor.item, l.anchor.off, l.anchor.off, st.text[i])
		}
		first := true
		for _, c := range l.covers {
			text := ""
			if first && c.p.Items[c.item].Kind != SpaceItem {
				text, first = st.text[i], false
			}
			add(c.p, c.item, c.from, c.to, text)
		}
	}
	textOf := func(p *Paragraph) string {
		var b strings.Builder
		for i, it := range p.Items {
			es := edits[p][i]
			slices.SortFunc(es, func(a, b edit) int { return a.from - b.from })
			pos := 0
			for _, e := range es {
				b.WriteString(it.Text[pos:e.from] + e.text)
				pos = e.to
			}
			b.WriteString(it.Text[pos:])
		}
		return b.String()
	}
	// Paragraphs in the copy's order: list items moved whole.
	moved := map[*Paragraph][]*Paragraph{} // first paragraph of a position → paragraphs shown there
	skip := map[*Paragraph]bool{}
	for _, ls := range r.lists {
		order := st.orders[ls]
		var items [][]*Paragraph
		for _, it := range r.t.Slots[ls.slot].Items {
			md := r.parsed.FileOffset(it.Start)
			j := slices.IndexFunc(r.src.items, func(li listItem) bool { return li.md == md })
			items = append(items, storyRange(r.src.items[j].paras))
		}
		for pos, ps := range items {
			moved[ps[0]] = items[order[pos]]
			for _, p := range ps[1:] {
				skip[p] = true
			}
		}
	}
	directives := map[*Paragraph]bool{}
	for _, p := range r.src.directives {
		directives[p] = true
	}
	texts := map[*Paragraph]string{}
	out := map[string][]string{}
	for _, s := range r.d.Stories {
		for _, p := range s.Paragraphs {
			if p.Deleted || directives[p] || skip[p] {
				continue
			}
			shown := []*Paragraph{p}
			if m, ok := moved[p]; ok {
				shown = m
			}
			for _, q := range shown {
				out[s.Part] = append(out[s.Part], textOf(q))
			}
			texts[p] = textOf(p)
		}
		if s.Kind == Header {
			out[s.Part] = append(out[s.Part], marking)
		}
	}
	return out, texts
}

// storyRange is every paragraph of a story from the first given to the
// last, as a list item's bytes hold them.
func storyRange(ps []*Paragraph) []*Paragraph {
	all := ps[0].Story.Paragraphs
	i := slices.Index(all, ps[0])
	j := slices.Index(all, ps[len(ps)-1])
	var out []*Paragraph
	for _, p := range all[i : j+1] {
		if !p.Deleted {
			out = append(out, p)
		}
	}
	return out
}

// TestCopiesShowTheirAlternatives renders many copies of every fixture
// and checks each paragraph's text against a model of the edits made
// without the XML; with every slot at its canonical alternative, the
// copy's text is the original's with declared variants resolved and
// directive paragraphs gone.
func TestCopiesShowTheirAlternatives(t *testing.T) {
	heavy.Test(t)
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			file, tpl, r := marked(t, name)
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			trials := 200
			if testing.Short() {
				trials = 20
			}
			for trial := 0; trial < trials; trial++ {
				cw := randomCodeword(rng, tpl)
				if trial == 0 {
					cw = make([]uint8, len(tpl.Slots))
				}
				c := render.Copy{Codeword: cw, Number: trial + 1, Of: trials, Recipient: "Dana Ortiz"}
				out, err := r.Render(c, Options{KeepComments: trial%5 == 1})
				if err != nil {
					t.Fatal(err)
				}
				got := storyTexts(t, out)
				want := expected(r, cw, render.Marking(tpl.Marking, tpl.Title, tpl.Classification, c))
				for part, paras := range want {
					if !slices.Equal(got[part], paras) {
						t.Fatalf("copy %d, %s:\n got %q\nwant %q", trial, part, got[part], paras)
					}
				}
				if trial == 0 {
					checkCanonical(t, file, got)
				}
			}
		})
	}
}

// checkCanonical compares the all-canonical copy with the original.
func checkCanonical(t *testing.T, file []byte, got map[string][]string) {
	t.Helper()
	d, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Stories {
		var want []string
		for _, p := range s.Paragraphs {
			if _, ok := directive(p); ok || p.Deleted {
				continue
			}
			want = append(want, declaredMarkup.ReplaceAllString(p.Text(), "$1"))
		}
		g := got[s.Part]
		if s.Kind == Header {
			g = g[:len(g)-1] // the marking line
		}
		if !slices.Equal(g, want) {
			t.Errorf("%s: the canonical copy's text differs from the original's:\n got %q\nwant %q", s.Part, g, want)
		}
	}
}

// TestCanonicalBytes: a copy whose every slot shows the canonical
// alternative edits nothing but declared variants, the directives, the
// marking and what every copy removes.
func TestCanonicalBytes(t *testing.T) {
	_, tpl, r := marked(t, "long-plan.docx")
	out, err := r.Render(render.Copy{Codeword: make([]uint8, len(tpl.Slots))}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.leaves {
		l := &r.leaves[i]
		if tpl.Slots[l.slot].Kind != mark.Declared && l.alts[0] != l.original {
			t.Errorf("leaf %d: canonical %q, document %q", i, l.alts[0], l.original)
		}
	}
	if !bytes.Contains(unzipPart(t, out, "word/document.xml"), []byte("Embassy Chancery Compound")) {
		t.Error("the copy lost text")
	}
}

func unzipPart(t testing.TB, file []byte, name string) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	return nil
}

// TestMarkdownOfOddities checks how Word's constructs are written.
func TestMarkdownOfOddities(t *testing.T) {
	d, err := Open(fixture(t, "oddities.docx"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := d.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	md := string(src.Markdown)
	for _, want := range []string{
		"# Oddities\n",
		"The convoy of {{12|11}} vehicles leaves at approximately 06:00",   // a variant over three runs
		"Contact:\tduty officer on the intranet page\\\nRadio channel 4-2", // tab, hyperlink, line break, hyphen
		"The plan owner will begin the briefing",                           // a content control
		"Kilnbridge teams will assist",                                     // a smart tag
		"The team is to withdraw if a situation becomes threatening.\n",    // insertion kept, deletion gone
		"| Team | Task |  |\n| --- | --- | --- |\n| Alpha | Search the yard \\| record waste | Nested: start at 07:30 |",
		"1. First, the briefing.\n    - Then the equipment check.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	for _, not := range []string{"Text box", "Deleted row", "Call the police"} {
		if strings.Contains(md, not) {
			t.Errorf("Markdown has %q", not)
		}
	}
	if d.Inserted != 1 || d.Deleted != 1 {
		t.Errorf("tracked changes: %d insertions, %d deletions; want 1 and 1", d.Inserted, d.Deleted)
	}
	text := d.Text()
	for _, want := range []string{"Text box: approximately 40 officers.", "The team is to withdraw"} {
		if !strings.Contains(text, want) {
			t.Errorf("Text() lacks %q", want)
		}
	}
}

// TestScrubbed: nothing of the author, their machine or the document's
// history is left in a copy.
func TestScrubbed(t *testing.T) {
	file, tpl, r := marked(t, "plan.docx")
	orig := unzipAll2(t, file)
	for _, secret := range []string{"w:author=", "hcordingley", "HCORDINGLEY", "Environment Regulation Agency</Company>", "ERA-Operations-Plan", "MSIP_Label", "w:rsid", "<w:ins ", "<w:del ", "commentReference", "Check with legal"} {
		if !anyContains(orig, secret) {
			t.Fatalf("the fixture lacks %q: the test proves nothing", secret)
		}
	}
	out, err := r.Render(render.Copy{Codeword: randomCodeword(rand.New(rand.NewPCG(2, 2)), tpl), Number: 1, Of: 1, Recipient: "Dana Ortiz"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := unzipAll2(t, out)
	for name, b := range files {
		for _, secret := range []string{"w:author=", "hcordingley", "HCORDINGLEY", "<Company>", "<Template>", "ERA-Operations-Plan", "MSIP_Label", "rsid", "<w:ins ", "<w:del ", "delText", "rPrChange", "commentReference", "commentRangeStart", "Check with legal", "lastModifiedBy", "<dc:creator>", "<cp:revision>", "TotalTime"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s still holds %q", name, secret)
			}
		}
	}
	for _, gone := range []string{"docProps/custom.xml", "docProps/thumbnail.jpeg", "word/people.xml", "word/comments.xml", "word/_rels/settings.xml.rels"} {
		if _, ok := files[gone]; ok {
			t.Errorf("the copy still has %s", gone)
		}
	}
	if !bytes.Contains(files["docProps/core.xml"], []byte("<dc:title>Operation Brackish Tide</dc:title>")) {
		t.Errorf("core.xml lost the title: %s", files["docProps/core.xml"])
	}
	z, _ := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	for _, f := range z.File {
		if !f.Modified.Equal(zipTime) || len(f.Comment) > 0 {
			t.Errorf("%s: modified %v, comment %q", f.Name, f.Modified, f.Comment)
		}
	}
	// Kept comments keep their text and authors, and still nothing else.
	kept, err := r.Render(render.Copy{Codeword: make([]uint8, len(tpl.Slots))}, Options{KeepComments: true})
	if err != nil {
		t.Fatal(err)
	}
	kf := unzipAll2(t, kept)
	if !bytes.Contains(kf["word/comments.xml"], []byte("Check with legal")) || !bytes.Contains(kf["word/document.xml"], []byte("commentReference")) {
		t.Error("kept comments are gone")
	}
	if bytes.Contains(kf["docProps/core.xml"], []byte("HCORDINGLEY")) || kf["word/people.xml"] != nil {
		t.Error("keeping comments kept the properties")
	}
}

func unzipAll2(t testing.TB, b []byte) map[string][]byte {
	t.Helper()
	_, files := unzipAll(t.(*testing.T), b)
	return files
}

func anyContains(files map[string][]byte, s string) bool {
	for _, b := range files {
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

// TestShuffledListsMoveWholeParagraphs: a shuffled list's items are the
// same w:p elements in another order.
func TestShuffledListsMoveWholeParagraphs(t *testing.T) {
	_, tpl, r := marked(t, "long-plan.docx")
	if len(r.lists) != 2 {
		t.Fatalf("%d shuffled lists, want 2", len(r.lists))
	}
	paras := regexp.MustCompile(`<w:p[ >].*?</w:p>`)
	var base []string
	orders := map[string]bool{}
	rng := rand.New(rand.NewPCG(3, 3))
	for trial := 0; trial < 20; trial++ {
		cw := randomCodeword(rng, tpl)
		if trial == 0 {
			cw = make([]uint8, len(tpl.Slots))
		}
		// Only the lists vary: every other slot canonical.
		for i, s := range tpl.Slots {
			if s.Kind != mark.Order {
				cw[i] = 0
			}
		}
		out, err := r.Render(render.Copy{Codeword: cw}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := paras.FindAllString(string(unzipPart(t, out, "word/document.xml")), -1)
		if trial == 0 {
			base = got
			continue
		}
		if !sameMultiset(got, base) {
			t.Fatal("a shuffled copy's paragraphs are not the canonical copy's paragraphs")
		}
		orders[strings.Join(got, "")] = true
	}
	if len(orders) < 10 {
		t.Errorf("%d orders in 19 copies", len(orders))
	}
}

func sameMultiset(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestLoad: a renderer rebuilt from the stored file and template writes
// the same copies.
func TestLoad(t *testing.T) {
	file, tpl, r := marked(t, "plan.docx")
	stored, err := tpl.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	tpl2, err := mark.Unmarshal(stored)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Load(file, tpl2)
	if err != nil {
		t.Fatal(err)
	}
	c := render.Copy{Codeword: randomCodeword(rand.New(rand.NewPCG(4, 4)), tpl), Number: 2, Of: 3, Recipient: "Lee"}
	a, err := r.Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r2.Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the loaded renderer writes another copy")
	}
	_, other, _ := marked(t, "oddities.docx")
	if _, err := Load(file, other); err == nil {
		t.Error("Load accepted another document's template")
	}
}

// TestSameSlotsAsMarkdown: the Word plan made from a Markdown plan has
// the Markdown plan's word and style slots.
func TestSameSlotsAsMarkdown(t *testing.T) {
	md, err := os.ReadFile("../testdata/plans/dev/long-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parse.Parse("long-plan.md", md)
	if err != nil {
		t.Fatal(err)
	}
	want, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, got, _ := marked(t, "long-plan.docx")
	count := func(tpl *mark.Template) map[string]int {
		m := map[string]int{}
		for _, s := range tpl.Slots {
			m[s.Kind.String()]++
		}
		return m
	}
	w, g := count(want), count(got)
	t.Logf("Markdown %v, Word %v", w, g)
	for _, k := range []string{"declared", "order"} {
		if w[k] != g[k] {
			t.Errorf("%s slots: Markdown %d, Word %d", k, w[k], g[k])
		}
	}
	for _, k := range []string{"lexical", "typographic"} {
		if g[k] < w[k]*9/10 {
			t.Errorf("%s slots: Markdown %d, Word only %d", k, w[k], g[k])
		}
	}
}

// TestRefused: files that are not Word documents telltale will store are
// refused with a reason.
func TestRefused(t *testing.T) {
	ok := fixture(t, "oddities.docx")
	names, files := unzipAll(t, ok)
	with := func(change func(map[string][]byte)) []byte {
		f := map[string][]byte{}
		for k, v := range files {
			f[k] = v
		}
		change(f)
		return zipAll(names, f)
	}
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "not a zip archive"},
		{"text", []byte("# A plan\n"), "not a zip archive"},
		{"encrypted", append(append(slices.Clone(oleMagic), make([]byte, 500)...), utf16("EncryptedPackage")...), "encrypted with a password"},
		{"legacy .doc", append(slices.Clone(oleMagic), utf16("WordDocument")...), "Word 97–2003"},
		{"too large", append([]byte("PK\x03\x04"), make([]byte, MaxFileSize)...), "telltale accepts up to 32.0 MB"},
		{"a zip of something else", zipAll([]string{"a.txt"}, map[string][]byte{"a.txt": []byte("hi")}), "not a Word document"},
		{"damaged zip", ok[:len(ok)/2], "damaged"},
		{"no main part", with(func(f map[string][]byte) { delete(f, "word/document.xml") }), "main part word/document.xml is missing"},
		{"invalid XML", with(func(f map[string][]byte) { f["word/document.xml"] = []byte("<w:document><w:body><w:p></w:body>") }), "is not valid XML"},
		{"unsafe name", with(func(f map[string][]byte) { f["../evil.xml"] = []byte("<a/>") }), "unsafe name"},
		{"too many files", with(func(f map[string][]byte) {
			for i := 0; i < MaxEntries; i++ {
				f[fmt.Sprintf("word/media/x%d.bin", i)] = nil
			}
		}), "telltale accepts at most 1000"},
		{"declared bomb", bombDeclared(t, ok), "claims to unpack to more than"},
		{"actual bomb", bombActual(t, ok), "unpacks to more than it declares"},
		{"giant part", bombPart(t, ok), "unpacks to 65.0 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Mark("plan.docx", tt.file, mark.Options{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *docx.Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to say %q", err, tt.want)
			}
		})
	}
	macros := []struct {
		name   string
		change func(map[string][]byte)
		want   string
	}{
		{"macro-enabled", func(f map[string][]byte) {
			f["[Content_Types].xml"] = bytes.Replace(f["[Content_Types].xml"], []byte(typeDocument), []byte(typeMacroDocument), 1)
		}, "macro-enabled document (.docm)"},
		{"VBA project", func(f map[string][]byte) { f["word/vbaProject.bin"] = []byte("VBA") }, "macro project (word/vbaProject.bin)"},
		{"ActiveX", func(f map[string][]byte) { f["word/activeX/activeX1.xml"] = []byte("<ax/>") }, "ActiveX controls"},
	}
	for _, tt := range macros {
		t.Run(tt.name, func(t *testing.T) {
			file := with(tt.change)
			d, err := Open(file)
			if err != nil || d.Macros == "" {
				t.Fatalf("Open: %v, Macros %q: a leak with macros should still be read", err, d.Macros)
			}
			_, _, err = Mark("plan.docm", file, mark.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "carry code") {
				t.Errorf("got %v, want a refusal naming %q", err, tt.want)
			}
		})
	}
}

// bombDeclared claims a file unpacks to a terabyte.
func bombDeclared(t *testing.T, ok []byte) []byte {
	return rawZip(t, ok, "word/media/huge.bin", []byte{3, 0}, 1<<40)
}

// bombActual declares 1 KB for a file that unpacks to 8 MB of zeros.
func bombActual(t *testing.T, ok []byte) []byte {
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	fw.Write(make([]byte, 8<<20))
	fw.Close()
	return rawZip(t, ok, "word/media/bomb.bin", b.Bytes(), 1024)
}

// bombPart declares an XML part of 65 MB.
func bombPart(t *testing.T, ok []byte) []byte {
	return rawZip(t, ok, "word/huge.xml", []byte{3, 0}, 65<<20)
}

// rawZip adds a file with given compressed bytes and declared size.
func rawZip(t *testing.T, ok []byte, name string, deflated []byte, declared uint64) []byte {
	z, err := zip.NewReader(bytes.NewReader(ok), int64(len(ok)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range z.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(len(deflated)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(deflated)
	zw.Close()
	return b.Bytes()
}

// TestAuthorErrors: misplaced directives and variants name the paragraph.
func TestAuthorErrors(t *testing.T) {
	p := func(text string) string { return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>` }
	item := func(text string) string {
		return `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	footnoted := `<w:p><w:r><w:t>A total of {{42</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>|40}} officers.</w:t></w:r></w:p>`
	tests := []struct {
		name, body, want string
	}{
		{"unknown directive", p("Plan.") + p("telltale:shufle") + item("a") + item("b"), `in the paragraph “telltale:shufle”: unknown telltale directive "telltale:shufle"`},
		{"off not closed", p("Plan.") + p("telltale:off") + p("Secret."), "in the paragraph “telltale:off”: telltale:off is never closed"},
		{"on without off", p("Plan.") + p("telltale:on"), "telltale:on without a telltale:off"},
		{"off inside off", p("telltale:off") + p("a") + p("&lt;!-- telltale:off --&gt;") + p("telltale:on"), "telltale:off inside the region"},
		{"shuffle before prose", p("telltale:shuffle") + p("Not a list."), "telltale:shuffle is not followed by a list"},
		{"shuffle before one item", p("telltale:shuffle") + item("Only one") + p("After."), "in the paragraph “telltale:shuffle”: telltale:shuffle is followed by a list of one item"},
		{"one alternative", p("Plan.") + p("The convoy of {{12}} vehicles."), "in the paragraph “The convoy of {{12}} vehicles.”: declared variant {{12}} has one alternative"},
		{"unclosed variant", p("The convoy of {{12|11 vehicles."), "is not closed"},
		{"variant over a footnote mark", p("Plan.") + footnoted, "in the paragraph “A total of {{42|40}} officers.”: the declared variant {{42[1]|40}} spans a footnote mark"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Mark("plan.docx", pkgWith(tt.body, nil), mark.Options{})
			var pe *parse.Error
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *parse.Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "plan.docx: ") {
				t.Errorf("got %q, want it to say %q", err, tt.want)
			}
		})
	}
}

// TestDirectivesLeaveCopies: directive paragraphs are in no copy, and an
// off region is never varied.
func TestDirectivesLeaveCopies(t *testing.T) {
	file, tpl, r := marked(t, "plan.docx")
	if !bytes.Contains(unzipPart(t, file, "word/document.xml"), []byte("telltale:shuffle")) {
		t.Fatal("the fixture has no directive")
	}
	for trial := 0; trial < 5; trial++ {
		out, err := r.Render(render.Copy{Codeword: randomCodeword(rand.New(rand.NewPCG(5, uint64(trial))), tpl)}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		doc := unzipPart(t, out, "word/document.xml")
		if bytes.Contains(doc, []byte("telltale:")) {
			t.Fatal("a directive reached a copy")
		}
		if !bytes.Contains(doc, []byte("Do not discuss the operation, the sites or the date outside the team.")) {
			t.Fatal("the protected paragraph changed")
		}
	}
}

// TestRenderChecksCodeword: a codeword of the wrong shape is refused.
func TestRenderChecksCodeword(t *testing.T) {
	_, tpl, r := marked(t, "oddities.docx")
	if _, err := r.Render(render.Copy{Codeword: make([]uint8, len(tpl.Slots)+1)}, Options{}); err == nil {
		t.Error("a long codeword was accepted")
	}
	cw := make([]uint8, len(tpl.Slots))
	cw[0] = uint8(tpl.Slots[0].Q)
	if _, err := r.Render(render.Copy{Codeword: cw}, Options{}); err == nil {
		t.Error("a symbol out of range was accepted")
	}
}
