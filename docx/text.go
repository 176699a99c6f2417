package docx

import "strings"

// Text returns the document's text as a reader sees it, tracked changes
// accepted: the body, then footnotes, endnotes, headers and footers, a
// paragraph a line. Text in text boxes and shapes is included; comments
// and field codes are not.
func (d *Document) Text() string {
	var b strings.Builder
	for _, s := range d.Stories {
		for _, p := range s.Paragraphs {
			if p.Deleted {
				continue
			}
			b.WriteString(p.Text())
			b.WriteByte('\n')
		}
	}
	return b.String()
}
