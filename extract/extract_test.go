package extract

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/leaktest"
)

const plan = `Operation Northwind begins on Sunday, March 8, at 4:00 a.m. in ten cities.
Teams will assemble at the staging areas no later than 2:30 a.m. and wait for the signal from the command post.
About 140 officers are assigned to Los Angeles, where the largest number of targets is located; the remaining teams are spread across Houston, Chicago, Atlanta, Denver, Phoenix, Miami, Newark, Seattle and San Diego.
Each team leader confirms the target's address the evening before and reports any change to the duty officer at once.
Media inquiries are referred to the public affairs office; nobody comments on the operation before the official announcement on Tuesday.`

// recall is the share of want's words that got has, compared without
// punctuation or case.
func recall(want, got string) float64 {
	norm := func(s string) map[string]int {
		m := map[string]int{}
		for _, w := range strings.Fields(strings.ToLower(s)) {
			w = strings.Trim(w, ".,;:'\"()")
			if w != "" {
				m[w]++
			}
		}
		return m
	}
	g := norm(got)
	found, total := 0, 0
	for w, n := range norm(want) {
		total += n
		found += min(n, g[w])
	}
	return float64(found) / float64(total)
}

func TestSniff(t *testing.T) {
	t.Parallel()
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 4, 4)))
	tests := []struct {
		name string
		raw  []byte
		want Format
	}{
		{"leak.pdf", leaktest.PDF("hello"), FormatPDF},
		{"leak.docx", leaktest.DOCX("hello", ""), FormatDOCX},
		{"page.png", pngBuf.Bytes(), FormatImage},
		{"photo.jpg", leaktest.Photo(image.NewGray(image.Rect(0, 0, 8, 8)), 0, 80), FormatImage},
		{"scan.tif", []byte("II*\x00\x08\x00\x00\x00"), FormatImage},
		{"fwd.eml", []byte("hello"), FormatEmail},
		{"message", []byte("From: a@example.org\nSubject: plan\n\nbody"), FormatEmail},
		{"notes.txt", []byte("From: the plan, we take these points.\n"), FormatText},
		{"notes.txt", []byte("Operation Northwind begins on Sunday."), FormatText},
		{"page.html", []byte("<html><body><p>x</p></body></html>"), FormatText},
	}
	for _, tt := range tests {
		if got := Sniff(tt.name, tt.raw); got != tt.want {
			t.Errorf("Sniff(%s, %.12q) = %s, want %s", tt.name, tt.raw, got, tt.want)
		}
	}
}

func TestRefused(t *testing.T) {
	t.Parallel()
	x := New(Tools{})
	var zipBuf bytes.Buffer
	zipBuf.WriteString("PK\x03\x04 not really a zip")
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"plan.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), "save it as .docx"},
		{"photo.heic", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 20)...), "convert it to JPEG"},
		{"archive.zip", zipBuf.Bytes(), "zip archive but not a Word document"},
		{"huge.txt", make([]byte, MaxFileSize+1), "the limit is 16 MB"},
		{"broken.png", []byte("\x89PNG\r\n\x1a\nbroken"), "could not be decoded"},
		{"empty.docx", leaktest.DOCX("", ""), "no text could be read"},
	}
	for _, tt := range tests {
		_, err := x.Extract(context.Background(), tt.name, tt.raw)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, tt.want) {
			t.Errorf("%s: %v, want an Error mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestHugeImageRefusedBeforeDecoding(t *testing.T) {
	t.Parallel()
	// A PNG header claiming 100,000 × 100,000 pixels.
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	raw := b.Bytes()
	copy(raw[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	_, err := New(Tools{}).Extract(context.Background(), "bomb.png", raw)
	if err == nil || !strings.Contains(err.Error(), "megapixels") && !strings.Contains(err.Error(), "decoded") {
		t.Errorf("huge image: %v", err)
	}
}

func TestPDFTextLayer(t *testing.T) {
	t.Parallel()
	leaktest.NeedTools(t, "pdftotext")
	long := strings.Repeat(plan+"\n", 12) // several pages
	res, err := New(Tools{}).Extract(context.Background(), "leak.pdf", leaktest.PDF(long))
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatPDF || res.Pages < 2 || res.OCRPages != 0 {
		t.Errorf("format %s, %d pages, %d by OCR", res.Format, res.Pages, res.OCRPages)
	}
	if r := recall(long, res.Text); r < 0.99 {
		t.Errorf("text layer recall %.3f:\n%s", r, res.Text)
	}
	if got := res.Obtained(); !strings.HasPrefix(got, "PDF text layer, ") {
		t.Errorf("Obtained() = %q", got)
	}
}

func TestPDFWithoutTextLayer(t *testing.T) {
	t.Parallel()
	leaktest.NeedTools(t, "pdftotext", "pdftoppm", "tesseract")
	page := raster(t, leaktest.PDF(plan), 1, 200)
	res, err := New(Tools{}).Extract(context.Background(), "scan.pdf", leaktest.ImagePDF(page))
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 1 || res.OCRPages != 1 || res.Confidence < 70 {
		t.Errorf("%d pages, %d by OCR, confidence %.0f", res.Pages, res.OCRPages, res.Confidence)
	}
	if r := recall(plan, res.Text); r < 0.95 {
		t.Errorf("OCR recall %.3f:\n%s", r, res.Text)
	}
	if got := res.Obtained(); !strings.Contains(got, "OCR of a PDF without a text layer, 1 page, mean confidence") {
		t.Errorf("Obtained() = %q", got)
	}
}

// TestPhotoOfPage: a page printed at 150 dpi, turned by 1.5°, saved as a
// JPEG at quality 60, is deskewed and read.
func TestPhotoOfPage(t *testing.T) {
	t.Parallel()
	leaktest.NeedTools(t, "pdftoppm", "tesseract")
	page := raster(t, leaktest.PDF(plan), 1, 150)
	for _, deg := range []float64{1.5, -2} {
		res, err := New(Tools{}).Extract(context.Background(), "photo.jpg", leaktest.Photo(page, deg, 60))
		if err != nil {
			t.Fatal(err)
		}
		if r := recall(plan, res.Text); r < 0.9 {
			t.Errorf("%.1f°: OCR recall %.3f:\n%s", deg, r, res.Text)
		}
		if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "deskewed") {
			t.Errorf("%.1f°: notes %q", deg, res.Notes)
		}
		t.Logf("%.1f°: %s; recall %.3f", deg, res.Obtained(), recall(plan, res.Text))
	}
}

func TestSkew(t *testing.T) {
	heavy.Test(t)
	t.Parallel()
	leaktest.NeedTools(t, "pdftoppm")
	page := raster(t, leaktest.PDF(plan+"\n"+plan), 1, 100)
	for _, deg := range []float64{-3, -1.2, 0, 0.8, 2.5} {
		photo, err := decodeImage(bytes.NewReader(leaktest.Photo(page, deg, 90)))
		if err != nil {
			t.Fatal(err)
		}
		if got := skew(photo); math.Abs(got-deg) > 0.15 {
			t.Errorf("page turned by %.1f°: skew %.2f°", deg, got)
		}
		// Levelled, the page measures level.
		if got := skew(rotate(photo, skew(photo), 1)); math.Abs(got) > 0.15 {
			t.Errorf("page turned by %.1f° and levelled: skew %.2f°", deg, got)
		}
	}
}

func TestJPEGOrientation(t *testing.T) {
	t.Parallel()
	g := image.NewGray(image.Rect(0, 0, 30, 10))
	g.Pix[0] = 7 // top left
	raw := leaktest.Photo(g, 0, 95)
	// EXIF: big-endian, one entry, orientation 6 (turn clockwise).
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00")
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := append([]byte{0xff, 0xe1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	withExif := append(append(append([]byte{}, raw[:2]...), app1...), raw[2:]...)
	if o := jpegOrientation(withExif); o != 6 {
		t.Fatalf("orientation %d, want 6", o)
	}
	if o := jpegOrientation(raw); o != 0 {
		t.Errorf("no EXIF: orientation %d", o)
	}
	for o, want := range map[int]image.Point{1: {30, 10}, 3: {30, 10}, 6: {10, 30}, 8: {10, 30}} {
		if got := orient(g, o).Bounds().Size(); got != want {
			t.Errorf("orientation %d: size %v, want %v", o, got, want)
		}
	}
	// Turned clockwise, the top left corner is at the top right.
	if got := orient(g, 6); got.Pix[9] != 7 {
		t.Errorf("orientation 6 put the top left pixel elsewhere")
	}
}

func TestDOCX(t *testing.T) {
	t.Parallel()
	raw := leaktest.DOCX("Operation Northwind begins on [-Monday-][+Sunday+], March 8.\nAbout 140 officers go to Los Angeles.", "CONFIDENTIAL — copy 5")
	res, err := New(Tools{}).Extract(context.Background(), "plan.docx", raw)
	if err != nil {
		t.Fatal(err)
	}
	want := "Operation Northwind begins on Sunday, March 8.\nAbout 140 officers go to Los Angeles.\nCONFIDENTIAL — copy 5"
	if res.Text != want {
		t.Errorf("text %q, want %q", res.Text, want)
	}
	if got := res.Obtained(); got != "text of a Word document; tracked changes accepted (1 insertions, 1 deletions); headers and footers read" {
		t.Errorf("Obtained() = %q", got)
	}
}

func TestDOCXDamaged(t *testing.T) {
	t.Parallel()
	raw := leaktest.DOCX("Operation Northwind begins on Sunday.", "")
	// Break the document part's XML: replace its closing tag.
	broken := bytes.Replace(raw, []byte("</w:document>"), []byte("</w:documenX>"), 1)
	if bytes.Equal(broken, raw) {
		// stored compressed: corrupt the compressed data instead
		broken = append([]byte{}, raw...)
		i := bytes.Index(broken, []byte("word/document.xml"))
		for k := i + 40; k < i+80 && k < len(broken); k++ {
			broken[k] ^= 0x55
		}
	}
	_, err := New(Tools{}).Extract(context.Background(), "plan.docx", broken)
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("damaged Word file: %v, want an Error", err)
	}
}

func TestEmail(t *testing.T) {
	t.Parallel()
	pdf := leaktest.PDF("Annex A. Staging areas open at 2:30 a.m. in all ten cities.")
	docx := leaktest.DOCX("Annex B. The duty officer takes changes of address.", "")
	b64 := func(b []byte) string {
		var out strings.Builder
		enc := []byte(base64Std(b))
		for len(enc) > 76 {
			out.Write(enc[:76])
			out.WriteString("\r\n")
			enc = enc[76:]
		}
		out.Write(enc)
		return out.String()
	}
	msg := "From: =?UTF-8?Q?J=C3=B6rg?= <jorg@example.org>\r\n" +
		"To: desk@example.com\r\n" +
		"Subject: =?UTF-8?Q?Fwd:_the_plan_=E2=80=94_read_this?=\r\n" +
		"Date: Tue, 3 Mar 2026 09:00:00 +0000\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n" +
		"--outer\r\n" +
		"Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n" +
		"--alt\r\n" +
		"Content-Type: text/plain; charset=iso-8859-1\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"Operation Northwind begins on Sunday, March 8, at 4:00 a.m. The caf=E9 on Main=\r\n Street is the command post.\r\n" +
		"--alt\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" +
		b64([]byte("<html><body><p>HTML version, not read</p></body></html>")) + "\r\n" +
		"--alt--\r\n" +
		"--outer\r\n" +
		"Content-Type: application/pdf; name=\"annex-a.pdf\"\r\n" +
		"Content-Disposition: attachment; filename=\"annex-a.pdf\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" +
		b64(pdf) + "\r\n" +
		"--outer\r\n" +
		"Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n" +
		"Content-Disposition: attachment; filename=\"annex-b.docx\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" +
		b64(docx) + "\r\n" +
		"--outer\r\n" +
		"Content-Type: application/octet-stream\r\n" +
		"Content-Disposition: attachment; filename=\"blob.bin\"\r\n\r\n" +
		"\x00\x01\x02\r\n" +
		"--outer--\r\n"
	leaktest.NeedTools(t, "pdftotext")
	res, err := New(Tools{}).Extract(context.Background(), "forwarded.eml", []byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Subject: Fwd: the plan — read this", "Operation Northwind begins on Sunday", "café on Main Street", "Annex A. Staging areas open at 2:30 a.m.", "Annex B. The duty officer"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, res.Text)
		}
	}
	if strings.Contains(res.Text, "HTML version") {
		t.Errorf("both parts of an alternative were read:\n%s", res.Text)
	}
	got := res.Obtained()
	for _, want := range []string{"attachment annex-a.pdf read (PDF text layer, 1 page)", "attachment annex-b.docx read (text of a Word document)", "attachment blob.bin not read"} {
		if !strings.Contains(got, want) {
			t.Errorf("Obtained() = %q, lacks %q", got, want)
		}
	}
}

func TestMissingTool(t *testing.T) {
	t.Parallel()
	x := New(Tools{Pdftotext: "/nonexistent/pdftotext"})
	_, err := x.Extract(context.Background(), "leak.pdf", leaktest.PDF(plan))
	var m *MissingToolError
	if !errors.As(err, &m) || !strings.Contains(err.Error(), "apt-get install poppler-utils") {
		t.Errorf("missing pdftotext: %v", err)
	}
}

func TestToolTimeout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	slow := filepath.Join(dir, "pdftotext")
	if err := os.WriteFile(slow, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	x := New(Tools{Pdftotext: slow, Timeout: 200 * time.Millisecond})
	_, err := x.Extract(context.Background(), "leak.pdf", leaktest.PDF(plan))
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Msg, "took longer than 200ms") {
		t.Errorf("slow tool: %v", err)
	}
	// The caller giving up is not the file's fault.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	x = New(Tools{Pdftotext: slow})
	if _, err := x.Extract(ctx, "leak.pdf", leaktest.PDF(plan)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("caller's deadline: %v", err)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("leak.docx", leaktest.DOCX("Operation [+Northwind+] begins[- soon-].", "header"))
	f.Add("fwd.eml", []byte("From: a@example.org\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"))
	f.Add("page.html", []byte("<html><body><p>The plan</p></body></html>"))
	f.Add("photo.jpg", leaktest.Photo(image.NewGray(image.Rect(0, 0, 8, 8)), 0, 80))
	f.Add("x.txt", []byte("plain text"))
	// No outside tools: PDFs and images stop at the missing program.
	x := New(Tools{Pdftotext: "/nonexistent/a", Pdftoppm: "/nonexistent/b", Tesseract: "/nonexistent/c"})
	f.Fuzz(func(t *testing.T, name string, raw []byte) {
		res, err := x.Extract(context.Background(), name, raw)
		if err == nil && (res == nil || strings.TrimSpace(res.Text) == "") {
			t.Errorf("no error and no text")
		}
	})
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func raster(t *testing.T, pdf []byte, page, dpi int) *image.Gray {
	t.Helper()
	g, err := leaktest.Raster(pdf, page, dpi)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
