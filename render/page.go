package render

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// DefaultMarking is the visible marking line of a copy unless the document's
// front matter sets its own.
const DefaultMarking = "Copy {copy} of {copies} — prepared for {recipient} — {classification}"

// Copy describes the copy being rendered: who it is for and its codeword.
type Copy struct {
	Codeword []uint8
	// Tag is carried by the zero-width channel if the document opted in.
	Tag       uint32
	Number    int // copy number within the version, from 1
	Of        int // number of copies issued when this one was
	Recipient string
	Unit      string
	Email     string
	Date      string // issue date as shown on the copy, e.g. 2026-03-01
}

// Marking fills in a marking line template for a copy. Placeholders with no
// value are dropped along with the separator before them.
func Marking(tmpl, title, classification string, c Copy) string {
	if tmpl == "" {
		tmpl = DefaultMarking
	}
	values := map[string]string{
		"{copy}":           strconv.Itoa(c.Number),
		"{copies}":         strconv.Itoa(c.Of),
		"{recipient}":      c.Recipient,
		"{unit}":           c.Unit,
		"{email}":          c.Email,
		"{classification}": classification,
		"{title}":          title,
		"{date}":           c.Date,
	}
	// Split on the em-dash separators so an empty field takes its
	// separator with it.
	parts := strings.Split(tmpl, " — ")
	var kept []string
	for _, p := range parts {
		empty := false
		for k, v := range values {
			if strings.Contains(p, k) {
				if v == "" || v == "0" {
					empty = true
				}
				p = strings.ReplaceAll(p, k, v)
			}
		}
		if !empty && strings.TrimSpace(p) != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " — ")
}

// MarkingLine returns the copy's visible marking line.
func (r *Renderer) MarkingLine(c Copy) string {
	return Marking(r.t.Marking, r.t.Title, r.t.Classification, c)
}

// Render renders a whole copy: the body with the marking line, and for HTML
// a complete printable page. PDF is printed from the HTML page by package
// pdf.
func (r *Renderer) Render(f Format, c Copy) ([]byte, error) {
	if f == PDF {
		return nil, fmt.Errorf("a PDF copy is printed from the HTML page (package pdf), not rendered")
	}
	body, err := r.Body(f, c.Codeword, c.Tag)
	if err != nil {
		return nil, err
	}
	marking := r.MarkingLine(c)
	var out bytes.Buffer
	switch f {
	case Markdown:
		out.WriteString("**" + escapeMarkdown(marking) + "**\n\n")
		out.Write(body)
	case Text:
		out.WriteString(marking + "\n\n")
		out.Write(body)
		if !bytes.HasSuffix(body, []byte("\n")) {
			out.WriteString("\n")
		}
		out.WriteString("\n" + marking + "\n")
	case HTML:
		err = pageTemplate.Execute(&out, page{
			Title:          r.t.Title,
			Classification: r.t.Classification,
			Marking:        marking,
			Body:           template.HTML(body),
			CSS:            template.CSS(pageCSS),
			ShowTitle:      r.t.Title != "" && !bytes.Contains(body, []byte("<h1")),
		})
	}
	return out.Bytes(), err
}

func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune("\\`*_[]<>#|", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

type page struct {
	Title, Classification, Marking string
	Body                           template.HTML
	CSS                            template.CSS
	ShowTitle                      bool // the body has no title of its own
}

//go:embed page.css
var pageCSS string

var pageTemplate = template.Must(template.New("copy").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header class="marking" role="note">
{{- if .Classification}}<p class="classification">{{.Classification}}</p>{{end}}
<p class="copy-marking">{{.Marking}}</p>
</header>
<main class="document">
{{- if .ShowTitle}}
<h1 class="title">{{.Title}}</h1>
{{- end}}
{{.Body}}</main>
<footer class="marking" role="note">
<p class="copy-marking">{{.Marking}}</p>
{{- if .Classification}}<p class="classification">{{.Classification}}</p>{{end}}
</footer>
</body>
</html>
`))

// PageStyleHash returns the Content-Security-Policy source for the copy
// page's embedded stylesheet ('sha256-…'), so a server can allow exactly
// that style and nothing else.
func PageStyleHash() string {
	sum := sha256.Sum256([]byte(pageCSS))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
