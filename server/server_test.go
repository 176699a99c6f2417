package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/password"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
	"github.com/telltale-dev/telltale/service"
	"github.com/telltale-dev/telltale/sqlite"
)

var ctx = context.Background()

// world is a running server with users of every kind, two documents of
// two owners, and copies issued.
type world struct {
	t     testing.TB
	db    telltale.Store
	log   *ledger.Log
	svc   *service.Service
	srv   *Server
	http  *httptest.Server
	logs  *bytes.Buffer
	users map[string]*telltale.User
	pw    map[string]string
	plan  []*service.Issued // owner1's plan: dana, lee
	memo  []*service.Issued // owner2's memo: lee
}

const pwSuffix = " long password"

func newWorld(t testing.TB) *world {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m, _ := keys.FromBytes(bytes.Repeat([]byte{3}, keys.Size))
	skey, vkey, _ := ledger.GenerateKeys("test")
	log, _ := ledger.New(skey, vkey)
	svc := service.New(db, m, log, service.Options{PasswordParams: password.Params{Memory: 64, Time: 1, Threads: 1}})
	w := &world{t: t, db: db, log: log, svc: svc, users: map[string]*telltale.User{}, pw: map[string]string{}, logs: &bytes.Buffer{}}
	op := telltale.LocalActor("cli:test")
	for _, u := range []struct {
		key   string
		roles []telltale.Role
	}{
		{"admin", []telltale.Role{telltale.RoleAdmin}},
		{"owner1", []telltale.Role{telltale.RoleOwner}},
		{"owner2", []telltale.Role{telltale.RoleOwner}},
		{"investigator", []telltale.Role{telltale.RoleInvestigator}},
		{"dana", []telltale.Role{telltale.RoleRecipient}},
		{"lee", []telltale.Role{telltale.RoleRecipient}},
	} {
		user := &telltale.User{Name: strings.ToUpper(u.key[:1]) + u.key[1:], Email: u.key + "@example.org", Roles: u.roles}
		w.pw[u.key] = u.key + pwSuffix
		if err := svc.CreateUser(ctx, op, user, w.pw[u.key]); err != nil {
			t.Fatal(err)
		}
		w.users[u.key] = user
	}
	for _, r := range []string{"dana", "lee", "kim"} { // kim has no copies
		if err := svc.AddRecipient(ctx, op, &telltale.Recipient{Name: strings.ToUpper(r[:1]) + r[1:], Email: r + "@example.org"}); err != nil {
			t.Fatal(err)
		}
	}
	owner1, owner2 := telltale.UserActor(w.users["owner1"]), telltale.UserActor(w.users["owner2"])
	plan, _ := samples.Get("operations-plan")
	if _, err := svc.AddDocument(ctx, owner1, service.AddDocumentRequest{Name: "plan", Filename: "plan.md", Source: plan}); err != nil {
		t.Fatal(err)
	}
	memo, _ := samples.Get("board-memo")
	if _, err := svc.AddDocument(ctx, owner2, service.AddDocumentRequest{Name: "memo", Filename: "memo.md", Source: memo}); err != nil {
		t.Fatal(err)
	}
	if w.plan, err = svc.Issue(ctx, owner1, service.IssueRequest{Document: "plan", Emails: []string{"dana@example.org", "lee@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if w.memo, err = svc.Issue(ctx, owner2, service.IssueRequest{Document: "memo", Emails: []string{"lee@example.org"}, Formats: []render.Format{render.HTML}}); err != nil {
		t.Fatal(err)
	}
	// A case about Lee's leaked plan copy, opened by the investigator.
	inv := telltale.UserActor(w.users["investigator"])
	if _, err := svc.OpenCase(ctx, inv, service.OpenCaseRequest{Title: "Plan leak", Evidence: service.EvidenceInput{Content: w.plan[1].Files[render.Text]}}); err != nil {
		t.Fatal(err)
	}
	w.srv, err = New(svc, Config{Logger: slog.New(slog.NewTextHandler(w.logs, nil)), SetupToken: "setup-secret", LoginRate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	w.http = httptest.NewServer(w.srv.Handler())
	t.Cleanup(w.http.Close)
	return w
}

// client returns an HTTP client signed in as a user ("" for anonymous),
// not following redirects.
func (w *world) client(who string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if who != "" {
		token, _, err := w.svc.Login(ctx, who+"@example.org", w.pw[who], "test")
		if err != nil {
			w.t.Fatal(err)
		}
		u, _ := url.Parse(w.http.URL)
		jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/"}})
	}
	return c
}

func (w *world) do(c *http.Client, method, path string, form url.Values) *http.Response {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.http.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestAuthorization checks every route for every kind of user: a table of
// who may do what, including the cases that must be refused.
func TestAuthorization(t *testing.T) {
	w := newWorld(t)
	danaPlan, leePlan, leeMemo := w.plan[0].Copy.ID, w.plan[1].Copy.ID, w.memo[0].Copy.ID
	const (
		ok       = 200
		see      = 303 // a redirect: to sign in for anonymous, or after a form
		forbid   = 403
		notFound = 404
	)
	who := []string{"", "admin", "owner1", "owner2", "investigator", "dana", "lee"}
	tests := []struct {
		method, path string
		form         url.Values
		want         []int // per who
	}{
		// Admins manage users, tokens and the ledger, not documents.
		{"GET", "/documents", nil, []int{see, forbid, ok, ok, ok, forbid, forbid}},
		{"GET", "/documents/plan", nil, []int{see, notFound, ok, notFound, notFound, notFound, notFound}},
		{"GET", "/documents/memo", nil, []int{see, notFound, notFound, ok, notFound, notFound, notFound}},
		{"GET", "/documents/plan/preview", nil, []int{see, notFound, ok, notFound, notFound, notFound, notFound}},
		{"GET", "/documents/new", nil, []int{see, forbid, ok, ok, forbid, forbid, forbid}},
		{"GET", "/recipients", nil, []int{see, forbid, ok, ok, ok, forbid, forbid}},
		{"GET", "/inbox", nil, []int{see, forbid, forbid, forbid, forbid, ok, ok}},
		// A recipient reads her own copy; another recipient's is "not found".
		{"GET", fmt.Sprintf("/copies/%d/read", danaPlan), nil, []int{see, notFound, ok, notFound, notFound, ok, notFound}},
		{"GET", fmt.Sprintf("/copies/%d/download/txt", leePlan), nil, []int{see, notFound, ok, notFound, notFound, notFound, ok}},
		// The memo's copy allows HTML only.
		{"GET", fmt.Sprintf("/copies/%d/download/md", leeMemo), nil, []int{see, notFound, notFound, forbid, notFound, notFound, forbid}},
		{"GET", "/trace", nil, []int{see, forbid, forbid, forbid, ok, forbid, forbid}},
		{"GET", "/admin/users", nil, []int{see, ok, forbid, forbid, forbid, forbid, forbid}},
		{"GET", "/admin/ledger", nil, []int{see, ok, forbid, forbid, forbid, forbid, forbid}},
		{"GET", "/tokens", nil, []int{see, ok, ok, ok, ok, ok, ok}},
		{"GET", "/account", nil, []int{see, ok, ok, ok, ok, ok, ok}},
		{"POST", "/recipients", url.Values{"name": {"New"}, "email": {"new-%s@example.org"}}, []int{see, forbid, see, see, forbid, forbid, forbid}},
		{"POST", "/recipients/import", url.Values{"csv": {"Many,many-%s@example.org"}}, []int{see, forbid, see, see, forbid, forbid, forbid}},
		{"POST", "/documents/plan/issue", url.Values{"to": {"kim@example.org"}, "format": {"txt"}}, []int{see, notFound, see, notFound, notFound, notFound, notFound}},
		// Only the memo's owner (owner2) may revoke its copy.
		{"POST", fmt.Sprintf("/copies/%d/revoke", leeMemo), nil, []int{see, notFound, notFound, see, notFound, notFound, notFound}},
		{"POST", "/admin/users", url.Values{"name": {"X"}, "email": {"x-%s@example.org"}, "role": {"recipient"}}, []int{see, see, forbid, forbid, forbid, forbid, forbid}},
		{"POST", "/admin/ledger/verify", nil, []int{see, ok, forbid, forbid, forbid, forbid, forbid}},
		// Cases are for investigators only.
		{"GET", "/cases", nil, []int{see, forbid, forbid, forbid, ok, forbid, forbid}},
		{"GET", "/cases/1", nil, []int{see, forbid, forbid, forbid, ok, forbid, forbid}},
		{"GET", "/cases/1/evidence/1", nil, []int{see, forbid, forbid, forbid, ok, forbid, forbid}},
		{"GET", "/cases/1/report", nil, []int{see, forbid, forbid, forbid, ok, forbid, forbid}},
		{"GET", "/cases/2", nil, []int{see, forbid, forbid, forbid, notFound, forbid, forbid}},
		{"POST", "/cases/1/notes", url.Values{"note": {"a note"}}, []int{see, forbid, forbid, forbid, see, forbid, forbid}},
		{"POST", "/cases/1/assign", url.Values{"email": {"investigator@example.org"}}, []int{see, forbid, forbid, forbid, see, forbid, forbid}},
		{"POST", "/cases/1/move", url.Values{"to": {"triage"}}, []int{see, forbid, forbid, forbid, see, forbid, forbid}},
		{"POST", "/cases/1/export", nil, []int{see, forbid, forbid, forbid, ok, forbid, forbid}},
		{"GET", "/monitor", nil, []int{see, ok, forbid, forbid, ok, forbid, forbid}},
		{"POST", "/monitor/run", nil, []int{see, see, forbid, forbid, see, forbid, forbid}},
		{"GET", "/check", nil, []int{see, forbid, ok, ok, forbid, forbid, forbid}},
		{"POST", "/check", url.Values{"article": {"Rain is expected across the region on Tuesday."}}, []int{see, forbid, ok, ok, forbid, forbid, forbid}},
		{"POST", "/recipients/link", url.Values{"email": {"dana@example.org"}}, []int{see, forbid, see, see, forbid, forbid, forbid}},
		{"POST", "/monitor/sources", url.Values{"kind": {"feed"}, "url": {"https://%s.invalid/feed.xml"}}, []int{see, see, forbid, forbid, see, forbid, forbid}},
		{"POST", "/monitor/sources/99/remove", nil, []int{see, notFound, forbid, forbid, notFound, forbid, forbid}},
		{"POST", "/monitor/flags/1/case", nil, []int{see, forbid, forbid, forbid, notFound, forbid, forbid}},
		{"GET", "/monitor/flags/1", nil, []int{see, notFound, forbid, forbid, notFound, forbid, forbid}},
		{"POST", "/cases", url.Values{"leak": {"some text"}}, []int{see, forbid, forbid, forbid, see, forbid, forbid}},
		// Suggested facts: the document's owner only.
		{"GET", "/documents/plan/suggestions", nil, []int{see, forbid, ok, notFound, forbid, forbid, forbid}},
		{"POST", "/documents/plan/suggestions", url.Values{"version": {"1"}, "s1": {"accept"}, "s2": {"reject"}}, []int{see, forbid, see, notFound, forbid, forbid, forbid}},
	}
	for _, tt := range tests {
		for i, user := range who {
			t.Run(fmt.Sprintf("%s %s as %q", tt.method, tt.path, user), func(t *testing.T) {
				var form url.Values
				if tt.form != nil {
					form = url.Values{}
					for k, vs := range tt.form {
						for _, v := range vs {
							if strings.Contains(v, "%s") {
								v = fmt.Sprintf(v, user)
							}
							form.Add(k, v)
						}
					}
				}
				resp := w.do(w.client(user), tt.method, tt.path, form)
				want := tt.want[i]
				if resp.StatusCode != want {
					t.Errorf("status %d, want %d", resp.StatusCode, want)
				}
				if user == "" && want == see && !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
					t.Errorf("anonymous redirect to %q, want /login", resp.Header.Get("Location"))
				}
			})
		}
	}
	// The memo's copy was revoked by its owner, and only by her.
	var revokers []string
	w.db.View(ctx, func(tx telltale.Tx) error {
		rows, _ := tx.LedgerFind(telltale.LedgerFilter{Subject: fmt.Sprintf("copy/%d", leeMemo), Action: "copy.revoke"})
		for _, r := range rows {
			revokers = append(revokers, r.Actor)
		}
		return nil
	})
	if strings.Join(revokers, ",") != fmt.Sprintf("user/%d", w.users["owner2"].ID) {
		t.Errorf("memo copy revoked by %v, want only owner2", revokers)
	}
}

func TestSessionRules(t *testing.T) {
	w := newWorld(t)
	danaPlan := w.plan[0].Copy.ID
	// A forged cookie is anonymous.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	u, _ := url.Parse(w.http.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "tts_forgedforgedforgedforgedforgedforgedforg", Path: "/"}})
	if resp := w.do(c, "GET", "/inbox", nil); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("forged cookie: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Signing out ends the session; signing out everywhere ends all.
	dana1, dana2 := w.client("dana"), w.client("dana")
	if resp := w.do(dana1, "GET", "/inbox", nil); resp.StatusCode != 200 {
		t.Fatalf("inbox: %d", resp.StatusCode)
	}
	w.do(dana1, "POST", "/logout/all", url.Values{})
	for _, c := range []*http.Client{dana1, dana2} {
		if resp := w.do(c, "GET", "/inbox", nil); resp.StatusCode != 303 {
			t.Errorf("after signing out everywhere: %d", resp.StatusCode)
		}
	}
	// A revoked copy is refused with a clear page.
	if err := w.svc.Revoke(ctx, telltale.LocalActor("t"), danaPlan); err != nil {
		t.Fatal(err)
	}
	resp, err := w.client("dana").Get(w.http.URL + fmt.Sprintf("/copies/%d/read", danaPlan))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 410 || !bytes.Contains(body, []byte("can no longer be opened")) || !bytes.Contains(body, []byte("revoked")) {
		t.Errorf("revoked copy: %d\n%s", resp.StatusCode, body)
	}
	// Cross-origin POSTs are refused.
	req, _ := http.NewRequest("POST", w.http.URL+"/recipients", strings.NewReader("name=X&email=x@example.org"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err = w.client("owner1").Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-origin POST: %d", resp.StatusCode)
	}
}

func TestExpiredSession(t *testing.T) {
	w := newWorld(t)
	c := w.client("dana")
	// Age the session past its lifetime by moving the clock: a new
	// service on the same store with a later clock.
	later := service.New(w.db, nil, w.log, service.Options{Now: func() time.Time { return time.Now().Add(service.SessionLifetime + time.Minute) }, PasswordParams: password.Params{Memory: 64, Time: 1, Threads: 1}})
	srv, err := New(later, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	u, _ := url.Parse(w.http.URL)
	cookies := c.Jar.Cookies(u)
	req, _ := http.NewRequest("GET", hs.URL+"/inbox", nil)
	req.AddCookie(cookies[0])
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("expired session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestLoginLockoutAndRateLimit(t *testing.T) {
	w := newWorld(t)
	c := w.client("")
	for i := 0; i < service.MaxFailedLogins; i++ {
		if resp := w.do(c, "POST", "/login", url.Values{"email": {"dana@example.org"}, "password": {"wrong"}}); resp.StatusCode != 401 {
			t.Fatalf("failed login %d: %d", i, resp.StatusCode)
		}
	}
	// Locked, even with the right password.
	resp, _ := c.PostForm(w.http.URL+"/login", url.Values{"email": {"dana@example.org"}, "password": {w.pw["dana"]}})
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !bytes.Contains(body, []byte("Wrong email or password, or the account is locked")) {
		t.Errorf("after lockout: %d %s", resp.StatusCode, body)
	}
	// Unknown accounts get the same message as wrong passwords.
	resp, _ = c.PostForm(w.http.URL+"/login", url.Values{"email": {"nobody@example.org"}, "password": {"whatever password"}})
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte("Wrong email or password")) {
		t.Errorf("unknown account: %s", body)
	}
	// Per-address rate limiting.
	strict, _ := New(w.svc, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), LoginRate: 3})
	hs := httptest.NewServer(strict.Handler())
	defer hs.Close()
	last := 0
	for i := 0; i < 5; i++ {
		resp, _ := http.PostForm(hs.URL+"/login", url.Values{"email": {"lee@example.org"}, "password": {"nope"}})
		resp.Body.Close()
		last = resp.StatusCode
	}
	if last != 429 {
		t.Errorf("after 5 attempts at 3 a minute: %d, want 429", last)
	}
}

func TestSecurityHeaders(t *testing.T) {
	w := newWorld(t)
	resp, err := w.client("dana").Get(w.http.URL + fmt.Sprintf("/copies/%d/read", w.plan[0].Copy.ID))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h := resp.Header
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Errorf("CSP = %q", h.Get("Content-Security-Policy"))
	}
	if h.Get("Cache-Control") != "no-store" || h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers: %v", h)
	}
	if !bytes.Contains(body, []byte("prepared for Dana")) {
		t.Errorf("copy page lacks its marking line")
	}
	// No document text, password or token in the logs.
	for _, secret := range []string{"Harbor", "deputies", pwSuffix, "tts_", "ttk_"} {
		if strings.Contains(w.logs.String(), secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get(w.http.URL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("%s: %v %v", path, err, resp.StatusCode)
		}
		resp.Body.Close()
	}
	// /metrics through a proxy, or with a token configured, needs more.
	req, _ := http.NewRequest("GET", w.http.URL+"/metrics", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.5")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Errorf("/metrics through a proxy: %v %v", err, resp.StatusCode)
	}
	w.srv.cfg.MetricsToken = "metrics-secret"
	for tok, want := range map[string]int{"": 401, "wrong": 401, "metrics-secret": 200} {
		req, _ := http.NewRequest("GET", w.http.URL+"/metrics", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != want {
			t.Errorf("/metrics with token %q: %v %v, want %d", tok, err, resp.StatusCode, want)
		}
	}
}

func TestAPI(t *testing.T) {
	w := newWorld(t)
	owner := telltale.UserActor(w.users["owner1"])
	tok, _, err := w.svc.CreateAPIToken(ctx, owner, owner.UserID, "test")
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, token, body string) (int, []byte) {
		req, _ := http.NewRequest(method, w.http.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if strings.HasPrefix(body, "{") {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, body := call("GET", "/api/v1/documents", "", ""); code != 401 || !bytes.Contains(body, []byte(`"code": "unauthorized"`)) {
		t.Errorf("no token: %d %s", code, body)
	}
	if code, _ := call("GET", "/api/v1/documents", "ttk_bogus", ""); code != 401 {
		t.Errorf("bad token: %d", code)
	}
	code, body := call("GET", "/api/v1/documents", tok, "")
	if code != 200 || !bytes.Contains(body, []byte(`"slug": "plan"`)) || bytes.Contains(body, []byte(`"slug": "memo"`)) {
		t.Errorf("documents: %d %s", code, body)
	}
	src, _ := samples.Get("policy-draft")
	reqBody, _ := json.Marshal(api.AddDocumentRequest{Name: "policy", Source: string(src)})
	if code, body := call("POST", "/api/v1/documents", tok, string(reqBody)); code != 201 || !bytes.Contains(body, []byte(`"version": 1`)) {
		t.Errorf("add document: %d %s", code, body)
	}
	if code, body := call("POST", "/api/v1/documents/policy/issue", tok, `{"to":["dana@example.org"],"formats":["txt"]}`); code != 201 || !bytes.Contains(body, []byte(`"recipient": "dana@example.org"`)) {
		t.Errorf("issue: %d %s", code, body)
	}
	if code, body := call("POST", "/api/v1/documents/memo/issue", tok, `{"to":["dana@example.org"]}`); code != 404 {
		t.Errorf("issue another owner's document: %d %s", code, body)
	}
	if code, body := call("POST", "/api/v1/documents", tok, `{"name":"x","source":"{{broken"}`); code != 400 || !bytes.Contains(body, []byte("not closed")) {
		t.Errorf("bad document: %d %s", code, body)
	}
	if code, _ := call("POST", "/api/v1/documents", tok, `{"nonsense":1}`); code != 400 {
		t.Errorf("unknown field: %d", code)
	}
	// The recipient reads her own copy through the API, and only hers.
	dana := telltale.UserActor(w.users["dana"])
	dtok, _, _ := w.svc.CreateAPIToken(ctx, dana, dana.UserID, "reader")
	code, body = call("GET", "/api/v1/copies", dtok, "")
	if code != 200 || bytes.Count(body, []byte(`"id"`)) != 2 {
		t.Errorf("inbox: %d %s", code, body)
	}
	if code, body := call("GET", fmt.Sprintf("/api/v1/copies/%d?format=txt", w.plan[0].Copy.ID), dtok, ""); code != 200 || !bytes.Contains(body, []byte("prepared for Dana")) {
		t.Errorf("own copy: %d %.200s", code, body)
	}
	if code, _ := call("GET", fmt.Sprintf("/api/v1/copies/%d?format=txt", w.plan[1].Copy.ID), dtok, ""); code != 404 {
		t.Errorf("another recipient's copy: %d", code)
	}
	// An investigator traces through the API.
	inv := telltale.UserActor(w.users["investigator"])
	itok, _, _ := w.svc.CreateAPIToken(ctx, inv, inv.UserID, "t")
	code, body = call("POST", "/api/v1/trace", itok, string(w.plan[1].Files[render.Text]))
	if code != 200 || !bytes.Contains(body, []byte(`"outcome": "accused"`)) || !bytes.Contains(body, []byte(`"email": "lee@example.org"`)) {
		t.Errorf("trace: %d %.300s", code, body)
	}
	if code, _ := call("POST", "/api/v1/trace", tok, "some text"); code != 403 {
		t.Errorf("trace as owner: %d", code)
	}
	if code, _ := call("GET", "/api/v1/nope", tok, ""); code != 404 {
		t.Errorf("unknown endpoint: %d", code)
	}
}

// TestSetup: the one-time setup token creates the first admin, once.
func TestSetup(t *testing.T) {
	dir := t.TempDir()
	db, _ := sqlite.Open(ctx, filepath.Join(dir, "t.db"))
	defer db.Close()
	m, _ := keys.FromBytes(bytes.Repeat([]byte{3}, keys.Size))
	skey, vkey, _ := ledger.GenerateKeys("test")
	log, _ := ledger.New(skey, vkey)
	svc := service.New(db, m, log, service.Options{PasswordParams: password.Params{Memory: 64, Time: 1, Threads: 1}})
	srv, _ := New(svc, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SetupToken: "tok123"})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if resp, _ := noRedirect.Get(hs.URL + "/setup?token=wrong"); resp.StatusCode != 404 {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}
	form := url.Values{"token": {"tok123"}, "name": {"Ada"}, "email": {"ada@example.org"}, "password": {"ada long password"}}
	resp, err := noRedirect.PostForm(hs.URL+"/setup", form)
	if err != nil || resp.StatusCode != 303 {
		t.Fatalf("setup: %v %d", err, resp.StatusCode)
	}
	if has, _ := svc.HasAdmin(ctx); !has {
		t.Fatal("no admin after setup")
	}
	form.Set("email", "eve@example.org")
	if resp, _ := noRedirect.PostForm(hs.URL+"/setup", form); resp.StatusCode != 404 {
		t.Errorf("second setup: %d", resp.StatusCode)
	}
}
