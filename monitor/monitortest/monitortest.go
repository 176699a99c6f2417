// Package monitortest serves telltale's article corpus (testdata/articles,
// described in its MANIFEST.md) as a local news site, for the tests of the
// monitor and of disclosure matching.
//
// [Corpus] loads the articles as HTML pages; [Server] serves them with a
// feed; [RSS] renders feeds of any items.
package monitortest

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"
)

// Article is one file of testdata/articles.
type Article struct {
	Name      string // file name without extension
	Page      []byte // the HTML page served
	Title     string
	Published time.Time
}

// Corpus reads testdata/articles: text files become HTML pages with their
// header lines (Outlet, Title, Published) as metadata; HTML files are served
// as they are, titled and dated by their og:title and
// article:published_time.
func Corpus(tb testing.TB) []Article {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	files, err := filepath.Glob(filepath.Join(filepath.Dir(here), "..", "..", "testdata", "articles", "*.*"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []Article
	for _, f := range files {
		ext := filepath.Ext(f)
		if ext != ".txt" && ext != ".html" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		a := Article{Name: strings.TrimSuffix(filepath.Base(f), ext)}
		if ext == ".html" {
			a.Page = b
			a.Title, a.Published, err = pageMeta(b)
			if err != nil {
				tb.Fatalf("failed to read %s: %v", f, err)
			}
		} else {
			a.Page, a.Title, a.Published = textPage(string(b))
		}
		out = append(out, a)
	}
	return out
}

// pageMeta reads the og:title and article:published_time of a page.
func pageMeta(page []byte) (title string, published time.Time, err error) {
	doc, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		return "", time.Time{}, err
	}
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.Data == "meta" {
			var property, content string
			for _, a := range n.Attr {
				switch a.Key {
				case "property":
					property = a.Val
				case "content":
					content = a.Val
				}
			}
			switch property {
			case "og:title":
				title = content
			case "article:published_time":
				published, _ = time.Parse(time.RFC3339, content)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return title, published, nil
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

// Item is an item of an RSS feed.
type Item struct {
	Title, Link, Description string
	Published                time.Time
}

// RSS renders an RSS 2.0 feed.
func RSS(title string, items ...Item) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>%s</title><link>http://example.test/</link><description>news</description>\n", html.EscapeString(title))
	for _, it := range items {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(it.Title), html.EscapeString(it.Link), html.EscapeString(it.Link), it.Published.Format(time.RFC1123Z), html.EscapeString(it.Description))
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// Server serves the corpus as a news site until the test ends: /feed.xml
// lists every article, /articles/NAME.html serves it.
func Server(tb testing.TB, corpus []Article) *httptest.Server {
	tb.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	pages := map[string][]byte{}
	for _, a := range corpus {
		pages["/articles/"+a.Name+".html"] = a.Page
	}
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		var items []Item
		for _, a := range corpus {
			items = append(items, Item{Title: a.Title, Link: srv.URL + "/articles/" + a.Name + ".html", Published: a.Published})
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, RSS("Corpus News", items...))
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
	tb.Cleanup(srv.Close)
	return srv
}
