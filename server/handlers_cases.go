package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/bundle"
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/service"
)

type casesData struct {
	Cases []service.CaseSummary
	Error string
	Form  caseForm
}

type caseForm struct {
	Title, Published, URL, Leak string
}

func (s *Server) cases(w http.ResponseWriter, r *http.Request) {
	s.casesPage(w, r, http.StatusOK, casesData{})
}

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request, status int, d casesData) {
	a, _ := actorFrom(r)
	list, err := s.svc.Cases(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d.Cases = list
	s.render(w, r, status, "cases", "cases", d)
}

// evidenceFromForm reads pasted text or an uploaded file.
func evidenceFromForm(r *http.Request) (service.EvidenceInput, error) {
	in := service.EvidenceInput{Kind: "text", Name: "pasted text", URL: r.FormValue("url"), Content: []byte(r.FormValue("leak"))}
	b, name, err := formFile(r, "file", service.MaxEvidenceSize)
	if err != nil {
		return in, err
	}
	if b != nil {
		in.Kind, in.Name, in.Content = "file", name, b
	}
	return in, nil
}

func (s *Server) openCase(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.pageError(w, r, err)
		return
	}
	form := caseForm{Title: r.FormValue("title"), Published: r.FormValue("published"), URL: r.FormValue("url"), Leak: r.FormValue("leak")}
	fail := func(err error) {
		if statusOf(err) == http.StatusBadRequest {
			s.casesPage(w, r, http.StatusBadRequest, casesData{Error: userMessage(err), Form: form})
			return
		}
		s.pageError(w, r, err)
	}
	published, err := service.ParsePublished(form.Published)
	if err != nil {
		fail(err)
		return
	}
	in, err := evidenceFromForm(r)
	if err != nil {
		fail(err)
		return
	}
	c, err := s.svc.OpenCase(r.Context(), a, service.OpenCaseRequest{Title: form.Title, PublishedAt: published, Evidence: in})
	if err != nil {
		fail(err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), fmt.Sprintf("Opened case %d.", c.ID))
}

type caseData struct {
	*service.CaseDetail
	Error   string
	Next    []telltale.CaseState
	Outcome []telltale.CaseOutcome
}

func caseID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	s.showCase(w, r, http.StatusOK, "")
}

func (s *Server) showCase(w http.ResponseWriter, r *http.Request, status int, msg string) {
	a, _ := actorFrom(r)
	d, err := s.svc.Case(r.Context(), a, caseID(r))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	cd := caseData{CaseDetail: d, Error: msg, Outcome: telltale.CaseOutcomes}
	for _, st := range telltale.CaseStates {
		if telltale.CanMove(d.Case.State, st) {
			cd.Next = append(cd.Next, st)
		}
	}
	s.render(w, r, status, "case", "cases", cd)
}

// caseAction runs a change to a case and shows the case again, with the
// error when the input was wrong.
func (s *Server) caseAction(w http.ResponseWriter, r *http.Request, done string, fn func(a telltale.Actor, id int64) error) {
	a, _ := actorFrom(r)
	id := caseID(r)
	if err := fn(a, id); err != nil {
		if statusOf(err) == http.StatusBadRequest {
			s.showCase(w, r, http.StatusBadRequest, userMessage(err))
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/cases/%d", id), done)
}

func (s *Server) caseNote(w http.ResponseWriter, r *http.Request) {
	s.caseAction(w, r, "Note added.", func(a telltale.Actor, id int64) error {
		return s.svc.Note(r.Context(), a, id, r.FormValue("note"))
	})
}

func (s *Server) caseMove(w http.ResponseWriter, r *http.Request) {
	s.caseAction(w, r, "Case moved to "+r.FormValue("to")+".", func(a telltale.Actor, id int64) error {
		return s.svc.Move(r.Context(), a, id, service.MoveRequest{To: telltale.CaseState(r.FormValue("to")), Outcome: telltale.CaseOutcome(r.FormValue("outcome")),
			Office: r.FormValue("office"), Note: r.FormValue("note")})
	})
}

func (s *Server) caseAssign(w http.ResponseWriter, r *http.Request) {
	s.caseAction(w, r, "Case assigned.", func(a telltale.Actor, id int64) error {
		return s.svc.Assign(r.Context(), a, id, r.FormValue("email"))
	})
}

func (s *Server) caseEvidence(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.pageError(w, r, err)
		return
	}
	s.caseAction(w, r, "Evidence added and traced.", func(a telltale.Actor, id int64) error {
		in, err := evidenceFromForm(r)
		if err != nil {
			return err
		}
		_, err = s.svc.AddEvidence(r.Context(), a, id, in)
		return err
	})
}

// caseVerdict shows one evidence item's verdict with the marks read
// highlighted in it.
func (s *Server) caseVerdict(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	d, err := s.svc.Case(r.Context(), a, caseID(r))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	eid, _ := strconv.ParseInt(r.PathValue("eid"), 10, 64)
	for _, it := range d.Evidence {
		if it.ID != eid || it.Verdict == nil {
			continue
		}
		text := it.Verdict.Leak.Text // read from a PDF, an image…
		if text == "" {
			var err error
			if text, _, err = extract.Text(it.Content); err != nil {
				s.pageError(w, r, err)
				return
			}
		}
		s.render(w, r, http.StatusOK, "verdict", "cases", map[string]any{"Verdict": it.Verdict, "Highlighted": highlight(text, it.Verdict),
			"Back": fmt.Sprintf("/cases/%d", d.Case.ID), "BackName": fmt.Sprintf("Case %d", d.Case.ID)})
		return
	}
	s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "case %d has no traced evidence %d", d.Case.ID, eid))
}

// caseExport sends the evidence bundle. It is a POST: exporting is
// recorded in the ledger.
func (s *Server) caseExport(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	b, name, err := s.exportBundle(r, a, r.FormValue("to"))
	if err != nil {
		if statusOf(err) == http.StatusBadRequest {
			s.showCase(w, r, http.StatusBadRequest, userMessage(err))
			return
		}
		s.pageError(w, r, err)
		return
	}
	writeBundle(w, name, b)
}

// reportCSP allows the report's own stylesheet and nothing else.
var reportCSP = "default-src 'none'; style-src '" + bundle.ReportStyleHash() + "'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// caseReport shows the printable report, for a referral.
func (s *Server) caseReport(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	b, err := s.svc.CaseReport(r.Context(), a, caseID(r))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Security-Policy", reportCSP)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}
