package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// minPageWords is the fewest words a PDF page's text layer must hold not
// to be read by OCR instead: a scanned page has none, or a stray page
// number.
const minPageWords = 5

// ocrDPI is the resolution PDF pages are rasterised at for OCR.
const ocrDPI = 300

// pdf reads a PDF's text layer, page by page, and reads by OCR the pages
// that have none.
func (x *Extractor) pdf(ctx context.Context, raw []byte) (*Result, error) {
	dir, err := os.MkdirTemp("", "telltale-extract-")
	if err != nil {
		return nil, fmt.Errorf("failed to make a temporary directory for the PDF: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "leak.pdf")
	if err := os.WriteFile(in, raw, 0o600); err != nil {
		return nil, fmt.Errorf("failed to write the PDF to a temporary file: %w", err)
	}
	out, err := x.run(ctx, x.pdftotext(), "reading a PDF", 4*MaxText, "-q", "-enc", "UTF-8", "-eol", "unix", in, "-")
	if err != nil {
		var e *Error
		if errors.As(err, &e) && strings.Contains(strings.ToLower(e.Msg), "password") {
			return nil, &Error{"the PDF is password-protected; open it, print or save it without a password, and trace that"}
		}
		return nil, err
	}
	// pdftotext ends every page with a form feed.
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	res := &Result{Format: FormatPDF, Pages: len(pages)}
	var confSum float64
	var confWords, skipped int
	for i, p := range pages {
		if len(strings.Fields(p)) >= minPageWords {
			continue
		}
		if res.OCRPages == x.tools.MaxOCRPages {
			skipped++
			continue
		}
		o, err := x.ocrPDFPage(ctx, dir, in, i+1)
		if err != nil {
			return nil, err
		}
		res.OCRPages++
		if len(strings.Fields(o.text)) > len(strings.Fields(p)) {
			pages[i] = o.text
		}
		confSum += o.confidence * float64(o.words)
		confWords += o.words
		if o.angle != 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("page %d deskewed by %.1f°", i+1, o.angle))
		}
	}
	if confWords > 0 {
		res.Confidence = confSum / float64(confWords)
	}
	if skipped > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d more pages without a text layer were not read (at most %d are read by OCR at a time; hint: trace the pages that matter)", skipped, x.tools.MaxOCRPages))
	}
	res.Text = strings.Join(pages, "\n\n")
	return res, nil
}

// ocrPDFPage rasterises one page of the PDF and reads it by OCR.
func (x *Extractor) ocrPDFPage(ctx context.Context, dir, in string, page int) (*ocrResult, error) {
	n := strconv.Itoa(page)
	base := filepath.Join(dir, "page")
	if _, err := x.run(ctx, x.pdftoppm(), "reading a scanned PDF page", 0, "-q", "-r", strconv.Itoa(ocrDPI), "-gray", "-png", "-singlefile", "-f", n, "-l", n, in, base); err != nil {
		return nil, err
	}
	defer os.Remove(base + ".png")
	f, err := os.Open(base + ".png")
	if err != nil {
		return nil, fmt.Errorf("failed to open page %d as rasterised: %w", page, err)
	}
	defer f.Close()
	img, err := decodeImage(f)
	if err != nil {
		return nil, fmt.Errorf("failed to decode page %d as rasterised: %w", page, err)
	}
	return x.ocr(ctx, dir, img, ocrDPI)
}
