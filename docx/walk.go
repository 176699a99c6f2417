package docx

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// StoryKind says which part of a document a story is.
type StoryKind uint8

const (
	Body StoryKind = iota
	Footnotes
	Endnotes
	Header
	Footer
)

var storyNames = [...]string{"body", "footnotes", "endnotes", "header", "footer"}

func (k StoryKind) String() string { return storyNames[k] }

// Story is one XML part of running text: the body, the footnotes, the
// endnotes, or one header or footer.
type Story struct {
	Part       string
	Kind       StoryKind
	Paragraphs []*Paragraph
	doc        *Document

	// Edits every copy makes, in this part's bytes: accepting tracked
	// changes, removing revision session ids, and (unless comments are
	// kept) removing comment anchors.
	accept, scrub, comments []edit
	// sections are the body's section properties (w:sectPr).
	sections []section
	// root is the root element's end tag's offset, and prefix the
	// prefix the part gives the WordprocessingML namespace.
	rootEnd int
	prefix  string
	// inserted and deleted count tracked changes.
	inserted, deleted int
}

// edit replaces bytes [start, end) of a part with text.
type edit struct {
	start, end int
	text       string
}

// section is a w:sectPr: where it is and which header references it has.
type section struct {
	start, end  int // the start tag, or the whole element if empty
	selfClosing bool
	headers     []string // types of its w:headerReference elements
}

// Paragraph is a w:p element and its text.
type Paragraph struct {
	Story      *Story
	Start, End int // the element's bytes in the part
	// Style is the paragraph style's id; Heading its heading level (1–6,
	// 0 if not a heading); NumID and Level its numbering ("" if none).
	Style   string
	Heading int
	NumID   string
	Level   int
	// Cell is the table cell the paragraph is in (the outermost table's,
	// for nested tables), or nil.
	Cell *Cell
	// TextBox is set for a paragraph in a text box or shape; Deleted for
	// one in a table row deleted as a tracked change; Section for one
	// that ends a section.
	TextBox, Deleted, Section bool
	// Note is the id of the footnote or endnote the paragraph is in, and
	// NoteType its type ("" for a note, "separator", …).
	Note     string
	NoteType string
	Items    []Item
}

// Cell is a table cell's place.
type Cell struct {
	Table    *Table
	Row, Col int // Col counts grid columns
	Span     int // grid columns the cell spans
}

// Table is a table in a story, with its width in grid columns.
type Table struct {
	Cols int
}

// ItemKind is the kind of an item of a paragraph.
type ItemKind uint8

const (
	// TextItem is the content of a w:t element.
	TextItem ItemKind = iota
	// SpaceItem is a tab (Text "\t") or a line, column or page break
	// (Text "\n").
	SpaceItem
	// ObjectItem is something shown in the text that is not text:
	// a footnote or endnote mark, a picture, a symbol, a non-breaking
	// hyphen (Text "-").
	ObjectItem
)

// Item is one piece of a paragraph's content, in document order.
type Item struct {
	Kind ItemKind
	Text string
	// Frozen is set for the result of a field (a page number, a
	// cross-reference, a table of contents), which Word may recompute:
	// it is shown but never changed.
	Frozen bool
	// Start and End are the element's bytes in the part; for a TextItem
	// the whole <w:t …>…</w:t>.
	Start, End int
	// prefix is a TextItem's element prefix as written ("w").
	prefix string
	// Note is the id of the note a footnote or endnote mark refers to.
	Note     string
	NoteKind StoryKind
}

// Text returns a paragraph's text: its text, tabs and breaks, and the
// text of its objects.
func (p *Paragraph) Text() string {
	var b strings.Builder
	for _, it := range p.Items {
		b.WriteString(it.Text)
	}
	return b.String()
}

// frame is an open element.
type frame struct {
	local      string
	w          bool // in the WordprocessingML namespace
	start, end int  // the start tag
	// what the element's end does: remove the element, or remove its
	// end tag (unwrap).
	removeAll, unwrap bool
	skip              bool // its content is not text
}

// runCtx is an open w:r.
type runCtx struct {
	start      int
	commentRef bool
}

// paraCtx is an open w:p.
type paraCtx struct {
	p   *Paragraph
	run *runCtx
	// text is the open w:t: its start and content start.
	text     *Item
	textFrom int
	textBuf  []byte
}

type tableCtx struct {
	t         *Table
	row, col  int
	span      int
	rowStart  int
	rowDelete bool
}

type walker struct {
	part    string
	src     []byte
	s       *Story
	stack   []frame
	paras   []*paraCtx
	tables  []*tableCtx
	skip    int // depth inside elements whose content is not text
	frozen  int // depth inside simple fields
	textBox int
	fields  []bool // complex fields open: true once past "separate"
	note    string
	noteTyp string
	styles  *styles
}

var rsidAttr = regexp.MustCompile(`\s+[A-Za-z_][\w.-]*:rsid\w*\s*=\s*(?:"[^"]*"|'[^']*')`)

// walk reads one story part.
func (d *Document) walk(part string, kind StoryKind) (*Story, error) {
	src := d.parts[part]
	w := &walker{part: part, src: src, s: &Story{Part: part, Kind: kind, rootEnd: -1, doc: d}, styles: d.styles}
	var walkErr error // an error of the walk, not of the XML
	err := tokens(src, func(tok xml.Token, before, after int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			w.start(t, before, after)
		case xml.EndElement:
			if err := w.end(t, before, after); err != nil {
				walkErr = err
				return err
			}
		case xml.CharData:
			if len(w.paras) > 0 {
				if pc := w.paras[len(w.paras)-1]; pc.text != nil {
					pc.textBuf = append(pc.textBuf, t...)
				}
			}
		}
		return nil
	})
	switch {
	case walkErr != nil:
		return nil, walkErr
	case err != nil:
		return nil, errDamaged(part, err)
	}
	if w.s.rootEnd < 0 {
		return nil, refuse("save the document again from Word", "the Word document is damaged: %s is empty", part)
	}
	slices.SortFunc(w.s.Paragraphs, func(a, b *Paragraph) int { return a.Start - b.Start })
	return w.s, nil
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && (a.Name.Space == nsW || a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}

// rawPrefix returns the prefix of the element whose start tag begins at
// src[start].
func rawPrefix(src []byte, start int) string {
	end := start + 1
	for end < len(src) && !strings.ContainsRune(" \t\r\n/>", rune(src[end])) {
		end++
	}
	name := string(src[start+1 : end])
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[:i]
	}
	return ""
}

func (w *walker) parent() *frame {
	if len(w.stack) == 0 {
		return nil
	}
	return &w.stack[len(w.stack)-1]
}

func (w *walker) para() *paraCtx {
	if len(w.paras) == 0 {
		return nil
	}
	return w.paras[len(w.paras)-1]
}

// trackedRemove are revision elements removed whole when changes are
// accepted: the old properties of a formatting change, and range marks.
var trackedRemove = map[string]bool{
	"rPrChange": true, "pPrChange": true, "sectPrChange": true, "tblPrChange": true, "tblPrExChange": true,
	"trPrChange": true, "tcPrChange": true, "tblGridChange": true, "numberingChange": true,
	"moveFromRangeStart": true, "moveFromRangeEnd": true, "moveToRangeStart": true, "moveToRangeEnd": true,
	"customXmlInsRangeStart": true, "customXmlInsRangeEnd": true, "customXmlDelRangeStart": true, "customXmlDelRangeEnd": true,
	"customXmlMoveFromRangeStart": true, "customXmlMoveFromRangeEnd": true, "customXmlMoveToRangeStart": true, "customXmlMoveToRangeEnd": true,
	"cellIns": true, "cellDel": true, "cellMerge": true,
}

func (w *walker) start(t xml.StartElement, before, after int) {
	if w.s.prefix == "" && len(w.stack) == 0 {
		w.s.prefix = rawPrefix(w.src, before)
	}
	for _, a := range t.Attr {
		if a.Name.Space == nsW && strings.HasPrefix(a.Name.Local, "rsid") {
			w.s.scrub = append(w.s.scrub, edit{before, after, rsidAttr.ReplaceAllString(string(w.src[before:after]), "")})
			break
		}
	}
	parent := w.parent()
	f := frame{local: t.Name.Local, w: t.Name.Space == nsW, start: before, end: after}
	defer func() { w.stack = append(w.stack, f) }()
	if w.skip > 0 {
		w.skip++
		return
	}
	if t.Name.Space == nsMC && t.Name.Local == "Fallback" {
		w.skip, f.skip = 1, true // the same content as the Choice before it
		return
	}
	if !f.w {
		return
	}
	pc := w.para()
	up := "" // the parent's local name
	if parent != nil && parent.w {
		up = parent.local
	}
	inProps := up == "rPr" || up == "trPr"
	switch name := t.Name.Local; {
	case trackedRemove[name]:
		w.s.accept = append(w.s.accept, edit{before, after, ""})
		f.removeAll, f.skip, w.skip = true, true, 1
	case (name == "del" || name == "moveFrom") && inProps:
		w.s.accept = append(w.s.accept, edit{before, after, ""})
		if up == "trPr" && len(w.tables) > 0 {
			w.tables[len(w.tables)-1].rowDelete = true
		}
		f.skip, w.skip = true, 1
	case name == "del" || name == "moveFrom":
		w.s.deleted++
		f.removeAll, f.skip, w.skip = true, true, 1
	case (name == "ins" || name == "moveTo") && inProps:
		w.s.accept = append(w.s.accept, edit{before, after, ""})
		f.skip, w.skip = true, 1
	case name == "ins" || name == "moveTo":
		w.s.inserted++
		w.s.accept = append(w.s.accept, edit{before, after, ""})
		f.unwrap = true
	case name == "delText" || name == "instrText" || name == "delInstrText":
		f.skip, w.skip = true, 1
	case name == "body":
	case name == "footnote" || name == "endnote":
		w.note, w.noteTyp = attr(t, "id"), attr(t, "type")
	case name == "p":
		p := &Paragraph{Story: w.s, Start: before, TextBox: w.textBox > 0, Note: w.note, NoteType: w.noteTyp}
		if n := len(w.tables); n > 0 {
			tc := w.tables[0]
			p.Cell = &Cell{Table: tc.t, Row: tc.row, Col: tc.col, Span: max(tc.span, 1)}
			p.Deleted = w.tables[n-1].rowDelete
		}
		w.paras = append(w.paras, &paraCtx{p: p})
	case name == "pStyle" && up == "pPr" && pc != nil:
		pc.p.Style = attr(t, "val")
	case name == "outlineLvl" && up == "pPr" && pc != nil:
		if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 {
			pc.p.Heading = n + 1 // resolved with the style at the paragraph's end
		}
	case name == "ilvl" && up == "numPr" && pc != nil:
		pc.p.Level, _ = strconv.Atoi(attr(t, "val"))
	case name == "numId" && up == "numPr" && pc != nil:
		pc.p.NumID = attr(t, "val")
		if pc.p.NumID == "" {
			pc.p.NumID = "0"
		}
	case name == "sectPr":
		if pc != nil {
			pc.p.Section = true
		}
		sc := section{start: before, end: after, selfClosing: bytes.HasSuffix(w.src[before:after], []byte("/>"))}
		w.s.sections = append(w.s.sections, sc)
	case name == "headerReference" && up == "sectPr" && len(w.s.sections) > 0:
		s := &w.s.sections[len(w.s.sections)-1]
		s.headers = append(s.headers, attr(t, "type"))
	case name == "r" && pc != nil:
		pc.run = &runCtx{start: before}
	case name == "t" && pc != nil && up == "r":
		pc.text = &Item{Kind: TextItem, Start: before, prefix: rawPrefix(w.src, before)}
		pc.textFrom, pc.textBuf = after, nil
	case (name == "tab" || name == "ptab") && up == "r":
		w.item(Item{Kind: SpaceItem, Text: "\t", Start: before, End: after})
	case (name == "br" || name == "cr") && up == "r":
		w.item(Item{Kind: SpaceItem, Text: "\n", Start: before, End: after})
	case name == "noBreakHyphen":
		w.item(Item{Kind: ObjectItem, Text: "-", Start: before, End: after})
	case name == "sym", name == "drawing", name == "pict", name == "object":
		w.item(Item{Kind: ObjectItem, Start: before, End: after})
	case name == "footnoteReference" || name == "endnoteReference":
		k := Footnotes
		if name == "endnoteReference" {
			k = Endnotes
		}
		w.item(Item{Kind: ObjectItem, Start: before, End: after, Note: attr(t, "id"), NoteKind: k})
	case name == "commentReference":
		if pc != nil && pc.run != nil {
			pc.run.commentRef = true
		}
	case name == "commentRangeStart" || name == "commentRangeEnd":
		w.s.comments = append(w.s.comments, edit{before, after, ""})
	case name == "fldChar":
		switch attr(t, "fldCharType") {
		case "begin":
			w.fields = append(w.fields, false)
		case "separate":
			if n := len(w.fields); n > 0 {
				w.fields[n-1] = true
			}
		case "end":
			if n := len(w.fields); n > 0 {
				w.fields = w.fields[:n-1]
			}
		}
	case name == "fldSimple":
		w.frozen++
	case name == "txbxContent":
		w.textBox++
	case name == "tbl":
		w.tables = append(w.tables, &tableCtx{t: &Table{}, row: -1})
	case name == "tr" && len(w.tables) > 0:
		tc := w.tables[len(w.tables)-1]
		tc.row++
		tc.col, tc.rowStart, tc.rowDelete = 0, before, false
	case name == "tc" && len(w.tables) > 0:
		w.tables[len(w.tables)-1].span = 1
	case name == "gridSpan" && up == "tcPr" && len(w.tables) > 0:
		if n, err := strconv.Atoi(attr(t, "val")); err == nil && n > 1 && n < 64 {
			w.tables[len(w.tables)-1].span = n
		}
	}
}

// item adds an item to the open paragraph, unless it is in a field's
// code.
func (w *walker) item(it Item) {
	pc := w.para()
	if pc == nil || w.inFieldCode() {
		return
	}
	it.Frozen = it.Frozen || w.frozen > 0 || len(w.fields) > 0
	pc.p.Items = append(pc.p.Items, it)
}

// inFieldCode reports whether a complex field's code (before its
// "separate") is open.
func (w *walker) inFieldCode() bool {
	for _, result := range w.fields {
		if !result {
			return true
		}
	}
	return false
}

func (w *walker) end(t xml.EndElement, before, after int) error {
	if len(w.stack) == 0 {
		return refuse("save the document again from Word", "the Word document is damaged: %s has an unmatched end tag", w.part)
	}
	f := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	if len(w.stack) == 0 {
		w.s.rootEnd = before
	}
	if w.skip > 0 {
		w.skip--
		if !f.skip {
			return nil
		}
	}
	switch {
	case f.removeAll:
		w.s.accept = append(w.s.accept, edit{f.start, after, ""})
		return nil
	case f.unwrap:
		w.s.accept = append(w.s.accept, edit{before, after, ""})
		return nil
	case f.skip || !f.w:
		return nil
	}
	pc := w.para()
	switch f.local {
	case "t":
		if pc != nil && pc.text != nil {
			it := pc.text
			it.End, it.Text = after, string(pc.textBuf)
			pc.text = nil
			if it.Text != "" {
				w.item(*it)
			}
		}
	case "r":
		if pc != nil && pc.run != nil {
			if pc.run.commentRef {
				w.s.comments = append(w.s.comments, edit{pc.run.start, after, ""})
			}
			pc.run = nil
		}
	case "p":
		if pc == nil {
			return nil
		}
		p := pc.p
		p.End = after
		p.Heading = w.styles.heading(p.Style, p.Heading)
		if p.NumID == "" {
			p.NumID, p.Level = w.styles.numbering(p.Style)
		}
		if p.NumID == "0" {
			p.NumID = ""
		}
		w.s.Paragraphs = append(w.s.Paragraphs, p)
		w.paras = w.paras[:len(w.paras)-1]
	case "footnote", "endnote":
		w.note, w.noteTyp = "", ""
	case "fldSimple":
		w.frozen--
	case "txbxContent":
		w.textBox--
	case "tbl":
		if n := len(w.tables); n > 0 {
			w.tables = w.tables[:n-1]
		}
	case "tr":
		if n := len(w.tables); n > 0 {
			tc := w.tables[n-1]
			if tc.rowDelete {
				w.s.accept = append(w.s.accept, edit{tc.rowStart, after, ""})
			}
			tc.t.Cols = max(tc.t.Cols, tc.col)
		}
	case "tc":
		if n := len(w.tables); n > 0 {
			tc := w.tables[n-1]
			tc.col += max(tc.span, 1)
			tc.span = 1
		}
	case "sectPr":
		if n := len(w.s.sections); n > 0 && !w.s.sections[n-1].selfClosing {
			w.s.sections[n-1].end = f.end // the start tag
		}
	}
	return nil
}
