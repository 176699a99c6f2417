package monitor

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

// sampleVersions returns the sample documents as protected versions, IDs
// 1, 2, 3 in samples.Names() order, labelled by sample name.
func sampleVersions(t testing.TB) []Protected {
	t.Helper()
	var out []Protected
	for i, name := range samples.Names() {
		out = append(out, sampleVersion(t, int64(i+1), name))
	}
	return out
}

func sampleVersion(t testing.TB, id int64, name string) Protected {
	t.Helper()
	src, ok := samples.Get(name)
	if !ok {
		t.Fatalf("no sample %q", name)
	}
	doc, err := parse.Parse(name+".md", src)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return FromTemplate(id, name, tpl)
}

func sampleIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := NewIndex(Options{}, sampleVersions(t)...)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// corpusArticle is one file of testdata/articles.
type corpusArticle struct {
	name      string // file name without extension
	page      []byte // the HTML page served
	title     string
	published time.Time
}

// loadCorpus reads testdata/articles: text files become HTML pages with
// their header lines (Outlet, Title, Published) as metadata; HTML files are
// served as they are.
func loadCorpus(t testing.TB) []corpusArticle {
	t.Helper()
	files, err := filepath.Glob("../testdata/articles/*.*")
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusArticle
	for _, f := range files {
		ext := filepath.Ext(f)
		if ext != ".txt" && ext != ".html" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := corpusArticle{name: strings.TrimSuffix(filepath.Base(f), ext)}
		if ext == ".html" {
			a.page = b
			meta := pageMeta(mustParseHTML(t, b))
			a.title, a.published = meta.title, meta.published
		} else {
			a.page, a.title, a.published = textPage(string(b))
		}
		out = append(out, a)
	}
	return out
}

// textPage makes a news page of a corpus text file.
func textPage(txt string) ([]byte, string, time.Time) {
	head, body, _ := strings.Cut(txt, "\n\n")
	fields := map[string]string{}
	for _, line := range strings.Split(head, "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			fields[k] = v
		}
	}
	pub, _ := time.Parse(time.RFC3339, fields["Published"])
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>%s | %s</title>\n", e(fields["Title"]), e(fields["Outlet"]))
	fmt.Fprintf(&b, "<meta property=\"og:title\" content=\"%s\">\n<meta property=\"og:site_name\" content=\"%s\">\n", e(fields["Title"]), e(fields["Outlet"]))
	fmt.Fprintf(&b, "<meta property=\"article:published_time\" content=\"%s\">\n</head><body>\n", e(fields["Published"]))
	fmt.Fprintf(&b, "<header><a href=\"/\">%s</a><nav><a href=\"/news/\">News</a> <a href=\"/sports/\">Sports</a> <a href=\"/opinion/\">Opinion</a></nav></header>\n", e(fields["Outlet"]))
	fmt.Fprintf(&b, "<main><article><h1>%s</h1>\n", e(fields["Title"]))
	for _, p := range strings.Split(strings.TrimSpace(body), "\n\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", e(p))
	}
	fmt.Fprintf(&b, "</article></main><footer><p>Copyright 2026 %s. All rights reserved.</p></footer></body></html>\n", e(fields["Outlet"]))
	return []byte(b.String()), fields["Title"], pub
}

// rss renders an RSS 2.0 feed.
func rss(title string, items ...rssItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>%s</title><link>http://example.test/</link><description>news</description>\n", html.EscapeString(title))
	for _, it := range items {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(it.title), html.EscapeString(it.link), html.EscapeString(it.link), it.published.Format(time.RFC1123Z), html.EscapeString(it.description))
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

type rssItem struct {
	title, link, description string
	published                time.Time
}

// corpusServer serves the corpus as a news site: /feed.xml lists every
// article, /articles/NAME.html serves it.
func corpusServer(t testing.TB, corpus []corpusArticle) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	pages := map[string][]byte{}
	for _, a := range corpus {
		pages["/articles/"+a.name+".html"] = a.page
	}
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		var items []rssItem
		for _, a := range corpus {
			items = append(items, rssItem{title: a.title, link: srv.URL + "/articles/" + a.name + ".html", published: a.published})
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, rss("Corpus News", items...))
	})
	mux.HandleFunc("/articles/", func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(p)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// testFetcher is a fetcher for local test servers: fast rate, short
// timeout.
func testFetcher(cfg FetcherConfig) *Fetcher {
	if cfg.PerHost == 0 {
		cfg.PerHost, cfg.Burst = 10000, 1000
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	return NewFetcher(cfg)
}

func mustParseHTML(t testing.TB, b []byte) *xhtml.Node {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
