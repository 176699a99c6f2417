package service

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/monitor"
)

// newsSite serves testdata/articles as a news site with an RSS feed, and a
// broken feed next to it.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	files, _ := filepath.Glob("../testdata/articles/*.*")
	mux := http.NewServeMux()
	var items strings.Builder
	var srv *httptest.Server
	for _, f := range files {
		ext := filepath.Ext(f)
		if ext != ".txt" && ext != ".html" {
			continue
		}
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ext)
		ctype := "text/plain; charset=utf-8"
		if ext == ".html" {
			ctype = "text/html; charset=utf-8"
		}
		mux.HandleFunc("/a/"+name, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Write(body)
		})
		fmt.Fprintf(&items, "<item><title>%s</title><link>{{base}}/a/%s</link><guid>{{base}}/a/%s</guid><pubDate>%s</pubDate></item>\n",
			html.EscapeString(name), name, name, time.Date(2026, 3, 7, 18, 0, 0, 0, time.UTC).Format(time.RFC1123Z))
	}
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Gulf News</title><link>%s</link><description>news</description>%s</channel></rss>`,
			srv.URL, strings.ReplaceAll(items.String(), "{{base}}", srv.URL))
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "<html><body><h1>Internal Server Error</h1></body></html>")
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestMonitorRun(t *testing.T) {
	s, clock := newService(t)
	for _, name := range []string{"operations-plan", "board-memo", "policy-draft"} {
		addSample(t, s, name)
	}
	addRecipients(t, s, "dana@example.org", "lee@example.org")
	if _, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"dana@example.org", "lee@example.org"}}); err != nil {
		t.Fatal(err)
	}
	site := newsSite(t)
	var mu sync.Mutex
	var alerts []Alert
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var a Alert
		json.Unmarshal(body, &a)
		secret := s.keys.WebhookKey()
		if got, want := r.Header.Get("Telltale-Signature"), SignAlert(secret[:], a.Sent, body); got != want {
			t.Errorf("alert signature %q, want %q", got, want)
		}
		mu.Lock()
		alerts = append(alerts, a)
		mu.Unlock()
	}))
	defer hook.Close()

	if _, err := s.AddSource(ctx, op, "feed", site.URL+"/feed.xml", 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSource(ctx, op, "feed", site.URL+"/broken.xml", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSource(ctx, op, "feed", site.URL+"/feed.xml", 0); telltale.ErrorCode(err) != telltale.ECONFLICT {
		t.Errorf("same source twice: %v", err)
	}
	if _, err := s.AddSource(ctx, op, "feed", "ftp://example.org/x", 0); telltale.ErrorCode(err) != telltale.EINVALID {
		t.Errorf("ftp source: %v", err)
	}
	fetcher := monitor.NewFetcher(monitor.FetcherConfig{IgnoreRobots: true, PerHost: 1000, Burst: 100, Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	for _, role := range []telltale.Role{telltale.RoleOwner, telltale.RoleRecipient} {
		a := telltale.Actor{UserID: 5, Roles: []telltale.Role{role}}
		if _, err := s.RunMonitor(ctx, a, MonitorRun{Owner: "test", Fetcher: fetcher}); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
			t.Errorf("RunMonitor as %s: %v, want forbidden", role, err)
		}
	}
	res, err := s.RunMonitor(ctx, op, MonitorRun{Owner: "test", Fetcher: fetcher, Webhook: hook.URL})
	if err != nil {
		t.Fatal(err)
	}
	if res.Polled != 2 || len(res.Failed) != 1 || !strings.Contains(res.Failed[0], "broken.xml") {
		t.Errorf("polled %d, failed %v", res.Polled, res.Failed)
	}
	hits := map[string]*telltale.FlaggedArticle{}
	for _, fa := range res.Flagged {
		name := fa.URL[strings.LastIndex(fa.URL, "/")+1:]
		if fa.Hit {
			hits[name] = fa
		}
		if strings.HasPrefix(name, "unrelated") {
			t.Errorf("unrelated article flagged: %s (score %.1f)", name, fa.Score)
		}
	}
	for _, want := range []string{"operations-plan-strong", "operations-plan-strong-syndicated", "board-memo-strong", "policy-draft-strong"} {
		if hits[want] == nil {
			t.Errorf("%s not flagged as a hit", want)
		}
	}
	if a, b := hits["operations-plan-strong"], hits["operations-plan-strong-syndicated"]; a != nil && b != nil && a.Duplicate == b.Duplicate {
		t.Errorf("syndicated copy not grouped: %v %v", a.Duplicate, b.Duplicate)
	}
	if len(res.Cases) != 3 || res.Alerts != 3 || len(res.AlertErrors) != 0 {
		t.Errorf("cases %v, alerts %d, errors %v", res.Cases, res.Alerts, res.AlertErrors)
	}
	mu.Lock()
	if len(alerts) != 3 || alerts[0].Event != "article.flagged" || alerts[0].Case == 0 {
		t.Errorf("alerts: %+v", alerts)
	}
	mu.Unlock()

	// The flagged article's case is in intake with the article as evidence.
	d, err := s.Case(ctx, op, res.Cases[0])
	if err != nil {
		t.Fatal(err)
	}
	if d.Case.State != telltale.CaseIntake || len(d.Evidence) != 1 || d.Evidence[0].Kind != "article" || d.Evidence[0].URL == "" {
		t.Errorf("case from a flag: %+v %+v", d.Case, d.Evidence)
	}
	// The disclosure report lists the facts with the article's spans.
	flags, err := s.Flags(ctx, op, 50)
	if err != nil || len(flags) != len(res.Flagged) {
		t.Fatalf("flags: %v %d", err, len(flags))
	}
	fd, err := s.FlagDetail(ctx, op, hits["board-memo-strong"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if fd.Document != "board-memo v1" || len(fd.Reports) == 0 || len(fd.Reports[0].Facts) == 0 {
		t.Fatalf("flag detail: %+v", fd)
	}
	for _, f := range fd.Reports[0].Facts {
		if len(f.Article) == 0 || f.ArticleText == "" || fd.Article.Text[f.Article[0].Start:f.Article[0].End] != f.ArticleText {
			t.Errorf("disclosure without its span: %+v", f)
		}
	}
	// An admin watches the monitor but does not read the document's side.
	admin := telltale.Actor{UserID: 77, Roles: []telltale.Role{telltale.RoleAdmin}}
	fa, err := s.FlagDetail(ctx, admin, hits["board-memo-strong"].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fa.Reports[0].Facts {
		if f.SourceText != "(document text: for investigators)" {
			t.Errorf("admin sees the document's text %q", f.SourceText)
		}
	}

	// A weak flag gets a case on request, once.
	for _, fa := range res.Flagged {
		if fa.CaseID == 0 && !fa.Duplicate {
			id, err := s.CaseFromFlag(ctx, op, fa.ID)
			if err != nil || id == 0 {
				t.Errorf("case from flag %d: %v", fa.ID, err)
			}
			if _, err := s.CaseFromFlag(ctx, op, fa.ID); telltale.ErrorCode(err) != telltale.ECONFLICT {
				t.Errorf("second case from flag %d: %v", fa.ID, err)
			}
			break
		}
	}

	// Sources: health recorded, nothing due again until the interval.
	srcs, _ := s.Sources(ctx, op)
	for _, src := range srcs {
		broken := strings.HasSuffix(src.URL, "broken.xml")
		if src.State.Healthy == broken || broken != (src.State.LastError != "") {
			t.Errorf("source %s: healthy %v, error %q", src.URL, src.State.Healthy, src.State.LastError)
		}
	}
	if again, _ := s.RunMonitor(ctx, op, MonitorRun{Owner: "test", Fetcher: fetcher}); again.Polled != 0 {
		t.Errorf("polled again at once: %d", again.Polled)
	}
	clock.t = clock.t.Add(time.Hour)
	again, err := s.RunMonitor(ctx, op, MonitorRun{Owner: "test", Fetcher: fetcher})
	if err != nil || again.Polled != 2 || len(again.Flagged) != 0 { // the feed, and the broken one after its back-off
		t.Errorf("an hour later: %v polled %d, flagged %d (seen articles must not be flagged twice)", err, again.Polled, len(again.Flagged))
	}

	// Who may watch.
	owner := telltale.Actor{UserID: 9, Roles: []telltale.Role{telltale.RoleOwner}}
	if _, err := s.Sources(ctx, owner); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("owner lists sources: %v", err)
	}

	// A one-off check stores nothing.
	raw, _ := os.ReadFile("../testdata/articles/policy-draft-strong.txt")
	_, reports, err := s.CheckArticle(ctx, op, raw, "text/plain", "")
	if err != nil || len(reports) == 0 || !reports[0].Hit || reports[0].Label != "policy-draft v1" {
		t.Errorf("check: %v %+v", err, reports)
	}
	if rep, err := s.VerifyLedger(ctx, op, VerifyLedgerRequest{}); err != nil || !rep.OK() {
		t.Errorf("ledger: %v %v", err, rep)
	}
}
