package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// Limits on a Word file: it is a zip archive, and a small one can claim
// to unpack to gigabytes.
const (
	maxDOCXFiles = 2000
	maxDOCXPart  = 64 << 20  // one XML part, unpacked
	maxDOCXTotal = 256 << 20 // all parts read, unpacked
)

const (
	nsW  = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsMC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// isDOCX reports whether a zip archive holds a Word document.
func isDOCX(raw []byte) bool {
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return false
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}

// docx reads a Word document's text: the body, then footnotes and
// endnotes, then headers and footers. Tracked changes are taken as
// accepted (insertions kept, deletions and text moved away dropped);
// comments and field codes are not text of the document.
func docx(raw []byte) (*Result, error) {
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, &Error{fmt.Sprintf("the Word document is damaged: %v", err)}
	}
	if len(z.File) > maxDOCXFiles {
		return nil, &Error{fmt.Sprintf("the Word document holds %d files; telltale reads at most %d", len(z.File), maxDOCXFiles)}
	}
	parts := map[string]*zip.File{}
	for _, f := range z.File {
		parts[f.Name] = f
	}
	names := []string{"word/document.xml", "word/footnotes.xml", "word/endnotes.xml"}
	var extra []string
	for name := range parts {
		base := path.Base(name)
		if path.Dir(name) == "word" && (strings.HasPrefix(base, "header") || strings.HasPrefix(base, "footer")) && strings.HasSuffix(base, ".xml") {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	names = append(names, extra...)
	w := &docxText{}
	budget := int64(maxDOCXTotal)
	for _, name := range names {
		f := parts[name]
		if f == nil {
			continue
		}
		if f.UncompressedSize64 > maxDOCXPart {
			return nil, &Error{fmt.Sprintf("the Word document's part %s unpacks to %d MB; telltale reads parts up to %d MB", name, f.UncompressedSize64>>20, maxDOCXPart>>20)}
		}
		rc, err := f.Open()
		if err != nil {
			return nil, &Error{fmt.Sprintf("the Word document's part %s cannot be opened: %v", name, err)}
		}
		lr := &io.LimitedReader{R: rc, N: min(budget, maxDOCXPart) + 1}
		err = w.part(lr)
		rc.Close()
		if lr.N <= 0 {
			return nil, &Error{fmt.Sprintf("the Word document's part %s unpacks to more than it declares or than telltale reads (%d MB)", name, maxDOCXPart>>20)}
		}
		if err != nil {
			return nil, &Error{fmt.Sprintf("the Word document's part %s is not valid XML: %v", name, err)}
		}
		budget -= lr.N
		if w.b.Len() > 4*MaxText {
			break
		}
	}
	res := &Result{Text: strings.TrimSpace(w.b.String()), Format: FormatDOCX}
	if w.inserted+w.deleted > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("tracked changes accepted (%d insertions, %d deletions)", w.inserted, w.deleted))
	}
	if len(extra) > 0 {
		res.Notes = append(res.Notes, "headers and footers read")
	}
	return res, nil
}

// docxText collects the text of WordprocessingML parts.
type docxText struct {
	b                 strings.Builder
	inserted, deleted int
}

// skippedW are elements whose content is not text of the accepted
// document.
var skippedW = map[string]bool{
	"del": true, "moveFrom": true, "delText": true, "instrText": true, "delInstrText": true,
	"rPr": true, "pPr": true, "sectPr": true, "tblPr": true, "trPr": true, "tcPr": true,
	"commentReference": true, "footnoteReference": true, "endnoteReference": true,
}

func (w *docxText) part(r io.Reader) error {
	dec := xml.NewDecoder(r)
	skip := 0 // depth inside a skipped element
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			if t.Name.Space == nsMC && t.Name.Local == "Fallback" {
				skip = 1 // the same content as the Choice before it
				continue
			}
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab", "ptab":
				w.b.WriteByte('\t')
			case "br", "cr":
				w.b.WriteByte('\n')
			case "noBreakHyphen":
				w.b.WriteByte('-')
			case "ins", "moveTo":
				w.inserted++
			default:
				if skippedW[t.Name.Local] {
					if t.Name.Local == "del" || t.Name.Local == "moveFrom" {
						w.deleted++
					}
					skip = 1
				}
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				w.b.WriteByte('\n')
			case "tc":
				w.b.WriteByte('\n')
			}
		case xml.CharData:
			if inText && skip == 0 {
				w.b.Write(t)
			}
		}
	}
}
