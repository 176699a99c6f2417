package monitor

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
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

// ErrNotArticle: the response is not HTML, a saved web page (MHTML),
// Markdown or plain text.
var ErrNotArticle = errors.New("not an HTML, MHTML, Markdown or text document")

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

// ExtractPage reads an article from a fetched page or a file. HTML goes
// through readability (the main story without navigation, ads and
// boilerplate), with all visible text as the fallback; a page saved as one
// file (MHTML, .mht) is read as its HTML; Markdown and plain text are taken
// as they are (Markdown's front matter gives the title). Text in other
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
	case "mhtml":
		page, ctype, loc, err := mhtmlPage(body)
		if err != nil {
			return nil, &ExtractError{URL: pageURL, Err: err}
		}
		if a.URL == "" {
			a.URL = loc
		}
		if err := extractHTML(a, page, ctype); err != nil {
			return nil, &ExtractError{URL: pageURL, Err: err}
		}
		a.Method = "mhtml+" + a.Method
	case "markdown":
		a.Title, a.Text = markdownText(decodeText(body, contentType))
		a.Method = "markdown"
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

// documentKind says whether a response is "html", "mhtml", "markdown",
// "text" or something else.
func documentKind(body []byte, contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "multipart/related" || mt == "message/rfc822" || mt == "application/x-mimearchive":
		return "mhtml"
	case strings.Contains(mt, "html"):
		return "html"
	case mt == "text/markdown" || mt == "text/x-markdown":
		return "markdown"
	case mt == "text/plain" || strings.HasPrefix(mt, "text/") && !nonProse[mt]:
		return "text"
	case mt == "" || mt == "application/octet-stream":
		head := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
		switch {
		case len(head) > 0 && head[0] == '<':
			return "html"
		case bytes.HasPrefix(head, []byte("MIME-Version:")) || bytes.HasPrefix(head, []byte("From: <Saved by")):
			return "mhtml"
		case bytes.HasPrefix(head, []byte("---\n")) || bytes.HasPrefix(head, []byte("# ")):
			if utf8.Valid(body) {
				return "markdown"
			}
		}
		if utf8.Valid(body) && !bytes.ContainsRune(body, 0) {
			return "text"
		}
	}
	return ""
}

// nonProse are text types that are not articles.
var nonProse = map[string]bool{"text/css": true, "text/javascript": true, "text/xml": true, "text/csv": true, "text/calendar": true, "text/vcard": true}

// markdownText returns the title and text of a Markdown article: the title
// from YAML front matter or the first heading; the text without the front
// matter. Markup stays: the matcher reads past it.
func markdownText(src string) (title, text string) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	if rest, ok := strings.CutPrefix(src, "---\n"); ok {
		if end := strings.Index(rest, "\n---\n"); end >= 0 {
			for _, line := range strings.Split(rest[:end], "\n") {
				if v, ok := strings.CutPrefix(line, "title:"); ok {
					title = strings.Trim(strings.TrimSpace(v), `"'`)
				}
			}
			src = rest[end+5:]
		}
	}
	if title == "" {
		for _, line := range strings.Split(src, "\n") {
			if h, ok := strings.CutPrefix(strings.TrimSpace(line), "# "); ok {
				title = strings.TrimSpace(h)
				break
			}
		}
	}
	text = normalizeSpace(src)
	if title != "" && !strings.Contains(text, title) {
		text = title + "\n\n" + text
	}
	return normalizeSpace(title), text
}

// maxMHTMLParts bounds the parts read from a saved page.
const maxMHTMLParts = 1000

// mhtmlPage returns the HTML of a page saved as one file (MHTML: a MIME
// message, multipart/related, whose first HTML part is the page), with its
// content type and address.
func mhtmlPage(body []byte) (page []byte, contentType, location string, err error) {
	msg, err := mail.ReadMessage(bytes.NewReader(bytes.TrimLeft(body, " \t\r\n")))
	if err != nil {
		return nil, "", "", fmt.Errorf("not a saved web page (MHTML): %w", err)
	}
	location = msg.Header.Get("Snapshot-Content-Location")
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return nil, "", "", fmt.Errorf("saved web page is not multipart (Content-Type %q)", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for range maxMHTMLParts {
		p, err := mr.NextRawPart()
		if err != nil {
			break
		}
		ct := p.Header.Get("Content-Type")
		if pt, _, _ := mime.ParseMediaType(ct); !strings.Contains(pt, "html") {
			continue
		}
		var r io.Reader = p
		switch strings.ToLower(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding"))) {
		case "quoted-printable":
			r = quotedprintable.NewReader(p)
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, p)
		}
		page, err := io.ReadAll(io.LimitReader(r, int64(len(body))+1))
		if err != nil {
			return nil, "", "", fmt.Errorf("failed to read the saved page's HTML: %w", err)
		}
		if location == "" {
			location = p.Header.Get("Content-Location")
		}
		return page, ct, location, nil
	}
	return nil, "", "", errors.New("the saved web page has no HTML part")
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
