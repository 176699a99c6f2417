package render

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/telltale-dev/telltale/parse"
)

// shuffledLists returns the lists that follow a telltale:shuffle directive,
// in document order, and numbers their items.
func shuffledItems(root ast.Node, src []byte) map[ast.Node]int {
	items := map[ast.Node]int{}
	n := 0
	_ = ast.Walk(root, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		hb, ok := node.(*ast.HTMLBlock)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if d, ok := parse.Directive(string(blockText(hb, src))); ok && d == "shuffle" {
			if list, ok := hb.NextSibling().(*ast.List); ok {
				for it := list.FirstChild(); it != nil; it = it.NextSibling() {
					if hasContent(it) {
						items[it] = n
						n++
					}
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return items
}

// hasContent matches parse's rule for which list items are shuffled: items
// with at least one line of text.
func hasContent(n ast.Node) bool {
	found := false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

func blockText(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	if hb, ok := n.(*ast.HTMLBlock); ok && hb.HasClosure() {
		cl := hb.ClosureLine
		b.Write(cl.Value(src))
	}
	return b.Bytes()
}

// markedHTML renders marked Markdown to HTML, wrapping shuffled list items
// in item markers, dropping HTML comments and escaping other raw HTML.
func markedHTML(src []byte) ([]byte, error) {
	md := parse.Markdown()
	root := md.Parser().Parse(text.NewReader(src))
	hr := &htmlOverrides{items: shuffledItems(root, src)}
	r := md.Renderer()
	r.AddOptions(renderer.WithNodeRenderers(util.Prioritized(hr, 100)))
	var out bytes.Buffer
	if err := r.Render(&out, src, root); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

type htmlOverrides struct {
	items map[ast.Node]int
}

func (h *htmlOverrides) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindListItem, h.listItem)
	reg.Register(ast.KindHTMLBlock, h.htmlBlock)
	reg.Register(ast.KindRawHTML, h.rawHTML)
}

func (h *htmlOverrides) listItem(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	id, shuffled := h.items[n]
	if entering {
		if shuffled {
			_, _ = w.WriteString(marker(markItemStart, id))
		}
		_, _ = w.WriteString("<li>")
		if fc := n.FirstChild(); fc != nil {
			if _, ok := fc.(*ast.TextBlock); !ok {
				_ = w.WriteByte('\n')
			}
		}
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("</li>\n")
	if shuffled {
		_, _ = w.WriteString(marker(markItemEnd, id))
	}
	return ast.WalkContinue, nil
}

func (h *htmlOverrides) htmlBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	raw := blockText(n, src)
	if isComment(raw) {
		return ast.WalkContinue, nil
	}
	// Raw HTML from the author is shown, not interpreted: a copy page must
	// not run markup nobody reviewed.
	_, _ = w.WriteString("<pre class=\"raw-html\">")
	_, _ = w.Write(util.EscapeHTML(raw))
	_, _ = w.WriteString("</pre>\n")
	return ast.WalkContinue, nil
}

func (h *htmlOverrides) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	raw := n.(*ast.RawHTML)
	var b bytes.Buffer
	for i := 0; i < raw.Segments.Len(); i++ {
		seg := raw.Segments.At(i)
		b.Write(seg.Value(src))
	}
	if !isComment(b.Bytes()) {
		_, _ = w.Write(util.EscapeHTML(b.Bytes()))
	}
	return ast.WalkSkipChildren, nil
}

func isComment(b []byte) bool {
	s := strings.TrimSpace(string(b))
	return strings.HasPrefix(s, "<!--") && strings.HasSuffix(s, "-->")
}

// inline renders a declared alternative's inline Markdown in a format.
func inline(s string, f Format) string {
	switch f {
	case HTML:
		var out bytes.Buffer
		if err := parse.Markdown().Convert([]byte(s), &out); err != nil {
			return html.EscapeString(s)
		}
		h := strings.TrimSpace(out.String())
		h = strings.TrimPrefix(h, "<p>")
		h = strings.TrimSuffix(h, "</p>")
		return h
	case Text:
		t, err := markedText([]byte(s))
		if err != nil {
			return s
		}
		return strings.TrimSpace(string(t))
	}
	return s
}
