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
		{"GET /api/v1/recipients", s.apiRecipients},
		{"POST /api/v1/recipients", s.apiAddRecipient},
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

func (s *Server) apiRevokeAll(w http.ResponseWriter, r *http.Request) {
	n, err := s.svc.RevokeAll(r.Context(), apiActor(r), r.PathValue("slug"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"revoked": n})
}

// APIAccess is one issue, opening or revocation of a copy.
type APIAccess struct {
	Time      time.Time `json:"time"`
	Action    string    `json:"action"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name,omitempty"`
	Copy      int64     `json:"copy"`
	Number    int       `json:"number"`
	Recipient string    `json:"recipient"`
	Format    string    `json:"format,omitempty"`
	Via       string    `json:"via,omitempty"`
	Client    string    `json:"client,omitempty"`
}

func (s *Server) apiAccess(w http.ResponseWriter, r *http.Request) {
	log, err := s.svc.AccessLog(r.Context(), apiActor(r), r.PathValue("slug"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APIAccess{}
	for _, a := range log {
		out = append(out, APIAccess{Time: a.Time, Action: a.Action, Actor: a.Actor, ActorName: a.ActorName, Copy: a.Copy, Number: a.Number,
			Recipient: a.Recipient, Format: a.Format, Via: a.Via, Client: a.Client})
	}
	writeJSON(w, http.StatusOK, out)
}

// APIUserDetail is a user as administrators see it.
type APIUserDetail struct {
	APIUser
	Disabled    bool      `json:"disabled"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	us, err := s.svc.Users(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APIUserDetail{}
	for _, u := range us {
		out = append(out, APIUserDetail{APIUser: APIUser{ID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}, Disabled: u.Disabled, LockedUntil: u.LockedUntil})
	}
	writeJSON(w, http.StatusOK, out)
}

// AddUserRequest is the body of POST /api/v1/users.
type AddUserRequest struct {
	Name     string          `json:"name"`
	Email    string          `json:"email"`
	Password string          `json:"password,omitempty"`
	Roles    []telltale.Role `json:"roles"`
}

func (s *Server) apiAddUser(w http.ResponseWriter, r *http.Request) {
	var req AddUserRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	u := &telltale.User{Name: req.Name, Email: req.Email, Roles: req.Roles}
	if err := s.svc.CreateUser(r.Context(), apiActor(r), u, req.Password); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, APIUser{ID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles})
}

// UpdateUserRequest is the body of PATCH /api/v1/users/{id}: the user's
// complete set of roles and whether the account is disabled.
type UpdateUserRequest struct {
	Roles    []telltale.Role `json:"roles"`
	Disabled bool            `json:"disabled"`
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.apiError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no user %q", r.PathValue("id")))
		return
	}
	var req UpdateUserRequest
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

// APITokenInfo describes an API token; the secret is shown only once, when
// the token is created.
type APITokenInfo struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Token     string    `json:"token,omitempty"`
}

func tokenInfo(t *telltale.APIToken) APITokenInfo {
	return APITokenInfo{ID: t.ID, UserID: t.UserID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsed: t.LastUsed, RevokedAt: t.RevokedAt}
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.svc.APITokens(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APITokenInfo{}
	for _, t := range ts {
		out = append(out, tokenInfo(t))
	}
	writeJSON(w, http.StatusOK, out)
}

// CreateTokenRequest is the body of POST /api/v1/tokens; user_id defaults
// to the caller (admins may create tokens for others).
type CreateTokenRequest struct {
	Name   string `json:"name"`
	UserID int64  `json:"user_id,omitempty"`
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var req CreateTokenRequest
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

// APILedgerEntry is a ledger entry: its index, its canonical body (the
// bytes hashed into the log) and the fields parsed from it.
type APILedgerEntry struct {
	Index     int64     `json:"index"`
	Time      time.Time `json:"time"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name,omitempty"`
	Action    string    `json:"action"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
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
	out := []APILedgerEntry{}
	for _, e := range rows {
		out = append(out, APILedgerEntry{Index: e.Index, Time: e.Time, Actor: e.Actor, ActorName: e.ActorName, Action: e.Action, Subject: e.Subject, Body: string(e.Body)})
	}
	writeJSON(w, http.StatusOK, out)
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
	writeJSON(w, http.StatusOK, map[string]any{"added": res.Added, "existing": append([]string{}, res.Existing...)})
}
