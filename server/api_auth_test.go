package server

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/render"
)

// TestAPIAuthorization calls every endpoint of the JSON API with the token
// of every kind of user, and checks the table covers every endpoint.
func TestAPIAuthorization(t *testing.T) {
	w := newWorld(t)
	who := []string{"", "admin", "owner1", "owner2", "investigator", "dana", "lee"}
	tokens := map[string]string{}
	for _, u := range who[1:] {
		a := telltale.UserActor(w.users[u])
		tok, _, err := w.svc.CreateAPIToken(ctx, a, a.UserID, "test")
		if err != nil {
			t.Fatal(err)
		}
		tokens[u] = tok
	}
	lee := telltale.UserActor(w.users["lee"])
	_, spare, err := w.svc.CreateAPIToken(ctx, lee, lee.UserID, "spare")
	if err != nil {
		t.Fatal(err)
	}
	danaPlan, leeMemo := w.plan[0].Copy.ID, w.memo[0].Copy.ID
	leak := string(w.plan[1].Files[render.Text])
	const (
		ok      = 200
		created = 201
		unauth  = 401
		forbid  = 403
		nf      = 404
	)
	tests := []struct {
		pattern string // as in apiTable
		path    string
		body    string
		want    []int // per who
	}{
		{"GET /api/v1/me", "", "", []int{unauth, ok, ok, ok, ok, ok, ok}},
		{"GET /api/v1/documents", "", "", []int{unauth, forbid, ok, ok, ok, forbid, forbid}},
		{"POST /api/v1/documents", "", `{"name":"new-%s","source":"# New\n\nA short plan."}`, []int{unauth, forbid, created, created, forbid, forbid, forbid}},
		{"GET /api/v1/documents/{slug}", "/api/v1/documents/plan", "", []int{unauth, nf, ok, nf, nf, nf, nf}},
		{"GET /api/v1/documents/{slug}/suggestions", "/api/v1/documents/plan/suggestions?recipients=12", "", []int{unauth, forbid, ok, nf, forbid, forbid, forbid}},
		{"POST /api/v1/documents/{slug}/suggestions", "/api/v1/documents/plan/suggestions", `{"version":1,"accept":[1]}`, []int{unauth, forbid, created, nf, forbid, forbid, forbid}},
		{"GET /api/v1/documents/{slug}/access", "/api/v1/documents/plan/access", "", []int{unauth, nf, ok, nf, nf, nf, nf}},
		{"POST /api/v1/documents/{slug}/issue", "/api/v1/documents/memo/issue", `{"to":["dana@example.org"],"formats":["txt"]}`, []int{unauth, nf, nf, created, nf, nf, nf}},
		{"GET /api/v1/recipients", "", "", []int{unauth, forbid, ok, ok, ok, forbid, forbid}},
		{"POST /api/v1/recipients", "", `{"name":"New","email":"new-%s@example.org"}`, []int{unauth, forbid, created, created, forbid, forbid, forbid}},
		{"POST /api/v1/recipients/link", "", `{"email":"dana@example.org"}`, []int{unauth, forbid, ok, ok, forbid, forbid, forbid}},
		{"POST /api/v1/recipients/import", "", "Bulk,bulk-%s@example.org\n", []int{unauth, forbid, ok, ok, forbid, forbid, forbid}},
		{"GET /api/v1/copies", "", "", []int{unauth, forbid, forbid, forbid, forbid, ok, ok}},
		// Dana's copy: Dana and the plan's owner only; Lee gets "not found".
		{"GET /api/v1/copies/{id}", fmt.Sprintf("/api/v1/copies/%d?format=txt", danaPlan), "", []int{unauth, nf, ok, nf, nf, ok, nf}},
		{"POST /api/v1/copies/{id}/revoke", fmt.Sprintf("/api/v1/copies/%d/revoke", leeMemo), "", []int{unauth, nf, nf, ok, nf, nf, nf}},
		{"POST /api/v1/documents/{slug}/revoke-all", "/api/v1/documents/plan/revoke-all", "", []int{unauth, nf, ok, nf, nf, nf, nf}},
		{"POST /api/v1/trace", "", leak, []int{unauth, forbid, forbid, forbid, ok, forbid, forbid}},
		{"GET /api/v1/users", "", "", []int{unauth, ok, forbid, forbid, forbid, forbid, forbid}},
		{"POST /api/v1/users", "", `{"name":"X","email":"x-%s@example.org","password":"twelve chars long","roles":["recipient"]}`, []int{unauth, created, forbid, forbid, forbid, forbid, forbid}},
		{"PATCH /api/v1/users/{id}", fmt.Sprintf("/api/v1/users/%d", w.users["dana"].ID), `{"roles":["recipient"]}`, []int{unauth, ok, forbid, forbid, forbid, forbid, forbid}},
		{"GET /api/v1/tokens", "", "", []int{unauth, ok, ok, ok, ok, ok, ok}},
		{"POST /api/v1/tokens", "", `{"name":"mine"}`, []int{unauth, created, created, created, created, created, created}},
		// Lee's spare token: an admin may revoke it, others cannot see it
		// (and once revoked it is gone for Lee too).
		{"POST /api/v1/tokens/{id}/revoke", fmt.Sprintf("/api/v1/tokens/%d/revoke", spare.ID), "", []int{unauth, ok, nf, nf, nf, nf, nf}},
		{"GET /api/v1/cases", "", "", []int{unauth, forbid, forbid, forbid, ok, forbid, forbid}},
		{"POST /api/v1/cases", "", `{"title":"t","evidence":{"content":"some leaked text"}}`, []int{unauth, forbid, forbid, forbid, created, forbid, forbid}},
		{"GET /api/v1/cases/{id}", "/api/v1/cases/1", "", []int{unauth, forbid, forbid, forbid, ok, forbid, forbid}},
		{"POST /api/v1/cases/{id}/evidence", "/api/v1/cases/1/evidence", `{"content":"more text"}`, []int{unauth, forbid, forbid, forbid, created, forbid, forbid}},
		{"POST /api/v1/cases/{id}/notes", "/api/v1/cases/1/notes", `{"note":"n"}`, []int{unauth, forbid, forbid, forbid, ok, forbid, forbid}},
		{"POST /api/v1/cases/{id}/assign", "/api/v1/cases/1/assign", `{"email":"investigator@example.org"}`, []int{unauth, forbid, forbid, forbid, ok, forbid, forbid}},
		{"POST /api/v1/cases/{id}/move", "/api/v1/cases/1/move", `{"to":"triage"}`, []int{unauth, forbid, forbid, forbid, ok, forbid, forbid}},
		{"POST /api/v1/cases/{id}/export", "/api/v1/cases/1/export", "", []int{unauth, forbid, forbid, forbid, ok, forbid, forbid}},
		{"GET /api/v1/monitor/sources", "", "", []int{unauth, ok, forbid, forbid, ok, forbid, forbid}},
		// Polled before any source exists: the test makes no outside request.
		{"POST /api/v1/monitor/run", "", "", []int{unauth, ok, forbid, forbid, ok, forbid, forbid}},
		{"POST /api/v1/monitor/sources", "", `{"kind":"feed","url":"https://%s.invalid/feed.xml"}`, []int{unauth, created, forbid, forbid, created, forbid, forbid}},
		{"POST /api/v1/monitor/sources/{id}/remove", "/api/v1/monitor/sources/1/remove", "", []int{unauth, ok, forbid, forbid, nf, forbid, forbid}},
		{"POST /api/v1/monitor/check", "", `{"article":"Rain is expected on Tuesday."}`, []int{unauth, forbid, ok, ok, forbid, forbid, forbid}},
		{"GET /api/v1/monitor/flags", "", "", []int{unauth, ok, forbid, forbid, ok, forbid, forbid}},
		{"GET /api/v1/monitor/flags/{id}", "/api/v1/monitor/flags/1", "", []int{unauth, nf, forbid, forbid, nf, forbid, forbid}},
		{"GET /api/v1/ledger/entries", "/api/v1/ledger/entries?limit=5", "", []int{unauth, ok, forbid, forbid, forbid, forbid, forbid}},
		{"GET /api/v1/ledger/checkpoint", "", "", []int{unauth, ok, forbid, forbid, forbid, forbid, forbid}},
		{"POST /api/v1/ledger/verify", "", "", []int{unauth, ok, forbid, forbid, forbid, forbid, forbid}},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.pattern] = true
		method, path, _ := strings.Cut(tt.pattern, " ")
		if tt.path != "" {
			path = tt.path
		}
		for i, user := range who {
			t.Run(fmt.Sprintf("%s as %q", tt.pattern, user), func(t *testing.T) {
				body := tt.body
				if strings.Contains(body, "%s") {
					body = fmt.Sprintf(body, user)
				}
				req, _ := http.NewRequest(method, w.http.URL+path, strings.NewReader(body))
				if tok := tokens[user]; tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				if strings.HasPrefix(body, "{") {
					req.Header.Set("Content-Type", "application/json")
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.want[i] {
					t.Errorf("status %d, want %d: %.300s", resp.StatusCode, tt.want[i], b)
				}
				if resp.StatusCode >= 400 && !strings.Contains(string(b), `"message"`) {
					t.Errorf("error without a message: %.300s", b)
				}
			})
		}
	}
	for _, r := range w.srv.apiTable() {
		if !covered[r.pattern] {
			t.Errorf("endpoint %s is not in the authorization table", r.pattern)
		}
	}
}
