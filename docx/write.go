package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/render"
)

// pkg is a compiled copy: every file of the archive, as it is copied,
// precompressed once, or rendered for each copy.
type pkg struct {
	entries []entry
}

type entry struct {
	name string
	raw  *blob    // compressed bytes, the same in every copy
	prog *program // rendered for each copy
}

type blob struct {
	method              uint16
	crc                 uint32
	size, compressedLen uint64
	data                []byte
}

// zipTime is every file's modification time in a copy: the author's
// clock says nothing.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// dosDate and dosTime are zipTime in the archive's MS-DOS fields
// (1980-01-01 is day 1 of month 1 of year 0).
const (
	dosDate = 1<<5 | 1
	dosTime = 0
)

// fileHeader is the header of a copy's file, dated zipTime.
func fileHeader(name string, method uint16) *zip.FileHeader {
	h := &zip.FileHeader{Name: name, Method: method}
	//lint:ignore SA1019 the MS-DOS fields only: Modified would add an extended timestamp to every entry
	h.ModifiedDate, h.ModifiedTime = dosDate, dosTime
	return h
}

// Relationship types of parts a copy leaves out or rewrites.
const (
	relCore      = "core-properties"
	relApp       = "extended-properties"
	relCustom    = "custom-properties"
	relThumbnail = "thumbnail"
	relPeople    = "people"
)

var commentRels = []string{"comments", "commentsExtended", "commentsIds", "commentsExtensible"}

// markingHeader is the part added for the marking line when a document
// has no header.
const (
	markingHeader = "telltale-marking-header.xml"
	markingRelID  = "rIdTelltaleMarking"
)

func (r *Renderer) variant(keepComments bool) (*pkg, error) {
	k := 0
	if keepComments {
		k = 1
	}
	v := &r.variants[k]
	v.once.Do(func() { v.pkg, v.err = r.compilePkg(keepComments) })
	return v.pkg, v.err
}

// compilePkg prepares the archive of copies for one choice of comments.
func (r *Renderer) compilePkg(keepComments bool) (*pkg, error) {
	d := r.d
	removed := map[string]bool{}
	var core, app string
	for _, rl := range d.pkgRels {
		switch rl.kind() {
		case relCustom, relThumbnail:
			removed[rl.Target] = true
		case relCore:
			core = rl.Target
		case relApp:
			app = rl.Target
		}
	}
	if p := d.target("settings"); p != "" {
		// The attached template's and mail merge sources' paths.
		removed[relsName(p)] = true
	}
	for _, rl := range d.mainRels {
		if rl.Mode == "External" {
			continue
		}
		if rl.kind() == relPeople || !keepComments && contains(commentRels, rl.kind()) {
			removed[rl.Target] = true
		}
	}
	var headers []*Story
	for _, s := range d.Stories {
		if s.Kind == Header {
			headers = append(headers, s)
		}
	}
	newHeader := ""
	if len(headers) == 0 {
		newHeader = path.Join(path.Dir(d.main), markingHeader)
	}
	stories := map[string]program{}
	for _, s := range d.Stories {
		es, err := r.storyEdits(s, keepComments, r.src)
		if err != nil {
			return nil, err
		}
		if s.Kind == Header {
			es = append(es, pedit{start: s.rootEnd, end: s.rootEnd, prio: prioRemove, op: op{kind: opMarking, prefix: s.prefix}})
		}
		if s.Kind == Body && newHeader != "" {
			es = append(es, headerRefs(s)...)
		}
		p, err := build(d.parts[s.Part], es)
		if err != nil {
			return nil, fmt.Errorf("failed to compile %s: %w", s.Part, err)
		}
		stories[s.Part] = p
	}
	static := map[string][]byte{}
	var err error
	if static["[Content_Types].xml"], err = r.contentTypes(removed, newHeader); err != nil {
		return nil, err
	}
	if static[relsName("")], err = removeRels(d.parts[relsName("")], "", removed, ""); err != nil {
		return nil, err
	}
	add := ""
	if newHeader != "" {
		add = fmt.Sprintf(`<Relationship Id="%s" Type="%sheader" Target="%s"/>`, markingRelID, relBase, markingHeader)
	}
	if mr := relsName(d.main); d.parts[mr] != nil || add != "" {
		if static[mr], err = removeRels(d.parts[mr], d.main, removed, add); err != nil {
			return nil, err
		}
	}
	if p := d.target("settings"); p != "" {
		if static[p], err = removeChildren(d.parts[p], func(n xml.Name) bool {
			return n.Space == nsW && (n.Local == "rsids" || n.Local == "attachedTemplate" || n.Local == "mailMerge")
		}); err != nil {
			return nil, errDamaged(p, err)
		}
	}
	if core != "" && d.parts[core] != nil {
		static[core] = []byte(coreXML(d.coreTitle()))
	}
	if app != "" && d.parts[app] != nil {
		static[app] = []byte(appXML)
	}
	out := &pkg{}
	for _, f := range d.files {
		name := f.Name
		switch {
		case removed[name] || strings.HasSuffix(name, "/"):
		case stories[name] != nil:
			p := stories[name]
			out.entries = append(out.entries, entry{name: name, prog: &p})
		case static[name] != nil:
			b, err := compress(static[name])
			if err != nil {
				return nil, err
			}
			out.entries = append(out.entries, entry{name: name, raw: b})
		default:
			b, err := original(f)
			if err != nil {
				return nil, err
			}
			out.entries = append(out.entries, entry{name: name, raw: b})
		}
	}
	if newHeader != "" {
		p := program{}.lit(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsRel + `">`)
		p = append(p, op{kind: opMarking, prefix: "w"})
		p = p.lit(`</w:hdr>`)
		out.entries = append(out.entries, entry{name: newHeader, prog: &p})
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// headerRefs adds a reference to the marking header to every section of
// the body.
func headerRefs(s *Story) []pedit {
	var es []pedit
	w := s.prefix
	if w != "" {
		w += ":"
	}
	refs := ""
	for _, typ := range []string{"default", "first", "even"} {
		refs += fmt.Sprintf(`<%sheaderReference xmlns:r="%s" %stype="%s" r:id="%s"/>`, w, nsRel, w, typ, markingRelID)
	}
	src := s.src()
	for _, sc := range s.sections {
		if sc.selfClosing {
			tag := rsidAttr.ReplaceAllString(string(src[sc.start:sc.end]), "")
			tag = strings.TrimSuffix(strings.TrimSuffix(tag, "/>"), " ")
			name := strings.Fields(strings.TrimPrefix(tag, "<"))[0]
			es = append(es, pedit{start: sc.start, end: sc.end, prio: prioRemove, op: op{kind: opLit, lit: tag + ">" + refs + "</" + name + ">"}})
			continue
		}
		es = append(es, pedit{start: sc.end, end: sc.end, prio: prioRemove, op: op{kind: opLit, lit: refs}})
	}
	return es
}

// contentTypes is [Content_Types].xml without the removed parts, with
// the marking header if one is added.
func (r *Renderer) contentTypes(removed map[string]bool, newHeader string) ([]byte, error) {
	b, err := removeChildren(r.d.parts["[Content_Types].xml"], func(n xml.Name) bool { return false }, func(t xml.StartElement) bool {
		if t.Name.Local != "Override" {
			return false
		}
		for _, a := range t.Attr {
			if a.Name.Local == "PartName" && removed[strings.TrimPrefix(a.Value, "/")] {
				return true
			}
		}
		return false
	})
	if err != nil || newHeader == "" {
		return b, err
	}
	return insertBeforeRootEnd(b, fmt.Sprintf(`<Override PartName="/%s" ContentType="%s"/>`, newHeader, typeHeader))
}

// removeRels removes from a relationships part those to removed parts,
// and adds add.
func removeRels(src []byte, owner string, removed map[string]bool, add string) ([]byte, error) {
	if src == nil {
		src = []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`)
	}
	b, err := removeChildren(src, func(xml.Name) bool { return false }, func(t xml.StartElement) bool {
		var target, mode string
		for _, a := range t.Attr {
			switch a.Name.Local {
			case "Target":
				target = a.Value
			case "TargetMode":
				mode = a.Value
			}
		}
		if mode == "External" {
			return false
		}
		if strings.HasPrefix(target, "/") {
			target = path.Clean(target)[1:]
		} else {
			target = path.Join(path.Dir(owner), target)
		}
		return removed[target]
	})
	if err != nil || add == "" {
		return b, err
	}
	return insertBeforeRootEnd(b, add)
}

// tokens calls f with each token of an XML part and the byte offsets it
// spans, [before, after), until the end or the first error (the decoder's
// or f's).
func tokens(src []byte, f func(tok xml.Token, before, after int) error) error {
	dec := xml.NewDecoder(bytes.NewReader(src))
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := f(tok, before, int(dec.InputOffset())); err != nil {
			return err
		}
	}
}

// removeChildren removes the children of the root element that match.
func removeChildren(src []byte, byName func(xml.Name) bool, byTag ...func(xml.StartElement) bool) ([]byte, error) {
	var out bytes.Buffer
	depth, pos, cut := 0, 0, -1
	err := tokens(src, func(tok xml.Token, before, after int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && cut < 0 {
				match := byName(t.Name)
				for _, f := range byTag {
					match = match || f(t)
				}
				if match {
					cut = before
				}
			}
		case xml.EndElement:
			if depth == 2 && cut >= 0 {
				out.Write(src[pos:cut])
				pos, cut = after, -1
			}
			depth--
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Write(src[pos:])
	return out.Bytes(), nil
}

// insertBeforeRootEnd inserts text before the root element's end tag.
func insertBeforeRootEnd(src []byte, text string) ([]byte, error) {
	depth, at, rootTag := 0, -1, [2]int{-1, -1}
	err := tokens(src, func(tok xml.Token, before, after int) error {
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				rootTag = [2]int{before, after}
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				at = before
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if at < 0 {
		return nil, errors.New("no root element")
	}
	if at == rootTag[1] && bytes.HasSuffix(src[rootTag[0]:rootTag[1]], []byte("/>")) {
		// <Root …/>: open it.
		name := strings.Fields(strings.TrimPrefix(string(src[rootTag[0]:rootTag[1]-2]), "<"))[0]
		return slices.Concat(src[:at-2], []byte(">"+text+"</"+name+">"), src[at:]), nil
	}
	return slices.Concat(src[:at], []byte(text), src[at:]), nil
}

// coreTitle returns the document's title property.
func (d *Document) coreTitle() string {
	for _, rl := range d.pkgRels {
		if rl.kind() == relCore {
			var x struct {
				Title string `xml:"title"`
			}
			if xml.Unmarshal(d.parts[rl.Target], &x) == nil {
				return strings.TrimSpace(x.Title)
			}
		}
	}
	return ""
}

// coreXML is a copy's core properties: the title, and nothing of who
// wrote, edited or printed the document or when.
func coreXML(title string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	if title != "" {
		b.WriteString("<dc:title>")
		xmlEscape(&b, title)
		b.WriteString("</dc:title>")
	}
	b.WriteString("</cp:coreProperties>")
	return b.String()
}

// appXML is a copy's extended properties: none (no template, company,
// application, editing time or statistics).
const appXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>`

// compress deflates a part once for every copy.
func compress(b []byte) (*blob, error) {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	fw.Write(b)
	if err := fw.Close(); err != nil {
		return nil, err
	}
	return &blob{method: zip.Deflate, crc: crc32.ChecksumIEEE(b), size: uint64(len(b)), compressedLen: uint64(buf.Len()), data: buf.Bytes()}, nil
}

// original returns a file's compressed bytes as they are.
func original(f *zip.File) (*blob, error) {
	rc, err := f.OpenRaw()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	return &blob{method: f.Method, crc: f.CRC32, size: f.UncompressedSize64, compressedLen: uint64(len(data)), data: data}, nil
}

// Render writes one copy: the document with the copy's alternatives in
// the runs, its shuffled lists in the copy's order, the marking line in
// its headers, tracked changes accepted, comments removed unless kept,
// and the properties scrubbed.
func (r *Renderer) Render(c render.Copy, o Options) ([]byte, error) {
	if len(c.Codeword) != len(r.t.Slots) {
		return nil, fmt.Errorf("codeword has %d symbols, the template has %d slots", len(c.Codeword), len(r.t.Slots))
	}
	for i, s := range c.Codeword {
		if int(s) >= r.t.Slots[i].Q {
			return nil, fmt.Errorf("codeword symbol %d is %d; slot %d (%s) has %d", i, s, i, r.t.Slots[i].Name, r.t.Slots[i].Q)
		}
	}
	p, err := r.variant(o.KeepComments)
	if err != nil {
		return nil, err
	}
	st := r.state(c)
	var out bytes.Buffer
	out.Grow(len(r.d.raw) + 4096)
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	var part bytes.Buffer
	for _, e := range p.entries {
		if e.raw != nil {
			h := fileHeader(e.name, e.raw.method)
			h.CRC32, h.UncompressedSize64, h.CompressedSize64 = e.raw.crc, e.raw.size, e.raw.compressedLen
			w, err := zw.CreateRaw(h)
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(e.raw.data); err != nil {
				return nil, err
			}
			continue
		}
		part.Reset()
		st.run(&part, *e.prog)
		w, err := zw.CreateHeader(fileHeader(e.name, zip.Deflate))
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(part.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// copyState is what one copy shows: each leaf's text and whether it
// differs from the document, each list's order, the marking paragraph.
type copyState struct {
	r       *Renderer
	text    []string
	changed []bool
	orders  map[*list][]int
	marking string
}

func (r *Renderer) state(c render.Copy) *copyState {
	st := &copyState{r: r, text: make([]string, len(r.leaves)), changed: make([]bool, len(r.leaves)), orders: map[*list][]int{}}
	for i, l := range r.leaves {
		sym := c.Codeword[l.slot]
		t := l.alts[sym]
		if l.style >= 0 && l.styled != nil {
			t = l.styled[sym][c.Codeword[l.style]]
		}
		st.text[i], st.changed[i] = t, t != l.original
	}
	for _, ls := range r.lists {
		st.orders[ls] = r.t.ListOrder(ls.slot, c.Codeword)
	}
	st.marking = render.Marking(r.t.Marking, r.t.Title, r.t.Classification, c)
	return st
}

func (st *copyState) run(b *bytes.Buffer, p program) {
	for i := range p {
		o := &p[i]
		switch o.kind {
		case opLit:
			b.WriteString(o.lit)
		case opSpace:
			if !st.changed[o.leaf] {
				b.WriteString(o.lit)
			}
		case opPiece:
			st.piece(b, o.piece)
		case opItem:
			st.run(b, o.list.items[st.orders[o.list][o.pos]])
		case opMarking:
			b.WriteString(markingXML(o.prefix, st.marking))
		}
	}
}

// piece writes a w:t element: as it was if no slot in it changes, else
// with the copy's text.
func (st *copyState) piece(b *bytes.Buffer, pc *piece) {
	changed := false
	for _, c := range pc.cuts {
		changed = changed || st.changed[c.leaf]
	}
	if !changed {
		b.WriteString(pc.orig)
		return
	}
	var t strings.Builder
	pos := 0
	for _, c := range pc.cuts {
		t.WriteString(pc.text[pos:c.from])
		switch {
		case !st.changed[c.leaf]:
			t.WriteString(pc.text[c.from:c.to])
		case c.first:
			t.WriteString(st.text[c.leaf])
		}
		pos = c.to
	}
	t.WriteString(pc.text[pos:])
	name := "t"
	if pc.prefix != "" {
		name = pc.prefix + ":t"
	}
	var e strings.Builder
	e.WriteString("<" + name + ` xml:space="preserve">`)
	xmlEscape(&e, t.String())
	e.WriteString("</" + name + ">")
	b.WriteString(e.String())
}

// markingXML is the marking paragraph of a copy's header, in small
// centred type.
func markingXML(prefix, text string) string {
	w := ""
	if prefix != "" {
		w = prefix + ":"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<%[1]sp><%[1]spPr><%[1]sspacing %[1]sbefore="0" %[1]safter="0"/><%[1]sjc %[1]sval="center"/></%[1]spPr><%[1]sr><%[1]srPr><%[1]ssz %[1]sval="16"/><%[1]sszCs %[1]sval="16"/></%[1]srPr><%[1]st xml:space="preserve">`, w)
	xmlEscape(&b, text)
	fmt.Fprintf(&b, `</%[1]st></%[1]sr></%[1]sp>`, w)
	return b.String()
}
