package monitor

import (
	"bytes"
	"fmt"
	"mime"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// Feed is a parsed RSS, Atom or JSON feed.
type Feed struct {
	Title string
	Link  string
	Items []FeedItem
}

// FeedItem is one entry of a feed.
type FeedItem struct {
	// URL is the item's link, absolute.
	URL       string
	GUID      string
	Title     string
	Published time.Time
	// Content is the item's content or description (often HTML).
	Content string
}

// ParseError is the error of a feed that could not be parsed.
type ParseError struct {
	URL string
	Err error
}

func (e *ParseError) Error() string { return fmt.Sprintf("failed to parse feed %q: %v", e.URL, e.Err) }

func (e *ParseError) Unwrap() error { return e.Err }

// ParseFeed parses a fetched RSS, Atom or JSON feed with gofeed. Item links
// are resolved against feedURL. A feed in a non-UTF-8 encoding is decoded
// from its XML declaration or, failing that, its Content-Type.
func ParseFeed(body []byte, contentType, feedURL string) (*Feed, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(feedUTF8(body, contentType)))
	if err != nil {
		return nil, &ParseError{URL: feedURL, Err: err}
	}
	base, _ := url.Parse(feedURL)
	out := &Feed{Title: strings.TrimSpace(f.Title), Link: f.Link}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		fi := FeedItem{GUID: it.GUID, Title: strings.TrimSpace(it.Title), Content: cmpOr(it.Content, it.Description)}
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		if link == "" && strings.HasPrefix(it.GUID, "http") {
			link = it.GUID
		}
		if u, err := url.Parse(link); err == nil && link != "" {
			if base != nil {
				u = base.ResolveReference(u)
			}
			if u.Scheme == "http" || u.Scheme == "https" {
				fi.URL = u.String()
			}
		}
		switch {
		case it.PublishedParsed != nil:
			fi.Published = *it.PublishedParsed
		case it.UpdatedParsed != nil:
			fi.Published = *it.UpdatedParsed
		}
		out.Items = append(out.Items, fi)
	}
	return out, nil
}

var xmlEncodingDecl = regexp.MustCompile(`^\s*<\?xml[^>]*encoding=`)

// feedUTF8 transcodes a feed that is not UTF-8 and does not declare its
// encoding in an XML declaration (gofeed decodes declared encodings itself).
func feedUTF8(body []byte, contentType string) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if utf8.Valid(body) || xmlEncodingDecl.Match(body[:min(len(body), 200)]) {
		return body
	}
	_, params, _ := mime.ParseMediaType(contentType)
	if enc, _ := charset.Lookup(params["charset"]); enc != nil {
		if out, err := enc.NewDecoder().Bytes(body); err == nil {
			return out
		}
	}
	if out, err := charmap.Windows1252.NewDecoder().Bytes(body); err == nil {
		return out
	}
	return body
}

// ItemArticle makes an article of a feed item's own content, for when its
// page cannot be fetched or the feed carries the full text.
func ItemArticle(it FeedItem, outlet string) *Article {
	text := it.Content
	if strings.Contains(text, "<") {
		if doc, err := html.Parse(strings.NewReader(text)); err == nil {
			text = visibleText(doc)
		}
	}
	text = normalizeSpace(text)
	if it.Title != "" {
		text = it.Title + "\n\n" + text
	}
	return &Article{
		URL: it.URL, Outlet: outlet, Title: it.Title, Published: it.Published, Text: text, Method: "feed",
		Snapshot: NewSnapshot([]byte(it.Content), "text/html; charset=utf-8", time.Time{}),
	}
}
