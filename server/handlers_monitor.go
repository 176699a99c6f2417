package server

import (
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/service"
)

type monitorData struct {
	Sources []service.SourceView
	Flags   []service.Flag
	Error   string
	URL     string
	// Check is the result of a one-off check.
	Checked     bool
	CheckTitle  string
	CheckReport []disclose.Report
	Highlighted template.HTML
}

func (s *Server) monitorPage(w http.ResponseWriter, r *http.Request) {
	s.showMonitor(w, r, http.StatusOK, monitorData{})
}

func (s *Server) showMonitor(w http.ResponseWriter, r *http.Request, status int, d monitorData) {
	a, _ := actorFrom(r)
	var err error
	if d.Sources, err = s.svc.Sources(r.Context(), a); err != nil {
		s.pageError(w, r, err)
		return
	}
	if d.Flags, err = s.svc.Flags(r.Context(), a, 100); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, status, "monitor", "monitor", d)
}

func (s *Server) addSource(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	every, err := time.ParseDuration(r.FormValue("every"))
	if err != nil {
		every = 0
	}
	src, err := s.svc.AddSource(r.Context(), a, r.FormValue("kind"), r.FormValue("url"), every)
	if err != nil {
		if c := statusOf(err); c == http.StatusBadRequest || c == http.StatusConflict {
			s.showMonitor(w, r, c, monitorData{Error: userMessage(err), URL: r.FormValue("url")})
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/monitor", fmt.Sprintf("Watching %s. It is polled within a minute.", src.URL))
}

func (s *Server) removeSource(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.svc.RemoveSource(r.Context(), a, id); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/monitor", "Source removed.")
}

// articleType is the Content-Type of an uploaded article, by its file
// name's extension; "" lets the monitor tell from its bytes.
func articleType(name string) string {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".md", ".markdown":
		return "text/markdown"
	case ".mht", ".mhtml":
		return "multipart/related"
	default:
		return mime.TypeByExtension(ext)
	}
}

// checkArticle runs a one-off check of a pasted or uploaded article.
func (s *Server) checkArticle(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.pageError(w, r, err)
		return
	}
	raw, name, err := formFile(r, "file", service.MaxEvidenceSize)
	if err != nil {
		s.render(w, r, http.StatusBadRequest, "check", "documents", monitorData{Error: userMessage(err)})
		return
	}
	ctype := articleType(name)
	if raw == nil {
		raw, name, ctype = []byte(r.FormValue("article")), "pasted text", "text/plain"
	}
	art, reports, err := s.svc.CheckArticle(r.Context(), a, raw, ctype, "")
	if err != nil {
		if statusOf(err) == http.StatusBadRequest {
			s.render(w, r, http.StatusBadRequest, "check", "documents", monitorData{Error: userMessage(err)})
			return
		}
		s.pageError(w, r, err)
		return
	}
	title := art.Title
	if title == "" {
		title = name
	}
	d := monitorData{Checked: true, CheckTitle: title, CheckReport: reports}
	if len(reports) > 0 {
		d.Highlighted = highlightDisclosures(art.Text, reports[0])
	}
	s.render(w, r, http.StatusOK, "check", "documents", d)
}

// checkPage is the form to check one article against one's documents.
func (s *Server) checkPage(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if !a.Has(telltale.RoleOwner) {
		s.pageError(w, r, telltale.Errorf(telltale.EFORBIDDEN, "checking an article against protected documents needs the owner role"))
		return
	}
	s.render(w, r, http.StatusOK, "check", "documents", monitorData{})
}

// flagPage shows what a flagged article discloses.
func (s *Server) flagPage(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f, err := s.svc.FlagDetail(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var hl template.HTML
	for _, rep := range f.Reports {
		if rep.VersionID == f.VersionID {
			hl = highlightDisclosures(f.Article.Text, rep)
		}
	}
	s.render(w, r, http.StatusOK, "flag", "monitor", map[string]any{"Flag": f, "Highlighted": hl})
}

// highlightDisclosures returns the article, escaped, with what it
// discloses marked.
func highlightDisclosures(text string, rep disclose.Report) template.HTML {
	var marks []span
	for _, f := range rep.Facts {
		for _, sp := range f.Article {
			marks = append(marks, span{sp.Start, sp.End, string(f.Kind) + ": the document says “" + f.SourceText + "”"})
		}
	}
	return markSpans(text, marks)
}

// pollNow polls the due sources at once.
func (s *Server) pollNow(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	run := s.cfg.Monitor
	if run.Owner == "" {
		run.Owner = "web"
	}
	res, err := s.svc.RunMonitor(r.Context(), a, run)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	msg := fmt.Sprintf("Polled %s: %s, %d flagged, %s opened.", plural(res.Polled, "source"), plural(res.Articles, "new article"), len(res.Flagged), plural(len(res.Cases), "case"))
	if res.Polled == 0 {
		msg = "No source is due: each is polled at its interval (failing ones back off)."
	}
	s.redirect(w, r, "/monitor", msg)
}

// flagCase opens a case for a flagged article.
func (s *Server) flagCase(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	caseID, err := s.svc.CaseFromFlag(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/cases/%d", caseID), fmt.Sprintf("Opened case %d from the flagged article.", caseID))
}
