package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/service"
)

// apiRoute is one endpoint of the JSON API.
type apiRoute struct {
	pattern string
	handler http.HandlerFunc
}

// apiTable lists every endpoint of the JSON API; docs/api.md describes
// each, and the authorization test covers each.
func (s *Server) apiTable() []apiRoute {
	return []apiRoute{
		{"GET /api/v1/me", s.apiMe},
		{"GET /api/v1/documents", s.apiDocuments},
		{"POST /api/v1/documents", s.apiAddDocument},
		{"GET /api/v1/documents/{slug}", s.apiDocument},
		{"POST /api/v1/documents/{slug}/issue", s.apiIssue},
		{"GET /api/v1/documents/{slug}/suggestions", s.apiSuggestions},
		{"POST /api/v1/documents/{slug}/suggestions", s.apiAcceptSuggestions},
		{"GET /api/v1/recipients", s.apiRecipients},
		{"POST /api/v1/recipients", s.apiAddRecipient},
		{"POST /api/v1/recipients/link", s.apiLinkRecipient},
		{"POST /api/v1/recipients/import", s.apiImportRecipients},
		{"GET /api/v1/copies", s.apiInbox},
		{"GET /api/v1/copies/{id}", s.apiCopy},
		{"POST /api/v1/copies/{id}/revoke", s.apiRevoke},
		{"POST /api/v1/documents/{slug}/revoke-all", s.apiRevokeAll},
		{"GET /api/v1/documents/{slug}/access", s.apiAccess},
		{"POST /api/v1/trace", s.apiTrace},
		{"GET /api/v1/users", s.apiUsers},
		{"POST /api/v1/users", s.apiAddUser},
		{"PATCH /api/v1/users/{id}", s.apiUpdateUser},
		{"GET /api/v1/tokens", s.apiTokens},
		{"POST /api/v1/tokens", s.apiCreateToken},
		{"POST /api/v1/tokens/{id}/revoke", s.apiRevokeToken},
		{"GET /api/v1/cases", s.apiCases},
		{"POST /api/v1/cases", s.apiOpenCase},
		{"GET /api/v1/cases/{id}", s.apiCaseDetail},
		{"POST /api/v1/cases/{id}/evidence", s.apiCaseEvidence},
		{"POST /api/v1/cases/{id}/notes", s.apiCaseNote},
		{"POST /api/v1/cases/{id}/move", s.apiCaseMove},
		{"POST /api/v1/cases/{id}/assign", s.apiCaseAssign},
		{"POST /api/v1/cases/{id}/export", s.apiCaseExport},
		{"GET /api/v1/monitor/sources", s.apiSources},
		{"POST /api/v1/monitor/sources", s.apiAddSource},
		{"POST /api/v1/monitor/sources/{id}/remove", s.apiRemoveSource},
		{"POST /api/v1/monitor/run", s.apiPoll},
		{"POST /api/v1/monitor/check", s.apiCheck},
		{"GET /api/v1/monitor/flags", s.apiFlags},
		{"GET /api/v1/monitor/flags/{id}", s.apiFlag},
		{"GET /api/v1/ledger/entries", s.apiLedgerEntries},
		{"GET /api/v1/ledger/checkpoint", s.apiCheckpoint},
		{"POST /api/v1/ledger/verify", s.apiVerify},
	}
}

// The JSON API. docs/api.md describes every endpoint.
func (s *Server) apiRoutes(mux *http.ServeMux) {
	for _, r := range s.apiTable() {
		mux.HandleFunc(r.pattern, r.handler)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no API endpoint %s %s (see docs/api.md)", r.Method, r.URL.Path))
	})
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe):
		status, err = http.StatusRequestEntityTooLarge, telltale.Errorf(telltale.EINVALID, "the request body is larger than %d MB", mbe.Limit>>20)
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		// The client was too slow, or went away: its fault, not ours.
		status, err = http.StatusRequestTimeout, telltale.Errorf(telltale.EINVALID, "the request was not received in time, or was cut off; send it again")
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "route", r.Pattern, "err", err)
	}
	writeJSON(w, status, api.ErrorResponse{Error: api.ErrorDetail{Code: telltale.ErrorCode(err), Message: telltale.ErrorMessage(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return telltale.Errorf(telltale.EINVALID, "the request body is not the expected JSON: %v", err)
	}
	return nil
}

func apiActor(r *http.Request) telltale.Actor {
	a, _ := actorFrom(r)
	return a
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	a := apiActor(r)
	writeJSON(w, http.StatusOK, api.User{ID: a.UserID, Email: a.Email, Name: a.Name, Roles: a.Roles})
}

func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request) {
	docs, err := s.svc.Documents(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []api.Document{}
	for _, d := range docs {
		out = append(out, WireDocument(d))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAddDocument(w http.ResponseWriter, r *http.Request) {
	var req api.AddDocumentRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	if len(req.Source) > parse.MaxSize {
		s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "document is larger than %d MB", parse.MaxSize>>20))
		return
	}
	source := []byte(req.Source)
	if req.File != nil {
		if req.Source != "" {
			s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "send the document as source or as file, not both"))
			return
		}
		source = req.File
	}
	if req.Recipients < 0 {
		s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "recipients must be a positive number, got %d", req.Recipients))
		return
	}
	if req.Filename == "" {
		req.Filename = req.Name + ".md"
	}
	res, err := s.svc.AddDocument(r.Context(), apiActor(r), service.AddDocumentRequest{Name: req.Name, Filename: req.Filename, Source: source, Coalition: req.Coalition, Audience: req.Recipients})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeAdded(w, r, res, req.Recipients)
}

// writeAdded answers a request that stored a version with the version and
// its traceability report for the expected number of recipients (0: the
// default).
func (s *Server) writeAdded(w http.ResponseWriter, r *http.Request, res *service.AddDocumentResult, recipients int) {
	if recipients == 0 {
		recipients = api.DefaultRecipients
	}
	rep, err := s.svc.TraceabilityReport(r.Context(), res.Version, recipients)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, WireAddDocument(res, rep))
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) {
	recipients := 0
	if q := r.URL.Query().Get("recipients"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "recipients must be a positive number, got %q", q))
			return
		}
		recipients = n
	}
	d, err := s.svc.Show(r.Context(), apiActor(r), r.PathValue("slug"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := WireDocumentDetail(d)
	if n := len(d.Versions); n > 0 && recipients > 0 {
		rep, err := s.svc.TraceabilityReport(r.Context(), d.Versions[n-1].Version, recipients)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		out.Report = rep.String()
		out.Traceability = WireTraceability(rep)
	}
	writeJSON(w, http.StatusOK, out)
}

// recipientsParam reads ?recipients=N, default api.DefaultRecipients.
func recipientsParam(r *http.Request) (int, error) {
	q := r.URL.Query().Get("recipients")
	if q == "" {
		return api.DefaultRecipients, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 {
		return 0, telltale.Errorf(telltale.EINVALID, "recipients must be a positive number, got %q", q)
	}
	return n, nil
}

func (s *Server) apiSuggestions(w http.ResponseWriter, r *http.Request) {
	n, err := recipientsParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := s.svc.Suggestions(r.Context(), apiActor(r), r.PathValue("slug"), n)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WireSuggestions(res))
}

func (s *Server) apiAcceptSuggestions(w http.ResponseWriter, r *http.Request) {
	var req api.AcceptSuggestionsRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	if req.Recipients < 0 {
		s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "recipients must be a positive number, got %d", req.Recipients))
		return
	}
	res, err := s.svc.AcceptSuggestions(r.Context(), apiActor(r), service.AcceptSuggestionsRequest{Document: r.PathValue("slug"), Version: req.Version, Accept: req.Accept})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeAdded(w, r, res, req.Recipients)
}

func (s *Server) apiIssue(w http.ResponseWriter, r *http.Request) {
	var req api.IssueRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	sr := service.IssueRequest{Document: r.PathValue("slug"), Version: req.Version, Emails: req.To, ExpiresAt: req.ExpiresAt, Watermark: req.Watermark, KeepFiles: req.KeepFiles, NoFiles: true}
	for _, f := range req.Formats {
		format, err := render.ParseFormat(f)
		if err != nil {
			s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "%v", err))
			return
		}
		sr.Formats = append(sr.Formats, format)
	}
	issued, err := s.svc.Issue(r.Context(), apiActor(r), sr)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, WireIssued(sr.Document, issued))
}

func (s *Server) apiRecipients(w http.ResponseWriter, r *http.Request) {
	rs, err := s.svc.Recipients(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []api.Recipient{}
	for _, rc := range rs {
		out = append(out, WireRecipient(rc))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAddRecipient(w http.ResponseWriter, r *http.Request) {
	var req api.Recipient
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	rc := &telltale.Recipient{Name: req.Name, Email: req.Email, Unit: req.Unit}
	if err := s.svc.AddRecipient(r.Context(), apiActor(r), rc); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, WireRecipient(rc))
}

func (s *Server) apiLinkRecipient(w http.ResponseWriter, r *http.Request) {
	var req api.LinkRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	rc, err := s.svc.LinkRecipient(r.Context(), apiActor(r), req.Email)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WireRecipient(rc))
}

func (s *Server) apiInbox(w http.ResponseWriter, r *http.Request) {
	copies, err := s.svc.Inbox(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []api.Copy{}
	for _, c := range copies {
		out = append(out, api.Copy{ID: c.Copy.ID, Document: c.Document.Slug, Version: c.Version.Number, Number: c.Copy.Number, Of: c.Copy.Of,
			Formats: c.Copy.Formats, IssuedAt: c.Copy.IssuedAt, ExpiresAt: c.Copy.ExpiresAt, RevokedAt: c.Copy.RevokedAt})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCopy(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.apiError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no copy %q", r.PathValue("id")))
		return
	}
	f := render.Markdown
	if q := r.URL.Query().Get("format"); q != "" {
		if f, err = render.ParseFormat(q); err != nil {
			s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "%v", err))
			return
		}
	}
	body, _, err := s.svc.OpenCopy(r.Context(), apiActor(r), id, f, "api", s.clientIP(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.metrics.opened.WithLabelValues(string(f)).Inc()
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Cache-Control", "no-store")
	if f == render.HTML {
		w.Header().Set("Content-Security-Policy", copyCSP)
	}
	w.Write(body)
}

func (s *Server) apiRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.apiError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no copy %q", r.PathValue("id")))
		return
	}
	if err := s.svc.Revoke(r.Context(), apiActor(r), id); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"revoked": id})
}

func (s *Server) apiTrace(w http.ResponseWriter, r *http.Request) {
	var req api.TraceRequest
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/json" {
		if err := decodeJSON(r, &req); err != nil {
			s.apiError(w, r, err)
			return
		}
	} else {
		b, err := io.ReadAll(io.LimitReader(r.Body, extract.MaxFileSize+1))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		req.File, req.Name, req.Document = b, r.URL.Query().Get("name"), r.URL.Query().Get("document")
		if req.Name == "" {
			req.Name = "request body"
		}
		if e := r.URL.Query().Get("epsilon"); e != "" {
			if req.Epsilon, err = strconv.ParseFloat(e, 64); err != nil {
				s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "epsilon %q is not a number", e))
				return
			}
		}
	}
	v, err := s.svc.Trace(r.Context(), apiActor(r), service.TraceRequest{Leak: req.Bytes(), Name: req.Name, Document: req.Document, Version: req.Version, Epsilon: req.Epsilon})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.metrics.traces.WithLabelValues(v.Outcome).Inc()
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiCheckpoint(w http.ResponseWriter, r *http.Request) {
	cp, err := s.svc.LedgerStatus(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(cp.Note)
}

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) {
	rep, err := s.svc.VerifyLedger(r.Context(), apiActor(r), service.VerifyLedgerRequest{Full: r.URL.Query().Get("full") == "true"})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WireVerify(rep))
}

func (s *Server) apiRevokeAll(w http.ResponseWriter, r *http.Request) {
	n, err := s.svc.RevokeAll(r.Context(), apiActor(r), r.PathValue("slug"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"revoked": n})
}

func (s *Server) apiAccess(w http.ResponseWriter, r *http.Request) {
	log, err := s.svc.AccessLog(r.Context(), apiActor(r), r.PathValue("slug"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []api.Access{}
	for _, a := range log {
		out = append(out, api.Access{Time: a.Time, Action: a.Action, Actor: a.Actor, ActorName: a.ActorName, Copy: a.Copy, Number: a.Number,
			Recipient: a.Recipient, Format: a.Format, Via: a.Via, Client: a.Client})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	us, err := s.svc.Users(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WireUsers(us))
}

func (s *Server) apiAddUser(w http.ResponseWriter, r *http.Request) {
	var req api.AddUserRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	u := &telltale.User{Name: req.Name, Email: req.Email, Roles: req.Roles}
	if err := s.svc.CreateUser(r.Context(), apiActor(r), u, req.Password); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, api.User{ID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles})
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.apiError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no user %q", r.PathValue("id")))
		return
	}
	var req api.UpdateUserRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.svc.UpdateUser(r.Context(), apiActor(r), id, req.Roles, req.Disabled); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"updated": id})
}

func tokenInfo(t *telltale.APIToken) api.Token {
	return api.Token{ID: t.ID, UserID: t.UserID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsed: t.LastUsed, RevokedAt: t.RevokedAt}
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.svc.APITokens(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []api.Token{}
	for _, t := range ts {
		out = append(out, tokenInfo(t))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var req api.CreateTokenRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	a := apiActor(r)
	if req.UserID == 0 {
		req.UserID = a.UserID
	}
	secret, t, err := s.svc.CreateAPIToken(r.Context(), a, req.UserID, req.Name)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	info := tokenInfo(t)
	info.Token = secret
	writeJSON(w, http.StatusCreated, info)
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.apiError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no token %q", r.PathValue("id")))
		return
	}
	if err := s.svc.RevokeAPIToken(r.Context(), apiActor(r), id); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"revoked": id})
}

func (s *Server) apiLedgerEntries(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if q := r.URL.Query().Get("limit"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > 10000 {
			s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "limit must be a number from 1 to 10000, got %q", q))
			return
		}
		limit = n
	}
	rows, err := s.svc.RecentLedger(r.Context(), apiActor(r), limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WireLedger(rows))
}

// apiImportRecipients registers recipients from a CSV body.
func (s *Server) apiImportRecipients(w http.ResponseWriter, r *http.Request) {
	rs, err := service.ParseRecipients(r.Body)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := s.svc.ImportRecipients(r.Context(), apiActor(r), rs)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.ImportResult{Added: res.Added, Existing: append([]string{}, res.Existing...)})
}
