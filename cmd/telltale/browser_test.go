package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/telltale-dev/telltale/bundle"
	"github.com/telltale-dev/telltale/samples"
)

// browser drives Debian's chromium against a server started through Main.
// Every page visited is saved as a screenshot in the test's artifact
// directory (go test -artifacts -outputdir DIR keeps them).
type browser struct {
	t     *testing.T
	alloc context.Context
	base  string
	shots int
}

// newBrowser starts a headless chromium, or skips the test when none is
// installed — unless TELLTALE_REQUIRE_BROWSER is set, as in CI, where a
// missing browser fails the test.
func newBrowser(t *testing.T, base string) *browser {
	path := os.Getenv("TELLTALE_CHROMIUM")
	if path == "" {
		for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if found, err := exec.LookPath(p); err == nil {
				path = found
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("TELLTALE_REQUIRE_BROWSER") != "" {
			t.Fatal("no chromium found and TELLTALE_REQUIRE_BROWSER is set: install it (apt-get install chromium) or set TELLTALE_CHROMIUM")
		}
		t.Skip("browser tests need chromium: apt-get install chromium (or set TELLTALE_CHROMIUM); .ci/run installs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	// The first context starts the browser; each person then gets a
	// browser context of their own (separate cookies).
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(cancelRoot)
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	return &browser{t: t, alloc: root, base: base}
}

// tab is one person's browser: its own cookie jar.
type tab struct {
	b   *browser
	ctx context.Context
	who string
}

func (b *browser) as(who string) *tab {
	ctx, cancel := chromedp.NewContext(b.alloc, chromedp.WithNewBrowserContext())
	ctx, cancel2 := context.WithTimeout(ctx, 4*time.Minute)
	b.t.Cleanup(func() { cancel2(); cancel() })
	return &tab{b: b, ctx: ctx, who: who}
}

// open loads a path and returns the HTTP status of the page.
func (tb *tab) open(path string) int {
	tb.b.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Navigate(tb.b.base+path))
	if err != nil {
		tb.b.t.Fatalf("%s: open %s: %v", tb.who, path, err)
	}
	return int(resp.Status)
}

// submit clicks a button that navigates and returns the new page's status.
func (tb *tab) submit(sel string) int {
	tb.b.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	// A DOM click, not a mouse event at coordinates: the page may still
	// be restoring its scroll position after the previous navigation.
	sj, _ := json.Marshal(sel)
	click := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).click()`, sj))
	resp, err := chromedp.RunResponse(ctx, chromedp.Steps(chromedp.WaitVisible(sel), click))
	if err != nil {
		tb.shot("failed-click")
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		os.WriteFile(filepath.Join(tb.b.t.ArtifactDir(), "goroutines.txt"), buf[:n], 0o644)
		tb.b.t.Fatalf("%s: click %s: %v\n%s", tb.who, sel, err, tb.text())
	}
	if resp == nil {
		// A form POST answered by a redirect: ask the page itself.
		return tb.status()
	}
	return int(resp.Status)
}

// status returns the HTTP status of the page now shown.
func (tb *tab) status() int {
	tb.b.t.Helper()
	st, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`performance.getEntriesByType("navigation")[0].responseStatus`))
	if err != nil {
		tb.b.t.Fatalf("%s: page status: %v", tb.who, err)
	}
	return st
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.b.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.b.t.Fatalf("%s: %v", tb.who, err)
	}
}

// fill types into the form fields named by selector.
func (tb *tab) fill(fields ...string) {
	tb.b.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		sel, _ := json.Marshal(fields[i])
		val, _ := json.Marshal(fields[i+1])
		js := fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) return false; e.value = %s; return true })()`, sel, val)
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js))
		if err != nil || !ok {
			tb.b.t.Fatalf("%s: fill %s: found=%v %v", tb.who, fields[i], ok, err)
		}
	}
}

// text returns the visible text of the page.
func (tb *tab) text() string {
	tb.b.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text("body", chromedp.NodeReady))
	if err != nil {
		tb.b.t.Fatalf("%s: read page: %v", tb.who, err)
	}
	return s
}

// expect fails unless the page shows every want.
func (tb *tab) expect(page string, want ...string) string {
	tb.b.t.Helper()
	s := tb.text()
	for _, w := range want {
		if !strings.Contains(s, w) {
			tb.b.t.Errorf("%s on %s: page does not say %q:\n%s", tb.who, page, w, s)
		}
	}
	return s
}

// shot saves a screenshot of what the window shows (1280×900), and checks
// the page's form controls all have labels and the page has a title, a
// main landmark and one h1 (copies, which are documents, excepted).
func (tb *tab) shot(name string) {
	tb.b.t.Helper()
	const audit = `(() => {
		const bad = [];
		for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
			if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) bad.push(el.outerHTML.slice(0, 80));
		}
		if (!document.title) bad.push("no <title>");
		if (document.querySelector("header.top") && !document.querySelector("main")) bad.push("no <main>");
		if (document.querySelector("header.top") && document.querySelectorAll("h1").length !== 1) bad.push(document.querySelectorAll("h1").length + " h1 elements");
		return bad;
	})()`
	if bad, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](audit)); err != nil {
		tb.b.t.Errorf("%s: audit %s: %v", tb.who, name, err)
	} else if len(bad) > 0 {
		tb.b.t.Errorf("%s: page %s is not accessible: %q", tb.who, name, bad)
	}
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.b.t.Fatalf("%s: screenshot %s: %v", tb.who, name, err)
	}
	tb.b.shots++
	file := filepath.Join(tb.b.t.ArtifactDir(), fmt.Sprintf("%02d-%s.png", tb.b.shots, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.b.t.Fatal(err)
	}
}

// fetch downloads a path with the tab's session and returns status and body.
func (tb *tab) fetch(path string) (int, string) {
	tb.b.t.Helper()
	type result struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	}
	// Copy pages forbid scripts from fetching; run from the inbox.
	tb.open("/inbox")
	js := fmt.Sprintf(`fetch(%q).then(async r => ({status: r.status, body: await r.text()}))`, path)
	r, err := chromedp.Run(tb.ctx, chromedp.Evaluate[result](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.b.t.Fatalf("%s: fetch %s: %v", tb.who, path, err)
	}
	return r.Status, r.Body
}

// post sends a same-origin POST from the page and returns the body.
func (tb *tab) post(path string) []byte {
	tb.b.t.Helper()
	js := fmt.Sprintf(`fetch(%q, {method: "POST"}).then(async r => {
		if (!r.ok) throw new Error("status " + r.status);
		const u = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
		return btoa(s);
	})`, path)
	b64, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.b.t.Fatalf("%s: POST %s: %v", tb.who, path, err)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		tb.b.t.Fatal(err)
	}
	return b
}

func (tb *tab) signIn(email, password string) {
	tb.b.t.Helper()
	tb.open("/login")
	tb.fill("#email", email, "#password", password)
	if st := tb.submit(`form[action="/login"] button[type=submit]`); st != 200 {
		tb.b.t.Fatalf("%s: sign in answered %d: %s", tb.who, st, tb.text())
	}
}

var setupURL = regexp.MustCompile(`(/setup\?token=[A-Za-z0-9_-]+)`)

// TestBrowser walks through the product as its four kinds of users do, in
// a real browser against a real server.
func TestBrowser(t *testing.T) {
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

	// First run: the administrator is created from the one-time address.
	admin := b.as("admin")
	admin.open("/")
	admin.shot("home-not-set-up")
	admin.open(m[1])
	admin.shot("setup")
	admin.fill("#name", "Ada Admin", "#email", "ada@example.org", "#password", pw)
	if st := admin.submit(`form[action="/setup"] button`); st != 200 {
		t.Fatalf("setup answered %d: %s", st, admin.text())
	}
	// The address works once.
	if st := b.as("stranger").open(m[1]); st != 404 {
		t.Errorf("setup address reused: %d", st)
	}

	// The administrator adds the other people.
	admin.open("/admin/users")
	addUser := func(name, email string, roles ...string) {
		admin.fill("#uname", name, "#uemail", email, "#upw", pw)
		for _, r := range roles {
			admin.do(chromedp.Click("#new-"+r, chromedp.NodeVisible))
		}
		if st := admin.submit(`form[action="/admin/users"] button[type=submit]`); st != 200 {
			t.Fatalf("add user %s: %d %s", email, st, admin.text())
		}
	}
	addUser("Olga Owner", "olga@example.org", "owner")
	addUser("Ivan Investigator", "ivan@example.org", "investigator")
	addUser("Dana Ortiz", "dana@example.org", "recipient")
	addUser("Lee Chen", "lee@example.org", "recipient")
	admin.expect("users", "Olga Owner", "Ivan Investigator", "Dana Ortiz", "Lee Chen")
	admin.shot("admin-users")

	// The owner stores a document by pasting it.
	owner := b.as("owner")
	owner.signIn("olga@example.org", pw)
	owner.shot("owner-home")
	owner.open("/documents/new")
	plan, _ := samples.Get("operations-plan")
	owner.fill("#name", "plan", "#source", string(plan))
	owner.shot("document-new")
	if st := owner.submit(`form[action="/documents"] button[type=submit]`); st != 200 {
		t.Fatalf("add document: %d %s", st, owner.text())
	}
	owner.expect("document", "Operation Harbor Light", "slots")
	owner.shot("document")
	owner.open("/documents/plan/preview")
	owner.expect("preview", "declared")
	owner.shot("preview")

	// Recipients, then the copies.
	owner.open("/recipients")
	for _, r := range [][2]string{{"Dana Ortiz", "dana@example.org"}, {"Lee Chen", "lee@example.org"}} {
		owner.fill("#rname", r[0], "#remail", r[1], "#runit", "Houston field office")
		if st := owner.submit(`form[action="/recipients"] button`); st != 200 {
			t.Fatalf("register %s: %d %s", r[1], st, owner.text())
		}
	}
	owner.expect("recipients", "dana@example.org", "lee@example.org")
	owner.shot("recipients")
	owner.open("/documents/plan")
	owner.do(chromedp.Click(`input[value="dana@example.org"]`), chromedp.Click(`input[value="lee@example.org"]`))
	if st := owner.submit(`form[action="/documents/plan/issue"] button[type=submit]`); st != 200 {
		t.Fatalf("issue: %d %s", st, owner.text())
	}
	owner.expect("document after issue", "Dana Ortiz", "Lee Chen")
	owner.shot("issued")

	// A recipient sees only their own copy, reads it and downloads it.
	dana := b.as("dana")
	dana.signIn("dana@example.org", pw)
	dana.expect("inbox", "Operation Harbor Light")
	dana.shot("recipient-inbox")
	danaCopy := copyID(t, dana)
	if st := dana.open(fmt.Sprintf("/copies/%d/read", danaCopy)); st != 200 {
		t.Fatalf("read own copy: %d", st)
	}
	dana.expect("reading view", "Harbor Light", "Dana Ortiz")
	dana.shot("recipient-read")
	st, danaText := dana.fetch(fmt.Sprintf("/copies/%d/download/txt", danaCopy))
	if st != 200 || !strings.Contains(danaText, "Harbor Light") {
		t.Fatalf("download own copy: %d %.200s", st, danaText)
	}
	lee := b.as("lee")
	lee.signIn("lee@example.org", pw)
	leeCopy := copyID(t, lee)
	// Dana cannot open Lee's copy by guessing its number.
	if st := dana.open(fmt.Sprintf("/copies/%d/read", leeCopy)); st != 404 {
		t.Errorf("dana opened lee's copy: %d", st)
	}
	dana.shot("other-copy-refused")
	if st, body := dana.fetch(fmt.Sprintf("/copies/%d/download/txt", leeCopy)); st != 404 || strings.Contains(body, "Harbor Light") {
		t.Errorf("dana downloaded lee's copy: %d", st)
	}
	// Nor can she see the owner's pages.
	if st := dana.open("/documents/plan"); st != 403 && st != 404 {
		t.Errorf("recipient opened the document page: %d", st)
	}

	// The owner sees who opened what, and revokes Lee's copy.
	owner.open("/documents/plan")
	owner.expect("access log", "dana@example.org")
	owner.do(chromedp.Click(fmt.Sprintf(`form[action="/copies/%d/revoke"] button`, leeCopy), chromedp.NodeVisible))
	owner.do(chromedp.WaitVisible(`.flash, [role=status]`))
	owner.shot("revoked")
	if st := lee.open(fmt.Sprintf("/copies/%d/read", leeCopy)); st != 410 {
		t.Errorf("revoked copy answered %d", st)
	}
	lee.expect("revoked copy", "revoked")
	lee.shot("revoked-copy")

	// The investigator pastes an excerpt of Dana's copy.
	ivan := b.as("investigator")
	ivan.signIn("ivan@example.org", pw)
	ivan.open("/trace")
	ivan.shot("trace")
	ivan.fill("#leak", danaText)
	if st := ivan.submit(`form[action="/trace"] button[type=submit]`); st != 200 {
		t.Fatalf("trace: %d %s", st, ivan.text())
	}
	verdict := ivan.expect("verdict", "Dana Ortiz")
	if !strings.Contains(verdict, "The leak comes from a known copy") {
		t.Errorf("verdict does not accuse:\n%s", verdict)
	}
	ivan.shot("verdict")

	// The investigator opens a case from the verdict and takes it through
	// its life.
	ivan.fill("#case-title", "Harbor Light in the Gazette")
	if st := ivan.submit(`form.open-case button`); st != 200 {
		t.Fatalf("open case: %d %s", st, ivan.text())
	}
	ivan.expect("case", "Harbor Light in the Gazette", "intake", "Who had the document", "Dana Ortiz")
	ivan.shot("case-opened")
	ivan.fill("#note", "The Gazette story quotes section 3 verbatim.")
	ivan.submit(`form[action$="/notes"] button`)
	// A referral without an office is refused with a clear message.
	for _, step := range []string{"triage", "attribution"} {
		ivan.do(chromedp.SetValue("#to", step, chromedp.NodeReady))
		ivan.submit(`form[action$="/move"] button`)
	}
	ivan.do(chromedp.SetValue("#to", "referred", chromedp.NodeReady))
	if st := ivan.submit(`form[action$="/move"] button`); st != 400 {
		t.Errorf("referral without an office: %d", st)
	}
	ivan.expect("referral without office", "A referral names the receiving office")
	ivan.shot("case-refused")
	ivan.do(chromedp.SetValue("#to", "referred", chromedp.NodeReady))
	ivan.fill("#office", "Office of the Inspector General")
	ivan.submit(`form[action$="/move"] button`)
	ivan.do(chromedp.SetValue("#to", "closed", chromedp.NodeReady), chromedp.SetValue("#outcome", "substantiated", chromedp.NodeReady))
	ivan.submit(`form[action$="/move"] button`)
	caseText := ivan.expect("closed case", "closed: substantiated", "referred to Office of the Inspector General", "The Gazette story quotes section 3 verbatim.")
	if strings.Contains(caseText, "Work on the case") {
		t.Error("a closed case still offers changes")
	}
	ivan.shot("case-closed")
	caseURL, err := chromedp.Run(ivan.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	casePath := strings.TrimPrefix(caseURL, rn.url)
	if st := ivan.open(casePath + "/report"); st != 200 {
		t.Errorf("report: %d", st)
	}
	ivan.expect("report", "ACCUSED", "Office of the Inspector General", "How to check this bundle")
	ivan.shot("case-report")
	ivan.open(casePath)
	zipped := ivan.post(casePath + "/export")
	key, err := os.ReadFile(filepath.Join(rn.dir, "data", "ledger.pub"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := bundle.Verify(zipped, strings.TrimSpace(string(key)))
	if err != nil || !rep.OK() {
		t.Errorf("bundle exported from the browser: %v %v", err, rep)
	}
	// An investigator does not manage documents.
	if st := ivan.open("/documents/new"); st == 200 && strings.Contains(ivan.text(), "Store and find slots") {
		t.Error("investigator got the new-document form")
	}

	// The investigator watches a news feed; a story disclosing the plan is
	// flagged and opens a case.
	story, err := os.ReadFile("../../testdata/articles/operations-plan-strong.txt")
	if err != nil {
		t.Fatal(err)
	}
	var news *httptest.Server
	news = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Gulf Coast Ledger</title><link>%[1]s</link><description>news</description><item><title>Sweep</title><link>%[1]s/sweep</link></item></channel></rss>`, news.URL)
		case "/sweep":
			w.Write(story)
		default:
			http.NotFound(w, r)
		}
	}))
	defer news.Close()
	ivan.open("/monitor")
	ivan.fill("#src-url", news.URL+"/feed.xml")
	if st := ivan.submit(`form[action="/monitor/sources"] button`); st != 200 {
		t.Fatalf("add source: %d %s", st, ivan.text())
	}
	ivan.submit(`form[action="/monitor/run"] button`)
	ivan.expect("monitor", "Polled 1 source: 1 new article, 1 flagged, 1 case opened.", "healthy", "discloses")
	ivan.shot("monitor")
	ivan.submit(`a[href^="/monitor/flags/"]`)
	ivan.expect("flagged article", "Discloses plan v1", "declared", "140")
	ivan.shot("flagged-article")
	// The owner is alerted on the document's page.
	owner.open("/documents/plan")
	owner.expect("owner alert", "The press may have this document", "Sweep")
	owner.shot("owner-alert")

	// The administrator checks the ledger.
	admin.open("/admin/ledger")
	admin.do(chromedp.Click(`form[action="/admin/ledger/verify"] button`, chromedp.NodeVisible))
	admin.do(chromedp.WaitVisible(`#verify-result`))
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(admin.text(), "Verified:") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	admin.expect("ledger", "Verified:", "Olga Owner")
	admin.shot("ledger")
}

var readLink = regexp.MustCompile(`/copies/(\d+)/read`)

// copyID finds the recipient's one copy in their inbox.
func copyID(t *testing.T, tb *tab) int64 {
	t.Helper()
	tb.open("/inbox")
	html, err := chromedp.Run(tb.ctx, chromedp.OuterHTML("main", chromedp.NodeReady))
	if err != nil {
		t.Fatal(err)
	}
	ms := readLink.FindAllStringSubmatch(html, -1)
	if len(ms) != 1 {
		t.Fatalf("%s's inbox lists %d copies, want 1", tb.who, len(ms))
	}
	var id int64
	fmt.Sscan(ms[0][1], &id)
	return id
}
