package extract

import (
	"context"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/leaktest"
)

// BenchmarkOCRPage reads a photo of one page (printed at 150 dpi, turned
// by 1.5°, JPEG quality 60): decoding, deskewing, enlarging and
// Tesseract, one thread.
func BenchmarkOCRPage(b *testing.B) {
	leaktest.NeedTools(b, "pdftoppm", "tesseract")
	page, err := leaktest.Raster(leaktest.PDF(strings.Repeat(plan+"\n", 3)), 1, 150)
	if err != nil {
		b.Fatal(err)
	}
	photo := leaktest.Photo(page, 1.5, 60)
	x := New(Tools{})
	b.ResetTimer()
	for b.Loop() {
		if _, err := x.Extract(context.Background(), "photo.jpg", photo); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeskew measures the skew of a 150 dpi page and levels it.
func BenchmarkDeskew(b *testing.B) {
	leaktest.NeedTools(b, "pdftoppm")
	page, err := leaktest.Raster(leaktest.PDF(strings.Repeat(plan+"\n", 3)), 1, 150)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rotate(page, skew(page), 2)
	}
}

// BenchmarkPDFTextLayer reads the text layer of a five-page PDF.
func BenchmarkPDFTextLayer(b *testing.B) {
	leaktest.NeedTools(b, "pdftotext")
	pdf := leaktest.PDF(strings.Repeat(plan+"\n", 15))
	x := New(Tools{})
	for b.Loop() {
		if _, err := x.Extract(context.Background(), "leak.pdf", pdf); err != nil {
			b.Fatal(err)
		}
	}
}
