package monitor

import "time"

// Article is a news article as the monitor sees it: where it came from, what
// it says, and the bytes it was read from.
type Article struct {
	// URL is the address the article was fetched from (after redirects).
	URL string `json:"url"`
	// CanonicalURL is the page's rel=canonical address, if any.
	CanonicalURL string `json:"canonicalUrl,omitempty"`
	// Outlet is the publication: the site name, or the feed title, or the
	// host.
	Outlet string `json:"outlet"`
	// Title is the headline.
	Title string `json:"title"`
	// Published is the publication time; zero if unknown.
	Published time.Time `json:"published"`
	// Text is the headline and the article body as plain UTF-8 text.
	// Disclosure reports give byte offsets into it.
	Text string `json:"text"`
	// Method says how Text was obtained: "readability", "visible" (all
	// visible text of the page), "text" (a plain-text response) or "feed"
	// (the feed item's own content).
	Method string `json:"method"`
	// Snapshot is what was fetched.
	Snapshot Snapshot `json:"snapshot"`
}

// Snapshot is the raw response an article was extracted from, kept as
// evidence.
type Snapshot struct {
	Body        []byte    `json:"-"`
	ContentType string    `json:"contentType"`
	SHA256      string    `json:"sha256"` // hex
	FetchedAt   time.Time `json:"fetchedAt"`
}
