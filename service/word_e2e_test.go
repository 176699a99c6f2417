package service

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/office"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// TestWordEndToEnd is issue 20's end-to-end test on a Word plan: the
// ~1,500-word development plan as a Word file (docx/testdata/long-plan.docx)
// is added and issued to 12 recipients as docx and pdf, and three leaks of
// copy 5 are traced:
//
//   - its PDF, converted from its Word copy by LibreOffice when opened,
//     read from the text layer: copy 5's holder alone is accused;
//   - a photo of the PDF page whose text layer carries the most slots,
//     rasterised at 150 dpi, cropped inside the page edge, turned by 1.5°
//     and saved as a JPEG at quality 60, read by OCR: copy 5's holder is
//     accused or the verdict is inconclusive, and nobody else is accused;
//   - its Word file forwarded with a tracked change (a sentence marked
//     inserted, another marked deleted): the change is accepted and copy
//     5's holder alone is accused.
//
// One LibreOffice conversion and one OCR'd page keep it to seconds. A PDF
// dump among 1,000 recipients is TestTracePDFDumpOfThousand.
func TestWordEndToEnd(t *testing.T) {
	heavy.Test(t)
	if testing.Short() {
		t.Skip("Word end-to-end test (LibreOffice and OCR) skipped in -short mode")
	}
	leaktest.NeedTools(t, "soffice", "pdftoppm", "pdftotext", "tesseract")
	t.Parallel()
	s, _ := newService(t)
	s.office = office.Converter{}
	file, err := os.ReadFile("../docx/testdata/long-plan.docx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDocument(ctx, op, AddDocumentRequest{Name: "plan", Filename: "long-plan.docx", Source: file, Audience: 12}); err != nil {
		t.Fatal(err)
	}
	emails := numberedRecipients(t, s, 12)
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "plan", Emails: emails, Formats: []render.Format{render.Word, render.PDF}})
	if err != nil {
		t.Fatal(err)
	}
	is := issued[4] // copy 5
	word := is.Files[render.Word]
	if !bytes.HasPrefix(word, []byte("PK")) {
		t.Fatalf("copy 5 has no Word file: %.20q", word)
	}

	// The PDF copy: copy 5's Word file converted by LibreOffice.
	start := time.Now()
	pdf, _, err := s.OpenCopy(ctx, op, is.Copy.ID, render.PDF, "download", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("LibreOffice converted copy 5's Word file to a %d-byte PDF in %.1f s", len(pdf), time.Since(start).Seconds())
	res := traceLeak(t, s, is, pdf, "leak.pdf", "PDF text layer", false, "PDF of the Word copy")
	if !strings.Contains(res.Text, "Recipient 05") {
		t.Errorf("the PDF lacks the marking of the Word copy's header:\n%.300s", res.Text)
	}

	// A photo of the page whose text layer shows the most slots.
	page, slots := richestPage(t, s, pdf)
	g, err := leaktest.Raster(pdf, page, 150)
	if err != nil {
		t.Fatal(err)
	}
	const margin = 150 / 4 // a quarter inch off each edge: the photo is framed inside the page
	cropped := g.SubImage(image.Rect(margin, margin, g.Bounds().Dx()-margin, g.Bounds().Dy()-margin)).(*image.Gray)
	photo := leaktest.Photo(cropped, 1.5, 60)
	start = time.Now()
	res = traceLeak(t, s, is, photo, "photo.jpg", "OCR", true, fmt.Sprintf("photo of page %d", page))
	v := res.Verdict
	outcome := "inconclusive"
	if len(v.Accused) > 0 {
		outcome = "accuses copy 5"
	}
	t.Logf("photo of page %d (%d slots in its text layer): OCR and trace in %.1f s; %d words read; %s", page, slots, time.Since(start).Seconds(), v.Leak.Words, outcome)
	if !v.Leak.OCR {
		t.Errorf("the photo's verdict does not say it was read by OCR: %q", v.Leak.Obtained)
	}

	// The Word file forwarded with a tracked change.
	edited, inserted, deleted := withTrackedChange(t, word)
	t.Logf("tracked change: inserted %q, deleted %q", inserted, deleted)
	res = traceLeak(t, s, is, edited, "forwarded.docx", "tracked changes accepted", false, "Word copy with a tracked change")
	if !strings.Contains(res.Text, inserted) || strings.Contains(res.Text, deleted) {
		t.Errorf("tracked change not accepted: inserted %q kept %v, deleted %q dropped %v",
			inserted, strings.Contains(res.Text, inserted), deleted, !strings.Contains(res.Text, deleted))
	}
}

// traceLeak traces a leaked file of copy is, checks how its text was
// obtained and that nobody but is is accused (and is, unless thin), and
// logs the verdict.
func traceLeak(t *testing.T, s *Service, is *Issued, leak []byte, name, obtained string, thin bool, what string) *TraceResult {
	t.Helper()
	res, err := s.TraceText(ctx, op, TraceRequest{Leak: leak, Name: name})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	v := res.Verdict
	if !strings.Contains(v.Leak.Obtained, obtained) {
		t.Errorf("%s: obtained %q, want %q", what, v.Leak.Obtained, obtained)
	}
	accusedOnly(t, v, is, thin, what)
	mismatched, read := trueSource(v, is)
	if mismatched > 0 && !thin {
		t.Errorf("%s: the true source mismatches %d of %d slots read", what, mismatched, read)
	}
	t.Logf("%s: %s; %d of %d slots read; copy 5 mismatches %d of %d; %s", what, v.Leak.Obtained, v.Slots.Read, v.Slots.Total, mismatched, read, v.Outcome)
	return res
}

// trueSource is how many of the slots read mismatch copy is, of those
// compared with it.
func trueSource(v *trace.Verdict, is *Issued) (mismatched, read int) {
	for _, f := range append(v.Accused, v.Consistent...) {
		if f.CopyID == is.Copy.ID {
			return f.Mismatched, f.Matched + f.Mismatched
		}
	}
	return 0, 0
}

// richestPage returns the page of a PDF whose text layer, traced alone,
// shows the most slots, and how many: the page a leaker photographing one
// page gives away the most with, and the fair test of whether one page
// can be attributed.
func richestPage(t *testing.T, s *Service, pdf []byte) (page, slots int) {
	t.Helper()
	in := filepath.Join(t.TempDir(), "copy.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-q", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var counts []string
	for i, text := range strings.Split(strings.TrimSuffix(string(out), "\f"), "\f") {
		v, err := s.Trace(ctx, op, TraceRequest{Leak: []byte(text), Name: "page.txt"})
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		counts = append(counts, fmt.Sprint(v.Slots.Read))
		if v.Slots.Read > slots {
			page, slots = i+1, v.Slots.Read
		}
	}
	t.Logf("slots in the text layer of each page: %s", strings.Join(counts, ", "))
	if page == 0 {
		t.Fatal("no page of the PDF shows a slot")
	}
	return page, slots
}

// withTrackedChange returns a Word file with one tracked change, as an
// editor reviewing it would leave: the first sentence of a body
// paragraph's run marked as inserted, and a sentence marked as deleted
// after it. It returns the inserted and the deleted text.
func withTrackedChange(t *testing.T, file []byte) (edited []byte, inserted, deleted string) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	deleted = "Numbers in this draft are to be confirmed by J3."
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var doc bytes.Buffer
		if _, err := doc.ReadFrom(rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
		var xml string
		xml, inserted = trackChange(t, doc.String(), deleted)
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(xml)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), inserted, deleted
}

// trackChange finds the first run of the document whose one text element
// holds at least two sentences and splits it: its first sentence inside
// <w:ins>, then a <w:del> of deleted, then the rest of the run.
func trackChange(t *testing.T, xml, deleted string) (string, string) {
	t.Helper()
	const mark = `w:author="Editor" w:date="2026-03-02T09:00:00Z"`
	for at := 0; ; {
		i := strings.Index(xml[at:], "<w:r>")
		if i < 0 {
			t.Fatal("no run of the Word copy holds two sentences")
		}
		i += at
		j := strings.Index(xml[i:], "</w:r>")
		if j < 0 {
			t.Fatal("a run of the Word copy is not closed")
		}
		j += i + len("</w:r>")
		at = j
		run := xml[i:j]
		inner := strings.TrimSuffix(strings.TrimPrefix(run, "<w:r>"), "</w:r>")
		rpr := ""
		if strings.HasPrefix(inner, "<w:rPr>") {
			k := strings.Index(inner, "</w:rPr>") + len("</w:rPr>")
			rpr, inner = inner[:k], inner[k:]
		}
		text, ok := strings.CutPrefix(inner, "<w:t>")
		if !ok {
			text, ok = strings.CutPrefix(inner, `<w:t xml:space="preserve">`)
		}
		text, closed := strings.CutSuffix(text, "</w:t>")
		if !ok || !closed || strings.Contains(text, "<") {
			continue
		}
		end := sentenceEnd(text)
		if end < 40 || strings.Contains(text, "&") {
			continue // too short to be a sentence, or escaped text
		}
		first, rest := text[:end+2], text[end+2:]
		tracked := `<w:ins w:id="9001" ` + mark + `><w:r>` + rpr + `<w:t xml:space="preserve">` + first + `</w:t></w:r></w:ins>` +
			`<w:del w:id="9002" ` + mark + `><w:r>` + rpr + `<w:delText xml:space="preserve">` + deleted + ` </w:delText></w:r></w:del>` +
			`<w:r>` + rpr + `<w:t xml:space="preserve">` + rest + `</w:t></w:r>`
		return xml[:i] + tracked + xml[j:], strings.TrimSpace(first)
	}
}

// sentenceEnd is the index of the full stop ending text's first sentence
// (after a lowercase letter, before a capital: not "U.S."), or -1.
func sentenceEnd(text string) int {
	for i := 1; i+2 < len(text); i++ {
		if text[i] == '.' && text[i+1] == ' ' && 'a' <= text[i-1] && text[i-1] <= 'z' && 'A' <= text[i+2] && text[i+2] <= 'Z' {
			return i
		}
	}
	return -1
}
