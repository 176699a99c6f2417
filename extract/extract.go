// Package extract turns a leaked file into the text telltale reads, and
// says how that text was obtained.
//
// Text, Markdown and HTML are read as they are (Text). A PDF is read from
// its text layer with poppler's pdftotext; a page without one is
// rasterised (pdftoppm) and read by Tesseract OCR. A Word document (.docx)
// is read from its OOXML parts with tracked changes accepted. An e-mail
// (.eml) is read from its text or HTML part and its attachments. An image
// (PNG, JPEG, TIFF, GIF, WebP, BMP) is deskewed and read by Tesseract.
// The outside tools run as separate processes under a deadline, on a copy
// of the file in a private temporary directory; a missing tool is an error
// that names the Debian package to install.
package extract

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// MaxFileSize is the largest leaked file accepted, in bytes.
const MaxFileSize = 16 << 20

// MaxText is the most text read from one leak, in bytes: reading
// grows faster than the text (a megabyte takes about a second, eight take
// minutes), and a leak longer than the longest document is not one copy.
const MaxText = 1 << 20

// Format is the detected format of a leaked file.
type Format string

const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	FormatPDF      Format = "pdf"
	FormatDOCX     Format = "docx"
	FormatEmail    Format = "email"
	FormatImage    Format = "image"
)

// Error is a problem with the leaked file itself; its message says what
// is wrong and what to do.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// MissingToolError says that reading a format needs a program this
// machine does not have.
type MissingToolError struct {
	Tool    string // the program, e.g. "pdftotext"
	Package string // the Debian package that provides it
	For     string // what it is needed for, e.g. "reading a PDF"
}

func (e *MissingToolError) Error() string {
	return fmt.Sprintf("%s needs %s, which is not installed on this machine (Debian: apt-get install %s)", e.For, e.Tool, e.Package)
}

// Result is a leak's text and how it was obtained.
type Result struct {
	Text   string
	Format Format
	// Pages is the number of pages of a PDF, or 1 for an image.
	Pages int
	// OCRPages is how many pages were read by OCR, and Confidence
	// Tesseract's mean word confidence over them (0–100).
	OCRPages   int
	Confidence float64
	// Notes say what else was done: tracked changes accepted, a page
	// deskewed, the parts of an e-mail read.
	Notes []string
}

// Obtained says in a few words how the text was obtained, for the
// verdict: "PDF text layer, 3 pages", "OCR of an image (mean confidence
// 91 %)".
func (r *Result) Obtained() string {
	var s string
	switch r.Format {
	case FormatText:
		s = "plain text"
	case FormatMarkdown:
		s = "Markdown text"
	case FormatHTML:
		s = "visible text of an HTML page"
	case FormatPDF:
		switch {
		case r.OCRPages == 0:
			s = fmt.Sprintf("PDF text layer, %s", plural(r.Pages, "page"))
		case r.OCRPages == r.Pages:
			s = fmt.Sprintf("OCR of a PDF without a text layer, %s, mean confidence %.0f %%", plural(r.Pages, "page"), r.Confidence)
		default:
			s = fmt.Sprintf("PDF, %s: text layer, and OCR of %d without one (mean confidence %.0f %%)", plural(r.Pages, "page"), r.OCRPages, r.Confidence)
		}
	case FormatDOCX:
		s = "text of a Word document"
	case FormatEmail:
		s = "text of an e-mail"
	case FormatImage:
		s = fmt.Sprintf("OCR of an image, mean confidence %.0f %%", r.Confidence)
	default:
		s = string(r.Format)
	}
	if len(r.Notes) > 0 {
		s += "; " + strings.Join(r.Notes, "; ")
	}
	return s
}

// OCR reports whether any of the text was read by OCR.
func (r *Result) OCR() bool { return r.OCRPages > 0 }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Tools configures the outside programs. The zero value looks them up on
// PATH and reads English.
type Tools struct {
	// Pdftotext, Pdftoppm and Tesseract are the programs' paths; empty
	// means the name looked up on PATH.
	Pdftotext, Pdftoppm, Tesseract string
	// Languages are Tesseract's languages, e.g. "eng" or "eng+fra";
	// empty means "eng".
	Languages string
	// Timeout bounds each run of a program; 0 means two minutes.
	Timeout time.Duration
	// MaxOCRPages bounds how many pages of one PDF are read by OCR; 0
	// means 30. The others are left out, and the result says so.
	MaxOCRPages int
}

// Extractor reads leaked files with its tools. It is safe for concurrent
// use.
type Extractor struct {
	tools Tools
}

// New returns an extractor using the given tools.
func New(t Tools) *Extractor {
	if t.Pdftotext == "" {
		t.Pdftotext = "pdftotext"
	}
	if t.Pdftoppm == "" {
		t.Pdftoppm = "pdftoppm"
	}
	if t.Tesseract == "" {
		t.Tesseract = "tesseract"
	}
	if t.Languages == "" {
		t.Languages = "eng"
	}
	if t.Timeout == 0 {
		t.Timeout = 2 * time.Minute
	}
	if t.MaxOCRPages == 0 {
		t.MaxOCRPages = 30
	}
	return &Extractor{tools: t}
}

// Extract reads a leaked file of any supported format; name is its file
// name, used only as a hint (".eml") and in messages.
func (x *Extractor) Extract(ctx context.Context, name string, raw []byte) (*Result, error) {
	return x.extract(ctx, name, raw, 0)
}

// extract reads a file found at the given depth (attachments of an e-mail
// are one deeper, and are not followed further).
func (x *Extractor) extract(ctx context.Context, name string, raw []byte, depth int) (*Result, error) {
	if len(raw) > MaxFileSize {
		return nil, &Error{fmt.Sprintf("%s is %.1f MB; the limit is %d MB (hint: trace the pages that matter)", describe(name), float64(len(raw))/(1<<20), MaxFileSize>>20)}
	}
	var res *Result
	var err error
	switch Sniff(name, raw) {
	case FormatPDF:
		res, err = x.pdf(ctx, raw)
	case FormatDOCX:
		res, err = docx(raw)
	case FormatEmail:
		res, err = x.email(ctx, raw, depth)
	case FormatImage:
		res, err = x.image(ctx, raw)
	default:
		if msg := refused(raw); msg != "" {
			return nil, &Error{msg}
		}
		text, f, err := Text(raw)
		if err != nil {
			return nil, err
		}
		return &Result{Text: text, Format: f}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(res.Text) > MaxText {
		return nil, &Error{fmt.Sprintf("%s holds %d KB of text; telltale reads at most %d KB at a time (hint: trace the part that matters, or each part on its own)", describe(name), len(res.Text)>>10, MaxText>>10)}
	}
	if strings.TrimSpace(res.Text) == "" {
		return nil, &Error{fmt.Sprintf("no text could be read from %s (%s)", describe(name), res.Obtained())}
	}
	return res, nil
}

func describe(name string) string {
	if name == "" || name == "-" {
		return "the leak"
	}
	return filepath.Base(name)
}

// Sniff tells a file's format from its first bytes (and, for e-mail, its
// name). Anything not recognised is text, checked by Text.
func Sniff(name string, raw []byte) Format {
	head := raw[:min(len(raw), 1024)]
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return FormatPDF
	case bytes.HasPrefix(raw, []byte("PK\x03\x04")) && isDOCX(raw):
		return FormatDOCX
	case imageFormat(raw) != "":
		return FormatImage
	case isEmail(name, raw):
		return FormatEmail
	}
	return FormatText
}

// refused returns why a file that is neither text nor a supported format
// is refused, or "".
func refused(raw []byte) string {
	switch {
	case bytes.HasPrefix(raw, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "this is a legacy Word (.doc) file or a password-protected Office file; save it as .docx without a password, or as PDF, and trace that"
	case bytes.HasPrefix(raw, []byte("PK\x03\x04")):
		return "this is a zip archive but not a Word document (.docx); unpack it and trace the leaked file itself"
	case isHEIF(raw):
		return "this is a HEIC/HEIF photo, which telltale cannot decode; convert it to JPEG or PNG (most phones can share as JPEG) and trace that"
	}
	return ""
}
