package service

import (
	"encoding/base64"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// TestTraceLeakedFiles traces leaks that arrive as files, not text: a
// PDF dump of a copy, a photo of one page (printed at 150 dpi, turned by
// 1.5°, saved as a JPEG at quality 60), a Word file with tracked changes,
// an e-mail with the copy attached as a PDF. Each names the copy it came
// from, or (a page too thin to prove anything) nobody.
func TestTraceLeakedFiles(t *testing.T) {
	heavy.Test(t)
	if testing.Short() {
		t.Skip("OCR end-to-end test skipped in -short mode")
	}
	leaktest.NeedTools(t, "pdftotext", "pdftoppm", "tesseract")
	t.Parallel()
	s, _ := newService(t)
	src, err := os.ReadFile("../testdata/plans/dev/long-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDocument(ctx, op, AddDocumentRequest{Name: "plan", Filename: "plan.md", Source: src, Audience: 12}); err != nil {
		t.Fatal(err)
	}
	emails := numberedRecipients(t, s, 12)
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "plan", Emails: emails})
	if err != nil {
		t.Fatal(err)
	}
	is := issued[4] // copy 5
	txt := string(is.Files[render.Text])
	pdf := leaktest.PDF(txt)
	photo := leaktest.Photo(raster(t, pdf, 3, 150), 1.5, 60)
	edited := strings.Replace(txt, "\n\n", "\n\n[+Draft for discussion. +]", 1)
	eml := "From: source@example.net\r\nTo: desk@example.com\r\nSubject: the plan\r\nDate: Tue, 3 Mar 2026 09:00:00 +0000\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=plan.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(pdf) + "\r\n--b--\r\n"
	for _, tc := range []struct {
		name, file string
		raw        []byte
		obtained   string
		thin       bool // may be inconclusive
	}{
		{"PDF dump", "leak.pdf", pdf, "PDF text layer", false},
		// One page carries 8–22 slots of this plan: often too few to
		// prove anything (TestPhotoPagesReport measures it).
		{"photo of page 3", "photo.jpg", photo, "OCR of an image", true},
		{"Word file with tracked changes", "plan.docx", leaktest.DOCX(edited, ""), "tracked changes accepted", false},
		{"e-mail with the PDF attached", "fwd.eml", []byte(eml), "attachment plan.pdf read (PDF text layer", false},
	} {
		res, err := s.TraceText(ctx, op, TraceRequest{Leak: tc.raw, Name: tc.file})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		v := res.Verdict
		if !strings.Contains(v.Leak.Obtained, tc.obtained) {
			t.Errorf("%s: obtained %q, want %q", tc.name, v.Leak.Obtained, tc.obtained)
		}
		if v.Leak.Text == "" || res.Text != v.Leak.Text {
			t.Errorf("%s: the verdict does not keep the text it read", tc.name)
		}
		accusedOnly(t, v, is, tc.thin, tc.name)
		for _, f := range append(v.Accused, v.Consistent...) {
			if f.CopyID == is.Copy.ID && f.Mismatched > 0 {
				t.Errorf("%s: the true source mismatches %d of %d slots read", tc.name, f.Mismatched, f.Matched+f.Mismatched)
			}
		}
		t.Logf("%s: %s; %d of %d slots read; %s", tc.name, v.Leak.Obtained, v.Slots.Read, v.Slots.Total, v.Outcome)
		if v.Leak.OCR != strings.Contains(v.Leak.Obtained, "OCR") || v.Leak.OCR && !hasNote(v, "read by OCR") {
			t.Errorf("%s: OCR flag %v, notes %q", tc.name, v.Leak.OCR, v.Notes)
		}
	}
}

func hasNote(v *trace.Verdict, s string) bool {
	for _, n := range v.Notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// TestTraceFileErrors: files telltale cannot read are refused with a
// reason, and nothing is recorded.
func TestTraceFileErrors(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	before := ledgerSize(t, s)
	for _, tc := range []struct {
		name string
		raw  []byte
		code string
		want string
	}{
		{"plan.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy"), telltale.EINVALID, "save it as .docx"},
		{"photo.heic", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 20)...), telltale.EINVALID, "convert it to JPEG"},
		{"broken.png", []byte("\x89PNG\r\n\x1a\nbroken"), telltale.EINVALID, "could not be decoded"},
	} {
		_, err := s.Trace(ctx, op, TraceRequest{Leak: tc.raw, Name: tc.name})
		if telltale.ErrorCode(err) != tc.code || !strings.Contains(telltale.ErrorMessage(err), tc.want) {
			t.Errorf("%s: %v (%s), want %s mentioning %q", tc.name, err, telltale.ErrorCode(err), tc.code, tc.want)
		}
	}
	// A server without the programs says which to install.
	s.extractor = extractWithout()
	_, err := s.Trace(ctx, op, TraceRequest{Leak: leaktest.PDF("The plan."), Name: "leak.pdf"})
	if telltale.ErrorCode(err) != telltale.ENOTIMPL || !strings.Contains(telltale.ErrorMessage(err), "apt-get install poppler-utils") {
		t.Errorf("no pdftotext: %v (%s)", err, telltale.ErrorCode(err))
	}
	if after := ledgerSize(t, s); after != before {
		t.Errorf("refused files were recorded: ledger %d → %d entries", before, after)
	}
}

func ledgerSize(t *testing.T, s *Service) int {
	t.Helper()
	rows, err := s.LedgerEntries(ctx, op, telltale.LedgerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

func extractWithout() *extract.Extractor {
	return extract.New(extract.Tools{Pdftotext: "/nonexistent/pdftotext", Pdftoppm: "/nonexistent/pdftoppm", Tesseract: "/nonexistent/tesseract"})
}

// TestTracePDFDumpOfThousand: a PDF of a whole copy names its holder
// among 1,000 recipients.
func TestTracePDFDumpOfThousand(t *testing.T) {
	heavy.Test(t)
	if testing.Short() {
		t.Skip("1,000 copies skipped in -short mode")
	}
	leaktest.NeedTools(t, "pdftotext")
	t.Parallel()
	s, _ := newService(t)
	src, err := os.ReadFile("../testdata/plans/dev/long-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDocument(ctx, op, AddDocumentRequest{Name: "plan", Filename: "plan.md", Source: src, Audience: 1000}); err != nil {
		t.Fatal(err)
	}
	var rs []*telltale.Recipient
	var emails []string
	for i := 1; i <= 1000; i++ {
		e := fmt.Sprintf("r%04d@example.org", i)
		rs = append(rs, &telltale.Recipient{Name: fmt.Sprintf("Recipient %04d", i), Email: e})
		emails = append(emails, e)
	}
	if _, err := s.ImportRecipients(ctx, op, rs); err != nil {
		t.Fatal(err)
	}
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "plan", Emails: emails, Formats: []render.Format{render.Text}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, 776} {
		is := issued[k]
		v, err := s.Trace(ctx, op, TraceRequest{Leak: leaktest.PDF(string(is.Files[render.Text])), Name: "leak.pdf"})
		if err != nil {
			t.Fatal(err)
		}
		accusedOnly(t, v, is, false, fmt.Sprintf("PDF of copy %d of 1,000", is.Copy.Number))
	}
}

func raster(t *testing.T, pdf []byte, page, dpi int) *image.Gray {
	t.Helper()
	g, err := leaktest.Raster(pdf, page, dpi)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestPhotoPagesReport measures what a photo of one page proves: each page
// of a PDF of copies of the held-out long plan, printed at 150 dpi, turned
// by 1.5° and saved as a JPEG at quality 60, is traced among 12
// recipients. It prints a table for docs/benchmarks.md; run with
// TELLTALE_MEASURE=1 go test ./service -run TestPhotoPagesReport -v.
func TestPhotoPagesReport(t *testing.T) {
	if os.Getenv("TELLTALE_MEASURE") == "" {
		t.Skip("a measurement: set TELLTALE_MEASURE=1")
	}
	leaktest.NeedTools(t, "pdftotext", "pdftoppm", "tesseract")
	for _, set := range []string{"dev", "heldout"} {
		s, _ := newService(t)
		src, err := os.ReadFile("../testdata/plans/" + set + "/long-plan.md")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddDocument(ctx, op, AddDocumentRequest{Name: "plan", Filename: "plan.md", Source: src, Audience: 12}); err != nil {
			t.Fatal(err)
		}
		emails := numberedRecipients(t, s, 12)
		issued, err := s.Issue(ctx, op, IssueRequest{Document: "plan", Emails: emails, Formats: []render.Format{render.Text}})
		if err != nil {
			t.Fatal(err)
		}
		type row struct{ pages, accused, wrong, words, slots, mismatched, read int }
		byPage := map[int]*row{}
		for _, is := range issued[:6] {
			pdf := leaktest.PDF(string(is.Files[render.Text]))
			for page := 1; ; page++ {
				g, err := leaktest.Raster(pdf, page, 150)
				if err != nil {
					break // past the last page
				}
				v, err := s.Trace(ctx, op, TraceRequest{Leak: leaktest.Photo(g, 1.5, 60), Name: "photo.jpg"})
				if err != nil {
					t.Fatalf("%s copy %d page %d: %v", set, is.Copy.Number, page, err)
				}
				r := byPage[page]
				if r == nil {
					r = &row{}
					byPage[page] = r
				}
				r.pages++
				r.words += v.Leak.Words
				r.slots += v.Slots.Read
				for _, f := range v.Accused {
					if f.CopyID == is.Copy.ID {
						r.accused++
					} else {
						r.wrong++
					}
				}
				for _, f := range append(v.Accused, v.Consistent...) {
					if f.CopyID == is.Copy.ID {
						r.mismatched += f.Mismatched
						r.read += f.Matched + f.Mismatched
					}
				}
			}
		}
		t.Logf("%s long plan (%d words), photos of one page, 12 recipients, ε = 10⁻⁶:", set, len(strings.Fields(string(src))))
		t.Logf("| plan | page | words read | slots read | true copy's mismatches | attributed | wrong accusations |")
		for page := 1; byPage[page] != nil; page++ {
			r := byPage[page]
			t.Logf("| %s | %d | %d | %.1f | %d of %d | %d of %d | %d |", set, page, r.words/r.pages, float64(r.slots)/float64(r.pages), r.mismatched, r.read, r.accused, r.pages, r.wrong)
		}
	}
}

// TestCopyStorageReport measures what a copy costs on disk, with its
// files rendered when opened and with them kept: 2,000 copies of the
// operations plan on SQLite. Run with TELLTALE_MEASURE=1 go test ./service
// -run TestCopyStorageReport -v.
func TestCopyStorageReport(t *testing.T) {
	if os.Getenv("TELLTALE_MEASURE") == "" {
		t.Skip("a measurement: set TELLTALE_MEASURE=1")
	}
	const n = 2000
	for _, keep := range []bool{false, true} {
		dir := t.TempDir()
		path := filepath.Join(dir, "telltale.db")
		s, _ := newServiceAt(t, path)
		addSample(t, s, "operations-plan")
		var rs []*telltale.Recipient
		var emails []string
		for i := 0; i < n; i++ {
			e := fmt.Sprintf("r%05d@example.org", i)
			rs = append(rs, &telltale.Recipient{Name: fmt.Sprintf("Recipient %05d", i), Email: e})
			emails = append(emails, e)
		}
		if _, err := s.ImportRecipients(ctx, op, rs); err != nil {
			t.Fatal(err)
		}
		before := dbSize(t, path)
		if _, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: emails, KeepFiles: keep}); err != nil {
			t.Fatal(err)
		}
		after := dbSize(t, path)
		t.Logf("keep files %v: %d copies (md, html, txt) add %.1f MB, %.0f bytes a copy (row, ledger entry and index entries%s)",
			keep, n, float64(after-before)/1e6, float64(after-before)/n, map[bool]string{true: ", three encrypted files"}[keep])
	}
}

// dbSize is the size of a SQLite database with its write-ahead log.
func dbSize(t *testing.T, path string) int64 {
	t.Helper()
	var total int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// TestCheckArticleDocuments: the monitor's one-off check reads an article
// that is a PDF or a Word document as trace reads a leak; a PDF without
// the tools it needs is the operator's to fix (ENOTIMPL), and bytes that
// are no document are refused.
func TestCheckArticleDocuments(t *testing.T) {
	w := newCaseWorld(t) // operations-plan, added by the operator
	article := w.danaText
	docx := leaktest.DOCX(article, "")
	a, reports, err := w.s.CheckArticle(ctx, op, docx, "", "https://news.example.com/files/story.docx")
	if err != nil || len(reports) == 0 {
		t.Fatalf("a Word article: %d reports, %v", len(reports), err)
	}
	if !strings.HasPrefix(a.Method, "docx") || a.Outlet != "news.example.com" {
		t.Errorf("a Word article read by %q from %q", a.Method, a.Outlet)
	}
	pdf := leaktest.PDF(article)
	w.s.extractor = extractWithout()
	if _, _, err := w.s.CheckArticle(ctx, op, pdf, "application/pdf", ""); telltale.ErrorCode(err) != telltale.ENOTIMPL || !strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("a PDF without pdftotext: %v", err)
	}
	if _, _, err := w.s.CheckArticle(ctx, op, []byte("\x00\x01\x02binary"), "application/octet-stream", ""); telltale.ErrorCode(err) != telltale.EINVALID {
		t.Errorf("binary bytes: %v", err)
	}
	if testing.Short() {
		return
	}
	leaktest.NeedTools(t, "pdftotext")
	w.s.extractor = extract.New(extract.Tools{})
	a, reports, err = w.s.CheckArticle(ctx, op, pdf, "application/pdf", "")
	if err != nil || len(reports) == 0 {
		t.Fatalf("a PDF article: %d reports, %v", len(reports), err)
	}
	if !strings.Contains(a.Method, "PDF text layer") {
		t.Errorf("a PDF article read by %q", a.Method)
	}
}
