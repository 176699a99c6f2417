package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/bundle"
	"github.com/telltale-dev/telltale/service"
)

// evidenceInput is evidence sent to the API, for the service.
func evidenceInput(e api.Evidence) service.EvidenceInput {
	return service.EvidenceInput{Kind: e.Kind, Name: e.Name, URL: e.URL, Content: e.Bytes(), Document: e.Document}
}

func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Cases(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WireCases(list))
}

func (s *Server) apiOpenCase(w http.ResponseWriter, r *http.Request) {
	var req api.OpenCaseRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	c, err := s.svc.OpenCase(r.Context(), apiActor(r), service.OpenCaseRequest{Title: req.Title, PublishedAt: req.PublishedAt, Evidence: evidenceInput(req.Evidence)})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, WireCase(c))
}

func (s *Server) apiCaseDetail(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.Case(r.Context(), apiActor(r), caseID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WireCaseDetail(d))
}

func (s *Server) apiCaseEvidence(w http.ResponseWriter, r *http.Request) {
	var req api.Evidence
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	e, err := s.svc.AddEvidence(r.Context(), apiActor(r), caseID(r), evidenceInput(req))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": e.ID, "sha256": fmt.Sprintf("sha256:%x", e.SHA256)})
}

func (s *Server) apiCaseChange(fn func(r *http.Request, a telltale.Actor, id int64, req api.CaseChangeRequest) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req api.CaseChangeRequest
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
	s.apiCaseChange(func(r *http.Request, a telltale.Actor, id int64, req api.CaseChangeRequest) error {
		return s.svc.Note(r.Context(), a, id, req.Note)
	})(w, r)
}

func (s *Server) apiCaseMove(w http.ResponseWriter, r *http.Request) {
	s.apiCaseChange(func(r *http.Request, a telltale.Actor, id int64, req api.CaseChangeRequest) error {
		return s.svc.Move(r.Context(), a, id, service.MoveRequest{To: telltale.CaseState(req.To), Outcome: telltale.CaseOutcome(req.Outcome), Office: req.Office, Note: req.Note})
	})(w, r)
}

func (s *Server) apiCaseAssign(w http.ResponseWriter, r *http.Request) {
	s.apiCaseChange(func(r *http.Request, a telltale.Actor, id int64, req api.CaseChangeRequest) error {
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
