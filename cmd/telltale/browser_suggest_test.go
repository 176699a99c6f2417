package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSuggestions: an owner asks for suggested facts on a stored
// plan, accepts some and rejects one, stores the new version, and reads
// the traceability report as a panel — checked on its screenshots, wide
// and narrow: the panel's text is there and nothing spills sideways.
func TestBrowserSuggestions(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	rn := startServer(t)
	m := setupURL.FindStringSubmatch(rn.output())
	if m == nil {
		t.Fatalf("serve did not print a setup address:\n%s", rn.output())
	}
	b := newBrowser(t, rn.url)
	const pw = "correct horse battery"
	admin := b.as("admin")
	admin.open(m[1])
	admin.fill("#name", "Ada Admin", "#email", "ada@example.org", "#password", pw)
	if st := admin.submit(`form[action="/setup"] button`); st != 200 {
		t.Fatalf("setup answered %d: %s", st, admin.text())
	}
	admin.open("/admin/users")
	admin.fill("#uname", "Olga Owner", "#uemail", "olga@example.org", "#upw", pw)
	admin.do(chromedp.Click("#new-owner", chromedp.NodeVisible))
	if st := admin.submit(`form[action="/admin/users"] button[type=submit]`); st != 200 {
		t.Fatalf("add owner: %d %s", st, admin.text())
	}

	owner := b.as("owner")
	owner.signIn("olga@example.org", pw)
	plan, err := os.ReadFile("../../testdata/corpus/dev/product-recall-logistics-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	owner.open("/documents/new")
	owner.fill("#name", "recall", "#source", string(plan))
	if st := owner.submit(`form[action="/documents"] button[type=submit]`); st != 200 {
		t.Fatalf("add document: %d %s", st, owner.text())
	}
	// Before: a paraphrase proves nothing, and the advice says so first.
	owner.expect("document", "What to do", "A journalist's paraphrase", "Not proof", "Suggest facts to vary")
	owner.shot("report-before")

	owner.submit(`a[href="/documents/recall/suggestions"]`)
	page := owner.expect("suggestions", "Facts that copies could state differently", "18,400", "Accept at least", "Store version 2 with the accepted facts")
	n := strings.Count(page, "Reject")
	if n < 10 {
		t.Fatalf("%d suggestions on the page:\n%s", n, page)
	}
	owner.shot("suggestions")
	noOverflow(t, owner, "suggestions")
	// Reject the first; accept the rest as offered.
	owner.do(chromedp.Click("#s1-reject", chromedp.NodeVisible))
	if st := owner.submit(`form.suggestions button[type=submit]`); st != 200 {
		t.Fatalf("accept: %d %s", st, owner.text())
	}
	after := owner.expect("document after accepting", fmt.Sprintf("Stored version 2 with %d suggested facts as declared variants (1 rejected)", n-1),
		"Version 2: what a leak of it would prove", "Names the leaker", "A journalist's paraphrase")
	if strings.Contains(after, "A paraphrased leak cannot be attributed") {
		t.Errorf("with %d facts accepted a paraphrase is still not attributable:\n%s", n-1, after)
	}
	owner.shot("report-after")
	checkPanel(t, owner, "report-after")
	noOverflow(t, owner, "document")

	// The same on a phone-sized window.
	owner.do(chromedp.EmulateViewport(390, 844))
	owner.open("/documents/recall")
	owner.shot("report-narrow")
	checkPanel(t, owner, "report-narrow")
	noOverflow(t, owner, "document, narrow")
	owner.open("/documents/recall/suggestions")
	owner.shot("suggestions-narrow")
	noOverflow(t, owner, "suggestions, narrow")
}

// noOverflow fails if the page is wider than the window.
func noOverflow(t *testing.T, tb *tab, page string) {
	t.Helper()
	const js = `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`
	w, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]int](js))
	if err != nil {
		t.Fatal(err)
	}
	if w[0] > w[1] {
		t.Errorf("%s: the page is %d pixels wide in a window of %d: it scrolls sideways", page, w[0], w[1])
	}
}

// checkPanel checks the screenshot just taken of a document page: the
// report panel is on it, inside the window, with its findings, and the
// image is the window's size and not blank.
func checkPanel(t *testing.T, tb *tab, name string) {
	t.Helper()
	const js = `(() => {
		const p = document.querySelector(".report-panel");
		if (!p) return null;
		const r = p.getBoundingClientRect();
		return {left: r.left, right: r.right, width: window.innerWidth, text: p.innerText, findings: p.querySelectorAll("ul.proves li").length};
	})()`
	type panel struct {
		Left, Right, Width float64
		Text               string
		Findings           int
	}
	p, err := chromedp.Run(tb.ctx, chromedp.Evaluate[*panel](js))
	if err != nil {
		t.Fatal(err)
	}
	if p == nil {
		t.Fatalf("%s: no report panel", name)
	}
	if p.Left < 0 || p.Right > p.Width+0.5 {
		t.Errorf("%s: the panel spans %.0f–%.0f of a %.0f-pixel window", name, p.Left, p.Right, p.Width)
	}
	if p.Findings != 3 || !strings.Contains(p.Text, "A whole copy, verbatim") || !strings.Contains(p.Text, "The figures behind this") {
		t.Errorf("%s: panel with %d findings:\n%s", name, p.Findings, p.Text)
	}
	shots, _ := filepath.Glob(filepath.Join(t.ArtifactDir(), "*-"+name+".png"))
	if len(shots) != 1 {
		t.Fatalf("%s: screenshots %v", name, shots)
	}
	raw, err := os.ReadFile(shots[0])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: screenshot: %v", name, err)
	}
	if img.Bounds().Dx() != int(p.Width) {
		t.Errorf("%s: screenshot %d pixels wide, window %.0f", name, img.Bounds().Dx(), p.Width)
	}
	colours := map[uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 7 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 7 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[r>>12<<8|g>>12<<4|b>>12] = true
		}
	}
	if len(colours) < 4 {
		t.Errorf("%s: the screenshot has %d colours: blank?", name, len(colours))
	}
}
