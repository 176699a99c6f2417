package extract

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text turns a leaked text file into plain text: HTML is reduced to its
// visible text (scripts, styles and navigation dropped, blocks on their own
// lines); Markdown and text pass through. The zero-width channel's
// characters are kept; callers strip them after decoding. It needs no
// outside tools.
func Text(raw []byte) (string, Format, error) {
	if len(raw) > MaxFileSize {
		return "", "", &Error{fmt.Sprintf("leaked text is %.1f MB; the limit is %d MB (hint: trace the relevant part)", float64(len(raw))/(1<<20), MaxFileSize>>20)}
	}
	raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	if len(bytes.TrimSpace(raw)) == 0 {
		return "", "", &Error{"the leaked text is empty"}
	}
	if bytes.IndexByte(raw, 0) >= 0 || !utf8.Valid(raw) && !looksLatin1(raw) {
		return "", "", &Error{"the input is not text (binary data) and not a format telltale reads; give the leak as text, Markdown, HTML, PDF, Word (.docx), e-mail (.eml) or an image (PNG, JPEG, TIFF)"}
	}
	if !utf8.Valid(raw) {
		raw = latin1ToUTF8(raw)
	}
	if isHTML(raw) {
		text, err := htmlText(raw)
		if err != nil {
			return "", "", &Error{fmt.Sprintf("failed to read the HTML: %v", err)}
		}
		return limitText(text, FormatHTML)
	}
	s := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if looksMarkdown(s) {
		return limitText(s, FormatMarkdown)
	}
	return limitText(s, FormatText)
}

// limitText refuses more text than MaxText.
func limitText(s string, f Format) (string, Format, error) {
	if len(s) > MaxText {
		return "", "", &Error{fmt.Sprintf("the leak holds %d KB of text; telltale reads at most %d KB at a time (hint: trace the part that matters, or each part on its own)", len(s)>>10, MaxText>>10)}
	}
	return s, f, nil
}

func looksLatin1(b []byte) bool {
	ctrl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			ctrl++
		}
	}
	return ctrl*100 < len(b)
}

func latin1ToUTF8(b []byte) []byte {
	var out bytes.Buffer
	for _, c := range b {
		out.WriteRune(rune(c))
	}
	return out.Bytes()
}

func isHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 2048)]))
	return strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html") || strings.Contains(head, "<body") ||
		strings.Count(head, "<p>")+strings.Count(head, "<div")+strings.Count(head, "<br") >= 2
}

func looksMarkdown(s string) bool {
	return strings.Contains(s, "\n## ") || strings.HasPrefix(s, "# ") || strings.Contains(s, "\n- ") || strings.Contains(s, "**")
}

// skipped elements carry no article text.
var skipped = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true, atom.Header: false, atom.Footer: true, atom.Template: true, atom.Svg: true, atom.Iframe: true, atom.Head: true, atom.Form: true, atom.Button: true, atom.Aside: true}

// blocks start a new line.
var blocks = map[atom.Atom]bool{atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Tr: true, atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Blockquote: true, atom.Pre: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Header: true, atom.Hr: true, atom.Dd: true, atom.Dt: true, atom.Figcaption: true}

// htmlText returns the visible text of an HTML page. If the page has an
// <article> or <main> element, only its text is kept.
func htmlText(raw []byte) (string, error) {
	doc, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	root := find(doc, atom.Article)
	if root == nil {
		root = find(doc, atom.Main)
	}
	if root == nil {
		root = doc
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && skipped[n.DataAtom] {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && blocks[n.DataAtom] {
			b.WriteString("\n")
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th) {
			b.WriteString(" | ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blocks[n.DataAtom] {
			b.WriteString("\n")
		}
	}
	walk(root)
	// Collapse runs of blank lines and trailing spaces.
	lines := strings.Split(b.String(), "\n")
	var out []string
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(strings.Join(strings.FieldsFunc(l, func(r rune) bool { return r == '\t' || r == '\r' }), " "), " ")
		l = strings.TrimLeft(l, " ")
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")), nil
}

func find(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}
