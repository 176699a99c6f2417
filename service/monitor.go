package service

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/monitor"
)

// Ledger actions of the monitor.
const (
	ActionSourceAdd    = "monitor.source.add"
	ActionSourceRemove = "monitor.source.remove"
	ActionArticleFlag  = "monitor.flag"
)

// monitorActor is the server itself acting on the monitor's behalf.
var monitorActor = telltale.LocalActor("monitor")

func canMonitor(a telltale.Actor) error {
	if !a.Any(telltale.RoleInvestigator, telltale.RoleAdmin) {
		return forbidden("watching the press", telltale.RoleInvestigator, telltale.RoleAdmin)
	}
	return nil
}

// SourceView is a watched source with its polling state.
type SourceView struct {
	*telltale.MonitorSource
	State monitor.Source
}

func sourceView(ms *telltale.MonitorSource) SourceView {
	v := SourceView{MonitorSource: ms}
	if err := json.Unmarshal(ms.State, &v.State); err != nil {
		v.State.LastError = "stored state unreadable: " + err.Error()
	}
	v.State.ID, v.State.Kind, v.State.URL = ms.ID, monitor.SourceKind(ms.Kind), ms.URL
	return v
}

// AddSource starts watching a feed or a page. every is the polling
// interval (0: monitor.DefaultInterval).
func (s *Service) AddSource(ctx context.Context, actor telltale.Actor, kind, rawURL string, every time.Duration) (*telltale.MonitorSource, error) {
	if err := canMonitor(actor); err != nil {
		return nil, err
	}
	if kind != string(monitor.KindFeed) && kind != string(monitor.KindPage) {
		return nil, telltale.Errorf(telltale.EINVALID, "source kind %q: want feed or page", kind)
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, telltale.Errorf(telltale.EINVALID, "%q is not an http(s) URL", rawURL)
	}
	if every != 0 && every < time.Minute {
		return nil, telltale.Errorf(telltale.EINVALID, "polling every %s is too often for a news site; use 1m or more", every)
	}
	now := s.now().UTC()
	st := monitor.Source{Kind: monitor.SourceKind(kind), URL: u.String(), Interval: every, Healthy: true}
	state, _ := json.Marshal(st)
	ms := &telltale.MonitorSource{Kind: kind, URL: u.String(), State: state, NextAttempt: now, CreatedBy: actor.Ref(), CreatedAt: now}
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		if err := tx.CreateMonitorSource(ms); err != nil {
			if telltale.ErrorCode(err) == telltale.ECONFLICT {
				return telltale.Errorf(telltale.ECONFLICT, "%s is watched already", u)
			}
			return err
		}
		return s.record(tx, now, actor, ActionSourceAdd, ref("source", ms.ID), map[string]string{"kind": kind, "url": sha([]byte(u.String()))})
	})
	return ms, err
}

// RemoveSource stops watching a source.
func (s *Service) RemoveSource(ctx context.Context, actor telltale.Actor, id int64) error {
	if err := canMonitor(actor); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx telltale.Tx) error {
		if err := tx.DeleteMonitorSource(id); err != nil {
			return err
		}
		return s.record(tx, s.now().UTC(), actor, ActionSourceRemove, ref("source", id), nil)
	})
}

// Sources lists the watched sources with their health.
func (s *Service) Sources(ctx context.Context, actor telltale.Actor) ([]SourceView, error) {
	if err := canMonitor(actor); err != nil {
		return nil, err
	}
	var out []SourceView
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		all, err := tx.MonitorSources()
		for _, ms := range all {
			out = append(out, sourceView(ms))
		}
		return err
	})
	return out, err
}

// CheckArticle says whether an article (a saved page or its text)
// discloses any of the documents the actor owns. Nothing is stored. Only
// owners may ask, and only about their own documents: anyone else could
// use it as an oracle, pasting guesses until one matches a secret fact.
// (Investigators see what the monitor flags.)
func (s *Service) CheckArticle(ctx context.Context, actor telltale.Actor, raw []byte, contentType, pageURL string) (*monitor.Article, []disclose.Report, error) {
	if !actor.Has(telltale.RoleOwner) {
		return nil, nil, forbidden("checking an article against protected documents", telltale.RoleOwner)
	}
	if len(raw) > MaxEvidenceSize {
		return nil, nil, telltale.Errorf(telltale.EINVALID, "the article is %d MB; the limit is %d MB", len(raw)>>20, MaxEvidenceSize>>20)
	}
	a, err := monitor.ExtractPage(raw, contentType, pageURL)
	if err != nil {
		return nil, nil, telltale.Errorf(telltale.EINVALID, "%v", err)
	}
	ix, entries, err := s.sources(ctx)
	if err != nil {
		return nil, nil, err
	}
	var own []disclose.Report
	for _, r := range ix.Match(a.Text, a.Published) {
		if e, ok := entries[r.VersionID]; ok && canManage(actor, e.doc) {
			own = append(own, r)
		}
	}
	return a, own, nil
}

// MonitorRun configures one poll of the monitor.
type MonitorRun struct {
	// Owner names the instance, for source leases.
	Owner   string
	Fetcher *monitor.Fetcher
	// Webhook, if set, receives an alert for every hit, signed with
	// WebhookSecret (HMAC-SHA256).
	Webhook string
	Client  *http.Client
	// MaxSources bounds the sources polled (default 50).
	MaxSources int
}

// MonitorResult reports a poll.
type MonitorResult struct {
	Polled   int
	Failed   []string // "url: error" for people
	Articles int
	Flagged  []*telltale.FlaggedArticle
	Cases    []int64
	Alerts   int
	// AlertErrors are webhook failures; the flags are stored regardless.
	AlertErrors []string
}

// seenStore answers the poller from the database.
type seenStore struct {
	ctx context.Context
	s   *Service
}

func (d seenStore) Seen(u string) bool {
	var seen bool
	d.s.store.View(d.ctx, func(tx telltale.Tx) (err error) { seen, err = tx.ArticleSeen(u); return err })
	return seen
}

// flagRecord is what a flagged article's encrypted report holds.
type flagRecord struct {
	Article monitor.Article   `json:"article"`
	Reports []disclose.Report `json:"reports"`
}

// Flag is a flagged article opened for people.
type Flag struct {
	*telltale.FlaggedArticle
	Document string // "plan v1"
	Article  *monitor.Article
	Reports  []disclose.Report
}

// RunMonitor polls the sources that are due and not leased by another
// instance, stores what articles disclose, opens a case for each new story
// that discloses a protected version, and sends alerts. The actor is who
// asked for the poll: an investigator, an admin, or the server's own
// schedule (a local actor).
func (s *Service) RunMonitor(ctx context.Context, actor telltale.Actor, run MonitorRun) (*MonitorResult, error) {
	if !actor.Any(telltale.RoleInvestigator, telltale.RoleAdmin) {
		return nil, forbidden("polling the monitor", telltale.RoleInvestigator, telltale.RoleAdmin)
	}
	if run.Fetcher == nil {
		run.Fetcher = monitor.NewFetcher(monitor.FetcherConfig{})
	}
	if run.MaxSources == 0 {
		run.MaxSources = 50
	}
	if run.Owner == "" {
		run.Owner = "instance"
	}
	now := s.now().UTC()
	var claimed []*telltale.MonitorSource
	err := s.store.Update(ctx, func(tx telltale.Tx) (err error) {
		claimed, err = tx.ClaimMonitorSources(run.Owner, now, now.Add(10*time.Minute), run.MaxSources)
		return err
	})
	if err != nil || len(claimed) == 0 {
		return &MonitorResult{}, err
	}
	ix, _, err := s.sources(ctx)
	if err != nil {
		return nil, err
	}
	sources := make([]monitor.Source, len(claimed))
	for i, ms := range claimed {
		sources[i] = sourceView(ms).State
	}
	s.idxMu.Lock()
	if s.dedupe == nil {
		s.dedupe = &disclose.Deduper{}
	}
	dedupe := s.dedupe
	s.idxMu.Unlock()
	p := monitor.Poller{Fetcher: run.Fetcher, Matcher: ix, Seen: seenStore{ctx, s}, Dedupe: dedupe, Now: s.now}
	res := p.Poll(ctx, sources)

	out := &MonitorResult{Polled: len(res.Sources), Articles: len(res.Found)}
	for _, f := range res.Failures {
		out.Failed = append(out.Failed, f.URL+": "+f.Error())
	}
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		out.Flagged = nil // the function may run again (see telltale.Store.Update)
		for i, src := range res.Sources {
			state, _ := json.Marshal(src)
			ms := claimed[i]
			ms.State, ms.NextAttempt = state, src.NextAttempt
			if err := tx.UpdateMonitorSource(ms); err != nil && telltale.ErrorCode(err) != telltale.ENOTFOUND {
				return err
			}
		}
		for i := range res.Found {
			f := &res.Found[i]
			if err := tx.MarkArticleSeen(f.Article.URL, now); err != nil {
				return err
			}
			if len(f.Reports) == 0 {
				continue
			}
			fa, err := s.storeFlag(tx, f, now)
			if err != nil {
				return err
			}
			out.Flagged = append(out.Flagged, fa)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A case for each new story that discloses a version, then the alert.
	for _, fa := range out.Flagged {
		if !fa.Hit || fa.Duplicate {
			continue
		}
		caseID, err := s.caseForFlag(ctx, fa)
		if err != nil {
			out.AlertErrors = append(out.AlertErrors, fmt.Sprintf("case for %s: %v", fa.URL, err))
		} else {
			fa.CaseID = caseID
			out.Cases = append(out.Cases, caseID)
		}
		if run.Webhook != "" {
			if err := s.alert(ctx, run, fa); err != nil {
				out.AlertErrors = append(out.AlertErrors, err.Error())
			} else {
				out.Alerts++
			}
		}
	}
	return out, nil
}

// storeFlag stores a flagged article, its snapshot and report encrypted,
// and records it in the ledger.
func (s *Service) storeFlag(tx telltale.Tx, f *monitor.Found, now time.Time) (*telltale.FlaggedArticle, error) {
	best := f.Reports[0]
	a := f.Article
	fa := &telltale.FlaggedArticle{SourceID: f.Source, URL: a.URL, Title: a.Title, Outlet: a.Outlet, PublishedAt: a.Published.UTC(), FoundAt: now,
		Story: f.Story, Duplicate: f.Duplicate, VersionID: best.VersionID, Score: best.Score, Hit: best.Hit, Level: string(best.Level),
		SnapshotSHA256: sha256.Sum256(a.Snapshot.Body), Nonce: keys.Nonce(16)}
	if a.Published.IsZero() {
		fa.PublishedAt = time.Time{}
	}
	rec, err := json.Marshal(flagRecord{Article: *a, Reports: f.Reports})
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to encode a disclosure report", Err: err}
	}
	fa.Sealed = s.keys.SealFlag(fa, keys.FlagSnapshot, a.Snapshot.Body)
	fa.Report = s.keys.SealFlag(fa, keys.FlagReport, rec)
	if err := tx.CreateFlaggedArticle(fa); err != nil {
		return nil, err
	}
	fields := map[string]string{"snapshot": "sha256:" + hex.EncodeToString(fa.SnapshotSHA256[:]), "version": ref("version", fa.VersionID),
		"level": fa.Level, "score": fmt.Sprintf("%.1f", fa.Score)}
	if fa.Duplicate {
		fields["duplicate"] = "true"
	}
	return fa, s.record(tx, now, monitorActor, ActionArticleFlag, ref("flag", fa.ID), fields)
}

// caseForFlag opens a case in intake for a flagged article: its snapshot
// is the evidence, traced against the version it discloses.
func (s *Service) caseForFlag(ctx context.Context, fa *telltale.FlaggedArticle) (int64, error) {
	return s.caseForFlagAs(ctx, monitorActor, fa)
}

func (s *Service) caseForFlagAs(ctx context.Context, actor telltale.Actor, fa *telltale.FlaggedArticle) (int64, error) {
	body, err := s.keys.OpenFlag(fa, keys.FlagSnapshot, fa.Sealed)
	if err != nil {
		return 0, err
	}
	var slug string
	s.store.View(ctx, func(tx telltale.Tx) error {
		if d, _ := versionDocument(tx, fa.VersionID); d != nil {
			slug = d.Slug
		}
		return nil
	})
	title := fa.Title
	if title == "" {
		title = fa.URL
	}
	c, err := s.OpenCase(ctx, actor, OpenCaseRequest{Title: "Flagged: " + title, PublishedAt: fa.PublishedAt,
		Evidence: EvidenceInput{Kind: "article", Name: fa.Outlet + ": " + title, URL: fa.URL, Content: body, Document: slug}})
	if err != nil {
		return 0, err
	}
	return c.ID, s.store.Update(ctx, func(tx telltale.Tx) error { return tx.SetFlaggedArticleCase(fa.ID, c.ID) })
}

// WebhookSecret is the key alerts are signed with (hex), derived from the
// master key; give it to the receiver.
func (s *Service) WebhookSecret() string {
	k := s.keys.WebhookKey()
	return hex.EncodeToString(k[:])
}

// Alert is the JSON body of an alert webhook. It names the document and
// the article but never quotes the document.
type Alert struct {
	Event     string    `json:"event"` // "article.flagged"
	Flag      int64     `json:"flag"`
	Case      int64     `json:"case,omitempty"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Outlet    string    `json:"outlet"`
	Published time.Time `json:"published,omitzero"`
	Document  string    `json:"document"`
	Score     float64   `json:"score"`
	Level     string    `json:"level"`
	Sent      time.Time `json:"sent"`
}

// SignAlert returns the Telltale-Signature header value for a body sent
// at t: "t=UNIX,v1=HEX(HMAC-SHA256(secret, UNIX + "." + body))".
func SignAlert(secret []byte, t time.Time, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	fmt.Fprintf(mac, "%d.", t.Unix())
	mac.Write(body)
	return fmt.Sprintf("t=%d,v1=%s", t.Unix(), hex.EncodeToString(mac.Sum(nil)))
}

func (s *Service) alert(ctx context.Context, run MonitorRun, fa *telltale.FlaggedArticle) error {
	var doc string
	s.store.View(ctx, func(tx telltale.Tx) error { doc = versionLabel(tx, fa.VersionID); return nil })
	now := s.now().UTC()
	body, _ := json.Marshal(Alert{Event: "article.flagged", Flag: fa.ID, Case: fa.CaseID, URL: fa.URL, Title: fa.Title, Outlet: fa.Outlet,
		Published: fa.PublishedAt, Document: doc, Score: fa.Score, Level: fa.Level, Sent: now})
	secret := s.keys.WebhookKey()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, run.Webhook, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("alert webhook %s: %w", run.Webhook, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Telltale-Signature", SignAlert(secret[:], now, body))
	client := run.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("alert webhook %s: %w", run.Webhook, err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("alert webhook %s answered %s", run.Webhook, resp.Status)
	}
	return nil
}

// Flags lists flagged articles, newest first.
func (s *Service) Flags(ctx context.Context, actor telltale.Actor, limit int) ([]Flag, error) {
	if err := canMonitor(actor); err != nil {
		return nil, err
	}
	var out []Flag
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		all, err := tx.FlaggedArticles(limit)
		if err != nil {
			return err
		}
		for _, fa := range all {
			out = append(out, Flag{FlaggedArticle: fa, Document: versionLabel(tx, fa.VersionID)})
		}
		return nil
	})
	return out, err
}

// versionLabel names a version for people ("plan v2"), or "" if it is
// not found.
func versionLabel(tx telltale.Tx, id int64) string {
	d, v := versionDocument(tx, id)
	if d == nil {
		return ""
	}
	return fmt.Sprintf("%s v%d", d.Slug, v.Number)
}

// versionDocument returns a version and its document, or nils if either
// is not found.
func versionDocument(tx telltale.Tx, id int64) (*telltale.Document, *telltale.Version) {
	v, err := tx.Version(id)
	if err != nil {
		return nil, nil
	}
	d, err := tx.Document(v.DocumentID)
	if err != nil {
		return nil, nil
	}
	return d, v
}

// FlagDetail returns a flagged article with its disclosure report.
func (s *Service) FlagDetail(ctx context.Context, actor telltale.Actor, id int64) (*Flag, error) {
	if err := canMonitor(actor); err != nil {
		return nil, err
	}
	var f Flag
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		fa, err := tx.FlaggedArticle(id)
		if err != nil {
			return err
		}
		f.FlaggedArticle, f.Document = fa, versionLabel(tx, fa.VersionID)
		b, err := s.keys.OpenFlag(fa, keys.FlagReport, fa.Report)
		if err != nil {
			return &telltale.Error{Code: telltale.EINTERNAL, Message: "a flagged article's report does not decrypt", Err: err}
		}
		var rec flagRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			return &telltale.Error{Code: telltale.EINTERNAL, Message: "a flagged article's report does not decode", Err: err}
		}
		f.Article, f.Reports = &rec.Article, rec.Reports
		if !actor.Has(telltale.RoleInvestigator) {
			redactSources(f.Reports)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// redactSources blanks the protected document's side of every disclosed
// detail: an admin watches the monitor but does not read documents.
func redactSources(reports []disclose.Report) {
	for i := range reports {
		for j := range reports[i].Facts {
			reports[i].Facts[j].SourceText = "(document text: for investigators)"
		}
	}
}

// DocumentFlags lists the articles flagged for a document's versions, for
// its owner: the alert in the UI. The owner sees the article and the score,
// not the case.
func (s *Service) DocumentFlags(ctx context.Context, actor telltale.Actor, slug string) ([]Flag, error) {
	var out []Flag
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		d, err := tx.DocumentBySlug(slug)
		if err != nil || !canManage(actor, d) {
			return noDocument(slug)
		}
		versions, err := tx.Versions(d.ID)
		if err != nil {
			return err
		}
		mine := map[int64]bool{}
		for _, v := range versions {
			mine[v.ID] = true
		}
		all, err := tx.FlaggedArticles(1000)
		if err != nil {
			return err
		}
		for _, fa := range all {
			if mine[fa.VersionID] && !fa.Duplicate {
				out = append(out, Flag{FlaggedArticle: fa, Document: versionLabel(tx, fa.VersionID)})
			}
		}
		return nil
	})
	return out, err
}

// CaseFromFlag opens a case for a flagged article that has none (a weak
// report, or a syndicated copy), with its snapshot as the evidence.
func (s *Service) CaseFromFlag(ctx context.Context, actor telltale.Actor, id int64) (int64, error) {
	if !actor.Has(telltale.RoleInvestigator) {
		return 0, forbidden("opening a case", telltale.RoleInvestigator)
	}
	var fa *telltale.FlaggedArticle
	if err := s.store.View(ctx, func(tx telltale.Tx) (err error) { fa, err = tx.FlaggedArticle(id); return err }); err != nil {
		return 0, err
	}
	if fa.CaseID != 0 {
		return 0, telltale.Errorf(telltale.ECONFLICT, "flagged article %d already has case %d", id, fa.CaseID)
	}
	return s.caseForFlagAs(ctx, actor, fa)
}
