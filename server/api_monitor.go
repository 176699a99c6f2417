package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/disclose"
)

func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Sources(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []api.Source{}
	for _, v := range list {
		out = append(out, WireSource(v))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAddSource(w http.ResponseWriter, r *http.Request) {
	var req api.AddSourceRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	var every time.Duration
	if req.Every != "" {
		var err error
		if every, err = time.ParseDuration(req.Every); err != nil {
			s.apiError(w, r, telltale.Errorf(telltale.EINVALID, "every %q is not a duration such as 15m", req.Every))
			return
		}
	}
	src, err := s.svc.AddSource(r.Context(), apiActor(r), req.Kind, req.URL, every)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": src.ID, "url": src.URL})
}

func (s *Server) apiRemoveSource(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.svc.RemoveSource(r.Context(), apiActor(r), id); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"removed": id})
}

func (s *Server) apiPoll(w http.ResponseWriter, r *http.Request) {
	run := s.cfg.Monitor
	if run.Owner == "" {
		run.Owner = "api"
	}
	res, err := s.svc.RunMonitor(r.Context(), apiActor(r), run)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	flags := []int64{}
	for _, f := range res.Flagged {
		flags = append(flags, f.ID)
	}
	writeJSON(w, http.StatusOK, map[string]any{"polled": res.Polled, "articles": res.Articles, "flagged": flags, "cases": res.Cases,
		"failed": append([]string{}, res.Failed...), "alerts": res.Alerts, "alert_errors": append([]string{}, res.AlertErrors...)})
}

func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	var req api.CheckRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	raw := []byte(req.Article)
	if len(req.File) > 0 {
		raw = req.File
	}
	a, reports, err := s.svc.CheckArticle(r.Context(), apiActor(r), raw, req.ContentType, req.URL)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if reports == nil {
		reports = []disclose.Report{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"title": a.Title, "text": a.Text, "reports": reports})
}

func (s *Server) apiFlags(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Flags(r.Context(), apiActor(r), 100)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []api.Flag{}
	for _, f := range list {
		out = append(out, WireFlag(f))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiFlag(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f, err := s.svc.FlagDetail(r.Context(), apiActor(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WireFlag(*f))
}
