package leaktest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// PDF returns a PDF of text in 11-point Helvetica on US Letter pages,
// wrapped at 85 characters, 50 lines to a page, with a text layer as a
// word processor writes it. Characters outside Windows-1252 become "?".
func PDF(text string) []byte {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, wrap(para, 85)...)
	}
	var pages [][]string
	for len(lines) > 0 {
		n := min(50, len(lines))
		pages = append(pages, lines[:n])
		lines = lines[n:]
	}
	if len(pages) == 0 {
		pages = [][]string{nil}
	}
	w := &pdfWriter{}
	w.header()
	kids := make([]int, len(pages))
	font := 3
	for i := range pages {
		kids[i] = 4 + 2*i
	}
	w.catalog(kids)
	w.object(font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i, p := range pages {
		var c bytes.Buffer
		c.WriteString("BT /F1 11 Tf 14 TL 72 720 Td\n")
		for _, l := range p {
			fmt.Fprintf(&c, "(%s) Tj T*\n", pdfString(l))
		}
		c.WriteString("ET\n")
		w.object(kids[i], fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", font, kids[i]+1))
		w.stream(kids[i]+1, "", c.Bytes())
	}
	return w.finish()
}

// ImagePDF returns a one-page PDF whose page is a scanned image (no text
// layer), as a scanner or a "print to PDF" of a photo writes it.
func ImagePDF(page image.Image) []byte {
	var j bytes.Buffer
	if err := jpeg.Encode(&j, page, &jpeg.Options{Quality: 85}); err != nil {
		panic(err) // encoding to memory does not fail
	}
	b := page.Bounds()
	w := &pdfWriter{}
	w.header()
	w.catalog([]int{3})
	w.object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>")
	w.stream(4, "", []byte("q 612 0 0 792 0 0 cm /Im1 Do Q\n"))
	cs := "/DeviceRGB"
	if _, ok := page.(*image.Gray); ok {
		cs = "/DeviceGray"
	}
	w.stream(5, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode", b.Dx(), b.Dy(), cs), j.Bytes())
	return w.finish()
}

type pdfWriter struct {
	b       bytes.Buffer
	offsets map[int]int
}

func (w *pdfWriter) header() {
	w.offsets = map[int]int{}
	w.b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
}

func (w *pdfWriter) catalog(kids []int) {
	w.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
	refs := make([]string, len(kids))
	for i, k := range kids {
		refs[i] = fmt.Sprintf("%d 0 R", k)
	}
	w.object(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(refs, " "), len(kids)))
}

func (w *pdfWriter) object(n int, body string) {
	w.offsets[n] = w.b.Len()
	fmt.Fprintf(&w.b, "%d 0 obj\n%s\nendobj\n", n, body)
}

func (w *pdfWriter) stream(n int, dict string, data []byte) {
	w.offsets[n] = w.b.Len()
	fmt.Fprintf(&w.b, "%d 0 obj\n<< %s /Length %d >>\nstream\n", n, dict, len(data))
	w.b.Write(data)
	w.b.WriteString("\nendstream\nendobj\n")
}

func (w *pdfWriter) finish() []byte {
	size := 0
	for n := range w.offsets {
		size = max(size, n+1)
	}
	xref := w.b.Len()
	fmt.Fprintf(&w.b, "xref\n0 %d\n0000000000 65535 f \n", size)
	for n := 1; n < size; n++ {
		fmt.Fprintf(&w.b, "%010d 00000 n \n", w.offsets[n])
	}
	fmt.Fprintf(&w.b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", size, xref)
	return w.b.Bytes()
}

// pdfString escapes a line for a PDF string in WinAnsiEncoding.
func pdfString(s string) string {
	enc := charmap.Windows1252.NewEncoder()
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
			continue // invisible: PDF writers drop them
		}
		c, err := enc.Bytes([]byte(string(r)))
		if err != nil || len(c) != 1 {
			c = []byte("?")
		}
		switch c[0] {
		case '(', ')', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(c[0])
	}
	return b.String()
}

// wrap breaks a paragraph into lines of at most width characters.
func wrap(para string, width int) []string {
	words := strings.Fields(para)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	line := words[0]
	for _, w := range words[1:] {
		if len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line += " " + w
	}
	return append(lines, line)
}

// DOCX returns a minimal Word document whose body holds paragraphs, one
// per line of text. Each body paragraph may carry tracked changes written
// as [+inserted+] and [-deleted-]; header, if not empty, is the page
// header's text.
func DOCX(text, header string) []byte {
	var body strings.Builder
	for _, para := range strings.Split(text, "\n") {
		body.WriteString("<w:p>")
		for para != "" {
			i := strings.IndexAny(para, "[")
			if i < 0 || i+1 >= len(para) || para[i+1] != '+' && para[i+1] != '-' {
				body.WriteString(run(para))
				break
			}
			body.WriteString(run(para[:i]))
			kind := para[i+1]
			end := strings.Index(para[i:], string(kind)+"]")
			if end < 0 {
				body.WriteString(run(para[i:]))
				break
			}
			inner := para[i+2 : i+end]
			if kind == '+' {
				body.WriteString(`<w:ins w:id="1" w:author="Editor" w:date="2026-03-01T10:00:00Z">` + run(inner) + `</w:ins>`)
			} else {
				body.WriteString(`<w:del w:id="2" w:author="Editor" w:date="2026-03-01T10:00:00Z"><w:r><w:delText xml:space="preserve">` + xmlEscape(inner) + `</w:delText></w:r></w:del>`)
			}
			para = para[i+end+2:]
		}
		body.WriteString("</w:p>")
	}
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `<w:sectPr/></w:body></w:document>`,
	}
	if header != "" {
		files["word/header1.xml"] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p>` + run(header) + `</w:p></w:hdr>`
	}
	var out bytes.Buffer
	z := zip.NewWriter(&out)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/header1.xml"} {
		if s, ok := files[name]; ok {
			f, _ := z.Create(name)
			f.Write([]byte(s))
		}
	}
	z.Close()
	return out.Bytes()
}

func run(s string) string {
	if s == "" {
		return ""
	}
	return `<w:r><w:t xml:space="preserve">` + xmlEscape(s) + `</w:t></w:r>`
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// Photo returns a photo-like copy of a page image: turned by deg degrees
// (positive: lines fall to the right) on a white background, and saved as
// a JPEG of the given quality.
func Photo(g *image.Gray, deg float64, quality int) []byte {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	s, c := math.Sincos(-deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := int(math.Round(cx+dx*c-dy*s)), int(math.Round(cy+dx*s+dy*c))
			v := color.Gray{255}
			if sx >= 0 && sy >= 0 && sx < w && sy < h {
				v = g.GrayAt(b.Min.X+sx, b.Min.Y+sy)
			}
			out.SetGray(x, y, v)
		}
	}
	var j bytes.Buffer
	if err := jpeg.Encode(&j, out, &jpeg.Options{Quality: quality}); err != nil {
		panic(err) // encoding to memory does not fail
	}
	return j.Bytes()
}

// NeedTools skips the test if an outside program is missing, unless
// TELLTALE_REQUIRE_TOOLS is set (as in CI), where that fails the test.
func NeedTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("TELLTALE_REQUIRE_TOOLS") != "" {
				t.Fatalf("%s is required (TELLTALE_REQUIRE_TOOLS is set) but not installed: %v", tool, err)
			}
			t.Skipf("%s is not installed (Debian: poppler-utils, tesseract-ocr); set TELLTALE_REQUIRE_TOOLS=1 to fail instead", tool)
		}
	}
}

// Raster renders one page of a PDF at dpi with poppler's pdftoppm, as a
// printer and a scanner (or a phone) would, in gray.
func Raster(pdf []byte, page, dpi int) (*image.Gray, error) {
	dir, err := os.MkdirTemp("", "leaktest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, err
	}
	p := strconv.Itoa(page)
	if out, err := exec.Command("pdftoppm", "-q", "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile", "-f", p, "-l", p, in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pdftoppm: %v: %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Src)
	return g, nil
}
