package server

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/service"
)

// APISource is a watched source with its health.
type APISource struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	URL         string    `json:"url"`
	Interval    string    `json:"interval"`
	Healthy     bool      `json:"healthy"`
	Failures    int       `json:"failures"`
	LastError   string    `json:"last_error,omitempty"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	NextAttempt time.Time `json:"next_attempt"`
}

func apiSource(v service.SourceView) APISource {
	iv := v.State.Interval
	if iv == 0 {
		iv = monitor.DefaultInterval
	}
	return APISource{ID: v.ID, Kind: v.Kind, URL: v.URL, Interval: iv.String(), Healthy: v.State.Healthy, Failures: v.State.Failures,
		LastError: v.State.LastError, LastSuccess: v.State.LastSuccess, NextAttempt: v.NextAttempt}
}

func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Sources(r.Context(), apiActor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APISource{}
	for _, v := range list {
		out = append(out, apiSource(v))
	}
	writeJSON(w, http.StatusOK, out)
}

// AddSourceRequest is the body of POST /api/v1/monitor/sources.
type AddSourceRequest struct {
	Kind  string `json:"kind"` // feed or page
	URL   string `json:"url"`
	Every string `json:"every,omitempty"` // a Go duration, e.g. "15m"
}

func (s *Server) apiAddSource(w http.ResponseWriter, r *http.Request) {
	var req AddSourceRequest
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
	a := apiActor(r)
	if !a.Any(telltale.RoleInvestigator, telltale.RoleAdmin) {
		s.apiError(w, r, telltale.Errorf(telltale.EFORBIDDEN, "polling the monitor needs the investigator or admin role"))
		return
	}
	run := s.cfg.Monitor
	if run.Owner == "" {
		run.Owner = "api"
	}
	res, err := s.svc.RunMonitor(r.Context(), run)
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

// CheckRequest is the body of POST /api/v1/monitor/check.
type CheckRequest struct {
	Article     string `json:"article"`
	ContentType string `json:"content_type,omitempty"` // text/html or text/plain
	URL         string `json:"url,omitempty"`
}

func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	var req CheckRequest
	if err := decodeJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	a, reports, err := s.svc.CheckArticle(r.Context(), apiActor(r), []byte(req.Article), req.ContentType, req.URL)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if reports == nil {
		reports = []disclose.Report{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"title": a.Title, "text": a.Text, "reports": reports})
}

// APIFlag is a flagged article.
type APIFlag struct {
	ID          int64             `json:"id"`
	URL         string            `json:"url"`
	Title       string            `json:"title"`
	Outlet      string            `json:"outlet"`
	PublishedAt time.Time         `json:"published_at,omitzero"`
	FoundAt     time.Time         `json:"found_at"`
	Story       string            `json:"story"`
	Duplicate   bool              `json:"duplicate"`
	Document    string            `json:"document"`
	Score       float64           `json:"score"`
	Hit         bool              `json:"hit"`
	Level       string            `json:"level"`
	Snapshot    string            `json:"snapshot_sha256"`
	Case        int64             `json:"case,omitempty"`
	Reports     []disclose.Report `json:"reports,omitempty"`
	Text        string            `json:"text,omitempty"`
}

func apiFlag(f service.Flag) APIFlag {
	out := APIFlag{ID: f.ID, URL: f.URL, Title: f.Title, Outlet: f.Outlet, PublishedAt: f.PublishedAt, FoundAt: f.FoundAt, Story: f.Story,
		Duplicate: f.Duplicate, Document: f.Document, Score: f.Score, Hit: f.Hit, Level: f.Level, Case: f.CaseID, Reports: f.Reports}
	out.Snapshot = "sha256:" + hex.EncodeToString(f.SnapshotSHA256[:])
	if f.Article != nil {
		out.Text = f.Article.Text
	}
	return out
}

func (s *Server) apiFlags(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Flags(r.Context(), apiActor(r), 100)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []APIFlag{}
	for _, f := range list {
		out = append(out, apiFlag(f))
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
	writeJSON(w, http.StatusOK, apiFlag(*f))
}
