// Package render turns a template and a codeword into a recipient's copy:
// Markdown (the author's source with the copy's alternatives applied), plain
// text, or a printable HTML page.
//
// [Compile] prepares a template once; the resulting [Renderer] renders any
// number of copies, concurrently, by concatenating precompiled literal text
// and the alternatives each codeword selects, so rendering costs about as
// much as copying the document. The same codeword always gives the same
// bytes.
//
// HTML and plain text are produced by rendering the Markdown once with
// private-use marker characters in place of every slot, then splitting the
// output at the markers; a marker never reaches a copy.
package render

import (
	"bytes"
	"fmt"
	"html"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/zerowidth"
)

// Format is the file format of a rendered copy.
type Format string

const (
	Markdown Format = "md"
	Text     Format = "txt"
	HTML     Format = "html"
	// PDF is printed from the HTML page by package pdf, not rendered
	// here.
	PDF Format = "pdf"
)

// Formats lists the formats a copy can be rendered in here, without a
// browser: the default when an issue names none.
var Formats = []Format{Markdown, HTML, Text}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range append(Formats, PDF) {
		if string(f) == strings.ToLower(strings.TrimSpace(s)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want md, html, txt or pdf)", s)
}

// Ext returns the file name extension of a format, with its dot.
func (f Format) Ext() string { return "." + string(f) }

// ContentType returns the MIME type of a format.
func (f Format) ContentType() string {
	switch f {
	case HTML:
		return "text/html; charset=utf-8"
	case Markdown:
		return "text/markdown; charset=utf-8"
	case PDF:
		return "application/pdf"
	}
	return "text/plain; charset=utf-8"
}

// Renderer renders copies of one template. It is safe for concurrent use.
type Renderer struct {
	t     *mark.Template
	progs map[Format]program
}

type opKind uint8

const (
	opLit       opKind = iota // literal text
	opLeaf                    // one occurrence of a slot: alts[codeword[slot]]
	opItem                    // position pos of a shuffled list
	opInvisible               // a zero-width frame, if the copy has a tag
)

type op struct {
	kind opKind
	lit  string
	slot int
	occ  int      // leaf: occurrence index in its slot
	alts []string // leaf: alternatives in this format
	// styled, for a leaf that follows a document-wide style, is each
	// alternative in each style of slot style (see mark.Occurrence).
	styled [][]string
	style  int
	pos    int       // item: position in the list
	items  []program // item: each item's program, canonical order
}

type program []op

// Compile prepares a template for rendering.
func Compile(t *mark.Template) (*Renderer, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	r := &Renderer{t: t, progs: map[Format]program{}}
	leaves := leafList(t)
	r.progs[Markdown] = compileMarkdown(t, leaves)
	marked, err := markedSource(t, leaves)
	if err != nil {
		return nil, err
	}
	for _, f := range []Format{HTML, Text} {
		var out []byte
		if f == HTML {
			out, err = markedHTML(marked)
		} else {
			out, err = markedText(marked)
		}
		if err != nil {
			return nil, fmt.Errorf("failed to render the %s form of the template: %w", f, err)
		}
		p, err := splitMarked(string(out), t, leaves, f)
		if err != nil {
			return nil, fmt.Errorf("failed to compile the %s form of the template: %w", f, err)
		}
		r.progs[f] = p
	}
	return r, nil
}

// Template returns the compiled template.
func (r *Renderer) Template() *mark.Template { return r.t }

// leaf is one slot occurrence, numbered in source order.
type leaf struct {
	slot, occ int
	mark.Occurrence
}

func leafList(t *mark.Template) []leaf {
	var out []leaf
	for si, s := range t.Slots {
		for oi, o := range s.Occurrences {
			out = append(out, leaf{si, oi, o})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// event is something the Markdown compiler meets in the source.
type event struct {
	start, end int
	kind       opKind // opLeaf, opItem, opInvisible, or opLit for a hidden span
	leaf       int    // index into leaves
	slot, pos  int    // item
}

func compileMarkdown(t *mark.Template, leaves []leaf) program {
	var events []event
	for i, l := range leaves {
		events = append(events, event{start: l.Start, end: l.End, kind: opLeaf, leaf: i})
	}
	for si, s := range t.Slots {
		for k, it := range s.Items {
			events = append(events, event{start: it.Start, end: it.End, kind: opItem, slot: si, pos: k})
		}
	}
	for _, p := range t.Invisible {
		events = append(events, event{start: p, end: p, kind: opInvisible})
	}
	for _, h := range t.Hidden {
		events = append(events, event{start: h.Start, end: h.End, kind: opLit})
	}
	// Outer events before inner ones; insertions before what starts there.
	slices.SortStableFunc(events, func(a, b event) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return (b.end - b.start) - (a.end - a.start)
	})
	c := &mdCompiler{t: t, leaves: leaves, events: events, items: map[int][]program{}}
	return c.compile(0, len(t.Source))
}

type mdCompiler struct {
	t      *mark.Template
	leaves []leaf
	events []event
	done   []bool            // events already compiled
	items  map[int][]program // compiled items per order slot
}

// compile returns the program for Source[a:b]. Events inside [a, b) are
// compiled in place; an insertion at b belongs to whoever reaches it first.
func (c *mdCompiler) compile(a, b int) program {
	if c.done == nil {
		c.done = make([]bool, len(c.events))
	}
	var p program
	pos := a
	for i, e := range c.events {
		if c.done[i] || e.start < pos || e.end > b || (e.start == b && e.end > e.start) {
			continue
		}
		if e.kind == opItem && e.start == a && e.end == b {
			continue // the item being compiled
		}
		c.done[i] = true
		p = p.lit(c.t.Source[pos:e.start])
		switch e.kind {
		case opLeaf:
			l := c.leaves[e.leaf]
			p = append(p, leafOp(c.t, l, Markdown))
		case opInvisible:
			p = append(p, op{kind: opInvisible})
		case opItem:
			p = append(p, op{kind: opItem, slot: e.slot, pos: e.pos, items: c.itemPrograms(e.slot)})
		case opLit:
			// Hidden: skip the span.
		}
		pos = e.end
	}
	return p.lit(c.t.Source[pos:b])
}

func (c *mdCompiler) itemPrograms(slot int) []program {
	if ps, ok := c.items[slot]; ok {
		return ps
	}
	s := c.t.Slots[slot]
	ps := make([]program, len(s.Items))
	for k, it := range s.Items {
		ps[k] = c.compile(it.Start, it.End)
	}
	c.items[slot] = ps
	return ps
}

func (p program) lit(s string) program {
	if s == "" {
		return p
	}
	if n := len(p); n > 0 && p[n-1].kind == opLit {
		p[n-1].lit += s
		return p
	}
	return append(p, op{kind: opLit, lit: s})
}

// Marker characters: a private-use rune naming the kind, then three digits
// in base 1024 (U+EC00…U+EFFF).
const (
	markLeaf      = '\uE000'
	markItemStart = '\uE001'
	markItemEnd   = '\uE002'
	markInvisible = '\uE003'
	digitBase     = 0xEC00
)

func marker(kind rune, n int) string {
	return string([]rune{kind, rune(digitBase + (n>>20)&1023), rune(digitBase + (n>>10)&1023), rune(digitBase + n&1023)})
}

// markedSource is the template source with every leaf replaced by a marker
// and a marker at every invisible insertion point.
func markedSource(t *mark.Template, leaves []leaf) ([]byte, error) {
	type ins struct {
		start, end int
		text       string
	}
	var edits []ins
	for i, l := range leaves {
		edits = append(edits, ins{l.Start, l.End, marker(markLeaf, i)})
	}
	for i, p := range t.Invisible {
		edits = append(edits, ins{p, p, marker(markInvisible, i)})
	}
	slices.SortStableFunc(edits, func(a, b ins) int { return a.start - b.start })
	var out bytes.Buffer
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			return nil, fmt.Errorf("overlapping slot at byte %d", e.start)
		}
		out.WriteString(t.Source[pos:e.start])
		out.WriteString(e.text)
		pos = e.end
	}
	out.WriteString(t.Source[pos:])
	return out.Bytes(), nil
}

// splitMarked turns rendered marked output into a program.
func splitMarked(out string, t *mark.Template, leaves []leaf, f Format) (program, error) {
	s := &splitter{t: t, leaves: leaves, f: f, refs: itemRefs(t), stack: []frame{{item: -1}},
		items: map[int][]program{}, seenLeaf: make([]bool, len(leaves))}
	p, err := s.split(out)
	if err != nil {
		return nil, err
	}
	if err := s.checkAllPlaced(); err != nil {
		return nil, err
	}
	s.attach(p)
	return p, nil
}

// itemRef is a shuffled list's item: its slot and canonical position.
type itemRef struct{ slot, pos int }

// itemRefs lists the items of every shuffled list in document order: item
// marker n marks the item itemRefs(t)[n].
func itemRefs(t *mark.Template) []itemRef {
	var refs []itemRef
	for si, s := range t.Slots {
		if s.Kind == mark.Order {
			for k := range s.Items {
				refs = append(refs, itemRef{si, k})
			}
		}
	}
	return refs
}

// splitter reads marked output back into a program.
type splitter struct {
	t        *mark.Template
	leaves   []leaf
	f        Format
	refs     []itemRef
	stack    []frame           // the document, then the list items open at this point
	items    map[int][]program // by slot: each item's program, in canonical order
	seenLeaf []bool
}

// frame is the program being built for the document (item -1) or for a
// list item.
type frame struct {
	p    program
	item int
}

// split reads the output: the text between markers becomes literal ops,
// each marker an op, and each list item's text a program of its own.
func (s *splitter) split(out string) (program, error) {
	pos := 0
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		if r < markLeaf || r > markInvisible {
			i += size
			continue
		}
		top := &s.stack[len(s.stack)-1]
		top.p = top.p.lit(out[pos:i])
		n, ok := readDigits(out[i+size:])
		if !ok {
			return nil, fmt.Errorf("damaged marker at byte %d", i)
		}
		i += size + 9
		pos = i
		if err := s.marker(r, n); err != nil {
			return nil, err
		}
	}
	if len(s.stack) != 1 {
		return nil, fmt.Errorf("unclosed list item marker")
	}
	return s.stack[0].p.lit(out[pos:]), nil
}

// marker adds marker n of kind r to the program being built.
func (s *splitter) marker(r rune, n int) error {
	top := &s.stack[len(s.stack)-1]
	switch r {
	case markLeaf:
		if n >= len(s.leaves) {
			return fmt.Errorf("unknown slot marker %d", n)
		}
		l := s.leaves[n]
		s.seenLeaf[n] = true
		top.p = append(top.p, leafOp(s.t, l, s.f))
	case markInvisible:
		top.p = append(top.p, op{kind: opInvisible})
	case markItemStart:
		if n >= len(s.refs) {
			return fmt.Errorf("unknown list item marker %d", n)
		}
		s.stack = append(s.stack, frame{item: n})
	case markItemEnd:
		if top.item != n || len(s.stack) < 2 {
			return fmt.Errorf("unbalanced list item marker %d", n)
		}
		s.closeItem(n, top.p)
	}
	return nil
}

// closeItem ends list item n, whose program is p, and puts an item op in
// its place in the enclosing program.
func (s *splitter) closeItem(n int, p program) {
	ref := s.refs[n]
	if s.items[ref.slot] == nil {
		s.items[ref.slot] = make([]program, len(s.t.Slots[ref.slot].Items))
	}
	s.items[ref.slot][ref.pos] = p
	s.stack = s.stack[:len(s.stack)-1]
	parent := &s.stack[len(s.stack)-1]
	parent.p = append(parent.p, op{kind: opItem, slot: ref.slot, pos: ref.pos})
}

// checkAllPlaced checks that every slot occurrence and every list item
// made it to the output.
func (s *splitter) checkAllPlaced() error {
	for i, seen := range s.seenLeaf {
		if !seen {
			return fmt.Errorf("slot occurrence at byte %d vanished from the output", s.leaves[i].Start)
		}
	}
	for si, ips := range s.items {
		for k, ip := range ips {
			if ip == nil {
				return fmt.Errorf("item %d of the shuffled list (slot %d) vanished from the output", k, si)
			}
		}
	}
	return nil
}

// attach gives every item op of p, and of the item programs, its list's
// item programs, now that all are known.
func (s *splitter) attach(p program) {
	for i := range p {
		if p[i].kind == opItem {
			p[i].items = s.items[p[i].slot]
			if p[i].items == nil || len(p[i].items) != len(s.t.Slots[p[i].slot].Items) {
				panic("render: list lost items")
			}
			for _, ip := range p[i].items {
				s.attach(ip)
			}
		}
	}
}

func readDigits(s string) (int, bool) {
	n := 0
	for k := 0; k < 3; k++ {
		r, size := utf8.DecodeRuneInString(s)
		if r < digitBase || r > digitBase+1023 {
			return 0, false
		}
		n = n<<10 | int(r-digitBase)
		s = s[size:]
	}
	return n, true
}

// leafOp returns the operation that writes a leaf in a format.
func leafOp(t *mark.Template, l leaf, f Format) op {
	kind := t.Slots[l.slot].Kind
	o := op{kind: opLeaf, slot: l.slot, occ: l.occ, alts: l.Alts}
	if f != Markdown {
		o.alts = formatAlts(l.Alts, kind, f)
	}
	if st := t.StyleSlot(&l.Occurrence); st >= 0 {
		o.style = st
		for _, row := range l.Styled {
			if f != Markdown {
				row = formatAlts(row, kind, f)
			}
			o.styled = append(o.styled, row)
		}
	}
	return o
}

// formatAlts returns a leaf's alternatives as they appear in a format.
// Declared alternatives may carry inline Markdown (*emphasis*); it is
// rendered. Other alternatives are plain text.
func formatAlts(alts []string, kind mark.Kind, f Format) []string {
	out := make([]string, len(alts))
	for i, a := range alts {
		switch {
		case kind == mark.Declared && hasInlineMarkup(a):
			out[i] = inline(a, f)
		case f == HTML:
			out[i] = html.EscapeString(a)
		default:
			out[i] = a
		}
	}
	return out
}

func hasInlineMarkup(s string) bool { return strings.ContainsAny(s, "*_`[]<>&\\!~") }

// Body renders the body of a copy — the document without marking lines or
// page — for a codeword with one symbol per slot. tag is written in
// zero-width frames if the template opted in to the invisible channel.
func (r *Renderer) Body(f Format, codeword []uint8, tag uint32) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(r.t.Source) + len(r.t.Source)/4)
	if err := r.writeBody(&buf, f, codeword, tag, nil); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Placed is where one slot occurrence, or one item of a shuffled list,
// landed in a rendered body.
type Placed struct {
	Slot int
	Occ  int // occurrence index; -1 for a list item
	Pos  int // list item: position in the list
	Item int // list item: which item (canonical index) is shown there
	// Start and End are the byte range in the output.
	Start, End int
}

// BodySpans renders a body like Body and also reports where every slot
// occurrence landed. Tests use it to check that copies differ only inside
// slots.
func (r *Renderer) BodySpans(f Format, codeword []uint8, tag uint32) ([]byte, []Placed, error) {
	var buf bytes.Buffer
	var placed []Placed
	err := r.writeBody(&buf, f, codeword, tag, &placed)
	return buf.Bytes(), placed, err
}

func (r *Renderer) writeBody(buf *bytes.Buffer, f Format, codeword []uint8, tag uint32, placed *[]Placed) error {
	p, ok := r.progs[f]
	if !ok {
		return fmt.Errorf("unknown format %q", f)
	}
	if len(codeword) != len(r.t.Slots) {
		return fmt.Errorf("codeword has %d symbols, the template has %d slots", len(codeword), len(r.t.Slots))
	}
	for i, s := range codeword {
		if int(s) >= r.t.Slots[i].Q {
			return fmt.Errorf("codeword symbol %d is %d; slot %d (%s) has %d", i, s, i, r.t.Slots[i].Name, r.t.Slots[i].Q)
		}
	}
	frame := ""
	if len(r.t.Invisible) > 0 {
		frame = zerowidth.Frame(tag)
	}
	r.run(buf, p, codeword, frame, placed)
	return nil
}

func (r *Renderer) run(buf *bytes.Buffer, p program, cw []uint8, frame string, placed *[]Placed) {
	for i := range p {
		o := &p[i]
		switch o.kind {
		case opLit:
			buf.WriteString(o.lit)
		case opLeaf:
			start := buf.Len()
			if o.styled != nil {
				buf.WriteString(o.styled[cw[o.slot]][cw[o.style]])
			} else {
				buf.WriteString(o.alts[cw[o.slot]])
			}
			if placed != nil {
				*placed = append(*placed, Placed{Slot: o.slot, Occ: o.occ, Pos: -1, Item: -1, Start: start, End: buf.Len()})
			}
		case opInvisible:
			buf.WriteString(frame)
		case opItem:
			item := r.t.ItemAt(o.slot, cw, o.pos)
			start := buf.Len()
			r.run(buf, o.items[item], cw, frame, placed)
			if placed != nil {
				*placed = append(*placed, Placed{Slot: o.slot, Occ: -1, Pos: o.pos, Item: item, Start: start, End: buf.Len()})
			}
		}
	}
}

// Alternatives returns one slot occurrence's alternatives as they appear in
// a format (HTML-escaped, inline Markdown rendered).
func (r *Renderer) Alternatives(f Format, slot, occ int) []string {
	s := r.t.Slots[slot]
	return formatAlts(s.Occurrences[occ].Alts, s.Kind, f)
}
