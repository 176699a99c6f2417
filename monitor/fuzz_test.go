package monitor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/monitor/monitortest"
)

func corpusSeeds(f *testing.F) [][]byte {
	files, _ := filepath.Glob("../testdata/articles/*.*")
	var out [][]byte
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && !strings.HasSuffix(name, ".md") {
			out = append(out, b)
		}
	}
	return out
}

// FuzzExtract: any response body yields an article of valid UTF-8 text or an
// *ExtractError, never a panic.
func FuzzExtract(f *testing.F) {
	for _, b := range corpusSeeds(f) {
		f.Add(b, "text/html")
	}
	f.Add([]byte("<html><head><meta charset=\"iso-8859-1\"><title>T | Site</title></head><body><p>caf\xe9</p></body></html>"), "text/html")
	f.Add([]byte("plain \xff\xfe text"), "text/plain; charset=utf-8")
	f.Add([]byte("\xef\xbb\xbf<p>bom</p>"), "")
	f.Add([]byte("%PDF-1.4"), "application/pdf")
	f.Add([]byte("---\ntitle: Plan\n---\n# Plan\n\nText."), "text/markdown")
	f.Add([]byte(mhtmlSample), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		a, err := ExtractPage(body, contentType, "http://example.test/a")
		if err != nil {
			if _, ok := err.(*ExtractError); !ok {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if !utf8.ValidString(a.Text) || !utf8.ValidString(a.Title) || strings.TrimSpace(a.Text) == "" || len(a.Snapshot.SHA256) != 64 {
			t.Fatalf("bad article: %+v", a)
		}
	})
}

// FuzzParseFeed: any feed body parses or fails with a *ParseError; item
// URLs are absolute http(s) addresses.
func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(monitortest.RSS("T", monitortest.Item{Title: "a", Link: "/rel/a"})), "application/rss+xml")
	f.Add([]byte(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>e</title><link href="https://x.test/e"/><updated>2026-03-07T18:30:00Z</updated></entry></feed>`), "application/atom+xml")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://x.test/1","content_text":"hi"}]}`), "application/feed+json")
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>caf\xe9</title></channel></rss>"), "")
	f.Add([]byte("<rss><channel><item><title>cut"), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := ParseFeed(body, contentType, "https://feeds.example.test/x/feed.xml")
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		for _, it := range feed.Items {
			if it.URL != "" && !strings.HasPrefix(it.URL, "http://") && !strings.HasPrefix(it.URL, "https://") {
				t.Fatalf("item URL %q", it.URL)
			}
		}
	})
}

// FuzzRobots: any robots.txt parses, and robots.txt itself stays allowed.
func FuzzRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /private/\nAllow: /private/a$\nCrawl-delay: 3\n"), "/private/a")
	f.Add([]byte("User-agent: telltale-monitor\nDisallow: /*\n"), "/x?y=*")
	f.Add([]byte("Disallow:\n\x00\xff"), "")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := ParseRobots(body, "telltale-monitor")
		r.Allowed(path)
		if !r.Allowed("/robots.txt") {
			t.Fatal("robots.txt disallowed")
		}
	})
}
