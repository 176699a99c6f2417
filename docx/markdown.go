package docx

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/parse"
)

// Source is a Word document's text written as Markdown for packages
// parse and mark, with a map from the Markdown's bytes back to the items
// of the paragraphs they came from.
//
// Headings become "#" lines, numbered and bulleted paragraphs list items
// (nested by their level), tables GFM tables, line breaks hard breaks,
// footnote marks "[1]" with the notes after the body. Characters that
// would be Markdown markup are escaped with a backslash. Headers and
// footers are written inside telltale:off regions: they repeat on every
// page and are never varied. Text in text boxes and shapes is left out.
type Source struct {
	Markdown []byte
	segs     []seg
	// items are the top-level items of every list, by the Markdown
	// offset of their text.
	items []listItem
	// starts are the Markdown offsets where each written paragraph
	// begins, for error messages.
	starts []paraAt
	// directives are the paragraphs holding telltale directives, which
	// no copy shows.
	directives []*Paragraph
}

type segKind uint8

const (
	segText   segKind = iota // Markdown bytes are the item's text verbatim
	segEscape                // Markdown "\x" is the item's character x
	segSpace                 // a tab or break item, written as "\t" or " "
	segFixed                 // markup, or text that never changes
)

// seg maps Markdown bytes [md0, md1) to an item of a paragraph.
type seg struct {
	md0, md1 int
	kind     segKind
	p        *Paragraph
	item     int
	off      int // the offset in the item's text where the segment starts
}

type listItem struct {
	md    int
	paras []*Paragraph
}

type paraAt struct {
	md int
	p  *Paragraph
}

// mdWriter builds a Source.
type mdWriter struct {
	b     bytes.Buffer
	src   *Source
	notes map[string]string // note label by kind and id
	cur   *Paragraph        // the paragraph being written
}

func (w *mdWriter) fixed(s string) {
	start := w.b.Len()
	w.b.WriteString(s)
	w.src.segs = append(w.src.segs, seg{md0: start, md1: w.b.Len(), kind: segFixed})
}

// separate starts a new block: a blank line, or one newline between the
// items of a list.
func (w *mdWriter) separate(tight bool) {
	if w.b.Len() == 0 {
		return
	}
	if tight {
		w.fixed("\n")
	} else {
		w.fixed("\n\n")
	}
}

var directivePattern = regexp.MustCompile(`^(?:<!--\s*)?telltale:([A-Za-z]+)(?:\s*-->)?$`)

// directive returns the telltale directive a body paragraph holds.
func directive(p *Paragraph) (string, bool) {
	if p.Cell != nil || p.TextBox || p.Story.Kind != Body {
		return "", false
	}
	text := strings.TrimSpace(p.Text())
	if !strings.Contains(text, "telltale:") {
		return "", false
	}
	m := directivePattern.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// where describes a paragraph for an author: "the paragraph beginning
// “Teams on site…” (in a table)".
func where(p *Paragraph) string {
	text := strings.Join(strings.Fields(p.Text()), " ")
	if utf8.RuneCountInString(text) > 48 {
		r := []rune(text)
		text = strings.TrimSpace(string(r[:48])) + "…"
	}
	s := fmt.Sprintf("the paragraph “%s”", text)
	if text == "" {
		s = "an empty paragraph"
	}
	switch {
	case p.Cell != nil:
		s += " (in a table)"
	case p.Story.Kind != Body:
		s += " (in the " + p.Story.Kind.String() + ")"
	}
	return s
}

func authorError(p *Paragraph, msg, hint string) error {
	return &parse.Error{Msg: "in " + where(p) + ": " + msg, Hint: hint}
}

// Markdown writes the document's text as Markdown. It refuses misplaced
// telltale directives with an error that names the paragraph.
func (d *Document) Markdown() (*Source, error) {
	w := &mdWriter{src: &Source{}, notes: d.noteLabels()}
	if err := d.checkDirectives(); err != nil {
		return nil, err
	}
	w.frame(d, Header)
	body := d.Body().Paragraphs
	for i := 0; i < len(body); {
		i = w.block(d, body, i)
	}
	w.notesSection(d)
	w.frame(d, Footer)
	if w.b.Len() > 0 {
		w.fixed("\n")
	}
	w.src.Markdown = w.b.Bytes()
	return w.src, nil
}

// checkDirectives checks the telltale directives of the body: known
// ones, off and on in pairs, shuffle before a list.
func (d *Document) checkDirectives() error {
	body := d.Body().Paragraphs
	var off *Paragraph
	for i, p := range body {
		name, ok := directive(p)
		if !ok {
			continue
		}
		if p.Section {
			return authorError(p, "a telltale directive may not end a section", "put the directive in a paragraph of its own before or after the section break")
		}
		switch name {
		case "off":
			if off != nil {
				return authorError(p, "telltale:off inside the region opened by telltale:off in "+where(off), "close the first region with a paragraph telltale:on")
			}
			off = p
		case "on":
			if off == nil {
				return authorError(p, "telltale:on without a telltale:off before it", "remove it, or add a paragraph telltale:off where the protected text starts")
			}
			off = nil
		case "shuffle":
			if next := nextWritten(body, i+1); next == nil || !isListItem(d, next) {
				return authorError(p, "telltale:shuffle is not followed by a list", "put a bulleted or numbered list right after the paragraph telltale:shuffle")
			}
		default:
			return authorError(p, fmt.Sprintf("unknown telltale directive %q", "telltale:"+name), "the directives are telltale:shuffle, telltale:off and telltale:on, each a paragraph of its own")
		}
	}
	if off != nil {
		return authorError(off, "telltale:off is never closed by telltale:on", "add a paragraph telltale:on where the protected text ends")
	}
	return nil
}

// nextWritten returns the next paragraph from i that the Markdown shows.
func nextWritten(ps []*Paragraph, i int) *Paragraph {
	for ; i < len(ps); i++ {
		if p := ps[i]; !p.TextBox && !p.Deleted && strings.TrimSpace(p.Text()) != "" {
			return p
		}
	}
	return nil
}

func isListItem(d *Document, p *Paragraph) bool {
	return p.NumID != "" && p.Cell == nil && p.Heading == 0 && d.styles.ordered[p.NumID] != nil
}

// block writes the body block starting at paragraph i and returns the
// index of the next.
func (w *mdWriter) block(d *Document, ps []*Paragraph, i int) int {
	p := ps[i]
	switch {
	case p.TextBox || p.Deleted:
		return i + 1
	case p.Cell != nil:
		j := i
		for j < len(ps) && ps[j].Cell != nil && ps[j].Cell.Table == p.Cell.Table {
			j++
		}
		w.table(ps[i:j])
		return j
	}
	if name, ok := directive(p); ok {
		w.separate(false)
		w.src.starts = append(w.src.starts, paraAt{w.b.Len(), p})
		w.fixed("<!-- telltale:" + name + " -->")
		w.src.directives = append(w.src.directives, p)
		return i + 1
	}
	if isListItem(d, p) {
		return w.list(d, ps, i)
	}
	if p.Heading > 0 {
		w.paragraph(p, strings.Repeat("#", p.Heading)+" ", modeHeading, false)
	} else {
		w.paragraph(p, "", modePara, false)
	}
	return i + 1
}

// paragraph writes one paragraph as a block with a prefix ("## ", "- "),
// unless it shows nothing. It reports whether it wrote anything.
func (w *mdWriter) paragraph(p *Paragraph, prefix string, mode inlineMode, tight bool) bool {
	toks := w.tokens(p)
	if len(toks) == 0 {
		return false
	}
	w.separate(tight)
	w.fixed(prefix)
	w.src.starts = append(w.src.starts, paraAt{w.b.Len(), p})
	w.inline(p, toks, mode)
	return true
}

// list writes a run of list paragraphs from i and returns the index
// after it.
func (w *mdWriter) list(d *Document, ps []*Paragraph, i int) int {
	prev := -1                  // the previous item's level
	markers := map[int]string{} // bullet marker by level
	numIDs := map[int]string{}
	var cur *listItem
	first := true
	for ; i < len(ps); i++ {
		p := ps[i]
		if p.TextBox || p.Deleted {
			continue
		}
		if !isListItem(d, p) {
			if len(w.tokens(p)) == 0 && p.Cell == nil {
				continue // an empty paragraph does not end a list
			}
			break
		}
		if _, ok := directive(p); ok {
			break
		}
		level := min(p.Level, prev+1, 8)
		if level < 0 {
			level = 0
		}
		a, b := "-", "*"
		ordered := d.styles.isOrdered(p.NumID, p.Level)
		if ordered {
			a, b = "1.", "1)"
		}
		marker := a
		if m := markers[level]; m == a || m == b {
			marker = m
			if ordered && d.styles.abstract[numIDs[level]] != d.styles.abstract[p.NumID] { // another list at this level
				marker = a
				if m == a {
					marker = b
				}
			}
		}
		prefix := strings.Repeat("    ", level) + marker + " "
		if !w.paragraph(p, prefix, modePara, !first) {
			continue
		}
		first = false
		markers[level], numIDs[level], prev = marker, p.NumID, level
		for l := level + 1; l <= 8; l++ {
			delete(markers, l)
			delete(numIDs, l)
		}
		if level == 0 {
			w.src.items = append(w.src.items, listItem{md: w.src.starts[len(w.src.starts)-1].md, paras: []*Paragraph{p}})
			cur = &w.src.items[len(w.src.items)-1]
		} else if cur != nil {
			cur.paras = append(cur.paras, p)
		}
	}
	return i
}

// table writes the paragraphs of one table as a GFM table: the first row
// is its header; paragraphs of a cell are joined by spaces.
func (w *mdWriter) table(ps []*Paragraph) {
	cols := ps[0].Cell.Table.Cols
	type cell struct {
		paras []*Paragraph
		span  int
	}
	var rows []map[int]*cell
	rowOf := map[int]int{}
	for _, p := range ps {
		if p.Deleted || p.TextBox {
			continue
		}
		r, ok := rowOf[p.Cell.Row]
		if !ok {
			r = len(rows)
			rowOf[p.Cell.Row] = r
			rows = append(rows, map[int]*cell{})
		}
		c := rows[r][p.Cell.Col]
		if c == nil {
			c = &cell{span: p.Cell.Span}
			rows[r][p.Cell.Col] = c
		}
		c.paras = append(c.paras, p)
		cols = max(cols, p.Cell.Col+p.Cell.Span)
	}
	if len(rows) == 0 || cols == 0 {
		return
	}
	w.separate(false)
	for r, row := range rows {
		w.fixed("|")
		for c := 0; c < cols; {
			w.fixed(" ")
			span := 1
			if cl := row[c]; cl != nil {
				wrote := false
				for _, p := range cl.paras {
					toks := w.tokens(p)
					if len(toks) == 0 {
						continue
					}
					if wrote {
						w.fixed(" ")
					}
					w.src.starts = append(w.src.starts, paraAt{w.b.Len(), p})
					w.inline(p, toks, modeTable)
					wrote = true
				}
				span = max(cl.span, 1)
			}
			w.fixed(" |")
			for k := 1; k < span && c+k < cols; k++ {
				w.fixed("  |")
			}
			c += span
		}
		w.fixed("\n")
		if r == 0 {
			w.fixed("|" + strings.Repeat(" --- |", cols) + "\n")
		}
	}
	// The table's last newline is part of the blank line that follows.
	w.b.Truncate(w.b.Len() - 1)
	w.src.segs[len(w.src.segs)-1].md1--
}

// frame writes the headers or footers inside a telltale:off region.
func (w *mdWriter) frame(d *Document, kind StoryKind) {
	var ps []*Paragraph
	seen := map[string]bool{}
	for _, s := range d.Stories {
		if s.Kind != kind {
			continue
		}
		for _, p := range s.Paragraphs {
			text := strings.TrimSpace(p.Text())
			if p.TextBox || text == "" || seen[text] {
				continue
			}
			seen[text] = true
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return
	}
	w.separate(false)
	w.fixed("<!-- telltale:off -->")
	for _, p := range ps {
		w.separate(false)
		w.inlineFixed(p)
	}
	w.separate(false)
	w.fixed("<!-- telltale:on -->")
}

// inlineFixed writes a paragraph whose text never changes.
func (w *mdWriter) inlineFixed(p *Paragraph) {
	n := len(w.src.segs)
	w.src.starts = append(w.src.starts, paraAt{w.b.Len(), p})
	w.inline(p, w.tokens(p), modePara)
	for i := n; i < len(w.src.segs); i++ {
		w.src.segs[i].kind = segFixed
	}
}

// noteLabels numbers footnotes 1, 2, … and endnotes i, ii, … in the
// order the body refers to them.
func (d *Document) noteLabels() map[string]string {
	labels := map[string]string{}
	counts := map[StoryKind]int{}
	for _, s := range d.Stories {
		for _, p := range s.Paragraphs {
			for _, it := range p.Items {
				key := noteKey(it.NoteKind, it.Note)
				if it.Kind != ObjectItem || it.Note == "" || labels[key] != "" {
					continue
				}
				counts[it.NoteKind]++
				if it.NoteKind == Endnotes {
					labels[key] = roman(counts[it.NoteKind])
				} else {
					labels[key] = fmt.Sprint(counts[it.NoteKind])
				}
			}
		}
	}
	return labels
}

func noteKey(k StoryKind, id string) string { return k.String() + "/" + id }

func roman(n int) string {
	if n <= 0 || n >= 40 {
		return fmt.Sprint(n)
	}
	return strings.Repeat("x", n/10) + []string{"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"}[n%10]
}

// notesSection writes footnotes and endnotes after the body, each
// beginning with its label.
func (w *mdWriter) notesSection(d *Document) {
	started := false
	for _, s := range d.Stories {
		if s.Kind != Footnotes && s.Kind != Endnotes {
			continue
		}
		last := ""
		for _, p := range s.Paragraphs {
			if p.NoteType != "" || p.TextBox || p.Note == "" {
				continue
			}
			toks := w.tokens(p)
			if len(toks) == 0 {
				continue
			}
			if !started {
				w.separate(false)
				w.fixed("* * *")
				started = true
			}
			w.separate(false)
			if p.Note != last {
				label := w.notes[noteKey(s.Kind, p.Note)]
				if label == "" {
					label = "?"
				}
				w.fixed(`\[` + label + `\] `)
				last = p.Note
			}
			w.src.starts = append(w.src.starts, paraAt{w.b.Len(), p})
			w.inline(p, toks, modePara)
		}
	}
}

// tok is one character of a paragraph's text, or one tab, break or
// object.
type tok struct {
	item int
	off  int    // byte offset in the item's text
	text string // the character; "" for an object
	kind ItemKind
}

// tokens returns a paragraph's characters and objects without leading
// and trailing white space; none if it shows no text.
func (w *mdWriter) tokens(p *Paragraph) []tok {
	var out []tok
	for i, it := range p.Items {
		switch it.Kind {
		case TextItem:
			for off, r := range it.Text {
				out = append(out, tok{item: i, off: off, text: string(r), kind: TextItem})
			}
		case SpaceItem:
			out = append(out, tok{item: i, text: it.Text, kind: SpaceItem})
		case ObjectItem:
			out = append(out, tok{item: i, text: it.Text, kind: ObjectItem})
		}
	}
	space := func(t tok) bool { return t.kind != ObjectItem && strings.TrimSpace(t.text) == "" }
	for len(out) > 0 && space(out[0]) {
		out = out[1:]
	}
	for len(out) > 0 && space(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	for _, t := range out {
		if t.kind != ObjectItem && t.text != "" && !space(t) {
			return out
		}
	}
	return nil // only pictures or marks: nothing to write
}

type inlineMode uint8

const (
	modePara inlineMode = iota
	modeHeading
	modeTable
)

var entityPattern = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});`)

// inline writes a paragraph's tokens, escaping Markdown markup.
func (w *mdWriter) inline(p *Paragraph, toks []tok, mode inlineMode) {
	w.cur = p
	// The plain text, to find declared variants, entities and numbers.
	var plain strings.Builder
	offs := make([]int, len(toks))
	for i, t := range toks {
		offs[i] = plain.Len()
		if t.kind == ObjectItem {
			plain.WriteByte(0)
		} else {
			plain.WriteString(t.text)
		}
	}
	text := plain.String()
	declared := make([]bool, len(toks))
	for _, m := range declaredPattern.FindAllStringIndex(text, -1) {
		for i := range toks {
			if offs[i] >= m[0] && offs[i] < m[1] {
				declared[i] = true
			}
		}
	}
	lineStart := mode == modePara
	lastBreak := false
	escapeAt := -1 // the "." of a number that would start a list
	for i, t := range toks {
		it := &p.Items[t.item]
		switch {
		case t.kind == ObjectItem:
			label := ""
			if it.Note != "" {
				label = `\[` + w.notes[noteKey(it.NoteKind, it.Note)] + `\]`
			} else if t.text == "-" {
				label = "-"
				if lineStart {
					label = `\-`
				}
			}
			w.fixed(label)
			lineStart, lastBreak = false, false
		case t.kind == SpaceItem && t.text == "\n" && mode == modePara:
			if lastBreak {
				w.fixed("")
				continue
			}
			w.fixed("\\\n")
			lineStart, lastBreak = true, true
		case t.kind == SpaceItem:
			md := " "
			if t.text == "\t" {
				md = "\t"
			}
			w.seg(segSpace, md, t)
			lastBreak = false
		default:
			lastBreak = false
			c, rest := t.text, text[offs[i]:]
			esc := needsEscape(c, rest, mode, declared[i]) || offs[i] == escapeAt
			if lineStart && c != " " && c != "\u00a0" {
				esc = esc || startEscape(rest)
				if k := listNumberEnd(rest); k > 0 {
					escapeAt = offs[i] + k
				}
				lineStart = false
			}
			switch {
			case it.Frozen && esc:
				w.fixed("\\" + c)
			case it.Frozen:
				w.fixed(c)
			case esc:
				w.seg(segEscape, "\\"+c, t)
			default:
				w.seg(segText, c, t)
			}
		}
	}
}

var declaredPattern = regexp.MustCompile(`\{\{[^\n\x00]*?\}\}`)

// seg appends Markdown for one token, merging it into the previous
// segment where both are verbatim text of the same item.
func (w *mdWriter) seg(kind segKind, md string, t tok) {
	start := w.b.Len()
	w.b.WriteString(md)
	if n := len(w.src.segs); n > 0 && kind == segText {
		last := &w.src.segs[n-1]
		if last.kind == segText && last.p == w.cur && last.item == t.item && last.md1 == start && last.off+(last.md1-last.md0) == t.off {
			last.md1 = w.b.Len()
			return
		}
	}
	if kind == segFixed {
		w.src.segs = append(w.src.segs, seg{md0: start, md1: w.b.Len(), kind: segFixed})
		return
	}
	w.src.segs = append(w.src.segs, seg{md0: start, md1: w.b.Len(), kind: kind, p: w.cur, item: t.item, off: t.off})
}

// needsEscape reports whether a character is Markdown markup where it
// stands; rest is the text from it on.
func needsEscape(c, rest string, mode inlineMode, declared bool) bool {
	switch c {
	case "\\", "`", "*", "_", "<", "[", "~":
		return true
	case "|":
		return mode == modeTable && !declared
	case "#":
		return mode == modeHeading
	case "&":
		return entityPattern.MatchString(rest)
	}
	return false
}

// startEscape reports whether text at a line's start would begin a block
// (a heading, quotation, list item, rule or table).
func startEscape(rest string) bool {
	if rest == "" {
		return false
	}
	switch rest[0] {
	case '#', '>', '-', '+', '=', '|', '*', '_':
		return true
	}
	return false
}

// listNumberEnd returns the offset of the "." or ")" ending a line's
// leading number ("12."), or -1.
func listNumberEnd(rest string) int {
	i := 0
	for i < len(rest) && i < 10 && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i > 0 && i < len(rest) && (rest[i] == '.' || rest[i] == ')') {
		return i
	}
	return -1
}
