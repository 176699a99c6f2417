package monitor

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// ErrNotArticle: the response is neither HTML nor plain text.
var ErrNotArticle = errors.New("not an HTML or text document")

// ExtractError is the error of a page that could not be read as an article.
type ExtractError struct {
	URL string
	Err error
}

func (e *ExtractError) Error() string {
	return fmt.Sprintf("failed to extract an article from %q: %v", e.URL, e.Err)
}

func (e *ExtractError) Unwrap() error { return e.Err }

// minReadable is the text length under which readability's result is
// distrusted and all visible text is used instead.
const minReadable = 250

// ExtractPage reads an article from a fetched page. HTML goes through
// readability (the main story without navigation, ads and boilerplate), with
// all visible text as the fallback; plain text is taken as is. Text in other
// encodings (ISO-8859-1, windows-1252, …, from the Content-Type header, a
// meta tag or a byte-order mark) is decoded to UTF-8. The article keeps its
// publication time, outlet, title, canonical URL and a snapshot of body.
func ExtractPage(body []byte, contentType, pageURL string) (*Article, error) {
	a := &Article{URL: pageURL, Snapshot: NewSnapshot(body, contentType, time.Time{})}
	switch kind := documentKind(body, contentType); kind {
	case "html":
		if err := extractHTML(a, body, contentType); err != nil {
			return nil, &ExtractError{URL: pageURL, Err: err}
		}
	case "text":
		a.Text = normalizeSpace(decodeText(body, contentType))
		a.Method = "text"
	default:
		return nil, &ExtractError{URL: pageURL, Err: fmt.Errorf("%w (Content-Type %q)", ErrNotArticle, contentType)}
	}
	if a.Outlet == "" {
		if u, err := url.Parse(pageURL); err == nil {
			a.Outlet = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	if strings.TrimSpace(a.Text) == "" {
		return nil, &ExtractError{URL: pageURL, Err: errors.New("no text")}
	}
	return a, nil
}

// NewSnapshot records fetched bytes with their SHA-256.
func NewSnapshot(body []byte, contentType string, fetchedAt time.Time) Snapshot {
	sum := sha256.Sum256(body)
	return Snapshot{Body: body, ContentType: contentType, SHA256: hex.EncodeToString(sum[:]), FetchedAt: fetchedAt}
}

// documentKind says whether a response is "html", "text" or something else.
func documentKind(body []byte, contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.Contains(mt, "html"):
		return "html"
	case mt == "text/plain":
		return "text"
	case mt == "" || mt == "application/octet-stream":
		head := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
		if len(head) > 0 && head[0] == '<' {
			return "html"
		}
		if utf8.Valid(body) && !bytes.ContainsRune(body, 0) {
			return "text"
		}
	}
	return ""
}

// decodeHTML converts an HTML page to UTF-8, with the encoding named by the
// Content-Type header, a byte-order mark or a meta tag, else guessed.
func decodeHTML(body []byte, contentType string) []byte {
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" {
		return []byte(strings.ToValidUTF8(string(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))), "\uFFFD"))
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return []byte(strings.ToValidUTF8(string(body), "\uFFFD"))
	}
	return out
}

// decodeText converts plain text to UTF-8: the Content-Type charset if any,
// else UTF-8 if valid, else windows-1252 (the usual encoding of text that is
// not UTF-8, and a superset of ISO-8859-1's printable characters).
func decodeText(body []byte, contentType string) string {
	_, params, _ := mime.ParseMediaType(contentType)
	if label := params["charset"]; label != "" {
		if enc, name := charset.Lookup(label); enc != nil && name != "utf-8" {
			if out, err := enc.NewDecoder().Bytes(body); err == nil {
				return string(out)
			}
		}
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if utf8.Valid(body) {
		return string(body)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return string(out)
}

func extractHTML(a *Article, body []byte, contentType string) error {
	doc, err := html.Parse(bytes.NewReader(decodeHTML(body, contentType)))
	if err != nil {
		return err
	}
	meta := pageMeta(doc)
	a.Title, a.Outlet, a.Published, a.CanonicalURL = meta.title, meta.site, meta.published, meta.canonical
	u, _ := url.Parse(a.URL)
	parser := readability.NewParser()
	parser.MaxElemsToParse = 200000
	var text string
	if art, err := parser.ParseDocument(doc, u); err == nil && art.Node != nil {
		text = normalizeSpace(render.InnerText(art.Node))
		if t := strings.TrimSpace(art.Title()); a.Title == "" && t != "" {
			a.Title = t
		}
		if s := strings.TrimSpace(art.SiteName()); a.Outlet == "" && s != "" {
			a.Outlet = s
		}
		if p, err := art.PublishedTime(); a.Published.IsZero() && err == nil {
			a.Published = p
		}
	}
	a.Method = "readability"
	if utf8.RuneCountInString(text) < minReadable {
		text = normalizeSpace(visibleText(doc))
		a.Method = "visible"
	}
	a.Title = normalizeSpace(a.Title)
	if a.Title != "" && !strings.HasPrefix(text, a.Title) {
		text = a.Title + "\n\n" + text
	}
	a.Text = text
	return nil
}

// visibleText is all the text a reader sees on a page: the body without
// scripts, styles, templates and hidden elements.
func visibleText(doc *html.Node) string {
	body := findElement(doc, "body")
	if body == nil {
		body = doc
	}
	return render.InnerText(body)
}

func findElement(n *html.Node, tag string) *html.Node {
	if n.Type == html.ElementNode && n.Data == tag {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, tag); f != nil {
			return f
		}
	}
	return nil
}

type metadata struct {
	title, site, canonical string
	published              time.Time
}

// pageMeta reads a page's own metadata: Open Graph and article tags, the
// title, the canonical link and the first <time datetime>.
func pageMeta(doc *html.Node) metadata {
	var m metadata
	var titleTag, timeTag string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "meta":
				key := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
				content := strings.TrimSpace(attr(n, "content"))
				switch key {
				case "og:title":
					m.title = cmpOr(m.title, content)
				case "og:site_name", "application-name":
					m.site = cmpOr(m.site, content)
				case "article:published_time", "datepublished", "pubdate", "date", "dc.date", "parsely-pub-date", "sailthru.date":
					if m.published.IsZero() {
						m.published = parseTime(content)
					}
				}
			case "title":
				if titleTag == "" && n.FirstChild != nil {
					titleTag = n.FirstChild.Data
				}
			case "link":
				if strings.EqualFold(attr(n, "rel"), "canonical") {
					m.canonical = cmpOr(m.canonical, attr(n, "href"))
				}
			case "time":
				timeTag = cmpOr(timeTag, attr(n, "datetime"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	titleTag = strings.TrimSpace(titleTag)
	// "Headline | Outlet" names the outlet when no meta tag does.
	for _, sep := range []string{" | ", " – ", " — ", " - "} {
		if i := strings.LastIndex(titleTag, sep); i > 0 {
			if m.site == "" {
				m.site = strings.TrimSpace(titleTag[i+len(sep):])
			}
			titleTag = strings.TrimSpace(titleTag[:i])
			break
		}
	}
	if m.title == "" {
		m.title = titleTag
	}
	if m.published.IsZero() && timeTag != "" {
		m.published = parseTime(timeTag)
	}
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// parseTime reads the time formats pages use for publication dates.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// normalizeSpace trims lines, collapses runs of spaces and keeps at most one
// blank line between paragraphs.
func normalizeSpace(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	blank := 0
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteString("\n")
			}
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}
