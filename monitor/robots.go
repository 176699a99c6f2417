package monitor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Robots holds the rules of a robots.txt file (RFC 9309) for one user agent.
type Robots struct {
	rules []robotsRule
	// CrawlDelay is the group's Crawl-delay, zero if none.
	CrawlDelay time.Duration
}

type robotsRule struct {
	allow   bool
	pattern string
}

// allowAll and disallowAll are the rules for a missing and an unreachable
// robots.txt.
var (
	allowAll    = &Robots{}
	disallowAll = &Robots{rules: []robotsRule{{allow: false, pattern: "/"}}}
)

// ParseRobots reads robots.txt for the user agent whose product token is
// agent ("telltale-monitor"). The groups naming the agent apply; if none
// does, the groups for "*". Lines it does not understand are ignored.
func ParseRobots(body []byte, agent string) *Robots {
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	inAgents := false
	for _, line := range strings.Split(string(body), "\n") {
		line, _, _ = strings.Cut(line, "#")
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent":
			if !inAgents {
				cur = &group{}
				groups = append(groups, cur)
				inAgents = true
			}
			cur.agents = append(cur.agents, strings.ToLower(value))
		case "allow", "disallow":
			inAgents = false
			if cur == nil || value == "" {
				continue // "Disallow:" with no path allows everything
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: value})
		case "crawl-delay":
			inAgents = false
			if cur != nil {
				if s, err := strconv.ParseFloat(value, 64); err == nil && s > 0 && s < 86400 {
					cur.delay = time.Duration(s * float64(time.Second))
				}
			}
		default:
			// Sitemap and unknown lines do not end a group's agent list
			// by RFC 9309, but neither do they belong to it.
		}
	}
	match := func(specific bool) *Robots {
		var r *Robots
		for _, g := range groups {
			for _, a := range g.agents {
				if specific && a != "*" && a != "" && strings.HasPrefix(agent, a) || !specific && a == "*" {
					if r == nil {
						r = &Robots{}
					}
					r.rules = append(r.rules, g.rules...)
					r.CrawlDelay = max(r.CrawlDelay, g.delay)
					break
				}
			}
		}
		return r
	}
	if r := match(true); r != nil {
		return r
	}
	if r := match(false); r != nil {
		return r
	}
	return allowAll
}

// Allowed reports whether a path (with its query) may be fetched: the
// longest matching rule decides, Allow winning ties; no rule allows.
func (r *Robots) Allowed(path string) bool {
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" {
		return true
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if n := len(rule.pattern); robotsMatch(rule.pattern, path) && (n > best || n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// robotsMatch matches a robots.txt path pattern: a prefix, where * matches
// any run of characters and a final $ anchors the end.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	pattern = strings.TrimSuffix(pattern, "$")
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 && anchored {
			return strings.HasSuffix(rest, p)
		}
		at := strings.Index(rest, p)
		if at < 0 {
			return false
		}
		rest = rest[at+len(p):]
	}
	return !anchored || rest == ""
}

// robotsEntry caches one host's robots.txt.
type robotsEntry struct {
	mu      sync.Mutex
	robots  *Robots
	err     error // why robots.txt could not be read
	expires time.Time
}

// allowed checks a URL against its host's robots.txt, fetching it if needed.
func (f *Fetcher) allowed(ctx context.Context, u *url.URL) error {
	if f.cfg.IgnoreRobots {
		return nil
	}
	r, err := f.robotsFor(ctx, u)
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if err != nil {
		return &FetchError{URL: u.String(), Step: "robots", Err: fmt.Errorf("%w: robots.txt unreachable: %w", ErrDisallowed, err)}
	}
	if !r.Allowed(path) {
		return &FetchError{URL: u.String(), Step: "robots", Err: fmt.Errorf("%w for %q", ErrDisallowed, f.token)}
	}
	return nil
}

func (f *Fetcher) robotsFor(ctx context.Context, u *url.URL) (*Robots, error) {
	origin := u.Scheme + "://" + u.Host
	f.mu.Lock()
	e, ok := f.robots[origin]
	if !ok {
		e = &robotsEntry{}
		f.robots[origin] = e
	}
	f.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	now := f.cfg.Now()
	if e.robots != nil && now.Before(e.expires) {
		return e.robots, e.err
	}
	r, err := f.fetchRobots(ctx, origin+"/robots.txt")
	ttl := f.cfg.RobotsTTL
	if err != nil {
		r, ttl = disallowAll, ttl/10
	}
	e.robots, e.err, e.expires = r, err, now.Add(ttl)
	if r.CrawlDelay > 0 {
		l := f.limiter(u.Host)
		if slower := rate.Every(r.CrawlDelay); slower < l.Limit() {
			l.SetLimit(slower)
		}
	}
	return r, err
}

// fetchRobots gets and parses a robots.txt: a 4xx answer means no rules, a
// 5xx or a network failure is an error (the caller disallows everything).
func (f *Fetcher) fetchRobots(ctx context.Context, robotsURL string) (*Robots, error) {
	u, _ := url.Parse(robotsURL)
	if err := f.wait(ctx, u); err != nil {
		return nil, &FetchError{URL: robotsURL, Step: "rate limit", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return nil, &FetchError{URL: robotsURL, Step: "request", Err: err}
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	// Redirects of robots.txt are followed without robots checks of their
	// own (that would recurse), within the same limit.
	client := &http.Client{Transport: f.cfg.Transport, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) > f.cfg.MaxRedirects {
			return ErrTooManyRedirects
		}
		return nil
	}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, f.requestError(robotsURL, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500:
		return nil, &FetchError{URL: robotsURL, Step: "status", Status: resp.StatusCode, Err: fmt.Errorf("%w %d", ErrStatus, resp.StatusCode)}
	case resp.StatusCode >= 400:
		return allowAll, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return allowAll, nil
	}
	// RFC 9309: parse at least the first 500 KiB, ignore the rest.
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	if err != nil {
		return nil, &FetchError{URL: robotsURL, Step: "body", Err: err}
	}
	return ParseRobots(body, f.token), nil
}
