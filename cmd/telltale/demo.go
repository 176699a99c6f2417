package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/pdf"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
	"github.com/telltale-dev/telltale/service"
)

// DemoCmd runs the whole story on a bundled sample.
type DemoCmd struct {
	Dir    string `help:"Directory for the demo's data and copies (default: a new temporary directory)." placeholder:"DIR"`
	Sample string `default:"operations-plan" enum:"operations-plan,board-memo,policy-draft" help:"Sample document: operations-plan, board-memo or policy-draft."`
}

// demoRecipients are the people the demo distributes the plan to.
var demoRecipients = []telltale.Recipient{
	{Name: "Dana Ortiz", Email: "dana.ortiz@example.org", Unit: "Houston field office"},
	{Name: "Lee Chen", Email: "lee.chen@example.org", Unit: "Intelligence cell"},
	{Name: "Priya Natarajan", Email: "priya.natarajan@example.org", Unit: "Logistics section"},
	{Name: "Marcus Webb", Email: "marcus.webb@example.org", Unit: "Beaumont field office"},
	{Name: "Sofia Alvarez", Email: "sofia.alvarez@example.org", Unit: "Corpus Christi field office"},
	{Name: "Tom Brennan", Email: "tom.brennan@example.org", Unit: "Aviation unit"},
	{Name: "Aisha Karimi", Email: "aisha.karimi@example.org", Unit: "Lake Charles field office"},
	{Name: "Jonas Weber", Email: "jonas.weber@example.org", Unit: "Communications"},
	{Name: "Grace Okonkwo", Email: "grace.okonkwo@example.org", Unit: "Legal counsel"},
	{Name: "Ray Dubois", Email: "ray.dubois@example.org", Unit: "Victoria field office"},
	{Name: "Nina Petrova", Email: "nina.petrova@example.org", Unit: "Public affairs"},
	{Name: "Sam Whitaker", Email: "sam.whitaker@example.org", Unit: "Command staff"},
}

func (c *DemoCmd) Run(e *env) error {
	dir := c.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "telltale-demo-"); err != nil {
			return fmt.Errorf("failed to create a temporary directory: %w", err)
		}
	}
	data := filepath.Join(dir, "data")
	copies := filepath.Join(dir, "copies")
	e.cli.Data = data
	e.embedded = true // the demo's own data, never a configured database
	w := e.stdout
	fmt.Fprintf(w, "telltale demo — everything happens in %s\n\n", dir)

	fmt.Fprintln(w, "1. Initialize a data directory with a fresh master key and an embedded database.")
	if err := initDataDir(e, data); err != nil {
		return err
	}
	svc, err := e.open()
	if err != nil {
		return err
	}

	src, ok := samples.Get(c.Sample)
	if !ok {
		return fmt.Errorf("no sample %q", c.Sample)
	}
	samplePath := filepath.Join(dir, c.Sample+".md")
	if err := os.WriteFile(samplePath, src, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n2. Register %d recipients on a need-to-know basis.\n", len(demoRecipients))
	var emails []string
	for _, r := range demoRecipients {
		r := r
		if err := svc.AddRecipient(e.ctx, e.actor(), &r); err != nil {
			return err
		}
		emails = append(emails, r.Email)
		fmt.Fprintf(w, "   %-16s %-30s %s\n", r.Name, r.Email, r.Unit)
	}

	fmt.Fprintf(w, "\n3. Store the plan (%s): telltale finds the places where copies may differ.\n", samplePath)
	res, err := svc.AddDocument(e.ctx, e.actor(), service.AddDocumentRequest{Filename: samplePath, Source: src})
	if err != nil {
		return err
	}
	slots := map[string]int{}
	for _, sl := range res.Template.Slots {
		slots[sl.Kind.String()]++
	}
	fmt.Fprintf(w, "   %q version %d: %d prose words, %d slots (%s)\n\n", res.Document.Slug, res.Version.Number, res.Version.Words, res.Version.Slots, slotSummary(slots))
	report, err := svc.TraceabilityReport(e.ctx, res.Version, len(demoRecipients))
	if err != nil {
		return err
	}
	fmt.Fprint(w, indent(report.String(), "   "))

	fmt.Fprintf(w, "\n4. Issue one marked copy to each recipient, as Markdown, HTML and plain text.\n")
	if err := os.MkdirAll(copies, 0o700); err != nil {
		return err
	}
	issued, err := svc.Issue(e.ctx, e.actor(), service.IssueRequest{Document: res.Document.Slug, Emails: emails})
	if err != nil {
		return err
	}
	for _, is := range issued {
		for _, f := range render.Formats {
			if err := os.WriteFile(filepath.Join(copies, copyFileName(res.Document.Slug, is.Copy.Number, is.Recipient.Name, is.Recipient.Email, f)), is.Files[f], 0o600); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(w, "   %d copies × 3 formats written to %s\n", len(issued), copies)
	a, b := issued[0], issued[1]
	// Compare the bodies: the marking lines differ by design.
	ta, tb := withoutMarking(a.Files[render.Text]), withoutMarking(b.Files[render.Text])
	fmt.Fprintf(w, "\n5. Apart from the marking line, two copies read the same but differ in %d places. Dana's and Lee's, side by side:\n", countDiffs([]byte(ta), []byte(tb)))
	for _, d := range firstDiffs(ta, tb, 6) {
		fmt.Fprintf(w, "   Dana: …%s…\n   Lee:  …%s…\n\n", d[0], d[1])
	}
	// 6. A leak: one recipient's copy, retyped into a blog post.
	leaker := issued[3]
	rng := rand.New(rand.NewPCG(2026, 3))
	leak := leaktest.Retype(leaktest.Reflow(leaktest.Excerpt(rng, withoutMarking(leaker.Files[render.Text]), 700), 72))
	leakPath := filepath.Join(dir, "leak-blog-post.txt")
	if err := os.WriteFile(leakPath, []byte(leak), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(w, "6. A leak appears: 700 words of the plan, retyped into a blog post, marking line removed (%s).\n", leakPath)
	fmt.Fprintf(w, "   telltale reads it back and attributes it:\n\n")
	v, err := svc.Trace(e.ctx, e.actor(), service.TraceRequest{Leak: []byte(leak), Name: leakPath})
	if err != nil {
		return err
	}
	fmt.Fprint(w, indent(firstLines(v.Text(), 12), "   "))

	// 7. A thin leak: honestly inconclusive.
	short := leaktest.Excerpt(rng, withoutMarking(leaker.Files[render.Text]), 80)
	fmt.Fprintf(w, "\n7. A second leak quotes only 80 words. telltale says what it can and cannot tell:\n\n")
	if v, err = svc.Trace(e.ctx, e.actor(), service.TraceRequest{Leak: []byte(short), Name: "short quote"}); err != nil {
		fmt.Fprint(w, indent("telltale: "+err.Error()+"\n", "   "))
	} else {
		fmt.Fprint(w, indent(firstLines(v.Text(), 8), "   "))
	}
	if err := demoFiles(e, w, svc, dir, leaker); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nOpen a copy: %s\n", filepath.Join(copies, copyFileName(res.Document.Slug, a.Copy.Number, a.Recipient.Name, a.Recipient.Email, render.HTML)))
	fmt.Fprintf(w, "Look around: telltale --data %s doc show %s\n", data, res.Document.Slug)
	return nil
}

// withoutMarking drops a text copy's first and last lines, the marking.
func withoutMarking(b []byte) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) < 3 {
		return string(b)
	}
	return strings.Join(lines[1:len(lines)-1], "\n")
}

// firstLines returns up to n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…\n")
	}
	return strings.Join(lines, "")
}

// demoFiles traces a leaked PDF of a copy and a phone photo of one of its
// pages, when Chromium (to print) and poppler and Tesseract (to read) are
// installed; otherwise it says what they would show.
func demoFiles(e *env, w io.Writer, svc *service.Service, dir string, leaker *service.Issued) error {
	p := e.pdfPrinter()
	_, errText := exec.LookPath("pdftotext")
	if !p.Available() || errText != nil {
		fmt.Fprintf(w, "\n8. (With Chromium and poppler-utils installed, the demo would also print a copy as PDF and trace the PDF, and with tesseract-ocr a photo of one page.)\n")
		return nil
	}
	page, err := p.Print(e.ctx, leaker.Files[render.HTML], pdf.Marking{Footer: fmt.Sprintf("Copy %d of %d", leaker.Copy.Number, leaker.Copy.Of)})
	if err != nil {
		return err
	}
	pdfPath := filepath.Join(dir, "leaked-copy.pdf")
	if err := os.WriteFile(pdfPath, page, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n8. The same copy, printed to PDF, is posted online (%s):\n\n", pdfPath)
	v, err := svc.Trace(e.ctx, e.actor(), service.TraceRequest{Leak: page, Name: pdfPath})
	if err != nil {
		return err
	}
	fmt.Fprint(w, indent(firstLines(v.Text(), 5), "   "))
	if _, err := exec.LookPath("tesseract"); err != nil {
		fmt.Fprintf(w, "\n9. (With tesseract-ocr installed, the demo would also trace a photo of one page.)\n")
		return nil
	}
	img, err := leaktest.Raster(page, 2, 150)
	if err != nil {
		return err
	}
	photoPath := filepath.Join(dir, "photo-of-page-2.jpg")
	photo := leaktest.Photo(img, 1.5, 60)
	if err := os.WriteFile(photoPath, photo, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n9. A phone photo of page 2 (150 dpi, turned 1.5°, JPEG quality 60; %s). One page carries only part of the marks:\n\n", photoPath)
	if v, err = svc.Trace(e.ctx, e.actor(), service.TraceRequest{Leak: photo, Name: photoPath}); err != nil {
		fmt.Fprint(w, indent("telltale: "+err.Error()+"\n", "   "))
		return nil
	}
	fmt.Fprint(w, indent(firstLines(v.Text(), 6), "   "))
	return nil
}
