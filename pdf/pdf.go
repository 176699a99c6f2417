// Package pdf prints copies to PDF with headless Chromium. A copy's HTML
// page is typeset by the browser (headings, tables, lists, its print
// style sheet), with the copy's visible marking on every page, page
// numbers in the footer, and, if the owner asks, a diagonal watermark
// naming the recipient. The copy's text marks are in the page text, so a
// leaked PDF, or a photo of a printed page, traces like any other copy.
//
// The browser is started on first use and kept for later prints; it has
// no network (every host name fails to resolve), so a page cannot fetch
// anything while it is printed.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Marking is what a printed copy shows on every page, in the margins: a
// header line (the classification, say), a footer line (the copy's
// marking; the page number is added to it) and, if Watermark is set, that
// text across the page. The page's own marking blocks, which a browser
// would print over the text, are hidden.
type Marking struct {
	Header    string
	Footer    string
	Watermark string
}

// Options configure a Printer.
type Options struct {
	// Chromium is the browser's path; empty looks for chromium,
	// chromium-browser and google-chrome on PATH.
	Chromium string
	// Concurrency bounds simultaneous prints; 0 means the number of CPUs.
	Concurrency int
	// Timeout bounds one print; 0 means a minute.
	Timeout time.Duration
}

// MissingBrowserError says that no browser was found to print with.
type MissingBrowserError struct{}

func (*MissingBrowserError) Error() string {
	return "printing PDF copies needs Chromium, which is not installed on this machine (Debian: apt-get install chromium; or set its path)"
}

// Printer prints HTML pages to PDF. It is safe for concurrent use.
type Printer struct {
	opts Options
	sem  chan struct{}

	mu      sync.Mutex
	browser context.Context // nil until started, or after the browser died
	stop    func()
}

// New returns a printer; the browser starts on the first Print.
func New(opts Options) *Printer {
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.NumCPU()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	return &Printer{opts: opts, sem: make(chan struct{}, opts.Concurrency)}
}

// Available reports whether a browser can be found to print with.
func (p *Printer) Available() bool {
	_, err := p.chromium()
	return err == nil
}

func (p *Printer) chromium() (string, error) {
	if p.opts.Chromium != "" {
		return exec.LookPath(p.opts.Chromium)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", &MissingBrowserError{}
}

// start returns the running browser, starting it if needed.
func (p *Printer) start() (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.browser != nil && p.browser.Err() == nil {
		return p.browser, nil
	}
	path, err := p.chromium()
	if err != nil {
		return nil, &MissingBrowserError{}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.DisableGPU,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("disable-extensions", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox as root
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		return nil, fmt.Errorf("failed to start %s: %w", path, err)
	}
	p.browser = browser
	p.stop = func() { cancelBrowser(); cancelAlloc() }
	return browser, nil
}

// Close stops the browser, if it was started.
func (p *Printer) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		p.stop()
		p.stop, p.browser = nil, nil
	}
	return nil
}

// Print typesets an HTML page as a US Letter PDF (or the page size its
// print style sheet asks for) with the marking on every page.
func (p *Printer) Print(ctx context.Context, htmlPage []byte, m Marking) ([]byte, error) {
	select {
	case p.sem <- struct{}{}:
		defer func() { <-p.sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	browser, err := p.start()
	if err != nil {
		return nil, err
	}
	tab, closeTab := chromedp.NewContext(browser)
	defer closeTab()
	tab, cancel := context.WithTimeout(tab, p.opts.Timeout)
	defer cancel()
	stopWithCaller := context.AfterFunc(ctx, cancel)
	defer stopWithCaller()

	doc := forPrint(string(htmlPage), m.Watermark)
	load := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: doc})
		return err
	})
	print := func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		yes := true
		top, side := 0.8, 0.75
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{
			PrintBackground: &yes, PreferCSSPageSize: &yes, DisplayHeaderFooter: &yes,
			PaperWidth: 8.5, PaperHeight: 11,
			MarginTop: &top, MarginBottom: &top, MarginLeft: &side, MarginRight: &side,
			HeaderTemplate: header(m.Header), FooterTemplate: footer(m.Footer),
		})
		return res.Data, err
	}
	err = chromedp.Do(tab, chromedp.Navigate("about:blank"), load)
	var out []byte
	if err == nil {
		out, err = chromedp.Run(tab, print)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(tab.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("printing the copy took longer than %s", p.opts.Timeout)
		}
		return nil, fmt.Errorf("failed to print the copy: %w", err)
	}
	return out, nil
}

// marginStyle is the style of the header and footer lines.
const marginStyle = `width:100%;margin:0 0.75in;font:8pt sans-serif;color:#444;text-align:center;`

// header is Chromium's header template: the header line, small, in the
// top margin.
func header(line string) string {
	return `<div style="` + marginStyle + `letter-spacing:0.06em;">` + html.EscapeString(line) + `</div>`
}

// footer is Chromium's footer template: the marking and the page number,
// small, in the bottom margin.
func footer(marking string) string {
	line := html.EscapeString(marking)
	if line != "" {
		line += " — "
	}
	return `<div style="` + marginStyle + `">` + line + `page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`
}

// forPrint hides the page's own marking blocks (the margins carry the
// marking) and adds a diagonal watermark to every printed page, if asked:
// a fixed element, which a browser repeats on each page.
func forPrint(doc, watermark string) string {
	style := `<style>@media print{.marking{display:none}}`
	var mark string
	if watermark != "" {
		style += `.telltale-watermark{position:fixed;top:50%;left:50%;transform:translate(-50%,-50%) rotate(-35deg);` +
			`font:700 44pt sans-serif;color:rgba(138,28,28,0.12);white-space:nowrap;pointer-events:none;z-index:1000}`
		mark = `<div class="telltale-watermark" aria-hidden="true">` + html.EscapeString(watermark) + `</div>`
	}
	style += `</style>`
	if i := strings.Index(doc, "</head>"); i >= 0 {
		doc = doc[:i] + style + doc[i:]
	} else {
		doc = style + doc
	}
	if i := strings.LastIndex(doc, "</body>"); i >= 0 {
		return doc[:i] + mark + doc[i:]
	}
	return doc + mark
}
