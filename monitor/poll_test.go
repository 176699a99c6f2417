package monitor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/monitor/monitortest"
)

// badSite serves feeds and pages that fail in every way the monitor must
// survive, next to good ones.
type badSite struct {
	srv     *httptest.Server
	hugeOut atomic.Int64 // bytes the 200 MB handler managed to write
	hang    chan struct{}
	feeds   atomic.Int64 // requests of /good.xml
}

const hugeSize = 200 << 20

func newBadSite(t *testing.T) *badSite {
	t.Helper()
	s := &badSite{hang: make(chan struct{})}
	mux := http.NewServeMux()
	corpus := monitortest.Corpus(t)
	var unrelated monitortest.Article
	for _, a := range corpus {
		if a.Name == "unrelated-1" {
			unrelated = a
		}
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "# test site\nUser-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n")
	})
	mux.HandleFunc("/good.xml", func(w http.ResponseWriter, r *http.Request) {
		s.feeds.Add(1)
		const etag = `"v1"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, monitortest.RSS("Good", monitortest.Item{Title: unrelated.Title, Link: s.srv.URL + "/good.html", Published: unrelated.Published},
			monitortest.Item{Title: "Gone", Link: s.srv.URL + "/gone.html", Published: unrelated.Published}))
	})
	mux.HandleFunc("/good.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(unrelated.Page)
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>cut off`)
	})
	mux.HandleFunc("/html-as-feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><html><body><h1>Maintenance</h1><p>We will be back soon.</p></body></html>")
	})
	mux.HandleFunc("/missing.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>")
	})
	mux.HandleFunc("/error.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>")
	})
	mux.HandleFunc("/huge.xml", func(w http.ResponseWriter, r *http.Request) {
		// 200 MB streamed lazily: written chunk by chunk, stopping when
		// the client hangs up.
		w.Header().Set("Content-Type", "application/rss+xml")
		chunk := []byte(strings.Repeat("<item><title>spam</title></item>\n", 1024))
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>`)
		for s.hugeOut.Load() < hugeSize {
			n, err := w.Write(chunk)
			s.hugeOut.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/hang.xml", func(w http.ResponseWriter, r *http.Request) {
		select { // never answers
		case <-r.Context().Done():
		case <-s.hang:
		}
	})
	mux.HandleFunc("/loop1", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop1", http.StatusFound) })
	mux.HandleFunc("/private/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		t.Error("fetched a URL that robots.txt disallows")
	})
	mux.HandleFunc("/latin1.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		feed := `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Le Café</title>` +
			`<item><title>Un café à Montréal</title><link>` + s.srv.URL + `/latin1.html</link></item>` +
			`<item><title>Texte brut</title><link>` + s.srv.URL + `/latin1.txt</link></item></channel></rss>`
		w.Write(latin1(t, feed))
	})
	mux.HandleFunc("/latin1.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // the charset is in the page only
		page := `<html><head><meta charset="windows-1252"><title>Un café</title></head><body><article><h1>Un café à Montréal</h1><p>` +
			strings.Repeat("Le café coûte 3 € à Montréal, déjà cher pour un naïf. ", 12) + `</p></article></body></html>`
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(page))
		if err != nil {
			t.Error(err)
		}
		w.Write(b)
	})
	mux.HandleFunc("/latin1.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=iso-8859-1")
		w.Write(latin1(t, "Première ligne. Garçon, l'addition !"))
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		close(s.hang)
		s.srv.Close()
	})
	return s
}

func latin1(t *testing.T, s string) []byte {
	b, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPollFailures polls good and broken sources together: each failure is
// recorded on its source with a typed error and a back-off, and the good
// sources are read all the same.
func TestPollFailures(t *testing.T) {
	site := newBadSite(t)
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	ix := sampleIndex(t)
	p := &Poller{
		Fetcher: testFetcher(FetcherConfig{Timeout: time.Second, MaxBytes: 1 << 20, Now: func() time.Time { return now }}),
		Matcher: ix, Dedupe: &disclose.Deduper{}, Now: func() time.Time { return now },
	}
	type want struct {
		path string
		err  error  // nil: the source works
		text string // in the error message
	}
	cases := []want{
		{"/good.xml", nil, ""},
		{"/latin1.xml", nil, ""},
		{"/broken.xml", nil, "XML syntax error"},
		{"/html-as-feed.xml", nil, "failed to detect feed type"},
		{"/missing.xml", ErrStatus, "HTTP 404"},
		{"/error.xml", ErrStatus, "HTTP 500"},
		{"/huge.xml", ErrTooLarge, "too large"},
		{"/hang.xml", ErrTimeout, "deadline"},
		{"/loop1", ErrRedirectLoop, "redirect loop"},
		{"/private/feed.xml", ErrDisallowed, "robots.txt"},
	}
	var sources []Source
	for i, c := range cases {
		sources = append(sources, Source{ID: int64(i + 1), Kind: KindFeed, URL: site.srv.URL + c.path, Interval: 10 * time.Minute})
	}
	res := p.Poll(context.Background(), sources)

	failures := map[int64]error{}
	for _, f := range res.Failures {
		failures[f.Source] = f.Err
	}
	for i, c := range cases {
		src := res.Sources[i]
		t.Run(strings.TrimPrefix(c.path, "/"), func(t *testing.T) {
			if c.err == nil && c.text == "" {
				if !src.Healthy || src.Failures != 0 || src.LastError != "" || failures[src.ID] != nil {
					t.Fatalf("good source failed: %+v", src)
				}
				if !src.NextAttempt.Equal(now.Add(10 * time.Minute)) {
					t.Errorf("next attempt %v, want in 10 minutes", src.NextAttempt)
				}
				return
			}
			err := failures[src.ID]
			if src.Healthy || src.Failures != 1 || err == nil || src.LastError != err.Error() {
				t.Fatalf("failure not recorded: %+v (error %v)", src, err)
			}
			if !src.NextAttempt.Equal(now.Add(20 * time.Minute)) {
				t.Errorf("next attempt %v, want after a back-off of 20 minutes", src.NextAttempt)
			}
			if c.err != nil && !errors.Is(err, c.err) {
				t.Errorf("error %v, want %v", err, c.err)
			}
			if !strings.Contains(err.Error(), c.text) || !strings.Contains(err.Error(), c.path) {
				t.Errorf("error %q does not say %q about %s", err, c.text, c.path)
			}
			var fe *FetchError
			var pe *ParseError
			if !errors.As(err, &fe) && !errors.As(err, &pe) {
				t.Errorf("error %T is neither a FetchError nor a ParseError", err)
			}
		})
	}
	// The good feeds' articles were read; the missing one is an item error.
	var texts []string
	for _, f := range res.Found {
		texts = append(texts, f.Article.Text)
		if len(f.Reports) > 0 {
			t.Errorf("unrelated article %s reported", f.Article.URL)
		}
	}
	all := strings.Join(texts, "\n")
	for _, s := range []string{"Deputies arrest two after chase", "Le café coûte 3 € à Montréal", "Garçon, l'addition !"} {
		if !strings.Contains(all, s) {
			t.Errorf("no article says %q; found:\n%s", s, all)
		}
	}
	if len(res.Found) != 3 {
		t.Errorf("found %d articles, want 3", len(res.Found))
	}
	if len(res.Errors) != 1 || !strings.HasSuffix(res.Errors[0].URL, "/gone.html") || !errors.Is(res.Errors[0].Err, ErrStatus) {
		t.Errorf("item errors %v, want the missing /gone.html", res.Errors)
	}

	// The 200 MB response was cut off, not read.
	site.srv.Close()
	if n := site.hugeOut.Load(); n >= hugeSize {
		t.Errorf("the 200 MB handler wrote %d bytes: the body was read to the end", n)
	}

	// Back-off keeps failed sources from being polled before their time,
	// and the successful feed answers 304 to its conditional request.
}

// TestPollConditional polls twice: the second request is conditional and
// the unchanged feed (304) yields nothing; seen URLs are not fetched again.
func TestPollConditional(t *testing.T) {
	site := newBadSite(t)
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	seen := &SeenSet{}
	p := &Poller{Fetcher: testFetcher(FetcherConfig{}), Seen: seen, Now: func() time.Time { return now }}
	src := []Source{{ID: 1, Kind: KindFeed, URL: site.srv.URL + "/good.xml", Interval: time.Minute}}
	res := p.Poll(context.Background(), src)
	if len(res.Found) != 1 || res.Sources[0].ETag != `"v1"` {
		t.Fatalf("first poll: %d found, source %+v", len(res.Found), res.Sources[0])
	}
	for _, f := range res.Found {
		seen.Mark(f.Article.URL)
	}
	// Not due yet: nothing is fetched.
	res2 := p.Poll(context.Background(), res.Sources)
	if site.feeds.Load() != 1 || res2.Sources[0] != res.Sources[0] {
		t.Fatalf("a source polled before its next attempt")
	}
	now = now.Add(time.Minute)
	res3 := p.Poll(context.Background(), res.Sources)
	if site.feeds.Load() != 2 || len(res3.Found) != 0 || !res3.Sources[0].Healthy || res3.Sources[0].ETag != `"v1"` {
		t.Fatalf("conditional poll: %d requests, %d found, source %+v", site.feeds.Load(), len(res3.Found), res3.Sources[0])
	}
	// Without the ETag the feed is read again, but seen articles are not.
	s := res3.Sources[0]
	s.ETag, s.NextAttempt = "", time.Time{}
	res4 := p.Poll(context.Background(), []Source{s})
	if len(res4.Found) != 0 || len(res4.Errors) != 1 {
		t.Fatalf("seen article fetched again: %d found, errors %v", len(res4.Found), res4.Errors)
	}
}

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := Source{Interval: 5 * time.Minute}
	for i, want := range []time.Duration{10 * time.Minute, 20 * time.Minute, 40 * time.Minute, 80 * time.Minute} {
		s.fail(now, errors.New("down"))
		if got := s.NextAttempt.Sub(now); got != want || s.Failures != i+1 || s.Healthy {
			t.Fatalf("after %d failures: wait %v, want %v (%+v)", i+1, got, want, s)
		}
	}
	for range 20 {
		s.fail(now, errors.New("down"))
	}
	if got := s.NextAttempt.Sub(now); got != MaxBackoff {
		t.Errorf("wait after many failures %v, want %v", got, MaxBackoff)
	}
	s.succeed(now)
	if !s.Healthy || s.Failures != 0 || s.LastError != "" || s.NextAttempt.Sub(now) != 5*time.Minute {
		t.Errorf("after a success: %+v", s)
	}
}

func TestPollPage(t *testing.T) {
	corpus := monitortest.Corpus(t)
	srv := monitortest.Server(t, corpus)
	ix := sampleIndex(t)
	p := &Poller{Fetcher: testFetcher(FetcherConfig{}), Matcher: ix}
	src := []Source{{ID: 3, Kind: KindPage, URL: srv.URL + "/articles/board-memo-strong.html"}}
	res := p.Poll(context.Background(), src)
	if len(res.Found) != 1 || !res.Found[0].Hit() || res.Found[0].Reports[0].Label != "board-memo" {
		t.Fatalf("page source: %+v", res)
	}
	if res.Sources[0].LastHash != res.Found[0].Article.Snapshot.SHA256 {
		t.Errorf("page hash not kept")
	}
	// Unchanged page: nothing new.
	s := res.Sources[0]
	s.NextAttempt = time.Time{}
	if res := p.Poll(context.Background(), []Source{s}); len(res.Found) != 0 || !res.Sources[0].Healthy {
		t.Errorf("unchanged page reported again: %+v", res)
	}
}

// TestPollDocument: a source that serves a document which is not a page
// (a PDF, say) is read through Poller.Documents; without one it fails,
// saying what it is.
func TestPollDocument(t *testing.T) {
	var page []byte
	for _, a := range monitortest.Corpus(t) {
		if a.Name == "board-memo-strong" {
			page = a.Page
		}
	}
	if page == nil {
		t.Fatal("no board-memo-strong in testdata/articles")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(page)
	}))
	t.Cleanup(srv.Close)
	src := []Source{{ID: 4, Kind: KindPage, URL: srv.URL + "/release.pdf"}}

	p := &Poller{Fetcher: testFetcher(FetcherConfig{}), Matcher: sampleIndex(t)}
	res := p.Poll(context.Background(), src)
	if len(res.Found) != 0 || len(res.Failures) != 1 || !strings.Contains(res.Failures[0].Error(), `not an HTML, MHTML, Markdown or text document (Content-Type "application/pdf")`) {
		t.Fatalf("a PDF without a document reader: %+v", res)
	}

	var asked string
	p.Documents = func(ctx context.Context, body []byte, contentType, pageURL string) (*Article, error) {
		asked = contentType
		a, err := ExtractPage(body, "text/html", pageURL) // stands in for pdftotext
		if err != nil {
			return nil, err
		}
		a.Method = "pdf: test"
		return a, nil
	}
	res = p.Poll(context.Background(), src)
	if len(res.Found) != 1 || !res.Found[0].Hit() || res.Found[0].Reports[0].Label != "board-memo" {
		t.Fatalf("a PDF read by the document reader: %+v", res)
	}
	if asked != "application/pdf" || res.Found[0].Article.Method != "pdf: test" || res.Found[0].Article.Snapshot.ContentType != "application/pdf" {
		t.Errorf("document reader asked for %q; article read by %q, snapshot %q", asked, res.Found[0].Article.Method, res.Found[0].Article.Snapshot.ContentType)
	}
}
