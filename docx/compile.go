package docx

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
)

// Options are the owner's choices for a copy.
type Options struct {
	// KeepComments keeps the document's comments (and their authors'
	// names) in the copy; by default they are removed.
	KeepComments bool
}

// Renderer writes the copies of one Word source. It is safe for
// concurrent use.
type Renderer struct {
	d      *Document
	src    *Source
	parsed *parse.Document
	t      *mark.Template
	leaves []leaf
	lists  []*list
	// variants are the compiled packages, without and with comments.
	variants [2]struct {
		once sync.Once
		pkg  *pkg
		err  error
	}
}

type opKind uint8

const (
	opLit     opKind = iota // literal bytes
	opPiece                 // a w:t element some slots edit
	opSpace                 // a tab or break a slot may remove
	opItem                  // a position of a shuffled list
	opMarking               // the copy's marking paragraph
)

type op struct {
	kind   opKind
	lit    string
	piece  *piece
	leaf   int
	list   *list
	pos    int
	prefix string // marking: the part's WordprocessingML prefix
}

type program []op

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

// piece is a w:t element whose text slots edit.
type piece struct {
	orig   string // the element's bytes
	prefix string
	text   string // its text
	cuts   []cut
}

// cut is the part of a piece's text one slot occurrence replaces. The
// first piece of an occurrence shows the replacement; the others lose
// their part of the text.
type cut struct {
	from, to, leaf int
	first          bool
}

// list is a shuffled list: its first order slot and its items' programs.
type list struct {
	slot  int
	items []program
}

// compile places every slot of a template in the document's runs.
func compile(d *Document, src *Source, doc *parse.Document, t *mark.Template) (*Renderer, error) {
	r := &Renderer{d: d, src: src, parsed: doc, t: t}
	for si, s := range t.Slots {
		for oi := range s.Occurrences {
			l, ok := place(t, src, doc, si, oi)
			if !ok {
				return nil, fmt.Errorf("slot %d (%s) at byte %d cannot be placed in the document's runs", si, s.Name, s.Occurrences[oi].Start)
			}
			r.leaves = append(r.leaves, l)
		}
	}
	for si, s := range t.Slots {
		if s.Kind != mark.Order || len(s.Items) == 0 {
			continue
		}
		if s.Insert == 0 {
			return nil, fmt.Errorf("slot %d: lists shuffled by permutation are not supported in Word documents", si)
		}
		r.lists = append(r.lists, &list{slot: si, items: make([]program, len(s.Items))})
	}
	return r, nil
}

// edit kinds' priorities, for edits of the same bytes: removing or
// replacing an element wins over scrubbing its attributes.
const (
	prioRemove = iota
	prioItem
	prioScrub
)

// pedit is an edit of a story part.
type pedit struct {
	start, end int
	prio       int
	op         op
	list       *list
	k          int // item index, for a list item
}

// storyEdits collects every edit of a story for one variant.
func (r *Renderer) storyEdits(s *Story, keepComments bool, src *Source) ([]pedit, error) {
	var es []pedit
	static := func(list []edit, prio int) {
		for _, e := range list {
			es = append(es, pedit{start: e.start, end: e.end, prio: prio, op: op{kind: opLit, lit: e.text}})
		}
	}
	static(s.accept, prioRemove)
	static(s.scrub, prioScrub)
	if !keepComments {
		static(s.comments, prioRemove)
	}
	for _, p := range src.directives {
		if p.Story == s {
			es = append(es, pedit{start: p.Start, end: p.End, prio: prioRemove, op: op{kind: opLit}})
		}
	}
	// Pieces: every text item a slot occurrence touches.
	pieces := map[[2]int]*piece{} // by paragraph start and item
	for li, l := range r.leaves {
		if l.anchor.p.Story != s {
			continue
		}
		first := true
		add := func(p *Paragraph, item, from, to int) {
			it := &p.Items[item]
			if it.Kind == SpaceItem {
				es = append(es, pedit{start: it.Start, end: it.End, prio: prioRemove, op: op{kind: opSpace, leaf: li, lit: string(s.src()[it.Start:it.End])}})
				return
			}
			key := [2]int{p.Start, item}
			pc := pieces[key]
			if pc == nil {
				pc = &piece{orig: string(s.src()[it.Start:it.End]), prefix: it.prefix, text: it.Text}
				pieces[key] = pc
				es = append(es, pedit{start: it.Start, end: it.End, prio: prioRemove, op: op{kind: opPiece, piece: pc}})
			}
			pc.cuts = append(pc.cuts, cut{from: from, to: to, leaf: li, first: first})
			first = false
		}
		if len(l.covers) == 0 {
			add(l.anchor.p, l.anchor.item, l.anchor.off, l.anchor.off)
		}
		for _, c := range l.covers {
			if c.p.Items[c.item].Kind != SpaceItem && first && (c.item != l.anchor.item || c.from != l.anchor.off) {
				return nil, fmt.Errorf("slot occurrence at %q: its first text is not its anchor", l.original)
			}
			add(c.p, c.item, c.from, c.to)
		}
	}
	for _, pc := range pieces {
		slices.SortFunc(pc.cuts, func(a, b cut) int { return a.from - b.from })
	}
	// Shuffled lists: each item is its paragraphs, first to last.
	for _, ls := range r.lists {
		slot := &r.t.Slots[ls.slot]
		prevEnd := -1
		for k, it := range slot.Items {
			md := r.doc().FileOffset(it.Start)
			j := slices.IndexFunc(src.items, func(li listItem) bool { return li.md == md })
			if j < 0 {
				return nil, fmt.Errorf("item %d of the shuffled list at slot %d is not a list paragraph", k, ls.slot)
			}
			paras := src.items[j].paras
			if paras[0].Story != s {
				break
			}
			start, end := paras[0].Start, paras[len(paras)-1].End
			if start < prevEnd {
				return nil, fmt.Errorf("items of the shuffled list at slot %d overlap", ls.slot)
			}
			prevEnd = end
			es = append(es, pedit{start: start, end: end, prio: prioItem, op: op{kind: opItem}, list: ls, k: k})
		}
	}
	return es, nil
}

// build compiles a part's bytes and edits into a program.
func build(src []byte, es []pedit) (program, error) {
	slices.SortStableFunc(es, func(a, b pedit) int {
		switch {
		case a.start != b.start:
			return a.start - b.start
		case (a.end == a.start) != (b.end == b.start):
			if a.end == a.start {
				return -1
			}
			return 1
		case a.end != b.end:
			return b.end - a.end
		}
		return a.prio - b.prio
	})
	b := &builder{src: src, es: es}
	return b.compile(0, len(src))
}

type builder struct {
	src []byte
	es  []pedit
	i   int
}

func (b *builder) compile(a, end int) (program, error) {
	var p program
	pos := a
	for b.i < len(b.es) {
		e := b.es[b.i]
		if e.start > end || e.start == end && (e.end > e.start || end != len(b.src)) {
			break
		}
		if e.start < pos {
			if e.end <= pos {
				b.i++ // inside an edit already made
				continue
			}
			return nil, fmt.Errorf("edits overlap at bytes %d–%d", e.start, e.end)
		}
		if e.end > end {
			return nil, fmt.Errorf("edit at bytes %d–%d crosses the end of an enclosing edit at %d", e.start, e.end, end)
		}
		b.i++
		p = p.lit(string(b.src[pos:e.start]))
		switch {
		case e.op.kind == opItem:
			sub, err := b.compile(e.start, e.end)
			if err != nil {
				return nil, err
			}
			e.list.items[e.k] = sub
			p = append(p, op{kind: opItem, list: e.list, pos: e.k})
		case e.op.kind == opLit:
			p = p.lit(e.op.lit)
		default:
			p = append(p, e.op)
		}
		pos = e.end
	}
	return p.lit(string(b.src[pos:end])), nil
}

func (s *Story) src() []byte { return s.doc.parts[s.Part] }

func (r *Renderer) doc() *parse.Document { return r.parsed }

// xmlEscape escapes text for an element's content, dropping characters
// XML 1.0 does not allow.
func xmlEscape(b *strings.Builder, s string) {
	for _, c := range s {
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c != 0xFFFE && c != 0xFFFF && !(c >= 0xD800 && c <= 0xDFFF):
			b.WriteRune(c)
		}
	}
}

// Markdown returns the document's text as Markdown: the source its
// template was marked from.
func (r *Renderer) Markdown() []byte { return r.src.Markdown }
