package docx

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
)

// Mark reads a Word document as a telltale source: it checks the file
// (see [Open]; a macro-enabled document is refused too), writes its text
// as Markdown ([Document.Markdown]), parses and marks it with packages
// parse and mark, and prepares the renderer of its copies. name is used
// in messages. Errors in the author's markup are *parse.Error values that
// name the paragraph.
//
// A slot the marker finds in text that cannot be edited in the runs —
// across a footnote mark, a picture or a field's result — is left out of
// the template; a declared variant there is an error.
func Mark(name string, file []byte, opts mark.Options) (*mark.Template, *Renderer, error) {
	d, err := Open(file)
	if err != nil {
		return nil, nil, err
	}
	if d.Macros != "" {
		return nil, nil, refuse("save it as a Word Document (.docx) without macros", "telltale does not store documents that carry code: %s", d.Macros)
	}
	src, err := d.Markdown()
	if err != nil {
		return nil, nil, named(err, name)
	}
	doc, err := parse.Parse(name, src.Markdown)
	if err != nil {
		return nil, nil, src.translate(err, name)
	}
	t, err := mark.Mark(doc, opts)
	if err != nil {
		return nil, nil, err
	}
	if t, err = fit(t, src, doc); err != nil {
		return nil, nil, named(err, name)
	}
	if t.Title == "" {
		t.Title = d.coreTitle()
	}
	r, err := compile(d, src, doc, t)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to prepare the copies of %s: %w", name, err)
	}
	return t, r, nil
}

// Load rebuilds the renderer of a stored Word source from its file and
// the template Mark made of it.
func Load(file []byte, t *mark.Template) (*Renderer, error) {
	d, err := Open(file)
	if err != nil {
		return nil, err
	}
	src, err := d.Markdown()
	if err != nil {
		return nil, err
	}
	doc, err := parse.Parse("source.docx", src.Markdown)
	if err != nil {
		return nil, err
	}
	if string(doc.Source) != t.Source {
		return nil, errors.New("the template was not made from this Word document (or by another version of telltale)")
	}
	return compile(d, src, doc, t)
}

func named(err error, name string) error {
	var pe *parse.Error
	if errors.As(err, &pe) && pe.File == "" {
		pe.File = name
	}
	return err
}

// translate turns a parse error's Markdown line into the paragraph it
// came from.
func (s *Source) translate(err error, name string) error {
	var pe *parse.Error
	if !errors.As(err, &pe) || pe.Line == 0 {
		return err
	}
	off := 0
	for line := 1; line < pe.Line; line++ {
		k := bytes.IndexByte(s.Markdown[off:], '\n')
		if k < 0 {
			break
		}
		off += k + 1
	}
	p := s.paragraphAt(off + max(pe.Col-1, 0))
	if p == nil {
		return err
	}
	return &parse.Error{File: name, Msg: "in " + where(p) + ": " + pe.Msg, Hint: pe.Hint}
}

// paragraphAt returns the paragraph written at a Markdown offset.
func (s *Source) paragraphAt(md int) *Paragraph {
	i := sort.Search(len(s.starts), func(i int) bool { return s.starts[i].md > md }) - 1
	if i < 0 {
		return nil
	}
	return s.starts[i].p
}

// leaf is one slot occurrence placed in the document's runs.
type leaf struct {
	slot, occ int
	style     int        // the slot of the style it follows, or -1
	alts      []string   // the Word text of each symbol
	styled    [][]string // [symbol][style], if it follows a style
	original  string     // the text it covers in the document
	anchor    loc
	covers    []cover
}

// place finds where a slot occurrence is in the runs.
func place(t *mark.Template, src *Source, doc *parse.Document, si, oi int) (leaf, bool) {
	s := &t.Slots[si]
	o := &s.Occurrences[oi]
	a, b := doc.FileOffset(o.Start), doc.FileOffset(o.End)
	l := leaf{slot: si, occ: oi, style: t.StyleSlot(o)}
	var ok bool
	l.anchor, l.covers, ok = src.locate(a, b)
	if !ok {
		return l, false
	}
	l.original = coveredText(l.covers)
	for _, alt := range o.Alts {
		l.alts = append(l.alts, mdUnescape(alt))
	}
	for _, row := range o.Styled {
		var r []string
		for _, alt := range row {
			r = append(r, mdUnescape(alt))
		}
		l.styled = append(l.styled, r)
	}
	// Outside a declared variant, the canonical text is the document's.
	if s.Kind != mark.Declared && l.alts[0] != l.original {
		return l, false
	}
	return l, true
}

// fit leaves out of a template the slot occurrences that cannot be
// placed in the runs, and the slots left with none. A declared variant
// that cannot be placed is the author's to fix.
func fit(t *mark.Template, src *Source, doc *parse.Document) (*mark.Template, error) {
	out := *t
	out.Slots = nil
	dropped := map[string]bool{}
	for si := range t.Slots {
		s := t.Slots[si]
		if s.Kind == mark.Order {
			out.Slots = append(out.Slots, s)
			continue
		}
		var keep []mark.Occurrence
		for oi := range s.Occurrences {
			if _, ok := place(t, src, doc, si, oi); ok {
				keep = append(keep, s.Occurrences[oi])
				continue
			}
			if s.Kind == mark.Declared {
				o := s.Occurrences[oi]
				msg := fmt.Sprintf("the declared variant {{%s}} spans a footnote mark, a picture or a field", mdUnescape(joinAlts(o.Alts)))
				if p := src.paragraphAt(doc.FileOffset(o.Start)); p != nil {
					msg = "in " + where(p) + ": " + msg
				}
				return nil, &parse.Error{Msg: msg, Hint: "keep each {{…}} to plain text"}
			}
		}
		if len(keep) == 0 {
			dropped[s.Name] = true
			continue
		}
		s.Occurrences = keep
		out.Slots = append(out.Slots, s)
	}
	if len(dropped) > 0 {
		for si := range out.Slots {
			s := &out.Slots[si]
			if s.Kind != mark.Declared {
				continue
			}
			s.Occurrences = slices.Clone(s.Occurrences)
			for oi := range s.Occurrences {
				if o := &s.Occurrences[oi]; dropped[o.Style] {
					o.Style, o.Styled = "", nil
				}
			}
		}
	}
	if err := out.Check(); err != nil {
		return nil, fmt.Errorf("internal error while fitting the template to the Word document: %w", err)
	}
	return &out, nil
}

func joinAlts(alts []string) string {
	var b bytes.Buffer
	for i, a := range alts {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(a)
	}
	return b.String()
}
