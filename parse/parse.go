// Package parse reads a telltale source document — Markdown with optional YAML
// front matter and telltale's author markup — into the structure the marker
// works on.
//
// [Parse] checks the input (size, encoding, front matter, markup balance),
// resolves declared variants ({{a|b|c}}) to their first alternative, links
// the mentions of one fact (the same alternatives, or the same name:
// {{#officers: 140|138}}; see [Declared]), and returns a [Document]: the
// canonical Markdown source, the declared variants and shuffled lists with
// their byte spans in that source, and the prose
// blocks whose words the marker may vary. Code, raw HTML, block quotes,
// images and telltale:off regions never appear in the prose blocks.
//
// Errors are *Error values that name the line and column of the problem in
// the file as the author wrote it.
package parse

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	gparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MaxSize is the largest source document accepted, in bytes. A 10,000-word
// plan is about 70 KB; the limit leaves room for long annexes while refusing
// files that are plainly not plans.
const MaxSize = 4 << 20

// Document is a parsed source document.
type Document struct {
	Front FrontMatter
	// Source is the canonical Markdown body: the file without its front
	// matter, with every declared variant replaced by its first alternative.
	// All offsets in a Document are byte offsets into Source.
	Source []byte
	// Declared are the author's {{a|b|c}} variants, in document order.
	Declared []Declared
	// Lists are the lists that follow a telltale:shuffle directive.
	Lists []List
	// Blocks are the prose blocks eligible for automatic slots.
	Blocks []Block
	// Off are the telltale:off regions, directive lines included.
	Off []Span
	// Comments are HTML comment blocks (telltale directives and the
	// author's own notes); they are left out of rendered copies.
	Comments []Span
	// Root is the goldmark syntax tree of Source.
	Root ast.Node

	pos *positions
}

// Span is a byte range [Start, End) of Source.
type Span struct{ Start, End int }

// Declared is one {{a|b|c}} variant: one mention of a declared fact.
//
// A fact may be stated several times. Every mention with the same
// alternatives, the same members in the same order, is the same fact: one
// slot, so each copy states the same alternative at every mention and
// never contradicts itself. Mentions written differently are linked by
// naming the fact, {{#officers: 140|138|142}} here and {{#officers: one
// hundred and forty|one hundred and thirty-eight|one hundred and
// forty-two}} there: alternative i of one mention goes with alternative i
// of every other, so every mention of a name has as many alternatives.
// Mentions with the same alternatives under different names are different
// facts; a mention without a name may not repeat a named fact's
// alternatives (it would be ambiguous).
type Declared struct {
	Span                  // the canonical alternative's bytes in Source
	Alternatives []string // Alternatives[0] is canonical
	// Name is the fact's name as written ({{#officers: …}}), or "".
	Name string
	// Fact numbers the document's facts from 0, in the order of their
	// first mention; the mentions of one fact share it.
	Fact int
}

// List is a list whose items may be rendered in any order.
type List struct {
	Line  int    // line of the list's first item in the file
	Items []Span // the content of each item, markers excluded
	Node  *ast.List
}

// Line returns the 1-based line and column in the original file of a byte
// offset of Source.
func (d *Document) Line(offset int) (line, col int) {
	return d.pos.lineCol(d.pos.fileOffset(offset))
}

// FileOffset returns the byte offset in the original file of a byte offset
// of Source: past the front matter, and past the markup of every declared
// variant before it. The start of a declared variant maps to its "{{" and
// its end to just past its "}}"; offsets inside one have no counterpart.
// Tools that rewrite the file as the author wrote it (package suggest)
// edit at these offsets.
func (d *Document) FileOffset(offset int) int {
	return d.pos.fileOffset(offset)
}

// Markdown returns the goldmark configuration telltale uses everywhere:
// CommonMark with GitHub tables, strikethrough and autolinks.
func Markdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList))
}

// Parse reads a source document. name is used in error messages only.
func Parse(name string, file []byte) (*Document, error) {
	if len(file) > MaxSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("document is %s; the limit is %s", humanSize(len(file)), humanSize(MaxSize)), Hint: "split it into several documents, or move annexes out"}
	}
	if err := checkText(name, file); err != nil {
		return nil, err
	}
	front, bodyStart, err := parseFrontMatter(name, file)
	if err != nil {
		return nil, err
	}
	frontEnd := bodyStart
	for bodyStart < len(file) && (file[bodyStart] == '\n' || file[bodyStart] == '\r') {
		bodyStart++ // blank lines after the front matter
	}
	body := file[bodyStart:]
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &Error{File: name, Line: lineOf(file, frontEnd), Msg: "document has no text", Hint: "write the plan below the front matter"}
	}
	pos := &positions{file: file, bodyStart: bodyStart}
	if err := checkNesting(name, body, pos); err != nil {
		return nil, err
	}
	md := Markdown()

	// First pass: find code and HTML, where {{ is literal, then resolve
	// declared variants to their canonical text.
	raw := md.Parser().Parse(text.NewReader(maskDeclaredBars(body)))
	literal := literalSpans(raw, body)
	source, declared, err := resolveDeclared(name, body, literal, pos)
	if err != nil {
		return nil, err
	}

	doc := &Document{Front: front, Source: source, Declared: declared, pos: pos}
	doc.Root = md.Parser().Parse(text.NewReader(source), gparser.WithContext(gparser.NewContext()))
	if err := doc.findDirectives(name); err != nil {
		return nil, err
	}
	doc.collectBlocks()
	if err := doc.checkDeclaredInTables(name); err != nil {
		return nil, err
	}
	if err := doc.checkDeclaredInText(name); err != nil {
		return nil, err
	}
	if err := doc.linkFacts(name); err != nil {
		return nil, err
	}
	return doc, nil
}

// maskDeclaredBars returns a copy of body where the bars inside every
// {{…}} on one line are replaced by another byte, for the pass that finds
// code and HTML: in a table row the bars of {{140|138}} would otherwise
// split the cell, so that a code span beside them went unseen, and a line
// above a table's delimiter row could become a table that the canonical
// text (without the bars) is not.
func maskDeclaredBars(body []byte) []byte {
	var out []byte
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte("{{"))
		if j < 0 {
			break
		}
		j += i
		end := j + 2
		for end < len(body) && body[end] != '\n' && !(body[end] == '}' && end+1 < len(body) && body[end+1] == '}') {
			if body[end] == '\\' && end+1 < len(body) && body[end+1] != '\n' {
				end++
			}
			end++
		}
		if end+1 >= len(body) || body[end] != '}' {
			i = j + 2
			continue
		}
		if k := bytes.IndexByte(body[j:end], '|'); k >= 0 {
			if out == nil {
				out = bytes.Clone(body)
			}
			for m := j + k; m < end; m++ {
				if out[m] == '|' {
					out[m] = ':'
				}
			}
		}
		i = end + 2
	}
	if out == nil {
		return body
	}
	return out
}

// checkDeclaredInTables refuses, in a table, a declared variant with an
// alternative holding a bar: in the copies that show it, the bar would
// split the cell.
func (d *Document) checkDeclaredInTables(name string) error {
	var tables []Span
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*east.Table); ok && entering {
			if s, ok := textExtent(n); ok {
				tables = append(tables, lineSpan(d.Source, s))
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, dv := range d.Declared {
		if !inSpans(tables, dv.Start) {
			continue
		}
		for _, a := range dv.Alternatives {
			if strings.Contains(a, "|") {
				line, col := d.Line(dv.Start)
				return &Error{File: name, Line: line, Col: col, Msg: fmt.Sprintf("a declared variant in a table has an alternative with a bar (%q): it would split the cell", a),
					Hint: "write the alternative without |, or move the fact out of the table"}
			}
		}
	}
	return nil
}

// textExtent is the range of Source from the first to the last text of a
// node's descendants.
func textExtent(n ast.Node) (Span, bool) {
	start, end := -1, -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			if start < 0 || t.Segment.Start < start {
				start = t.Segment.Start
			}
			end = max(end, t.Segment.Stop)
		}
		return ast.WalkContinue, nil
	})
	if start < 0 {
		return Span{}, false
	}
	return Span{start, end}, true
}

// linkFacts numbers the facts of the declared variants (Declared.Fact):
// mentions with the same name, or without a name and with the same
// alternatives, are one fact. It refuses a name whose mentions differ in
// their number of alternatives, and a mention without a name that repeats
// a named fact's alternatives.
func (d *Document) linkFacts(name string) error {
	type fact struct {
		index int
		first int // Declared index of the first mention
	}
	facts := map[string]*fact{}
	named := map[string]int{} // alternatives → the first named mention with them
	fail := func(at int, msg, hint string) error {
		line, col := d.Line(d.Declared[at].Start)
		return &Error{File: name, Line: line, Col: col, Msg: msg, Hint: hint}
	}
	lineOf := func(i int) int { l, _ := d.Line(d.Declared[i].Start); return l }
	for i := range d.Declared {
		dv := &d.Declared[i]
		alts := strings.Join(dv.Alternatives, "\x00")
		key := "=" + alts
		if dv.Name != "" {
			key = "#" + strings.ToLower(dv.Name)
			if _, ok := named[alts]; !ok {
				named[alts] = i
			}
		}
		f, ok := facts[key]
		if !ok {
			f = &fact{index: len(facts), first: i}
			facts[key] = f
		}
		dv.Fact = f.index
		if first := d.Declared[f.first]; dv.Name != "" && len(dv.Alternatives) != len(first.Alternatives) {
			return fail(i, fmt.Sprintf("the fact #%s has %d alternatives here and %d on line %d", dv.Name, len(dv.Alternatives), len(first.Alternatives), lineOf(f.first)),
				"give every mention of a named fact as many alternatives, in the same order: alternative 2 here goes with alternative 2 there")
		}
	}
	for i, dv := range d.Declared {
		if dv.Name != "" {
			continue
		}
		if j, ok := named[strings.Join(dv.Alternatives, "\x00")]; ok {
			return fail(i, fmt.Sprintf("{{%s}} has the alternatives of the fact #%s (line %d)", strings.Join(dv.Alternatives, "|"), d.Declared[j].Name, lineOf(j)),
				fmt.Sprintf("write {{#%s: …}} if it is the same fact, or give it a name of its own", d.Declared[j].Name))
		}
	}
	return nil
}

// MaxNesting is the deepest nesting of quotes and lists accepted. Real
// plans nest three or four levels; the Markdown parser's work grows with
// the square of the depth, so a document of nothing but "> > > …" could
// hold the server for minutes.
const MaxNesting = 16

// checkNesting refuses lines that open more than MaxNesting quotes or
// list levels, before the Markdown parser sees them.
func checkNesting(name string, body []byte, pos *positions) error {
	for off := 0; off < len(body); {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body) - off
		}
		if depth := nesting(body[off : off+end]); depth > MaxNesting {
			line, col := pos.lineCol(off)
			return &Error{File: name, Line: line, Col: col, Msg: fmt.Sprintf("this line nests quotes or lists %d deep; telltale accepts %d", depth, MaxNesting),
				Hint: "flatten the nesting"}
		}
		off += end + 1
	}
	return nil
}

// nesting counts the quote and list levels a line opens: its markers,
// and its indentation before a list marker.
func nesting(line []byte) int {
	depth, spaces := 0, 0
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ':
			spaces++
			i++
		case c == '\t':
			spaces += 4
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth += 1 + spaces/2
			spaces = 0
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth += 1 + spaces/2
				spaces = 0
				i = j + 2
				continue
			}
			return depth
		default:
			return depth
		}
	}
	return depth
}

// checkDeclaredInText refuses a declared variant that is not in the
// document's text — in a link target, an image source, an autolink —
// where it could not be shown as one of its alternatives.
func (d *Document) checkDeclaredInText(name string) error {
	var text []Span
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			text = append(text, Span{t.Segment.Start, t.Segment.Stop})
		}
		return ast.WalkContinue, nil
	})
	inText := func(off int) bool {
		for _, s := range text {
			if off >= s.Start && off < s.End {
				return true
			}
		}
		return false
	}
	for _, dv := range d.Declared {
		if dv.Span.End > dv.Span.Start && inText(dv.Span.Start) && inText(dv.Span.End-1) {
			continue
		}
		line, col := d.Line(dv.Span.Start)
		return &Error{File: name, Line: line, Col: col, Msg: "a declared variant must be in the text: not in a link target, an image or an address, and not beginning or ending with markup",
			Hint: "move the {{…}} into the link's text or out of the link; write emphasis around it, as *{{a|b}}*"}
	}
	return nil
}

// checkText refuses binary input and the private-use characters telltale
// uses internally as markers.
func checkText(name string, file []byte) error {
	for i := 0; i < len(file); {
		r, size := utf8.DecodeRune(file[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return &Error{File: name, Line: lineOf(file, i), Col: colOf(file, i), Msg: fmt.Sprintf("not a text document: invalid UTF-8 byte 0x%02x at byte %d", file[i], i), Hint: "save the document as UTF-8 Markdown"}
		case r == 0:
			return &Error{File: name, Line: lineOf(file, i), Col: colOf(file, i), Msg: fmt.Sprintf("not a text document: NUL byte at byte %d", i), Hint: "save the document as UTF-8 Markdown"}
		case r >= 0xE000 && r <= 0xF8FF:
			return &Error{File: name, Line: lineOf(file, i), Col: colOf(file, i), Msg: fmt.Sprintf("private-use character U+%04X", r), Hint: "remove it; telltale reserves private-use characters"}
		}
		i += size
	}
	return nil
}

// literalSpans returns the spans of body where telltale markup is not
// interpreted: code spans, code blocks and raw HTML.
func literalSpans(root ast.Node, src []byte) []Span {
	var spans []Span
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			if s, ok := blockSpan(n, src); ok {
				spans = append(spans, s)
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			if s, ok := inlineSpan(n, src); ok {
				spans = append(spans, s)
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			segs := n.Segments
			if segs.Len() > 0 {
				spans = append(spans, Span{segs.At(0).Start, segs.At(segs.Len() - 1).Stop})
			}
		}
		return ast.WalkContinue, nil
	})
	return spans
}

// blockSpan returns the span of a block's lines; for fenced code it widens
// the span to the fences.
func blockSpan(n ast.Node, src []byte) (Span, bool) {
	lines := n.Lines()
	var s Span
	if lines.Len() > 0 {
		s = Span{lines.At(0).Start, lines.At(lines.Len() - 1).Stop}
	}
	if f, ok := n.(*ast.FencedCodeBlock); ok {
		start := s.Start
		if f.Info != nil {
			start = f.Info.Segment.Start
		} else if lines.Len() == 0 {
			return Span{}, false
		}
		// From the start of the opening fence line to the end of the closing fence.
		start = bytes.LastIndexByte(src[:start], '\n') + 1
		end := s.Stop(src)
		if next := bytes.Index(src[end:], []byte("\n")); next >= 0 {
			fence := src[end : end+next]
			if bytes.HasPrefix(bytes.TrimSpace(fence), []byte("```")) || bytes.HasPrefix(bytes.TrimSpace(fence), []byte("~~~")) {
				end += next
			}
		}
		return Span{start, end}, true
	}
	return s, lines.Len() > 0
}

// Stop returns s.End, or the end of src if s is empty.
func (s Span) Stop(src []byte) int {
	if s.End == 0 && s.Start == 0 {
		return len(src)
	}
	return s.End
}

func inlineSpan(n ast.Node, src []byte) (Span, bool) {
	start, end := -1, -1
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			if start < 0 {
				start = t.Segment.Start
			}
			end = t.Segment.Stop
		}
	}
	if start < 0 {
		return Span{}, false
	}
	// Widen to the backticks.
	for start > 0 && src[start-1] == '`' {
		start--
	}
	for end < len(src) && src[end] == '`' {
		end++
	}
	return Span{start, end}, true
}

func inSpans(spans []Span, i int) bool {
	for _, s := range spans {
		if i >= s.Start && i < s.End {
			return true
		}
	}
	return false
}

// resolveDeclared replaces every {{a|b|c}} outside literal spans by a and
// records its alternatives.
func resolveDeclared(name string, body []byte, literal []Span, pos *positions) ([]byte, []Declared, error) {
	var out []byte
	var declared []Declared
	fail := func(at int, msg, hint string) error {
		line, col := pos.lineCol(pos.bodyStart + at)
		return &Error{File: name, Line: line, Col: col, Msg: msg, Hint: hint}
	}
	// copyText copies body[i:j], refusing a stray }} outside code.
	copyText := func(i, j int) error {
		for k := i; k < j; {
			m := bytes.Index(body[k:j], []byte("}}"))
			if m < 0 {
				break
			}
			if !inSpans(literal, k+m) {
				return fail(k+m, "'}}' without a matching '{{'", "remove it, or put it in `code`")
			}
			k += m + 2
		}
		out = append(out, body[i:j]...)
		return nil
	}
	i := 0
	for {
		j := bytes.Index(body[i:], []byte("{{"))
		if j < 0 {
			break
		}
		j += i
		if inSpans(literal, j) {
			if err := copyText(i, j+2); err != nil {
				return nil, nil, err
			}
			i = j + 2
			continue
		}
		factName, alts, end, err := parseDeclared(body, j)
		if err != nil {
			return nil, nil, fail(j, err.Error(), `write declared variants as {{canonical|alternative}} on one line; escape a literal bar as \|`)
		}
		if err := copyText(i, j); err != nil {
			return nil, nil, err
		}
		start := len(out)
		out = append(out, alts[0]...)
		declared = append(declared, Declared{Span: Span{start, len(out)}, Alternatives: alts, Name: factName})
		pos.shifts = append(pos.shifts, shift{src: len(out), delta: (end - j) - len(alts[0])})
		i = end
	}
	if err := copyText(i, len(body)); err != nil {
		return nil, nil, err
	}
	return out, declared, nil
}

// factName is a fact's name at the start of a declared variant:
// {{#officers: 140|138}}.
var factName = regexp.MustCompile(`^#([A-Za-z][A-Za-z0-9_-]{0,63}):[ \t]*`)

// parseDeclared reads {{a|b|c}} or {{#name: a|b|c}} starting at body[j]
// and returns the fact's name, the alternatives and the offset just past
// the closing braces.
func parseDeclared(body []byte, j int) (string, []string, int, error) {
	alts, end, err := parseAlternatives(body, j)
	if err != nil {
		return "", nil, 0, err
	}
	name := ""
	if m := factName.FindStringSubmatch(alts[0]); m != nil {
		name = m[1]
		alts[0] = alts[0][len(m[0]):]
	}
	alts, end, err = checkDeclared(alts, end)
	return name, alts, end, err
}

// parseAlternatives reads the alternatives of {{a|b|c}} starting at
// body[j] and returns them with the offset just past the closing braces.
func parseAlternatives(body []byte, j int) ([]string, int, error) {
	var alts []string
	var cur strings.Builder
	for k := j + 2; k < len(body); k++ {
		c := body[k]
		switch {
		case c == '\\' && k+1 < len(body) && (body[k+1] == '|' || body[k+1] == '}' || body[k+1] == '\\'):
			cur.WriteByte(body[k+1])
			k++
		case c == '|':
			alts = append(alts, cur.String())
			cur.Reset()
		case c == '}' && k+1 < len(body) && body[k+1] == '}':
			alts = append(alts, cur.String())
			return alts, k + 2, nil
		case c == '\n':
			return nil, 0, fmt.Errorf("'{{' is not closed by '}}' on the same line")
		case c == '{' && k+1 < len(body) && body[k+1] == '{':
			return nil, 0, fmt.Errorf("'{{' inside a declared variant")
		default:
			cur.WriteByte(c)
		}
	}
	return nil, 0, fmt.Errorf("'{{' is not closed by '}}'")
}

func checkDeclared(alts []string, end int) ([]string, int, error) {
	if len(alts) < 2 {
		return nil, 0, fmt.Errorf("declared variant {{%s}} has one alternative; give at least two, separated by |", alts[0])
	}
	if len(alts) > 16 {
		return nil, 0, fmt.Errorf("declared variant has %d alternatives; the limit is 16", len(alts))
	}
	seen := map[string]bool{}
	for i, a := range alts {
		if strings.TrimSpace(a) == "" {
			return nil, 0, fmt.Errorf("declared variant has an empty alternative (#%d)", i+1)
		}
		if seen[a] {
			return nil, 0, fmt.Errorf("declared variant lists %q twice", a)
		}
		seen[a] = true
	}
	return alts, end, nil
}

// findDirectives locates telltale:shuffle, telltale:off and telltale:on
// comments and all other HTML comment blocks.
func (d *Document) findDirectives(name string) error {
	var offStart = -1
	var offLine int
	var err error
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || err != nil {
			return ast.WalkContinue, nil
		}
		var content string
		var span Span
		block := false
		switch n := n.(type) {
		case *ast.HTMLBlock:
			s, ok := blockSpan(n, d.Source)
			if !ok {
				return ast.WalkSkipChildren, nil
			}
			if n.HasClosure() {
				s.End = n.ClosureLine.Stop
			}
			span, block = s, true
			content = strings.TrimSpace(string(d.Source[s.Start:s.End]))
		case *ast.RawHTML:
			if n.Segments.Len() == 0 {
				return ast.WalkContinue, nil
			}
			span = Span{n.Segments.At(0).Start, n.Segments.At(n.Segments.Len() - 1).Stop}
			content = strings.TrimSpace(string(d.Source[span.Start:span.End]))
		default:
			return ast.WalkContinue, nil
		}
		directive, isDirective := telltaleDirective(content)
		line, col := d.Line(span.Start)
		fail := func(msg, hint string) {
			err = &Error{File: name, Line: line, Col: col, Msg: msg, Hint: hint}
		}
		if block && strings.HasPrefix(content, "<!--") && strings.HasSuffix(content, "-->") {
			d.Comments = append(d.Comments, lineSpan(d.Source, span))
		}
		if !isDirective {
			if strings.Contains(content, "telltale:") {
				fail(fmt.Sprintf("unknown telltale directive %q", content), "the directives are <!-- telltale:shuffle -->, <!-- telltale:off --> and <!-- telltale:on -->")
			}
			return ast.WalkContinue, nil
		}
		if !block {
			fail(fmt.Sprintf("telltale:%s must be on a line of its own", directive), "put the directive on its own line, with a blank line before it")
			return ast.WalkContinue, nil
		}
		switch directive {
		case "shuffle":
			next := n.NextSibling()
			list, ok := next.(*ast.List)
			if !ok {
				fail("telltale:shuffle is not followed by a list", "put a Markdown list (- item) right after the directive")
				return ast.WalkContinue, nil
			}
			l := d.listItems(list)
			if len(l.Items) < 2 {
				fail("telltale:shuffle is followed by a list of one item", "a shuffled list needs at least two items")
				return ast.WalkContinue, nil
			}
			d.Lists = append(d.Lists, l)
		case "off":
			if offStart >= 0 {
				fail(fmt.Sprintf("telltale:off inside the telltale:off region opened at line %d", offLine), "close the first region with <!-- telltale:on --> before opening another")
				return ast.WalkContinue, nil
			}
			offStart, offLine = span.Start, line
		case "on":
			if offStart < 0 {
				fail("telltale:on without a telltale:off before it", "remove it, or add <!-- telltale:off --> where the protected region starts")
				return ast.WalkContinue, nil
			}
			d.Off = append(d.Off, Span{offStart, span.End})
			offStart = -1
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return err
	}
	if offStart >= 0 {
		return &Error{File: name, Line: offLine, Msg: "telltale:off is never closed by telltale:on", Hint: "add <!-- telltale:on --> where the protected region ends"}
	}
	return nil
}

// lineSpan widens a span to whole lines, including the final newline.
func lineSpan(src []byte, s Span) Span {
	start := bytes.LastIndexByte(src[:s.Start], '\n') + 1
	end := s.End
	if end > s.Start && src[end-1] == '\n' {
		return Span{start, end}
	}
	if k := bytes.IndexByte(src[end:], '\n'); k >= 0 {
		end += k + 1
	} else {
		end = len(src)
	}
	return Span{start, end}
}

func telltaleDirective(content string) (string, bool) {
	if len(content) < 7 || !strings.HasPrefix(content, "<!--") || !strings.HasSuffix(content, "-->") {
		return "", false
	}
	inner := strings.TrimSpace(content[4 : len(content)-3])
	name, ok := strings.CutPrefix(inner, "telltale:")
	if !ok {
		return "", false
	}
	switch name {
	case "shuffle", "off", "on":
		return name, true
	}
	return "", false
}

func (d *Document) listItems(list *ast.List) List {
	l := List{Node: list}
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		s, ok := contentSpan(item)
		if !ok {
			continue
		}
		if len(l.Items) == 0 {
			l.Line, _ = d.Line(s.Start)
		}
		l.Items = append(l.Items, s)
	}
	return l
}

// contentSpan is the byte range from the first to the last line of a node's
// descendants' text.
func contentSpan(n ast.Node) (Span, bool) {
	start, end := -1, -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || c.Type() != ast.TypeBlock {
			return ast.WalkContinue, nil
		}
		lines := c.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			if start < 0 || seg.Start < start {
				start = seg.Start
			}
			if seg.Stop > end {
				end = seg.Stop
			}
		}
		return ast.WalkContinue, nil
	})
	if start < 0 {
		return Span{}, false
	}
	return Span{start, end}, true
}

// Directive reports whether an HTML comment is a telltale directive and
// which: "shuffle", "off" or "on".
func Directive(html string) (string, bool) { return telltaleDirective(strings.TrimSpace(html)) }
