package service

import (
	"os"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/pdf"
	"github.com/telltale-dev/telltale/render"
)

// newPrinter returns a PDF printer, or skips the test when no browser is
// installed — unless TELLTALE_REQUIRE_BROWSER is set, as in CI.
func newPrinter(t *testing.T) *pdf.Printer {
	t.Helper()
	p := pdf.New(pdf.Options{Chromium: os.Getenv("TELLTALE_CHROMIUM")})
	if !p.Available() {
		if os.Getenv("TELLTALE_REQUIRE_BROWSER") != "" {
			t.Fatal("no chromium found and TELLTALE_REQUIRE_BROWSER is set")
		}
		t.Skip("PDF copies need chromium: apt-get install chromium (or set TELLTALE_CHROMIUM)")
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestPDFCopies: copies issued as PDF only are printed when opened, with
// the marking on every page and a watermark if asked; the HTML page they
// are printed from is not offered; a PDF of a copy, and a photo of one of
// its pages, trace back to it.
func TestPDFCopies(t *testing.T) {
	heavy.Test(t)
	leaktest.NeedTools(t, "pdftotext", "pdftoppm", "tesseract")
	s, _ := newService(t)
	s.printer = newPrinter(t)
	src, err := os.ReadFile("../testdata/plans/dev/long-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDocument(ctx, op, AddDocumentRequest{Name: "plan", Filename: "plan.md", Source: src, Audience: 12}); err != nil {
		t.Fatal(err)
	}
	emails := numberedRecipients(t, s, 12)
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "plan", Emails: emails, Formats: []render.Format{render.PDF}, Watermark: true})
	if err != nil {
		t.Fatal(err)
	}
	is := issued[4]
	if len(is.Files) != 0 || !is.Copy.Watermark || strings.Join(is.Copy.Formats, ",") != "pdf" {
		t.Fatalf("issued files %d, watermark %v, formats %v", len(is.Files), is.Copy.Watermark, is.Copy.Formats)
	}
	if _, _, err := s.OpenCopy(ctx, op, is.Copy.ID, render.HTML, "test", ""); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("the HTML page a PDF is printed from opens: %v", err)
	}
	out, _, err := s.OpenCopy(ctx, op, is.Copy.ID, render.PDF, "test", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "%PDF-") {
		t.Fatalf("not a PDF: %.20q", out)
	}
	res, err := s.TraceText(ctx, op, TraceRequest{Leak: out, Name: "copy.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	accusedOnly(t, res.Verdict, is, false, "PDF copy")
	text := strings.Join(strings.Fields(res.Text), " ")
	if !strings.Contains(text, "Recipient 05") || !strings.Contains(text, "page 1 of") {
		t.Errorf("the PDF lacks its marking or page numbers:\n%.400s", text)
	}
	t.Logf("PDF copy: %s; %d of %d slots; %s", res.Verdict.Leak.Obtained, res.Verdict.Slots.Read, res.Verdict.Slots.Total, res.Verdict.Outcome)

	// A photo of page 2, printed at 150 dpi, turned 1.5°, JPEG 60.
	page, err := leaktest.Raster(out, 2, 150)
	if err != nil {
		t.Fatal(err)
	}
	res, err = s.TraceText(ctx, op, TraceRequest{Leak: leaktest.Photo(page, 1.5, 60), Name: "photo.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	accusedOnly(t, res.Verdict, is, true, "photo of a PDF page")
	t.Logf("photo of page 2: %s; %d of %d slots; %s", res.Verdict.Leak.Obtained, res.Verdict.Slots.Read, res.Verdict.Slots.Total, res.Verdict.Outcome)

	// Printing needs a browser.
	s.printer = nil
	if _, _, err := s.OpenCopy(ctx, op, is.Copy.ID, render.PDF, "test", ""); telltale.ErrorCode(err) != telltale.ENOTIMPL || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("no printer: %v", err)
	}
}
