package server

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/service"
)

// The JSON API. docs/api.md describes every endpoint.
func (s *Server) apiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/me", s.apiMe)
	mux.HandleFunc("GET /api/v1/documents", s.apiDocuments)
	mux.HandleFunc("POST /api/v1/documents", s.apiAddDocument)
	mux.HandleFunc("GET /api/v1/documents/{slug}", s.apiDocument)
	mux.HandleFunc("POST /api/v1/documents/{slug}/issue", s.apiIssue)
	mux.HandleFunc("GET /api/v1/recipients", s.apiRecipients)
	mux.HandleFunc("POST /api/v1/recipients", s.apiAddRecipient)
	mux.HandleFunc("GET /api/v1/copies", s.apiInbox)
	mux.HandleFunc("GET /api/v1/copies/{id}", s.apiCopy)
	mux.HandleFunc("POST /api/v1/copies/{id}/revoke", s.apiRevoke)
	mux.HandleFunc("POST /api/v1/trace", s.apiTrace)
	mux.HandleFunc("GET /api/v1/ledger/checkpoint", s.apiCheckpoint)
	mux.HandleFunc("POST /api/v1/ledger/verify", s.apiVerify)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no API endpoint %s %s (see docs/api.md)", r.Method, r.URL.Path))
	})
}

// APIError is the body of every API error response.
type APIError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		status, err = http.StatusRequestEntityTooLarge, telltale.Errorf(telltale.EINVALID, "the request body is larger than %d MB", mbe.Limit>>20)
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "route", r.Pattern, "err", err)
	}
	var body APIError
	body.Error.Code, body.Error.Message = telltale.ErrorCode(err), telltale.ErrorMessage(err)
	writeJSON(w, status, body)
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

// APIUser is a user as the API shows it.
type APIUser struct {
	ID    int64           `json:"id"`
	Email string          `json:"email"`
	Name  string          `json:"name"`
	Roles []telltale.Role `json:"roles"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	a := apiActor(r)
	writeJSON(w, http.StatusOK, APIUser{ID: a.UserID, Email: a.Email, Name: a.Name, Roles: a.Roles})
}

// APIDocument is a document as the API shows it.
type APIDocument struct {
	Slug      string    `json:"slug"`
	Title     string    `json:"title"`
	Owner     string    `json:"owner"`
	CreatedAt time.Time `json:"created_at"`
}

func apiDoc(d *telltale.Document) APIDocument {
	return APIDocument{Slug: d.Slug, Title: d.Title, Owner: d.Owner, CreatedAt: d.CreatedAt}
}

func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request) {
	docs, err := s.svc.Documents(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APIDocument{}
	for _, d := range docs {
		out = append(out, apiDoc(d))
	}
	writeJSON(w, http.StatusOK, out)
}

// AddDocumentRequest is the body of POST /api/v1/documents.
type AddDocumentRequest struct {
	Name      string `json:"name"`
	Filename  string `json:"filename"`
	Source    string `json:"source"`
	Coalition int    `json:"coalition,omitempty"`
}

// AddDocumentResponse reports a stored version.
type AddDocumentResponse struct {
	Document APIDocument    `json:"document"`
	Version  int            `json:"version"`
	Words    int            `json:"words"`
	Slots    map[string]int `json:"slots"`
	Report   string         `json:"report"`
}

func (s *Server) apiAddDocument(w http.ResponseWriter, r *http.Request) {
	var req AddDocumentRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	if len(req.Source) > parse.MaxSize {
		s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "document is larger than %d MB", parse.MaxSize>>20))
		return
	}
	if req.Filename == "" {
		req.Filename = req.Name + ".md"
	}
	res, err := s.svc.AddDocument(r.Context(), apiActor(r), service.AddDocumentRequest{Slug: req.Name, Filename: req.Filename, Source: []byte(req.Source), Coalition: req.Coalition})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rep, err := s.svc.Report(r.Context(), res.Version, 12)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := AddDocumentResponse{Document: apiDoc(res.Document), Version: res.Version.Number, Words: res.Version.Words, Slots: map[string]int{}, Report: rep.String()}
	for _, sl := range res.Template.Slots {
		out.Slots[sl.Kind.String()]++
	}
	writeJSON(w, http.StatusCreated, out)
}

// APICopy is a copy as the API shows it.
type APICopy struct {
	ID        int64     `json:"id"`
	Document  string    `json:"document,omitempty"`
	Version   int       `json:"version,omitempty"`
	Number    int       `json:"number"`
	Of        int       `json:"of"`
	Recipient string    `json:"recipient,omitempty"`
	Formats   []string  `json:"formats"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// APIVersion is a version with its copies.
type APIVersion struct {
	Number int            `json:"number"`
	Words  int            `json:"words"`
	Slots  map[string]int `json:"slots"`
	Copies []APICopy      `json:"copies"`
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.Show(r.Context(), apiActor(r), r.PathValue("slug"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		APIDocument
		Versions []APIVersion `json:"versions"`
	}{APIDocument: apiDoc(d.Document)}
	for _, v := range d.Versions {
		av := APIVersion{Number: v.Version.Number, Words: v.Version.Words, Slots: map[string]int{}, Copies: []APICopy{}}
		for _, k := range mark.Kinds {
			av.Slots[k.String()] = v.SlotsByKind[k]
		}
		for _, c := range v.Copies {
			av.Copies = append(av.Copies, APICopy{ID: c.Copy.ID, Number: c.Copy.Number, Of: c.Copy.Of, Recipient: c.Recipient.Email,
				Formats: c.Copy.Formats, IssuedAt: c.Copy.IssuedAt, ExpiresAt: c.Copy.ExpiresAt, RevokedAt: c.Copy.RevokedAt})
		}
		out.Versions = append(out.Versions, av)
	}
	writeJSON(w, http.StatusOK, out)
}

// IssueRequest is the body of POST /api/v1/documents/{slug}/issue.
type IssueRequest struct {
	To        []string  `json:"to"`
	Formats   []string  `json:"formats,omitempty"`
	Version   int       `json:"version,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

func (s *Server) apiIssue(w http.ResponseWriter, r *http.Request) {
	var req IssueRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	sr := service.IssueRequest{Document: r.PathValue("slug"), Version: req.Version, Emails: req.To, ExpiresAt: req.ExpiresAt}
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
	out := []APICopy{}
	for _, is := range issued {
		out = append(out, APICopy{ID: is.Copy.ID, Document: sr.Document, Number: is.Copy.Number, Of: is.Copy.Of, Recipient: is.Recipient.Email,
			Formats: is.Copy.Formats, IssuedAt: is.Copy.IssuedAt, ExpiresAt: is.Copy.ExpiresAt})
	}
	writeJSON(w, http.StatusCreated, out)
}

// APIRecipient is a recipient as the API shows it.
type APIRecipient struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Unit  string `json:"unit,omitempty"`
}

func (s *Server) apiRecipients(w http.ResponseWriter, r *http.Request) {
	rs, err := s.svc.Recipients(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APIRecipient{}
	for _, rc := range rs {
		out = append(out, APIRecipient{ID: rc.ID, Name: rc.Name, Email: rc.Email, Unit: rc.Unit})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAddRecipient(w http.ResponseWriter, r *http.Request) {
	var req APIRecipient
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	rc := &telltale.Recipient{Name: req.Name, Email: req.Email, Unit: req.Unit}
	if err := s.svc.AddRecipient(r.Context(), apiActor(r), rc); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, APIRecipient{ID: rc.ID, Name: rc.Name, Email: rc.Email, Unit: rc.Unit})
}

func (s *Server) apiInbox(w http.ResponseWriter, r *http.Request) {
	copies, err := s.svc.Inbox(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APICopy{}
	for _, c := range copies {
		out = append(out, APICopy{ID: c.Copy.ID, Document: c.Document.Slug, Version: c.Version.Number, Number: c.Copy.Number, Of: c.Copy.Of,
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

// TraceRequest is the JSON body of POST /api/v1/trace; a text/plain,
// text/markdown or text/html body is traced as is.
type TraceRequest struct {
	Leak     string  `json:"leak"`
	Name     string  `json:"name,omitempty"`
	Document string  `json:"document,omitempty"`
	Version  int     `json:"version,omitempty"`
	Epsilon  float64 `json:"epsilon,omitempty"`
}

func (s *Server) apiTrace(w http.ResponseWriter, r *http.Request) {
	var req TraceRequest
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/json" {
		if err := decodeJSON(r, &req); err != nil {
			s.apiError(w, r, err)
			return
		}
	} else {
		b, err := io.ReadAll(io.LimitReader(r.Body, read.MaxLeakSize+1))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		req.Leak, req.Name, req.Document = string(b), "request body", r.URL.Query().Get("document")
		if e := r.URL.Query().Get("epsilon"); e != "" {
			if req.Epsilon, err = strconv.ParseFloat(e, 64); err != nil {
				s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "epsilon %q is not a number", e))
				return
			}
		}
	}
	v, err := s.svc.Trace(r.Context(), apiActor(r), service.TraceRequest{Leak: []byte(req.Leak), Name: req.Name, Document: req.Document, Version: req.Version, Epsilon: req.Epsilon})
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
	rep, err := s.svc.VerifyLedger(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		OK          bool     `json:"ok"`
		Entries     int64    `json:"entries"`
		Checkpoints int      `json:"checkpoints"`
		Problems    []string `json:"problems"`
	}{OK: rep.OK(), Entries: rep.Entries, Checkpoints: rep.Checkpoints, Problems: []string{}}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, p.String())
	}
	writeJSON(w, http.StatusOK, out)
}
