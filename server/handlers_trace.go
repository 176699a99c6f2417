package server

import (
	"bytes"
	"errors"
	"html"
	"html/template"
	"net/http"
	"slices"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/service"
	"github.com/telltale-dev/telltale/trace"
)

type traceData struct {
	Leak      string
	Error     string
	Documents []*telltale.Document
}

func (s *Server) tracePage(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if !a.Has(telltale.RoleInvestigator) {
		s.pageError(w, r, telltale.Errorf(telltale.EFORBIDDEN, "tracing a leak needs the investigator role"))
		return
	}
	docs, err := s.svc.Documents(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "trace", "trace", traceData{Documents: docs})
}

func (s *Server) trace(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.pageError(w, r, err)
		return
	}
	d := traceData{Leak: r.FormValue("leak")}
	leak, name, err := formFile(r, "file", extract.MaxFileSize)
	if err != nil {
		d.Error = userMessage(err)
		d.Documents, _ = s.svc.Documents(r.Context(), a)
		s.render(w, r, http.StatusBadRequest, "trace", "trace", d)
		return
	}
	if leak == nil {
		leak, name = []byte(d.Leak), "pasted text"
	}
	res, err := s.svc.TraceText(r.Context(), a, service.TraceRequest{Leak: leak, Name: name, Document: r.FormValue("doc")})
	if err != nil {
		if c := statusOf(err); c == http.StatusBadRequest || c == http.StatusNotFound {
			d.Error = userMessage(err)
			d.Documents, _ = s.svc.Documents(r.Context(), a)
			s.render(w, r, c, "trace", "trace", d)
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.metrics.traces.WithLabelValues(res.Verdict.Outcome).Inc()
	data := map[string]any{"Verdict": res.Verdict, "Highlighted": highlight(res.Text, res.Verdict)}
	if len(leak) <= maxForm/2 && res.Verdict.Leak.Obtained == "" {
		// Offer to open a case with the leak as received.
		data["Leak"], data["LeakName"] = string(leak), name
	}
	s.render(w, r, http.StatusOK, "verdict", "trace", data)
}

// highlight returns the leak text, escaped, with the spans the reader
// used marked.
func highlight(text string, v *trace.Verdict) template.HTML {
	var marks []span
	for _, o := range v.Observations {
		for _, sp := range o.Spans {
			marks = append(marks, span{sp.Start, sp.End, o.Kind + ": " + o.Name + " — reads “" + o.Shown + "”"})
		}
	}
	return markSpans(text, marks)
}

// span is a byte range of a text to mark, with its tooltip.
type span struct {
	start, end int
	title      string
}

// markSpans escapes text and wraps each span in <mark>; spans out of range
// are ignored, and of overlapping ones the first is kept.
func markSpans(text string, marks []span) template.HTML {
	slices.SortFunc(marks, func(a, b span) int { return a.start - b.start })
	var b bytes.Buffer
	pos := 0
	for _, m := range marks {
		if m.start < pos || m.start < 0 || m.end > len(text) || m.start >= m.end {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:m.start]))
		b.WriteString(`<mark class="read" title="` + html.EscapeString(m.title) + `">`)
		b.WriteString(html.EscapeString(text[m.start:m.end]))
		b.WriteString("</mark>")
		pos = m.end
	}
	b.WriteString(html.EscapeString(text[pos:]))
	return template.HTML(b.String())
}
