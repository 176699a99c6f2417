package render

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/telltale-dev/telltale/parse"
)

// markedText renders marked Markdown as plain text: paragraphs separated by
// blank lines, list items with "- " or "1. ", code indented by four spaces,
// quotations prefixed with "> ", links followed by their address. Shuffled
// list items are wrapped in item markers around the text after their
// bullet, so the bullets and numbers stay in place when items move.
func markedText(src []byte) ([]byte, error) {
	root := parse.Markdown().Parser().Parse(text.NewReader(src))
	tr := &textRenderer{src: src, items: shuffledItems(root, src)}
	var out bytes.Buffer
	tr.blocks(&out, root)
	b := bytes.TrimRight(out.Bytes(), "\n")
	return append(b, '\n'), nil
}

type textRenderer struct {
	src   []byte
	items map[ast.Node]int
}

// blocks renders the block children of n, separated by blank lines.
func (r *textRenderer) blocks(out *bytes.Buffer, n ast.Node) {
	first := true
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		var b bytes.Buffer
		r.block(&b, c)
		if b.Len() == 0 {
			continue
		}
		if !first {
			out.WriteString("\n")
			if !tight(c) {
				out.WriteString("\n")
			}
		}
		first = false
		out.Write(bytes.TrimRight(b.Bytes(), "\n"))
	}
}

// tight reports whether a block follows its previous sibling without a
// blank line: text blocks in tight list items.
func tight(n ast.Node) bool {
	if _, ok := n.(*ast.TextBlock); ok {
		return true
	}
	if l, ok := n.PreviousSibling().(*ast.TextBlock); ok && l != nil {
		return true
	}
	return false
}

func (r *textRenderer) block(out *bytes.Buffer, n ast.Node) {
	switch n := n.(type) {
	case *ast.Heading, *ast.Paragraph, *ast.TextBlock:
		r.inlines(out, n)
	case *ast.ThematicBreak:
		out.WriteString("* * *")
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			line := seg.Value(r.src)
			if len(bytes.TrimSpace(line)) > 0 {
				out.WriteString("    ")
			}
			out.Write(line)
		}
	case *ast.HTMLBlock:
		raw := blockText(n, r.src)
		if !isComment(raw) {
			out.Write(raw)
		}
	case *ast.Blockquote:
		var inner bytes.Buffer
		r.blocks(&inner, n)
		out.WriteString(prefixLines(inner.String(), "> ", "> "))
	case *ast.List:
		r.list(out, n)
	case *east.Table:
		r.table(out, n)
	default:
		r.blocks(out, n)
	}
}

func (r *textRenderer) list(out *bytes.Buffer, l *ast.List) {
	num := l.Start
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		bullet := "- "
		if l.IsOrdered() {
			bullet = strconv.Itoa(num) + ". "
			num++
		}
		var inner bytes.Buffer
		r.blocks(&inner, it)
		body := prefixLines(inner.String(), "", strings.Repeat(" ", len(bullet)))
		out.WriteString(bullet)
		if id, ok := r.items[it]; ok {
			out.WriteString(marker(markItemStart, id))
			out.WriteString(body)
			out.WriteString(marker(markItemEnd, id))
		} else {
			out.WriteString(body)
		}
		if it.NextSibling() != nil {
			out.WriteString("\n")
			if !l.IsTight {
				out.WriteString("\n")
			}
		}
	}
}

func (r *textRenderer) table(out *bytes.Buffer, t *east.Table) {
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			var b bytes.Buffer
			r.inlines(&b, cell)
			cells = append(cells, strings.TrimSpace(b.String()))
		}
		out.WriteString(strings.Join(cells, " | "))
		out.WriteString("\n")
		if _, ok := row.(*east.TableHeader); ok {
			out.WriteString(strings.Repeat("-", 8))
			out.WriteString("\n")
		}
	}
}

// prefixLines prefixes the first line of s with first and the others with
// rest (blank lines only get the trimmed prefix).
func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" {
			p = strings.TrimRight(p, " ")
		}
		lines[i] = p + l
	}
	return strings.Join(lines, "\n")
}

func (r *textRenderer) inlines(out *bytes.Buffer, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.inline(out, c)
	}
}

func (r *textRenderer) inline(out *bytes.Buffer, n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(r.src)
		v = util.UnescapePunctuations(v)
		v = util.ResolveNumericReferences(v)
		v = util.ResolveEntityNames(v)
		out.Write(v)
		if n.SoftLineBreak() || n.HardLineBreak() {
			out.WriteString("\n")
		}
	case *ast.String:
		out.Write(n.Value)
	case *ast.CodeSpan:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				out.Write(t.Segment.Value(r.src))
			}
		}
	case *ast.AutoLink:
		out.Write(n.URL(r.src))
	case *ast.Link:
		var label bytes.Buffer
		r.inlines(&label, n)
		out.Write(label.Bytes())
		if dest := string(n.Destination); dest != "" && dest != label.String() {
			out.WriteString(" <" + dest + ">")
		}
	case *ast.Image:
		out.WriteString("[")
		r.inlines(out, n)
		out.WriteString("]")
	case *ast.RawHTML:
		var b bytes.Buffer
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(r.src))
		}
		if !isComment(b.Bytes()) {
			out.Write(b.Bytes())
		}
	case *east.TaskCheckBox:
		if n.IsChecked {
			out.WriteString("[x] ")
		} else {
			out.WriteString("[ ] ")
		}
	default:
		r.inlines(out, n)
	}
}
