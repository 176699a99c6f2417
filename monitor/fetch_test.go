package monitor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestFetchHeadersAndConditional(t *testing.T) {
	lastMod := "Sat, 07 Mar 2026 18:30:00 GMT"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r) // no robots.txt: everything allowed
			return
		}
		if ua := r.Header.Get("User-Agent"); ua != "telltale-monitor/1 (+mailto:ops@example.org)" {
			t.Errorf("User-Agent %q", ua)
		}
		if r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "hello")
	}))
	defer srv.Close()
	f := testFetcher(FetcherConfig{UserAgent: "telltale-monitor/1 (+mailto:ops@example.org)"})
	r, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/a"})
	if err != nil || string(r.Body) != "hello" || r.LastModified != lastMod || r.NotModified {
		t.Fatalf("first fetch: %+v, %v", r, err)
	}
	r, err = f.Fetch(context.Background(), Request{URL: srv.URL + "/a", LastModified: r.LastModified})
	if err != nil || !r.NotModified || r.StatusCode != 304 || len(r.Body) != 0 || r.LastModified != lastMod {
		t.Fatalf("conditional fetch: %+v, %v", r, err)
	}
}

// TestFetchHuge refuses a 200 MB response at the default 10 MiB cap,
// whether it announces its length or streams without one, and reads no more
// than the cap.
func TestFetchHuge(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/announced" {
			w.Header().Set("Content-Length", strconv.Itoa(hugeSize))
		}
		chunk := make([]byte, 64<<10)
		for n := 0; n < hugeSize; n += len(chunk) {
			k, err := w.Write(chunk)
			written.Add(int64(k))
			if err != nil {
				return
			}
		}
	}))
	f := testFetcher(FetcherConfig{Timeout: 30 * time.Second})
	for _, path := range []string{"/announced", "/streamed"} {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		var fe *FetchError
		if !errors.Is(err, ErrTooLarge) || !errors.As(err, &fe) || fe.Step != "body" {
			t.Errorf("%s: error %v, want ErrTooLarge", path, err)
		}
	}
	srv.Close() // waits for the handlers
	if n := written.Load(); n >= hugeSize {
		t.Errorf("server wrote %d bytes: a 200 MB body was read in full", n)
	}
}

func TestFetchRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /secret\n")
		case strings.HasPrefix(r.URL.Path, "/hop/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
			if n == 0 {
				fmt.Fprint(w, "arrived")
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusMovedPermanently)
		case r.URL.Path == "/to-secret":
			http.Redirect(w, r, "/secret", http.StatusFound)
		case r.URL.Path == "/secret":
			t.Error("followed a redirect into a disallowed path")
		}
	}))
	defer srv.Close()
	f := testFetcher(FetcherConfig{})
	r, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/hop/5"})
	if err != nil || string(r.Body) != "arrived" || r.URL != srv.URL+"/hop/0" {
		t.Fatalf("five redirects: %v, %v", r, err)
	}
	for _, tc := range []struct {
		path string
		want error
	}{
		{"/hop/6", ErrTooManyRedirects},
		{"/to-secret", ErrDisallowed},
		{"/secret", ErrDisallowed},
	} {
		if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + tc.path}); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.path, err, tc.want)
		}
	}
}

// TestFetchRateLimit: a host's second request inside its interval waits; a
// caller whose deadline comes first gets ErrTimeout at once.
func TestFetchRateLimit(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	defer srv.Close()
	f := testFetcher(FetcherConfig{PerHost: rate.Every(time.Hour), Burst: 1, IgnoreRobots: true})
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/1"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := f.Fetch(ctx, Request{URL: srv.URL + "/2"})
	var fe *FetchError
	if !errors.Is(err, ErrTimeout) || !errors.As(err, &fe) || fe.Step != "rate limit" {
		t.Errorf("error %v, want a rate-limit timeout", err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests reached the server, want 1", hits.Load())
	}
}

func TestFetchRobotsStates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		robots func(w http.ResponseWriter)
		want   error
	}{
		{"missing", func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) }, nil},
		{"forbidden", func(w http.ResponseWriter) { w.WriteHeader(http.StatusForbidden) }, nil},
		{"server error", func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) }, ErrDisallowed},
		{"disallow all", func(w http.ResponseWriter) { fmt.Fprint(w, "User-agent: *\nDisallow: /\n") }, ErrDisallowed},
		{"ours allowed", func(w http.ResponseWriter) {
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n\nUser-agent: telltale-monitor\nAllow: /\n")
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					tc.robots(w)
					return
				}
				fmt.Fprint(w, "page")
			}))
			defer srv.Close()
			_, err := testFetcher(FetcherConfig{}).Fetch(context.Background(), Request{URL: srv.URL + "/page"})
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCrawlDelay(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 30\n")
		}
	}))
	defer srv.Close()
	f := testFetcher(FetcherConfig{})
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/"}); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if got := f.limiter(host).Limit(); got != rate.Every(30*time.Second) {
		t.Errorf("rate after Crawl-delay 30: %v per second", got)
	}
}

func TestRobotsRules(t *testing.T) {
	const txt = `# comments are ignored
User-agent: *
Disallow: /private/
Allow: /private/press/
Disallow: /*.pdf$
Disallow: /search?q=

User-agent: Telltale-Monitor
User-agent: other
Disallow: /drafts
Allow: /drafts/public
Crawl-delay: 2.5

Sitemap: https://example.org/sitemap.xml
`
	ours := ParseRobots([]byte(txt), "telltale-monitor")
	others := ParseRobots([]byte(txt), "somebot")
	for _, tc := range []struct {
		r     *Robots
		path  string
		allow bool
	}{
		{ours, "/", true},
		{ours, "/private/x", true}, // our group replaces the * group
		{ours, "/drafts", false},
		{ours, "/drafts/2026", false},
		{ours, "/drafts/public/a", true},
		{ours, "/robots.txt", true},
		{others, "/private/x", false},
		{others, "/private/press/release", true},
		{others, "/files/report.pdf", false},
		{others, "/files/report.pdf?x=1", true},
		{others, "/search?q=leak", false},
		{others, "/search", true},
		{others, "/drafts", true},
	} {
		if got := tc.r.Allowed(tc.path); got != tc.allow {
			t.Errorf("Allowed(%q) = %v, want %v", tc.path, got, tc.allow)
		}
	}
	if ours.CrawlDelay != 2500*time.Millisecond || others.CrawlDelay != 0 {
		t.Errorf("crawl delays %v %v", ours.CrawlDelay, others.CrawlDelay)
	}
	if !ParseRobots(nil, "x").Allowed("/anything") || !ParseRobots([]byte("Disallow: /\n"), "x").Allowed("/") {
		t.Error("rules outside a group must not apply")
	}
}

// TestNonPublicRefused: without an allowed range, a source on loopback,
// a private network, link-local or unspecified address is not fetched.
func TestNonPublicRefused(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer srv.Close()
	f := NewFetcher(FetcherConfig{IgnoreRobots: true, PerHost: 1000, Burst: 100, Timeout: 5 * time.Second})
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL}); !errors.Is(err, ErrNotPublic) {
		t.Errorf("fetching %s: %v, want it refused as not public", srv.URL, err)
	}
	for _, addr := range []string{"127.0.0.1:80", "[::1]:80", "10.1.2.3:80", "172.16.0.1:80", "192.168.1.1:80", "169.254.169.254:80",
		"0.0.0.0:80", "[::]:80", "[fe80::1]:80", "[fd00::1]:80", "100.64.0.1:80", "224.0.0.1:80"} {
		if err := checkDial(addr, nil); !errors.Is(err, ErrNotPublic) {
			t.Errorf("%s: %v, want refused", addr, err)
		}
	}
	for _, addr := range []string{"93.184.216.34:443", "[2606:2800:220:1:248:1893:25c8:1946]:443"} {
		if err := checkDial(addr, nil); err != nil {
			t.Errorf("%s: %v, want allowed", addr, err)
		}
	}
	if err := checkDial("10.1.2.3:80", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}); err != nil {
		t.Errorf("an allowed range refused: %v", err)
	}
}
