package monitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/time/rate"
)

// DefaultUserAgent identifies the monitor to the sites it reads. Operators
// should put their own contact address in FetcherConfig.UserAgent.
const DefaultUserAgent = "telltale-monitor/1 (+https://github.com/telltale-dev/telltale)"

// Errors a fetch may wrap; test them with errors.Is. Every error Fetch
// returns is a *FetchError naming the URL and the step that failed.
var (
	// ErrDisallowed: robots.txt forbids the URL to this user agent, or could
	// not be read (RFC 9309 treats an unreachable robots.txt as a full
	// disallow).
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrTooLarge: the response is bigger than FetcherConfig.MaxBytes. The
	// body is not read past the limit.
	ErrTooLarge = errors.New("response too large")
	// ErrTooManyRedirects: more than FetcherConfig.MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrRedirectLoop: a redirect leads back to an address already visited.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrStatus: the server answered with an HTTP error status.
	ErrStatus = errors.New("HTTP error status")
	// ErrTimeout: the request, or the wait for the host's rate limit, ran
	// out of time.
	ErrTimeout = errors.New("timed out")
)

// FetchError is the error of a failed fetch.
type FetchError struct {
	URL string
	// Step is what failed: "robots", "rate limit", "request", "redirect",
	// "status" or "body".
	Step string
	// Status is the HTTP status for Step "status".
	Status int
	Err    error
}

func (e *FetchError) Error() string {
	if e.Step == "status" {
		return fmt.Sprintf("failed to fetch %q: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("failed to fetch %q: %s: %v", e.URL, e.Step, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrTimeout) true for deadlines and network
// timeouts, whatever layer reported them.
func (e *FetchError) Is(target error) bool {
	if target != ErrTimeout {
		return false
	}
	var ne net.Error
	return errors.Is(e.Err, context.DeadlineExceeded) || errors.As(e.Err, &ne) && ne.Timeout()
}

// FetcherConfig configures a Fetcher. Zero fields take their defaults.
type FetcherConfig struct {
	// UserAgent is sent with every request (default DefaultUserAgent). Its
	// product token, before the first "/", selects the robots.txt group.
	UserAgent string
	// MaxBytes caps a response body (default 10 MiB).
	MaxBytes int64
	// Timeout bounds one request from connection to the last byte of the
	// body (default 30 s).
	Timeout time.Duration
	// MaxRedirects bounds redirects per request (default 5).
	MaxRedirects int
	// PerHost is the request rate allowed per host, in requests per second
	// (default 1), with bursts of Burst (default 2). A robots.txt
	// Crawl-delay slows a host further.
	PerHost rate.Limit
	Burst   int
	// RobotsTTL is how long a robots.txt is cached (default 12 h); a
	// failed robots.txt fetch is retried after a tenth of it.
	RobotsTTL time.Duration
	// IgnoreRobots disables robots.txt (for tests and owned sites).
	IgnoreRobots bool
	// Allow lists address ranges the fetcher may connect to although they
	// are not public — loopback, private, link-local, unspecified,
	// multicast — which it otherwise refuses, so that a watched source
	// cannot make the server fetch from itself or its network. The check
	// runs at dial time, after name resolution and on every redirect.
	Allow []netip.Prefix
	// Transport sends the requests (default: a clone of
	// http.DefaultTransport that dials only as Allow permits). A
	// Transport given here is used as it is.
	Transport http.RoundTripper
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// Fetcher fetches pages and feeds politely: a clear User-Agent, a rate limit
// per host, conditional requests, robots.txt, bounded redirects, sizes and
// time. It is safe for concurrent use.
type Fetcher struct {
	cfg    FetcherConfig
	client *http.Client
	token  string // user-agent product token, lower case

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	robots   map[string]*robotsEntry
}

// NewFetcher returns a Fetcher.
func NewFetcher(cfg FetcherConfig) *Fetcher {
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = 10 << 20
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = 5
	}
	if cfg.PerHost == 0 {
		cfg.PerHost = 1
	}
	if cfg.Burst == 0 {
		cfg.Burst = 2
	}
	if cfg.RobotsTTL == 0 {
		cfg.RobotsTTL = 12 * time.Hour
	}
	if cfg.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		allow := cfg.Allow
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
			Control: func(_, address string, _ syscall.RawConn) error { return checkDial(address, allow) }}
		t.DialContext = d.DialContext
		t.Proxy = nil // a proxy from the environment would bypass the check
		cfg.Transport = t
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	f := &Fetcher{
		cfg:      cfg,
		token:    strings.ToLower(strings.TrimSpace(strings.SplitN(cfg.UserAgent, "/", 2)[0])),
		limiters: map[string]*rate.Limiter{},
		robots:   map[string]*robotsEntry{},
	}
	f.client = &http.Client{Transport: cfg.Transport, CheckRedirect: f.checkRedirect}
	return f
}

// Request is one fetch.
type Request struct {
	URL string
	// ETag and LastModified come from the previous response; they make the
	// request conditional, and an unchanged resource answers 304.
	ETag         string
	LastModified string
	// Accept is the Accept header (default: any).
	Accept string
}

// Response is a fetched resource.
type Response struct {
	// URL is the final address, after redirects.
	URL        string
	StatusCode int
	// NotModified reports a 304 answer to a conditional request; Body is
	// empty then.
	NotModified  bool
	ContentType  string
	ETag         string
	LastModified string
	Body         []byte
	FetchedAt    time.Time
}

// Fetch gets a URL. Errors are *FetchError values.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		if err == nil {
			err = errors.New("not an http or https URL")
		}
		return nil, &FetchError{URL: req.URL, Step: "request", Err: err}
	}
	if err := f.allowed(ctx, u); err != nil {
		return nil, err
	}
	if err := f.wait(ctx, u); err != nil {
		return nil, &FetchError{URL: req.URL, Step: "rate limit", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &FetchError{URL: req.URL, Step: "request", Err: err}
	}
	hreq.Header.Set("User-Agent", f.cfg.UserAgent)
	if req.Accept != "" {
		hreq.Header.Set("Accept", req.Accept)
	}
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := f.client.Do(hreq)
	if err != nil {
		return nil, f.requestError(req.URL, err)
	}
	defer resp.Body.Close()
	out := &Response{
		URL:          resp.Request.URL.String(),
		StatusCode:   resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		FetchedAt:    f.cfg.Now(),
	}
	if resp.StatusCode == http.StatusNotModified {
		out.NotModified = true
		out.ETag = cmpOr(out.ETag, req.ETag)
		out.LastModified = cmpOr(out.LastModified, req.LastModified)
		return out, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &FetchError{URL: req.URL, Step: "status", Status: resp.StatusCode, Err: fmt.Errorf("%w %d", ErrStatus, resp.StatusCode)}
	}
	body, err := readCapped(resp, f.cfg.MaxBytes)
	if err != nil {
		return nil, &FetchError{URL: req.URL, Step: "body", Err: err}
	}
	out.Body = body
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readCapped reads a body of at most max bytes; a larger one is refused
// without reading it all (closing the body aborts the transfer).
func readCapped(resp *http.Response, max int64) ([]byte, error) {
	if resp.ContentLength > max {
		return nil, fmt.Errorf("%w: %d bytes announced, limit %d", ErrTooLarge, resp.ContentLength, max)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return b, nil
}

// requestError classifies an error of http.Client.Do.
func (f *Fetcher) requestError(u string, err error) error {
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe // from checkRedirect
	}
	if errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrRedirectLoop) {
		return &FetchError{URL: u, Step: "redirect", Err: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &FetchError{URL: u, Step: "request", Err: err}
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, f.cfg.MaxRedirects)
	}
	next := req.URL.String()
	for _, v := range via {
		if v.URL.String() == next {
			return fmt.Errorf("%w: %s", ErrRedirectLoop, next)
		}
	}
	if err := f.allowed(req.Context(), req.URL); err != nil {
		return err
	}
	if err := f.wait(req.Context(), req.URL); err != nil {
		return &FetchError{URL: next, Step: "rate limit", Err: err}
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	return nil
}

// limiter returns the rate limiter of a host.
func (f *Fetcher) limiter(host string) *rate.Limiter {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.limiters[host]
	if !ok {
		l = rate.NewLimiter(f.cfg.PerHost, f.cfg.Burst)
		f.limiters[host] = l
	}
	return l
}

// wait blocks until the host's rate limit allows a request.
func (f *Fetcher) wait(ctx context.Context, u *url.URL) error {
	if err := f.limiter(u.Host).Wait(ctx); err != nil {
		if ctx.Err() == nil {
			// The limiter refuses a wait that would outlast the deadline.
			return fmt.Errorf("%w: waiting for the host's rate limit: %v", ErrTimeout, err)
		}
		return ctx.Err()
	}
	return nil
}

// ErrNotPublic: the address a source resolves to is loopback, private,
// link-local, unspecified or multicast, and not allowed (FetcherConfig.Allow).
var ErrNotPublic = errors.New("not a public address")

// checkDial refuses to connect to an address that is not public unless a
// range in allow contains it.
func checkDial(address string, allow []netip.Prefix) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrNotPublic, host)
	}
	ip = ip.Unmap()
	for _, p := range allow {
		if p.Contains(ip) {
			return nil
		}
	}
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || !ip.IsGlobalUnicast() || sharedAddressSpace.Contains(ip) {
		return fmt.Errorf("%w: %s (hint: an operator may allow a range with --monitor-allow, e.g. 10.0.0.0/8)", ErrNotPublic, ip)
	}
	return nil
}

// sharedAddressSpace is RFC 6598's carrier-grade NAT range, not public.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")
