package docx

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"image"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/office"
	"github.com/telltale-dev/telltale/render"
)

// TestCopiesOpenInLibreOffice: LibreOffice converts a copy of every
// fixture, with and without comments, to a PDF whose text is the copy's.
func TestCopiesOpenInLibreOffice(t *testing.T) {
	heavy.Test(t)
	leaktest.NeedTools(t, "soffice", "pdftotext")
	var docs [][]byte
	var markings []string
	for i, name := range fixtures {
		_, tpl, r := marked(t, name)
		for _, keep := range []bool{false, true} {
			c := render.Copy{Codeword: randomCodeword(rand.New(rand.NewPCG(6, uint64(i))), tpl), Number: len(docs) + 1, Of: 6, Recipient: "Dana Ortiz"}
			out, err := r.Render(c, Options{KeepComments: keep})
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, out)
			markings = append(markings, render.Marking(tpl.Marking, tpl.Title, tpl.Classification, c))
		}
	}
	pdfs, err := office.Converter{}.PDF(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	for i, pdf := range pdfs {
		text := pdfText(t, pdf)
		if !strings.Contains(strings.Join(strings.Fields(text), " "), markings[i]) {
			t.Errorf("copy %d: the PDF lacks the marking %q:\n%.300s", i+1, markings[i], text)
		}
		if len(strings.Fields(text)) < 50 {
			t.Errorf("copy %d: the PDF has %d words", i+1, len(strings.Fields(text)))
		}
	}
}

func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestLayoutKept renders the original plan, its all-canonical copy and a
// copy that changes six slots and one list, with LibreOffice, rasterises
// page 1 and compares them line by line: each page is cut into bands of
// ink (text lines) and the bands of two pages are aligned by their
// pixels. The canonical copy may differ from the original only by the
// marking in the header and the directive paragraphs it leaves out; the
// marked copy may differ from the canonical one only in bands of a
// paragraph (a pdftotext block) holding a changed word or a shuffled
// item, and in at most a third of its bands. A broken table, merged or
// lost paragraphs, or changed fonts would leave bands no slot explains.
func TestLayoutKept(t *testing.T) {
	heavy.Test(t)
	leaktest.NeedTools(t, "soffice", "pdftoppm", "pdftotext")
	file, tpl, r := marked(t, "long-plan.docx")
	c := render.Copy{Codeword: make([]uint8, len(tpl.Slots)), Number: 3, Of: 12, Recipient: "Dana Ortiz"}
	canonical, err := r.Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A copy that changes six word or style slots on page 1 and shuffles
	// the first list.
	rng := rand.New(rand.NewPCG(7, 7))
	cw := make([]uint8, len(tpl.Slots))
	var early []int
	for i := range r.leaves {
		l := &r.leaves[i]
		if l.anchor.p.Story.Kind == Body && l.anchor.p.Start < len(r.d.parts[r.d.main])/4 && tpl.Slots[l.slot].Kind != mark.Declared {
			early = append(early, i)
		}
	}
	rng.Shuffle(len(early), func(i, j int) { early[i], early[j] = early[j], early[i] })
	for _, i := range early[:min(6, len(early))] {
		l := &r.leaves[i]
		cw[l.slot] = uint8(1 + rng.IntN(tpl.Slots[l.slot].Q-1))
	}
	first := r.lists[0].slot
	for k := 1; k < len(tpl.Slots[first].Items); k++ {
		cw[first+k-1] = uint8(rng.IntN(k + 1))
	}
	// The paragraphs a slot changes: in the canonical copy, those with a
	// declared variant (the original shows its markup); in the marked
	// copy, those with a changed slot and the shuffled items.
	_, canonTexts := expectedParagraphs(r, make([]uint8, len(tpl.Slots)), "")
	_, copyTexts := expectedParagraphs(r, cw, "")
	st := r.state(render.Copy{Codeword: cw})
	declared := shingles{}
	slotted := shingles{}
	for i, l := range r.leaves {
		if tpl.Slots[l.slot].Kind == mark.Declared {
			declared.add(canonTexts[l.anchor.p])
		}
		if st.changed[i] && tpl.Slots[l.slot].Kind != mark.Declared {
			slotted.add(copyTexts[l.anchor.p])
		}
	}
	for _, it := range r.src.items {
		for _, p := range it.paras {
			slotted.add(copyTexts[p])
		}
	}
	c.Codeword = cw
	marked, err := r.Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pdfs, err := office.Converter{}.PDF(context.Background(), [][]byte{file, canonical, marked})
	if err != nil {
		t.Fatal(err)
	}
	const dpi = 72
	pages := make([]*page, 3)
	for i, pdf := range pdfs {
		pages[i] = readPage(t, pdf, dpi)
	}
	orig, canon, copy := pages[0], pages[1], pages[2]

	// The canonical copy: only the marking and the directives differ.
	onlyOrig, onlyCanon := align(orig.bands, canon.bands)
	for _, b := range onlyCanon {
		if text := canon.text(b); !strings.Contains(text, "Dana Ortiz") && !declared.in(canon.blockText(b)) {
			t.Errorf("the canonical copy has a line the original has not: %q (rows %d–%d)", text, b.top, b.bottom)
		}
	}
	for _, b := range onlyOrig {
		if text := orig.text(b); !strings.Contains(text, "telltale:") && !strings.Contains(orig.blockText(b), "{{") {
			t.Errorf("the canonical copy lost a line: %q (rows %d–%d)", text, b.top, b.bottom)
		}
	}
	// The marked copy: only paragraphs with a changed slot differ.
	_, onlyCopy := align(canon.bands, copy.bands)
	if len(onlyCopy) == 0 {
		t.Fatal("the marked copy's page 1 is the canonical copy's: no slot changed there")
	}
	if 3*len(onlyCopy) > len(copy.bands) {
		t.Errorf("%d of %d lines of page 1 differ", len(onlyCopy), len(copy.bands))
	}
	for _, b := range onlyCopy {
		block := copy.blockText(b)
		if !slotted.in(block) {
			t.Errorf("a line differs in a paragraph no changed slot is in: %q (rows %d–%d)", block, b.top, b.bottom)
		}
	}
	t.Logf("page 1: %d lines; the canonical copy adds %d and drops %d; the marked copy differs in %d", len(orig.bands), len(onlyCanon), len(onlyOrig), len(onlyCopy))
}

// shingles are the three-word runs of some paragraphs' texts.
type shingles map[string]bool

func words(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		if w = strings.ToLower(strings.Trim(w, ".,;:()“”\"'’")); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func (s shingles) add(text string) {
	w := words(text)
	for i := 0; i+3 <= len(w); i++ {
		s[strings.Join(w[i:i+3], " ")] = true
	}
	if len(w) > 0 && len(w) < 3 {
		s[strings.Join(w, " ")] = true
	}
}

// in reports whether a block of text is (part of) one of the paragraphs.
func (s shingles) in(block string) bool {
	w := words(block)
	for i := 0; i+3 <= len(w); i++ {
		if s[strings.Join(w[i:i+3], " ")] {
			return true
		}
	}
	return len(w) < 3 && s[strings.Join(w, " ")]
}

// page is page 1 of a PDF: its ink bands and its words' boxes.
type page struct {
	bands  []band
	blocks [][]word // pdftotext's blocks of words
	scale  float64  // pixels per PDF point
}

type band struct {
	top, bottom int // rows [top, bottom)
	sum         [32]byte
}

type word struct {
	text       string
	yMin, yMax float64
}

func readPage(t *testing.T, pdf []byte, dpi int) *page {
	t.Helper()
	img, err := leaktest.Raster(pdf, 1, dpi)
	if err != nil {
		t.Fatal(err)
	}
	p := &page{bands: bands(img), scale: float64(dpi) / 72}
	p.blocks = wordBoxes(t, pdf)
	return p
}

// bands cuts a page into runs of rows with ink.
func bands(img *image.Gray) []band {
	b := img.Bounds()
	var out []band
	start := -1
	for y := b.Min.Y; y <= b.Max.Y; y++ {
		ink := false
		if y < b.Max.Y {
			row := img.Pix[(y-b.Min.Y)*img.Stride : (y-b.Min.Y)*img.Stride+b.Dx()]
			for _, v := range row {
				ink = ink || v < 160
			}
		}
		switch {
		case ink && start < 0:
			start = y
		case !ink && start >= 0:
			h := sha256.New()
			for yy := start; yy < y; yy++ {
				h.Write(img.Pix[(yy-b.Min.Y)*img.Stride : (yy-b.Min.Y)*img.Stride+b.Dx()])
			}
			bd := band{top: start, bottom: y}
			copy(bd.sum[:], h.Sum(nil))
			out = append(out, bd)
			start = -1
		}
	}
	return out
}

// align matches two pages' bands by their pixels in order (a longest
// common subsequence) and returns those of each left unmatched.
func align(a, b []band) (onlyA, onlyB []band) {
	n, m := len(a), len(b)
	l := make([][]int, n+1)
	for i := range l {
		l[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i].sum == b[j].sum {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i].sum == b[j].sum:
			i, j = i+1, j+1
		case l[i+1][j] >= l[i][j+1]:
			onlyA = append(onlyA, a[i])
			i++
		default:
			onlyB = append(onlyB, b[j])
			j++
		}
	}
	return append(onlyA, a[i:]...), append(onlyB, b[j:]...)
}

// text is the words whose boxes overlap a band.
func (p *page) text(b band) string {
	var out []string
	for _, bl := range p.blocks {
		for _, w := range bl {
			if p.overlaps(w, b) {
				out = append(out, w.text)
			}
		}
	}
	return strings.Join(out, " ")
}

// blockText is the words of every block with a word in a band.
func (p *page) blockText(b band) string {
	var out []string
	for _, bl := range p.blocks {
		hit := false
		for _, w := range bl {
			hit = hit || p.overlaps(w, b)
		}
		if hit {
			for _, w := range bl {
				out = append(out, w.text)
			}
		}
	}
	return strings.Join(out, " ")
}

func (p *page) overlaps(w word, b band) bool {
	return w.yMin*p.scale < float64(b.bottom) && w.yMax*p.scale > float64(b.top)
}

// wordBoxes reads page 1's words in pdftotext's blocks.
func wordBoxes(t *testing.T, pdf []byte) [][]word {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-f", "1", "-l", "1", "-bbox-layout", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	var blocks [][]word
	var cur *word
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "block":
				blocks = append(blocks, nil)
			case "word":
				cur = &word{}
				for _, a := range e.Attr {
					v, _ := strconv.ParseFloat(a.Value, 64)
					switch a.Name.Local {
					case "yMin":
						cur.yMin = v
					case "yMax":
						cur.yMax = v
					}
				}
			}
		case xml.CharData:
			if cur != nil {
				cur.text += string(e)
			}
		case xml.EndElement:
			if e.Name.Local == "word" && cur != nil && len(blocks) > 0 {
				blocks[len(blocks)-1] = append(blocks[len(blocks)-1], *cur)
				cur = nil
			}
		}
	}
	return blocks
}
