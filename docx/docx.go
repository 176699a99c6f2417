// Package docx reads and writes Word documents (Office Open XML, .docx)
// for telltale, with archive/zip and encoding/xml only.
//
// [Open] checks a file (size, zip bomb limits, encryption, the parts a
// Word document needs) and reads the text of its stories — the body,
// headers and footers, footnotes and endnotes — as paragraphs of items:
// the text of each w:t element, tabs and line breaks, and the objects
// (footnote marks, pictures, symbols) between them, each with its byte
// offsets in its XML part. [Document.Text] is the text a reader sees,
// tracked changes accepted; package extract reads leaked Word files with
// it.
//
// For a source document, [Mark] writes the text as Markdown with a map
// back to the runs, finds its slots with packages parse and mark exactly
// as in a Markdown source, and returns the template with a [Renderer].
// [Load] rebuilds the renderer of a stored version from its file and
// template. A copy is written by editing the XML bytes in place at the
// recorded offsets — a replacement goes into the first run of the text
// it replaces, keeping that run's formatting, and the rest of the text is
// removed from the other runs — so every byte the copy does not change
// is the author's. Copies accept tracked changes, drop comments unless
// asked to keep them, carry the visible marking line in their page
// headers and are scrubbed of what identifies the author's machine
// (document properties, revision session ids, the attached template's
// path, the thumbnail).
//
// Word authors declare variants as in Markdown, by typing {{140|138}} in
// the text, and write the directives as paragraphs of their own:
// telltale:shuffle before a list, telltale:off and telltale:on around
// protected text (docs/word.md).
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
)

// Limits on a Word file. A .docx is a zip archive, and a small archive
// can claim, or turn out, to unpack to gigabytes.
const (
	// MaxFileSize is the largest Word file accepted, in bytes: a long
	// plan with photographs is a few megabytes.
	MaxFileSize = 32 << 20
	// MaxEntries is the most files the archive may hold.
	MaxEntries = 1000
	// MaxUnpacked is the most all the archive's files may unpack to,
	// declared or actual.
	MaxUnpacked = 256 << 20
	// MaxPart is the most one XML part may unpack to.
	MaxPart = 64 << 20
)

// Error is a problem with the Word file itself: damaged, encrypted,
// macro-enabled, too large, or not a Word document. Its message says
// what is wrong and what to do.
type Error struct {
	Msg  string
	Hint string
}

func (e *Error) Error() string {
	if e.Hint != "" {
		return e.Msg + " (hint: " + e.Hint + ")"
	}
	return e.Msg
}

func refuse(hint, format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// Namespaces of WordprocessingML and the packaging around it.
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsMC  = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	// relBase is the prefix of the standard relationship types.
	relBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

// Content types of a main document part.
const (
	typeDocument      = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	typeTemplate      = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
	typeMacroDocument = "application/vnd.ms-word.document.macroEnabled.main+xml"
	typeMacroTemplate = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
	typeVBA           = "application/vnd.ms-office.vbaProject"
	typeActiveX       = "application/vnd.ms-office.activeX+xml"
	typeHeader        = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
)

// oleMagic starts an OLE compound file: an encrypted Office document, or
// a Word 97–2003 .doc.
var oleMagic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

// IsWord reports whether a file is meant as a Word document: by its name
// (.docx, .docm, .dotx, .dotm, .doc) or its first bytes (a zip archive
// holding word/document.xml, or an OLE compound file). Such a file goes
// to [Open], which says what is wrong with it if anything is.
func IsWord(name string, file []byte) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".docx", ".docm", ".dotx", ".dotm", ".doc":
		return true
	}
	if bytes.HasPrefix(file, oleMagic) {
		return true
	}
	return bytes.HasPrefix(file, []byte("PK\x03\x04")) && bytes.Contains(file, []byte("word/"))
}

// Document is an opened Word document. It is not changed by anything
// that reads it or writes copies of it, and may be shared.
type Document struct {
	raw   []byte
	files []*zip.File
	// parts holds the unpacked XML parts (.xml and .rels), by name.
	parts map[string][]byte
	types *contentTypes
	// main is the main document part, usually word/document.xml.
	main string
	// rels are the relationships of the package (key "") and of the
	// main part.
	pkgRels, mainRels []rel
	styles            *styles
	// Stories are the body, then footnotes, endnotes, headers and
	// footers, each a part of the package.
	Stories []*Story
	// Macros says why the document carries code: a macro-enabled main
	// part, a VBA project or ActiveX controls ("" if none).
	Macros string
	// Inserted and Deleted count the tracked insertions and deletions.
	Inserted, Deleted int
}

// rel is one relationship of a part.
type rel struct {
	ID, Type, Target, Mode string
}

// kind is the relationship type's last element ("header", "footnotes").
func (r rel) kind() string { return path.Base(r.Type) }

// Open reads a Word document and the text of its stories. It refuses a
// file that is too large or unpacks to too much, an encrypted document
// or a Word 97–2003 file, a damaged archive and anything that is not a
// Word document, with an *Error saying which. A macro-enabled document
// opens (its text can be read as a leak) with Macros set.
func Open(file []byte) (*Document, error) {
	if len(file) > MaxFileSize {
		return nil, refuse("remove large pictures or split the document", "the Word file is %s; telltale accepts up to %s", size(int64(len(file))), size(MaxFileSize))
	}
	if bytes.HasPrefix(file, oleMagic) {
		if bytes.Contains(file, utf16("EncryptedPackage")) {
			return nil, refuse("remove the password in Word (File → Info → Protect Document → Encrypt with Password, then clear it) and save again", "the Word document is encrypted with a password")
		}
		return nil, refuse("open it in Word or LibreOffice and save it as .docx", "this is a Word 97–2003 document (.doc) or another OLE file, not a .docx")
	}
	if !bytes.HasPrefix(file, []byte("PK")) {
		return nil, refuse("save the document as Word (.docx)", "not a Word document (.docx): the file is not a zip archive")
	}
	z, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		return nil, refuse("save the document again from Word", "the Word document is damaged: %v", err)
	}
	d := &Document{raw: file, files: z.File, parts: map[string][]byte{}}
	if err := d.unpack(); err != nil {
		return nil, err
	}
	if err := d.readPackage(); err != nil {
		return nil, err
	}
	if err := d.readStories(); err != nil {
		return nil, err
	}
	return d, nil
}

// utf16 is s in UTF-16LE, as OLE directory entries name their streams.
func utf16(s string) []byte {
	var b []byte
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return b
}

func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

// unpack checks the archive's entries against the limits, unpacks all of
// them to check their sizes and checksums, and keeps the XML parts.
func (d *Document) unpack() error {
	const hint = "this does not look like a document saved by a word processor; save it again from Word or LibreOffice"
	if len(d.files) > MaxEntries {
		return refuse(hint, "the Word file holds %d files; telltale accepts at most %d", len(d.files), MaxEntries)
	}
	seen := map[string]bool{}
	var declared uint64
	for _, f := range d.files {
		name := f.Name
		if seen[name] {
			return refuse(hint, "the Word file holds two files named %q", name)
		}
		seen[name] = true
		if strings.HasPrefix(name, "/") || slices.Contains(strings.Split(name, "/"), "..") || strings.Contains(name, "\\") {
			return refuse(hint, "the Word file holds a file with an unsafe name %q", name)
		}
		declared += f.UncompressedSize64
		if f.UncompressedSize64 > MaxUnpacked || declared > MaxUnpacked {
			return refuse(hint, "the Word file claims to unpack to more than %s", size(MaxUnpacked))
		}
	}
	budget := int64(MaxUnpacked)
	for _, f := range d.files {
		if strings.HasSuffix(f.Name, "/") {
			continue // a folder
		}
		xmlPart := strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels")
		if xmlPart && f.UncompressedSize64 > MaxPart {
			return refuse(hint, "the Word file's part %s unpacks to %s; telltale reads parts up to %s", f.Name, size(int64(f.UncompressedSize64)), size(MaxPart))
		}
		rc, err := f.Open()
		if err != nil {
			return refuse("save the document again from Word", "the Word document is damaged: part %s cannot be opened: %v", f.Name, err)
		}
		limit := min(int64(f.UncompressedSize64), budget)
		var buf bytes.Buffer
		var w io.Writer = io.Discard
		if xmlPart {
			w = &buf
		}
		n, err := io.Copy(w, io.LimitReader(rc, limit+1))
		rc.Close()
		switch {
		case n > limit || errors.Is(err, zip.ErrFormat):
			return refuse(hint, "the Word file's part %s unpacks to more than it declares (%s)", f.Name, size(int64(f.UncompressedSize64)))
		case err != nil:
			return refuse("save the document again from Word", "the Word document is damaged: part %s: %v", f.Name, err)
		}
		budget -= n
		if xmlPart {
			d.parts[f.Name] = buf.Bytes()
		}
	}
	return nil
}

// contentTypes is [Content_Types].xml.
type contentTypes struct {
	Defaults  []ctDefault  `xml:"Default"`
	Overrides []ctOverride `xml:"Override"`
}

type ctDefault struct {
	Extension   string `xml:"Extension,attr"`
	ContentType string `xml:"ContentType,attr"`
}

type ctOverride struct {
	PartName    string `xml:"PartName,attr"`
	ContentType string `xml:"ContentType,attr"`
}

// of returns the content type of a part.
func (c *contentTypes) of(part string) string {
	for _, o := range c.Overrides {
		if strings.EqualFold(strings.TrimPrefix(o.PartName, "/"), part) {
			return o.ContentType
		}
	}
	ext := strings.TrimPrefix(path.Ext(part), ".")
	for _, df := range c.Defaults {
		if strings.EqualFold(df.Extension, ext) {
			return df.ContentType
		}
	}
	return ""
}

// readPackage reads the content types and relationships, finds the main
// document part and what code the package carries.
func (d *Document) readPackage() error {
	const notWord = "save the document as Word (.docx)"
	ct, ok := d.parts["[Content_Types].xml"]
	if !ok {
		return refuse("unpack it and trace or store the files in it", "this is a zip archive but not a Word document (.docx): it has no [Content_Types].xml")
	}
	d.types = &contentTypes{}
	if err := xml.Unmarshal(ct, d.types); err != nil {
		return refuse(notWord, "the Word document is damaged: [Content_Types].xml: %v", err)
	}
	var err error
	if d.pkgRels, err = d.rels(""); err != nil {
		return err
	}
	for _, r := range d.pkgRels {
		if r.kind() == "officeDocument" && r.Mode != "External" {
			d.main = strings.TrimPrefix(path.Clean("/"+r.Target), "/")
		}
	}
	if d.main == "" {
		return refuse("unpack it and trace or store the files in it", "this is a zip archive but not a Word document (.docx): it has no main document")
	}
	if _, ok := d.parts[d.main]; !ok {
		return refuse(notWord, "the Word document is damaged: its main part %s is missing", d.main)
	}
	switch t := d.types.of(d.main); t {
	case typeDocument, typeTemplate:
	case typeMacroDocument, typeMacroTemplate:
		d.Macros = "it is a macro-enabled document (.docm)"
	default:
		return refuse(notWord, "not a Word document: its main part is of type %q", t)
	}
	for _, f := range d.files {
		t := d.types.of(f.Name)
		switch {
		case d.Macros != "":
		case t == typeVBA || strings.EqualFold(path.Base(f.Name), "vbaProject.bin"):
			d.Macros = "it holds a macro project (" + f.Name + ")"
		case t == typeActiveX || strings.HasPrefix(f.Name, "word/activeX/"):
			d.Macros = "it holds ActiveX controls (" + f.Name + ")"
		}
	}
	if d.mainRels, err = d.rels(d.main); err != nil {
		return err
	}
	d.styles, err = d.readStyles()
	return err
}

// relsName is the name of a part's relationships part ("" is the
// package).
func relsName(part string) string {
	if part == "" {
		return "_rels/.rels"
	}
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

// rels reads a part's relationships, with targets resolved to part names.
func (d *Document) rels(part string) ([]rel, error) {
	raw, ok := d.parts[relsName(part)]
	if !ok {
		if part == "" {
			return nil, refuse("save the document as Word (.docx)", "this is a zip archive but not a Word document (.docx): it has no _rels/.rels")
		}
		return nil, nil
	}
	var x struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(raw, &x); err != nil {
		return nil, refuse("save the document again from Word", "the Word document is damaged: %s: %v", relsName(part), err)
	}
	var out []rel
	for _, r := range x.Rels {
		target := r.Target
		if r.Mode != "External" {
			if strings.HasPrefix(target, "/") {
				target = path.Clean(target)[1:]
			} else {
				target = path.Join(path.Dir(part), target)
			}
		}
		out = append(out, rel{ID: r.ID, Type: r.Type, Target: target, Mode: r.Mode})
	}
	return out, nil
}

// target returns the part the main part's first relationship of a kind
// points to, or "".
func (d *Document) target(kind string) string {
	for _, r := range d.mainRels {
		if r.kind() == kind && r.Mode != "External" {
			if _, ok := d.parts[r.Target]; ok {
				return r.Target
			}
		}
	}
	return ""
}

// readStories walks the body, then footnotes, endnotes, headers and
// footers.
func (d *Document) readStories() error {
	add := func(part string, kind StoryKind) error {
		s, err := d.walk(part, kind)
		if err != nil {
			return err
		}
		d.Stories = append(d.Stories, s)
		d.Inserted += s.inserted
		d.Deleted += s.deleted
		return nil
	}
	if err := add(d.main, Body); err != nil {
		return err
	}
	for _, k := range []struct {
		rel  string
		kind StoryKind
	}{{"footnotes", Footnotes}, {"endnotes", Endnotes}} {
		if p := d.target(k.rel); p != "" {
			if err := add(p, k.kind); err != nil {
				return err
			}
		}
	}
	for _, k := range []struct {
		rel  string
		kind StoryKind
	}{{"header", Header}, {"footer", Footer}} {
		var names []string
		for _, r := range d.mainRels {
			if r.kind() == k.rel && r.Mode != "External" && !slices.Contains(names, r.Target) {
				if _, ok := d.parts[r.Target]; ok {
					names = append(names, r.Target)
				}
			}
		}
		slices.Sort(names)
		for _, p := range names {
			if err := add(p, k.kind); err != nil {
				return err
			}
		}
	}
	return nil
}

// Body returns the document's body story.
func (d *Document) Body() *Story { return d.Stories[0] }

// errDamaged wraps an XML error in a part.
func errDamaged(part string, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return refuse("save the document again from Word", "the Word document is damaged: %s is not valid XML (line %d: %s)", part, se.Line, se.Msg)
	}
	return refuse("save the document again from Word", "the Word document is damaged: %s: %v", part, err)
}
