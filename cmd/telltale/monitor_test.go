package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/samples"
)

// TestMonitorCLI watches a local news site from the command line.
func TestMonitorCLI(t *testing.T) {
	t.Parallel()
	rn := &running{t: t, dir: t.TempDir()}
	rn.must("", "init")
	for _, name := range []string{"operations-plan", "board-memo"} {
		src, _ := samples.Get(name)
		p := filepath.Join(rn.dir, name+".md")
		os.WriteFile(p, src, 0o600)
		rn.must("", "doc", "add", p)
	}
	strong, err := os.ReadFile("../../testdata/articles/board-memo-strong.txt")
	if err != nil {
		t.Fatal(err)
	}
	unrelated, _ := os.ReadFile("../../testdata/articles/unrelated-2.txt")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>%[1]s</link><description>d</description>
<item><title>Memo</title><link>%[1]s/memo</link></item><item><title>Other</title><link>%[1]s/other</link></item></channel></rss>`, srv.URL)
		case "/memo":
			w.Write(strong)
		case "/other":
			w.Write(unrelated)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	if out := rn.must("", "monitor", "check", "../../testdata/articles/board-memo-strong.txt"); !strings.Contains(out, "DISCLOSES board-memo v1") || !strings.Contains(out, "declared") {
		t.Errorf("check strong:\n%s", out)
	}
	if out := rn.must("", "monitor", "check", "../../testdata/articles/unrelated-3.txt"); !strings.HasPrefix(out, "NOT FLAGGED") {
		t.Errorf("check unrelated:\n%s", out)
	}
	// Any text in: the plan itself as Markdown discloses the plan.
	if out := rn.must("", "monitor", "check", filepath.Join(rn.dir, "operations-plan.md")); !strings.Contains(out, "DISCLOSES operations-plan v1") || !strings.Contains(out, "passage") {
		t.Errorf("check Markdown:\n%s", out)
	}
	// A reporter's restated figures are matched to the plan's, both sides shown.
	story := filepath.Join(rn.dir, "story.txt")
	os.WriteFile(story, []byte("Fugitive push planned\n\nAbout 140 deputies, police officers and federal agents will start before dawn on Sunday, March 8, in nine cities, with a budget of about $1.25 million, officials said of Operation Harbor Light.\n"), 0o600)
	if out := rn.must("", "monitor", "check", story); !strings.Contains(out, `"About 140 deputies, police officers and federal agents"  ↔  document: "140 deputies, officers, and special agents"`) || !strings.Contains(out, "(approximately)") {
		t.Errorf("check restated facts:\n%s", out)
	}
	rn.must("", "monitor", "add", srv.URL+"/feed.xml", "--every", "5m")
	rn.must("", "monitor", "add", srv.URL+"/private/feed.xml")
	if _, errOut, code := rn.cli("", nil, "monitor", "add", srv.URL+"/feed.xml"); code != 1 || !strings.Contains(errOut, "watched already") {
		t.Errorf("duplicate source: %d %s", code, errOut)
	}
	out := rn.must("", "monitor", "run", "--allow", "127.0.0.0/8")
	if !strings.Contains(out, "Polled 2 sources") || !strings.Contains(out, "DISCLOSES") || !strings.Contains(out, "opened case 1") || !strings.Contains(out, "robots.txt") {
		t.Errorf("monitor run:\n%s", out)
	}
	if out := rn.must("", "monitor", "list"); !strings.Contains(out, "FAILING") || !strings.Contains(out, "ok") {
		t.Errorf("monitor list:\n%s", out)
	}
	if out := rn.must("", "monitor", "flags"); !strings.Contains(out, "board-memo v1") {
		t.Errorf("monitor flags:\n%s", out)
	}
	if out := rn.must("", "case", "show", "1"); !strings.Contains(out, "intake") || !strings.Contains(out, "article") {
		t.Errorf("case from the monitor:\n%s", out)
	}
	if out := rn.must("", "monitor", "secret"); len(strings.TrimSpace(out)) != 64 {
		t.Errorf("secret: %q", out)
	}
	rn.must("", "ledger", "verify")
}
