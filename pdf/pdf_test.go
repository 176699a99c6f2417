package pdf

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
)

// newPrinter returns a printer, or skips the test when no browser is
// installed — unless TELLTALE_REQUIRE_BROWSER is set, as in CI.
func newPrinter(t *testing.T) *Printer {
	t.Helper()
	p := New(Options{Chromium: os.Getenv("TELLTALE_CHROMIUM")})
	if !p.Available() {
		if os.Getenv("TELLTALE_REQUIRE_BROWSER") != "" {
			t.Fatal("no chromium found and TELLTALE_REQUIRE_BROWSER is set")
		}
		t.Skip("PDF tests need chromium: apt-get install chromium (or set TELLTALE_CHROMIUM)")
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// copyHTML renders copy 3 of a sample as its HTML page.
func copyHTML(t testing.TB, name string) []byte {
	t.Helper()
	src, _ := samples.Get(name)
	doc, err := parse.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.Compile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Render(render.HTML, render.Copy{Codeword: make([]uint8, len(tpl.Slots)), Number: 3, Of: 12, Recipient: "Dana Ortiz"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pdfText returns the text layer of a PDF, page by page (in content
// order with -raw).
func pdfText(t *testing.T, pdf []byte, args ...string) []string {
	t.Helper()
	leaktest.NeedTools(t, "pdftotext")
	dir := t.TempDir()
	in := filepath.Join(dir, "copy.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), in, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
}

func TestPrint(t *testing.T) {
	p := newPrinter(t)
	page := copyHTML(t, "operations-plan")
	out, err := p.Print(context.Background(), page, Marking{Header: "CONFIDENTIAL", Footer: "Copy 3 of 12 — Dana Ortiz"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "%PDF-") {
		t.Fatalf("not a PDF: %.20q", out)
	}
	pages := pdfText(t, out)
	if len(pages) < 2 {
		t.Fatalf("%d pages; the plan takes several", len(pages))
	}
	for i, text := range pages {
		flat := strings.Join(strings.Fields(text), " ")
		if !strings.Contains(flat, "Copy 3 of 12 — Dana Ortiz — page "+itoa(i+1)+" of "+itoa(len(pages))) {
			t.Errorf("page %d lacks the footer with its number:\n%s", i+1, text)
		}
		if !strings.HasPrefix(strings.TrimSpace(text), "CONFIDENTIAL") {
			t.Errorf("page %d does not start with the header line:\n%.200s", i+1, text)
		}
		if strings.Contains(flat, "DANA") {
			t.Errorf("page %d has a watermark nobody asked for", i+1)
		}
	}
	if all := strings.Join(pages, " "); !strings.Contains(strings.Join(strings.Fields(all), " "), "Operation") {
		t.Errorf("the plan's text is not in the PDF's text layer")
	}

	// With a watermark, on every page.
	out, err = p.Print(context.Background(), page, Marking{Footer: "Copy 3 of 12", Watermark: "DANA ORTIZ · COPY 3"})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range pdfText(t, out, "-raw") {
		if !strings.Contains(text, "DANA") || !strings.Contains(text, "COPY") {
			t.Errorf("page %d lacks the watermark", i+1)
		}
	}
}

// TestPrintNoNetwork: a page that asks for a remote image prints without
// fetching it.
func TestPrintNoNetwork(t *testing.T) {
	p := newPrinter(t)
	page := []byte(`<!DOCTYPE html><html><head></head><body><p>Plain page.</p><img src="http://telltale-test.invalid/x.png"></body></html>`)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := p.Print(ctx, page, Marking{}); err != nil {
		t.Fatal(err)
	}
}

func TestMissingBrowser(t *testing.T) {
	p := New(Options{Chromium: "/nonexistent/chromium"})
	if p.Available() {
		t.Fatal("a missing browser is available")
	}
	_, err := p.Print(context.Background(), []byte("<p>x</p>"), Marking{})
	if _, ok := err.(*MissingBrowserError); !ok || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("missing browser: %v", err)
	}
}

func TestCanceled(t *testing.T) {
	p := newPrinter(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Print(ctx, copyHTML(t, "board-memo"), Marking{}); err == nil {
		t.Error("a canceled print succeeded")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func benchPage(b *testing.B) []byte { return copyHTML(b, "operations-plan") }
