package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/bundle"
	"github.com/telltale-dev/telltale/service"
	"github.com/telltale-dev/telltale/trace"
)

// APICase is a case as the API shows it.
type APICase struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	State       string    `json:"state"`
	Outcome     string    `json:"outcome,omitempty"`
	Office      string    `json:"office,omitempty"`
	Document    string    `json:"document,omitempty"`
	Assignee    string    `json:"assignee,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func apiCase(c *telltale.Case) APICase {
	return APICase{ID: c.ID, Title: c.Title, State: string(c.State), Outcome: string(c.Outcome), Office: c.Office,
		PublishedAt: c.PublishedAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// APIEvidence is evidence sent to the API: the content as text.
type APIEvidence struct {
	Kind     string `json:"kind,omitempty"`
	Name     string `json:"name,omitempty"`
	URL      string `json:"url,omitempty"`
	Content  string `json:"content"`
	Document string `json:"document,omitempty"`
}

func (e APIEvidence) input() service.EvidenceInput {
	return service.EvidenceInput{Kind: e.Kind, Name: e.Name, URL: e.URL, Content: []byte(e.Content), Document: e.Document}
}

// OpenCaseRequest is the body of POST /api/v1/cases.
type OpenCaseRequest struct {
	Title       string      `json:"title,omitempty"`
	PublishedAt time.Time   `json:"published_at,omitzero"`
	Evidence    APIEvidence `json:"evidence"`
}

func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Cases(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APICase{}
	for _, c := range list {
		ac := apiCase(c.Case)
		ac.Document, ac.Assignee = c.Document, c.Assignee
		out = append(out, ac)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiOpenCase(w http.ResponseWriter, r *http.Request) {
	var req OpenCaseRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	c, err := s.svc.OpenCase(r.Context(), apiActor(r), service.OpenCaseRequest{Title: req.Title, PublishedAt: req.PublishedAt, Evidence: req.Evidence.input()})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, apiCase(c))
}

// APICaseDetail is a case with its evidence, history and timeline.
type APICaseDetail struct {
	APICase
	Verdict  *trace.Verdict     `json:"verdict,omitempty"`
	Evidence []APIEvidenceItem  `json:"evidence"`
	Events   []APICaseEvent     `json:"history"`
	Timeline []APITimelineEntry `json:"timeline"`
}

// APIEvidenceItem describes stored evidence (not its content).
type APIEvidenceItem struct {
	ID      int64     `json:"id"`
	Kind    string    `json:"kind"`
	Name    string    `json:"name"`
	URL     string    `json:"url,omitempty"`
	SHA256  string    `json:"sha256"`
	Size    int       `json:"size"`
	AddedAt time.Time `json:"added_at"`
	AddedBy string    `json:"added_by"`
	Outcome string    `json:"outcome,omitempty"`
}

// APICaseEvent is an entry of a case's history.
type APICaseEvent struct {
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"`
	Actor string    `json:"actor"`
	Text  string    `json:"text"`
}

// APITimelineEntry is an access to the leaked version.
type APITimelineEntry struct {
	APIAccess
	Email    string `json:"email"`
	Relative string `json:"relative,omitempty"`
}

func (s *Server) apiCaseDetail(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.Case(r.Context(), apiActor(r), caseID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := APICaseDetail{APICase: apiCase(d.Case), Verdict: d.Verdict, Evidence: []APIEvidenceItem{}, Events: []APICaseEvent{}, Timeline: []APITimelineEntry{}}
	out.Assignee = d.Assignee
	if d.Document != nil {
		out.Document = fmt.Sprintf("%s v%d", d.Document.Slug, d.Version.Number)
	}
	for _, e := range d.Evidence {
		it := APIEvidenceItem{ID: e.ID, Kind: e.Kind, Name: e.Name, URL: e.URL, SHA256: fmt.Sprintf("sha256:%x", e.SHA256), Size: e.Size, AddedAt: e.AddedAt, AddedBy: e.AddedByName}
		if e.Verdict != nil {
			it.Outcome = e.Verdict.Outcome
		}
		out.Evidence = append(out.Evidence, it)
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, APICaseEvent{At: e.At, Kind: e.Kind, Actor: e.ActorName, Text: e.Text})
	}
	for _, t := range d.Timeline {
		out.Timeline = append(out.Timeline, APITimelineEntry{APIAccess: APIAccess{Time: t.Time, Action: t.Action, Actor: t.Actor, ActorName: t.ActorName, Copy: t.Copy,
			Number: t.Number, Recipient: t.Recipient, Format: t.Format, Via: t.Via, Client: t.Client}, Email: t.Email, Relative: t.Relative})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCaseEvidence(w http.ResponseWriter, r *http.Request) {
	var req APIEvidence
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	e, err := s.svc.AddEvidence(r.Context(), apiActor(r), caseID(r), req.input())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": e.ID, "sha256": fmt.Sprintf("sha256:%x", e.SHA256)})
}

// CaseChangeRequest is the body of the note, move and assign calls.
type CaseChangeRequest struct {
	Note    string `json:"note,omitempty"`
	To      string `json:"to,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	Office  string `json:"office,omitempty"`
	Email   string `json:"email,omitempty"`
}

func (s *Server) apiCaseChange(fn func(r *http.Request, a telltale.Actor, id int64, req CaseChangeRequest) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req CaseChangeRequest
		if err := decodeJSON(r, &req); err != nil {
			s.apiError(w, r, err)
			return
		}
		if err := fn(r, apiActor(r), caseID(r), req); err != nil {
			s.apiError(w, r, err)
			return
		}
		s.apiCaseDetail(w, r)
	}
}

func (s *Server) apiCaseNote(w http.ResponseWriter, r *http.Request) {
	s.apiCaseChange(func(r *http.Request, a telltale.Actor, id int64, req CaseChangeRequest) error {
		return s.svc.Note(r.Context(), a, id, req.Note)
	})(w, r)
}

func (s *Server) apiCaseMove(w http.ResponseWriter, r *http.Request) {
	s.apiCaseChange(func(r *http.Request, a telltale.Actor, id int64, req CaseChangeRequest) error {
		return s.svc.Move(r.Context(), a, id, service.MoveRequest{To: telltale.CaseState(req.To), Outcome: telltale.CaseOutcome(req.Outcome), Office: req.Office, Note: req.Note})
	})(w, r)
}

func (s *Server) apiCaseAssign(w http.ResponseWriter, r *http.Request) {
	s.apiCaseChange(func(r *http.Request, a telltale.Actor, id int64, req CaseChangeRequest) error {
		return s.svc.Assign(r.Context(), a, id, req.Email)
	})(w, r)
}

func (s *Server) apiCaseExport(w http.ResponseWriter, r *http.Request) {
	b, name, err := s.exportBundle(r, apiActor(r), r.URL.Query().Get("to"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeBundle(w, name, b)
}

// exportBundle exports a case's bundle, encrypted with age for the
// public keys in to if any (checked before the export is recorded).
func (s *Server) exportBundle(r *http.Request, a telltale.Actor, to string) ([]byte, string, error) {
	id := caseID(r)
	name := fmt.Sprintf("case-%d.zip", id)
	if to != "" {
		if err := bundle.CheckRecipients(to); err != nil {
			return nil, "", telltale.Errorf(telltale.EINVALID, "%v", err)
		}
	}
	b, err := s.svc.ExportCase(r.Context(), a, id)
	if err != nil || to == "" {
		return b, name, err
	}
	b, err = bundle.Seal(b, to)
	return b, name + ".age", err
}

// writeBundle sends an evidence bundle as a download.
func writeBundle(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/zip")
	if strings.HasSuffix(name, ".age") {
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}
