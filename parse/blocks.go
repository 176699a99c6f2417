package parse

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// BlockKind says where a prose block sits in the document.
type BlockKind uint8

const (
	Paragraph BlockKind = iota
	Heading
	ListText  // the text of a tight list item
	TableCell // a cell of a table
)

// Block is a run of prose: the text of a paragraph, heading, list item or
// table cell, without markup. Text is assembled from the Markdown text
// pieces of the block; between pieces separated by markup (emphasis, a code
// span, a link's brackets) it holds a single space and a break.
type Block struct {
	Kind BlockKind
	Text string
	// Breaks are offsets in Text where markup interrupts the prose; words
	// on either side of a break do not form a phrase.
	Breaks []int
	segs   []seg
}

type seg struct{ text, src, n int }

// SourceSpan maps a range of Text to the bytes of Source it was copied
// from. It reports false if the range crosses markup, so that replacing
// the source bytes would damage the Markdown.
func (b *Block) SourceSpan(start, end int) (Span, bool) {
	for _, s := range b.segs {
		if start >= s.text && end <= s.text+s.n {
			return Span{s.src + start - s.text, s.src + end - s.text}, true
		}
	}
	return Span{}, false
}

func (d *Document) collectBlocks() {
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var kind BlockKind
		switch n.(type) {
		case *ast.Blockquote, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			// Quotations are somebody's words; code and HTML are literal.
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph:
			kind = Paragraph
		case *ast.Heading:
			kind = Heading
		case *ast.TextBlock:
			kind = ListText
		case *east.TableCell:
			kind = TableCell
		default:
			return ast.WalkContinue, nil
		}
		if b, ok := d.block(n, kind); ok {
			d.Blocks = append(d.Blocks, b)
		}
		return ast.WalkSkipChildren, nil
	})
}

func (d *Document) block(n ast.Node, kind BlockKind) (Block, bool) {
	b := Block{Kind: kind}
	var text strings.Builder
	last := -1 // source offset where the previous piece ended
	add := func(start, stop int) {
		if start >= stop || d.excluded(start, stop) {
			if last >= 0 {
				last = -2 // force a break before the next piece
			}
			return
		}
		switch {
		case last == -1:
		case last >= 0 && last <= start && strings.TrimSpace(string(d.Source[last:start])) == "":
			// Only whitespace between the pieces (a line break): copy it.
			b.segs = append(b.segs, seg{text.Len(), last, start - last})
			text.Write(d.Source[last:start])
		default:
			b.Breaks = append(b.Breaks, text.Len())
			text.WriteByte(' ')
		}
		b.segs = append(b.segs, seg{text.Len(), start, stop - start})
		text.Write(d.Source[start:stop])
		last = stop
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.CodeSpan, *ast.Image, *ast.RawHTML, *ast.AutoLink:
			add(0, 0) // a break
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			add(c.Segment.Start, c.Segment.Stop)
		}
		return ast.WalkContinue, nil
	})
	b.segs = mergeSegs(b.segs)
	b.Text = text.String()
	return b, strings.TrimSpace(b.Text) != ""
}

// mergeSegs joins pieces that are contiguous in both text and source.
func mergeSegs(segs []seg) []seg {
	var out []seg
	for _, s := range segs {
		if n := len(out); n > 0 && out[n-1].text+out[n-1].n == s.text && out[n-1].src+out[n-1].n == s.src {
			out[n-1].n += s.n
			continue
		}
		out = append(out, s)
	}
	return out
}

// excluded reports whether a source range touches a telltale:off region or
// a comment.
func (d *Document) excluded(start, stop int) bool {
	for _, s := range d.Off {
		if start < s.End && stop > s.Start {
			return true
		}
	}
	return false
}

// Quotations returns the ranges of text inside double quotes (straight or
// curly), quotes included: somebody's words, which no copy changes. An
// unclosed quotation runs to the end of the text.
func Quotations(text string) []Span {
	var out []Span
	open, curly := -1, -1
	for i, r := range text {
		switch r {
		case '“':
			if curly < 0 {
				curly = i
			}
		case '”':
			if curly >= 0 {
				out = append(out, Span{Start: curly, End: i + len("”")})
				curly = -1
			}
		case '"':
			if open < 0 {
				open = i
			} else {
				out = append(out, Span{Start: open, End: i + 1})
				open = -1
			}
		}
	}
	if open >= 0 {
		out = append(out, Span{Start: open, End: len(text)})
	}
	if curly >= 0 {
		out = append(out, Span{Start: curly, End: len(text)})
	}
	return out
}
