package server

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/capacity"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/service"
)

func (s *Server) documents(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	docs, err := s.svc.Documents(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "documents", "documents", map[string]any{"Documents": docs})
}

type newDocData struct {
	Name, Source, Error string
}

func (s *Server) newDocument(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if !a.Has(telltale.RoleOwner) {
		s.pageError(w, r, telltale.Errorf(telltale.EFORBIDDEN, "adding a document needs the owner role"))
		return
	}
	s.render(w, r, http.StatusOK, "document_new", "documents", newDocData{})
}

// formFile reads an uploaded file field, or returns nil if none was sent.
func formFile(r *http.Request, field string, limit int64) ([]byte, string, error) {
	f, h, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(b)) > limit {
		return nil, "", telltale.Errorf(telltale.EINVALID, "%s is larger than %d MB", h.Filename, limit>>20)
	}
	return b, h.Filename, nil
}

func (s *Server) addDocument(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.pageError(w, r, err)
		return
	}
	d := newDocData{Name: strings.TrimSpace(r.FormValue("name")), Source: r.FormValue("source")}
	src, filename, err := formFile(r, "file", parse.MaxSize)
	if err != nil {
		d.Error = userMessage(err)
		s.render(w, r, http.StatusBadRequest, "document_new", "documents", d)
		return
	}
	if src == nil {
		src, filename = []byte(d.Source), "pasted.md"
		if d.Name == "" {
			d.Error = "Give the pasted document a name."
			s.render(w, r, http.StatusBadRequest, "document_new", "documents", d)
			return
		}
	}
	coalition, _ := strconv.Atoi(r.FormValue("coalition"))
	audience, _ := strconv.Atoi(r.FormValue("audience"))
	res, err := s.svc.AddDocument(r.Context(), a, service.AddDocumentRequest{Name: d.Name, Filename: filename, Source: src, Coalition: coalition, Audience: max(audience, 0)})
	if err != nil {
		if c := statusOf(err); c == http.StatusBadRequest || c == http.StatusConflict || c == http.StatusForbidden {
			d.Error = userMessage(err)
			s.render(w, r, c, "document_new", "documents", d)
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/documents/"+res.Document.Slug, fmt.Sprintf("Stored version %d: %d slots found. Review them before you issue copies.", res.Version.Number, res.Version.Slots))
}

type latestVersion struct {
	Version *telltale.Version
	Report  *capacity.Traceability
}

func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	slug := r.PathValue("slug")
	detail, err := s.svc.Show(r.Context(), a, slug)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	recipients, err := s.svc.Recipients(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	data := map[string]any{"Detail": detail}
	if n := len(detail.Versions); n > 0 {
		latest := detail.Versions[n-1]
		report, err := s.svc.TraceabilityReport(r.Context(), latest.Version, max(len(recipients), 12))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		data["Latest"] = latestVersion{Version: latest.Version, Report: report}
		// Offer only recipients without a copy of the latest version.
		has := map[int64]bool{}
		for _, c := range latest.Copies {
			has[c.Recipient.ID] = true
		}
		var without []*telltale.Recipient
		for _, rc := range recipients {
			if !has[rc.ID] {
				without = append(without, rc)
			}
		}
		data["Recipients"] = without
	}
	access, err := s.svc.AccessLog(r.Context(), a, slug)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	data["Access"] = access
	if data["Flags"], err = s.svc.DocumentFlags(r.Context(), a, slug); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "document", "documents", data)
}

// suggestionItem is a suggestion as the page shows it: the fact within
// its sentence.
type suggestionItem struct {
	api.Suggestion
	Before, After string
}

func (s *Server) suggestions(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	slug := r.PathValue("slug")
	recipients, err := s.svc.Recipients(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	res, err := s.svc.Suggestions(r.Context(), a, slug, max(len(recipients), api.DefaultRecipients))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var items []suggestionItem
	for _, sg := range res.Suggestions {
		it := suggestionItem{Suggestion: WireSuggestion(sg)}
		if i := strings.Index(sg.Context, sg.Text()); i >= 0 {
			it.Before, it.After = sg.Context[:i], sg.Context[i+len(sg.Text()):]
		} else {
			it.Before = sg.Context + " "
		}
		items = append(items, it)
	}
	s.render(w, r, http.StatusOK, "suggestions", "documents", map[string]any{"Result": res, "Items": items})
}

// acceptSuggestions stores the next version with the suggestions the
// owner accepted (field sN = accept); the others are rejected.
func (s *Server) acceptSuggestions(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	slug := r.PathValue("slug")
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, err)
		return
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		s.pageError(w, r, telltale.Errorf(telltale.EINVALID, "the form names no version"))
		return
	}
	var accept []int
	rejected := 0
	for k, v := range r.PostForm {
		id, err := strconv.Atoi(strings.TrimPrefix(k, "s"))
		if err != nil || !strings.HasPrefix(k, "s") || len(v) == 0 {
			continue
		}
		if v[0] == "accept" {
			accept = append(accept, id)
		} else {
			rejected++
		}
	}
	slices.Sort(accept)
	if len(accept) == 0 {
		s.redirect(w, r, "/documents/"+slug+"/suggestions", "No suggestion accepted: the document was left as it is.")
		return
	}
	res, err := s.svc.AcceptSuggestions(r.Context(), a, service.AcceptSuggestionsRequest{Document: slug, Version: version, Accept: accept})
	if err != nil {
		if c := statusOf(err); c == http.StatusBadRequest || c == http.StatusConflict {
			s.redirect(w, r, "/documents/"+slug+"/suggestions", userMessage(err))
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/documents/"+slug, fmt.Sprintf("Stored version %d with %d suggested facts as declared variants (%d rejected). Review the slots before you issue copies.", res.Version.Number, len(accept), rejected))
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	slug := r.PathValue("slug")
	n := 0
	if v := r.PathValue("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no version %q", v))
			return
		}
	}
	p, err := s.svc.PreviewVersion(r.Context(), a, slug, n)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	// The preview HTML is the renderer's escaped output with telltale's
	// own <mark> tags: safe to embed.
	s.render(w, r, http.StatusOK, "preview", "documents", map[string]any{"Slug": slug, "Preview": p, "Body": template.HTML(p.HTML), "Lists": p.Lists})
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	slug := r.PathValue("slug")
	// Who may issue is the service's call; asking first means a refusal
	// is a clear page, and a mistake in the form a message on the
	// document's page.
	if _, err := s.svc.Show(r.Context(), a, slug); err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, err)
		return
	}
	req := service.IssueRequest{Document: slug, Emails: r.PostForm["to"], Watermark: r.PostFormValue("watermark") != ""}
	for _, f := range r.PostForm["format"] {
		format, err := render.ParseFormat(f)
		if err != nil {
			s.pageError(w, r, telltale.Errorf(telltale.EINVALID, "%v", err))
			return
		}
		req.Formats = append(req.Formats, format)
	}
	if len(req.Formats) == 0 {
		s.redirect(w, r, "/documents/"+slug, "Choose at least one format.")
		return
	}
	if len(req.Emails) == 0 {
		s.redirect(w, r, "/documents/"+slug, "Choose at least one recipient.")
		return
	}
	if e := r.PostFormValue("expires"); e != "" {
		t, err := time.ParseInLocation("2006-01-02", e, time.UTC)
		if err != nil {
			s.pageError(w, r, telltale.Errorf(telltale.EINVALID, "expiry %q is not a date", e))
			return
		}
		req.ExpiresAt = t.Add(24 * time.Hour) // the end of that day
	}
	issued, err := s.svc.Issue(r.Context(), a, req)
	if err != nil {
		if c := statusOf(err); c < 500 {
			s.redirect(w, r, "/documents/"+slug, userMessage(err))
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/documents/"+slug, fmt.Sprintf("Issued %d copies.", len(issued)))
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no such copy"))
		return
	}
	info, err := s.svc.CopyInfo(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.svc.Revoke(r.Context(), a, id); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/documents/"+info.Document.Slug, fmt.Sprintf("Copy %d revoked: it can no longer be opened.", info.Copy.Number))
}

func (s *Server) revokeAll(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	slug := r.PathValue("slug")
	n, err := s.svc.RevokeAll(r.Context(), a, slug)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/documents/"+slug, fmt.Sprintf("Revoked %d copies.", n))
}

func (s *Server) recipients(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	rs, err := s.svc.Recipients(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "recipients", "recipients", map[string]any{"Recipients": rs})
}

func (s *Server) addRecipient(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	rc := &telltale.Recipient{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Unit: r.PostFormValue("unit")}
	if err := s.svc.AddRecipient(r.Context(), a, rc); err != nil {
		if c := statusOf(err); c == http.StatusBadRequest || c == http.StatusConflict {
			rs, _ := s.svc.Recipients(r.Context(), a)
			s.render(w, r, c, "recipients", "recipients", map[string]any{"Recipients": rs, "Error": userMessage(err)})
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/recipients", fmt.Sprintf("Registered %s.", rc.Name))
}

// linkRecipient lets the account with a recipient's address read the
// recipient's copies.
func (s *Server) linkRecipient(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	rc, err := s.svc.LinkRecipient(r.Context(), a, r.PostFormValue("email"))
	if err != nil {
		if c := statusOf(err); c == http.StatusBadRequest || c == http.StatusNotFound {
			rs, _ := s.svc.Recipients(r.Context(), a)
			s.render(w, r, c, "recipients", "recipients", map[string]any{"Recipients": rs, "Error": userMessage(err)})
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/recipients", fmt.Sprintf("The account %s now reads the copies of %s.", rc.Email, rc.Name))
}

// importRecipients registers recipients from a CSV upload or paste.
func (s *Server) importRecipients(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.pageError(w, r, err)
		return
	}
	fail := func(err error) {
		if c := statusOf(err); c == http.StatusBadRequest || c == http.StatusConflict || c == http.StatusForbidden {
			rs, _ := s.svc.Recipients(r.Context(), a)
			s.render(w, r, c, "recipients", "recipients", map[string]any{"Recipients": rs, "Error": userMessage(err), "CSV": r.FormValue("csv")})
			return
		}
		s.pageError(w, r, err)
	}
	data, _, err := formFile(r, "file", 8<<20)
	if err != nil {
		fail(err)
		return
	}
	if data == nil {
		data = []byte(r.FormValue("csv"))
	}
	rs, err := service.ParseRecipients(bytes.NewReader(data))
	if err != nil {
		fail(err)
		return
	}
	res, err := s.svc.ImportRecipients(r.Context(), a, rs)
	if err != nil {
		fail(err)
		return
	}
	msg := fmt.Sprintf("Registered %d recipients.", res.Added)
	if n := len(res.Existing); n > 0 {
		msg += fmt.Sprintf(" %d were registered already and were left as they are.", n)
	}
	s.redirect(w, r, "/recipients", msg)
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	copies, err := s.svc.Inbox(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "inbox", "inbox", map[string]any{"Copies": copies})
}

// copyCSP lets a copy page use its own embedded stylesheet and nothing
// else: no script at all.
var copyCSP = func() string {
	return "default-src 'none'; style-src '" + render.PageStyleHash() + "'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
}()

func (s *Server) openCopy(w http.ResponseWriter, r *http.Request, format render.Format, via string) {
	a, _ := actorFrom(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no such copy"))
		return
	}
	body, c, err := s.svc.OpenCopy(r.Context(), a, id, format, via, s.clientIP(r))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.metrics.opened.WithLabelValues(string(format)).Inc()
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", format.ContentType())
	if format == render.HTML {
		h.Set("Content-Security-Policy", copyCSP)
	}
	if via == "download" {
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="copy-%d%s"`, c.Number, format.Ext()))
	}
	w.Write(body)
}

func (s *Server) readCopy(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	info, err := s.svc.CopyInfo(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	// Read in the richest format the copy allows.
	for _, f := range []render.Format{render.HTML, render.Text, render.Markdown, render.PDF} {
		if slices.Contains(info.Copy.Formats, string(f)) {
			s.openCopy(w, r, f, "view")
			return
		}
	}
	s.pageError(w, r, telltale.Errorf(telltale.EFORBIDDEN, "this copy has no readable format"))
}

func (s *Server) downloadCopy(w http.ResponseWriter, r *http.Request) {
	f, err := render.ParseFormat(r.PathValue("format"))
	if err != nil {
		s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "%v", err))
		return
	}
	s.openCopy(w, r, f, "download")
}
