package monitor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/telltale-dev/telltale/disclose"
)

// SourceKind says how a source is read.
type SourceKind string

const (
	// KindFeed is an RSS, Atom or JSON feed whose items link to articles.
	KindFeed SourceKind = "feed"
	// KindPage is a single page, read again whenever it changes.
	KindPage SourceKind = "page"
)

// Source is a feed or page the monitor watches, with its polling state. The
// caller stores sources; Poll returns them updated.
type Source struct {
	// ID identifies the source to the caller.
	ID   int64      `json:"id"`
	Kind SourceKind `json:"kind"`
	URL  string     `json:"url"`
	// Interval is the time between polls (default 15 minutes).
	Interval time.Duration `json:"interval"`
	// ETag and LastModified make the next request conditional.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
	// LastHash is the SHA-256 of a page source's last body.
	LastHash string `json:"lastHash,omitempty"`
	// Failures counts consecutive failed polls; each doubles the wait
	// before the next attempt, up to MaxBackoff.
	Failures    int       `json:"failures"`
	LastAttempt time.Time `json:"lastAttempt"`
	LastSuccess time.Time `json:"lastSuccess"`
	NextAttempt time.Time `json:"nextAttempt"`
	// LastError is the last failure, for people; empty after a success.
	LastError string `json:"lastError,omitempty"`
	// Healthy is false from a failure until the next success.
	Healthy bool `json:"healthy"`
}

// DefaultInterval is the polling interval of a source that sets none.
const DefaultInterval = 15 * time.Minute

// MaxBackoff bounds the wait after repeated failures.
const MaxBackoff = 24 * time.Hour

// Due reports whether the source should be polled at now.
func (s *Source) Due(now time.Time) bool { return !now.Before(s.NextAttempt) }

func (s *Source) interval() time.Duration {
	if s.Interval > 0 {
		return s.Interval
	}
	return DefaultInterval
}

// succeed and fail update the polling state after an attempt.
func (s *Source) succeed(now time.Time) {
	s.Failures, s.LastError, s.Healthy = 0, "", true
	s.LastAttempt, s.LastSuccess = now, now
	s.NextAttempt = now.Add(s.interval())
}

func (s *Source) fail(now time.Time, err error) {
	s.Failures++
	s.LastError, s.Healthy, s.LastAttempt = err.Error(), false, now
	wait := s.interval()
	for i := 0; i < s.Failures && wait < MaxBackoff; i++ {
		wait *= 2
	}
	s.NextAttempt = now.Add(min(wait, MaxBackoff))
}

// Seen tells the poller which article URLs were already read, so they are
// not fetched again. The caller keeps it (a database table, a SeenSet) and
// marks the URLs of the articles a poll returns. Seen is called from several
// goroutines at once.
type Seen interface {
	Seen(url string) bool
}

// SeenSet is an in-memory Seen. Safe for concurrent use.
type SeenSet struct {
	mu   sync.Mutex
	urls map[string]bool
}

// Seen reports whether url was marked.
func (s *SeenSet) Seen(url string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.urls[url]
}

// Mark records urls as seen.
func (s *SeenSet) Mark(urls ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.urls == nil {
		s.urls = map[string]bool{}
	}
	for _, u := range urls {
		s.urls[u] = true
	}
}

// Matcher finds what an article discloses, given its text and publication
// time (zero if unknown); *disclose.Index is one.
type Matcher interface {
	Match(text string, published time.Time) []disclose.Report
}

var _ Matcher = (*disclose.Index)(nil)

// Poller polls sources: it fetches each due source, parses feeds, fetches
// and extracts the new articles, matches them and groups syndicated copies.
// A failing source or article never stops the others.
type Poller struct {
	Fetcher *Fetcher
	// Matcher matches articles; nil skips matching.
	Matcher Matcher
	// Seen skips known article URLs; nil fetches every item.
	Seen Seen
	// Dedupe groups near-duplicate articles into stories; nil makes every
	// article its own story. Keep one Deduper across polls.
	Dedupe *disclose.Deduper
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// MaxItems bounds the articles fetched per feed and poll (default 50).
	MaxItems int
	// Workers is the number of sources polled at once (default 2).
	Workers int
	// Documents reads what ExtractPage does not (ErrNotArticle): a PDF, a
	// Word document or a scanned page a source links to. Nil refuses them.
	Documents DocumentReader
}

// DocumentReader reads the text of a fetched document that is not a web
// page; the article it returns has at least Text and Method set.
type DocumentReader func(ctx context.Context, body []byte, contentType, pageURL string) (*Article, error)

// extract reads a fetched response as ExtractPage does, and documents that
// are not pages through p.Documents.
func (p *Poller) extract(ctx context.Context, resp *Response) (*Article, error) {
	a, err := ExtractPage(resp.Body, resp.ContentType, resp.URL)
	if errors.Is(err, ErrNotArticle) && p.Documents != nil {
		return p.Documents(ctx, resp.Body, resp.ContentType, resp.URL)
	}
	return a, err
}

// Found is an article read during a poll.
type Found struct {
	// Source is the ID of the source that led to the article.
	Source  int64    `json:"source"`
	Article *Article `json:"article"`
	// Reports say what the article discloses, best first.
	Reports []disclose.Report `json:"reports"`
	// Story groups syndicated copies: the URL of the story's first
	// article. Duplicate is true for the later copies.
	Story     string `json:"story"`
	Duplicate bool   `json:"duplicate"`
}

// Hit reports whether the article discloses a protected version.
func (f *Found) Hit() bool { return len(f.Reports) > 0 && f.Reports[0].Hit }

// ItemError is an article of a feed that could not be read.
type ItemError struct {
	Source int64  `json:"source"`
	URL    string `json:"url"`
	Err    error  `json:"-"`
}

func (e ItemError) Error() string { return e.Err.Error() }

// PollResult is the outcome of a poll.
type PollResult struct {
	// Sources are the sources given, in the same order, with their state
	// updated (sources that were not due are unchanged).
	Sources []Source
	// Found are the new articles, oldest publication first.
	Found []Found
	// Failures are the sources whose poll failed, with the error (the
	// source's LastError says the same for people).
	Failures []SourceError
	// Errors are the articles that could not be read.
	Errors []ItemError
}

// SourceError is a failed poll of a source.
type SourceError struct {
	Source int64  `json:"source"`
	URL    string `json:"url"`
	Err    error  `json:"-"`
}

func (e SourceError) Error() string { return e.Err.Error() }

// Story is a group of copies of one article.
type Story struct {
	Key string
	// Found are the copies, the first one first.
	Found []*Found
}

// Stories groups the found articles by story.
func (r *PollResult) Stories() []Story {
	var out []Story
	idx := map[string]int{}
	for i := range r.Found {
		f := &r.Found[i]
		j, ok := idx[f.Story]
		if !ok {
			j = len(out)
			idx[f.Story] = j
			out = append(out, Story{Key: f.Story})
		}
		out[j].Found = append(out[j].Found, f)
	}
	return out
}

// Poll polls the sources that are due at Now, Workers at a time, and
// returns them all with their new state, the new articles (matched and
// grouped into stories, the first published first) and every error. It
// returns when all due sources are done or ctx is cancelled.
func (p *Poller) Poll(ctx context.Context, sources []Source) PollResult {
	res := PollResult{Sources: slices.Clone(sources)}
	now := p.now()
	workers := max(p.Workers, 1)
	if p.Workers == 0 {
		workers = 2
	}
	jobs := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				src, found, errs, err := p.pollSource(ctx, res.Sources[i])
				mu.Lock()
				res.Sources[i] = src
				if err != nil {
					res.Failures = append(res.Failures, SourceError{Source: src.ID, URL: src.URL, Err: err})
				}
				res.Found = append(res.Found, found...)
				res.Errors = append(res.Errors, errs...)
				mu.Unlock()
			}
		}()
	}
	for i := range res.Sources {
		if res.Sources[i].Due(now) {
			jobs <- i
		}
	}
	close(jobs)
	wg.Wait()
	// Group copies in publication order, so the first published is the
	// story's original whatever order the workers finished in.
	slices.SortStableFunc(res.Found, func(a, b Found) int {
		return cmp.Or(cmp.Compare(a.Article.Published.UnixNano(), b.Article.Published.UnixNano()), strings.Compare(a.Article.URL, b.Article.URL))
	})
	for i := range res.Found {
		p.group(&res.Found[i])
	}
	slices.SortFunc(res.Errors, func(a, b ItemError) int { return strings.Compare(a.URL, b.URL) })
	slices.SortFunc(res.Failures, func(a, b SourceError) int { return strings.Compare(a.URL, b.URL) })
	return res
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Poller) group(f *Found) {
	if p.Dedupe == nil {
		f.Story = f.Article.URL
		return
	}
	f.Story, f.Duplicate = p.Dedupe.Add(f.Article.URL, f.Article.CanonicalURL, f.Article.Text)
}

// pollSource polls one source; a panic in a parser is an error of the
// source, not of the poll.
func (p *Poller) pollSource(ctx context.Context, src Source) (out Source, found []Found, errs []ItemError, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error reading %q: %v\n%s", src.URL, r, debug.Stack())
			src.fail(p.now(), err)
			out, found, errs = src, nil, nil
		}
	}()
	switch src.Kind {
	case KindFeed:
		found, errs, err = p.pollFeed(ctx, &src)
	case KindPage:
		found, err = p.pollPage(ctx, &src)
	default:
		err = fmt.Errorf("source %q: unknown kind %q", src.URL, src.Kind)
	}
	if err != nil {
		src.fail(p.now(), err)
	} else {
		src.succeed(p.now())
	}
	return src, found, errs, err
}

const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

func (p *Poller) pollFeed(ctx context.Context, src *Source) ([]Found, []ItemError, error) {
	resp, err := p.Fetcher.Fetch(ctx, Request{URL: src.URL, ETag: src.ETag, LastModified: src.LastModified, Accept: feedAccept})
	if err != nil {
		return nil, nil, err
	}
	src.ETag, src.LastModified = resp.ETag, resp.LastModified
	if resp.NotModified {
		return nil, nil, nil
	}
	feed, err := ParseFeed(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		return nil, nil, err
	}
	maxItems := p.MaxItems
	if maxItems == 0 {
		maxItems = 50
	}
	var found []Found
	var errs []ItemError
	seen := map[string]bool{}
	n := 0
	for _, it := range feed.Items {
		if n >= maxItems || ctx.Err() != nil {
			break
		}
		if it.URL == "" || seen[it.URL] || p.Seen != nil && p.Seen.Seen(it.URL) {
			continue
		}
		seen[it.URL] = true
		n++
		a, err := p.fetchArticle(ctx, it.URL)
		if err != nil {
			errs = append(errs, ItemError{Source: src.ID, URL: it.URL, Err: err})
			if len(strings.TrimSpace(it.Content)) < minReadable {
				continue
			}
			a = ItemArticle(it, feed.Title) // the feed's own copy of the text
		}
		if a.Published.IsZero() {
			a.Published = it.Published
		}
		if u, err := url.Parse(a.URL); err == nil && a.Outlet == strings.TrimPrefix(u.Hostname(), "www.") && feed.Title != "" {
			a.Outlet = feed.Title // the page named no outlet; the feed does
		}
		if a.Title == "" {
			a.Title = it.Title
		}
		found = append(found, p.found(src.ID, a))
	}
	return found, errs, nil
}

// accept is the Accept header of page and article requests.
const accept = "text/html, text/plain;q=0.9, */*;q=0.5"

func (p *Poller) pollPage(ctx context.Context, src *Source) ([]Found, error) {
	resp, err := p.Fetcher.Fetch(ctx, Request{URL: src.URL, ETag: src.ETag, LastModified: src.LastModified, Accept: accept})
	if err != nil {
		return nil, err
	}
	src.ETag, src.LastModified = resp.ETag, resp.LastModified
	if resp.NotModified {
		return nil, nil
	}
	snap := NewSnapshot(resp.Body, resp.ContentType, resp.FetchedAt)
	if snap.SHA256 == src.LastHash {
		return nil, nil
	}
	a, err := p.extract(ctx, resp)
	if err != nil {
		return nil, err
	}
	a.Snapshot = snap
	src.LastHash = snap.SHA256
	return []Found{p.found(src.ID, a)}, nil
}

// fetchArticle fetches and extracts one article page.
func (p *Poller) fetchArticle(ctx context.Context, u string) (*Article, error) {
	resp, err := p.Fetcher.Fetch(ctx, Request{URL: u, Accept: accept})
	if err != nil {
		return nil, err
	}
	if resp.NotModified {
		return nil, errors.New("unexpected 304 Not Modified")
	}
	a, err := p.extract(ctx, resp)
	if err != nil {
		return nil, err
	}
	a.Snapshot.FetchedAt = resp.FetchedAt
	return a, nil
}

func (p *Poller) found(source int64, a *Article) Found {
	f := Found{Source: source, Article: a, Story: a.URL}
	if p.Matcher != nil {
		f.Reports = p.Matcher.Match(a.Text, a.Published)
	}
	return f
}
