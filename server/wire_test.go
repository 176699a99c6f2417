package server

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/client"
	"github.com/telltale-dev/telltale/samples"
)

// apiClient returns a client acting with a new token of a user.
func (w *world) apiClient(who string) *client.Client {
	w.t.Helper()
	a := telltale.UserActor(w.users[who])
	tok, _, err := w.svc.CreateAPIToken(ctx, a, a.UserID, "test")
	if err != nil {
		w.t.Fatal(err)
	}
	cl, err := client.New(w.http.URL, tok)
	if err != nil {
		w.t.Fatal(err)
	}
	return cl
}

// TestClientAnswers drives the server with package client and checks the
// answers' fields that the command line prints, including those added
// after the first release, which appear only when asked for or set.
func TestClientAnswers(t *testing.T) {
	w := newWorld(t)
	owner := w.apiClient("owner1")
	d, err := owner.Document(ctx, "plan", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Versions) != 1 || d.Report != "" {
		t.Fatalf("plan without recipients: %+v", d)
	}
	v := d.Versions[0]
	if v.CreatedAt.IsZero() || v.Classification == "" || v.Slots["declared"] != 7 || len(v.Copies) != 2 || v.Copies[0].RecipientName != "Dana" || v.Copies[0].Recipient != "dana@example.org" {
		t.Errorf("plan version: %+v", v)
	}
	if d, err := owner.Document(ctx, "plan", 20); err != nil || !strings.Contains(d.Report, "Traceability for 20 recipients") {
		t.Errorf("plan with a report: %v %.100q", err, d.Report)
	}
	req, _ := http.NewRequest("GET", w.http.URL+"/api/v1/documents/plan?recipients=many", nil)
	tok, _, _ := w.svc.CreateAPIToken(ctx, telltale.UserActor(w.users["owner1"]), w.users["owner1"].ID, "raw")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "recipients must be a positive number") {
		t.Errorf("?recipients=many: %d %s", resp.StatusCode, body)
	}

	// Storing a version: its report for the recipients asked, and the
	// declared variants to review.
	src, _ := samples.Get("operations-plan")
	res, err := owner.AddDocument(ctx, api.AddDocumentRequest{Name: "plan", Source: string(src) + "\nOne more line.\n", Recipients: 40})
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 2 || !strings.Contains(res.Report, "Traceability for 40 recipients") || len(res.Declared) != 7 || res.Declared[0].Line != 11 ||
		strings.Join(res.Declared[0].Alternatives, "|") != "312|309|315" {
		t.Errorf("new version: %d %.60q %+v", res.Version, res.Report, res.Declared)
	}
	copies, err := owner.Issue(ctx, "plan", api.IssueRequest{To: []string{"kim@example.org"}, Formats: []string{"txt"}})
	if err != nil || len(copies) != 1 || copies[0].RecipientName != "Kim" || copies[0].Document != "plan" {
		t.Errorf("issue: %+v %v", copies, err)
	}
	imported, err := owner.ImportRecipients(ctx, []byte("Nia Noor,nia@example.org\nDana,dana@example.org\n"))
	if err != nil || imported.Added != 1 || strings.Join(imported.Existing, ",") != "dana@example.org" {
		t.Errorf("import: %+v %v", imported, err)
	}

	// The verified head; errors come back with the server's code.
	// The first verification reads everything; the next only what was
	// appended since; a full one everything again.
	admin := w.apiClient("admin")
	var last int64
	for i, full := range []bool{false, false, true} {
		rep, err := admin.VerifyLedger(ctx, full)
		if err != nil || !rep.OK || rep.Head == nil || rep.Head.Size != rep.Entries || rep.Head.Hash == "" {
			t.Fatalf("verify (full %v): %+v %v", full, rep, err)
		}
		if from := map[int]int64{0: 0, 1: last, 2: 0}[i]; rep.From != from {
			t.Errorf("verification %d read from entry %d, want %d", i, rep.From, from)
		}
		last = rep.Head.Size
	}
	if _, err := owner.VerifyLedger(ctx, false); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("verify as owner: %v", err)
	}
	if _, err := owner.Document(ctx, "memo", 0); telltale.ErrorCode(err) != telltale.ENOTFOUND {
		t.Errorf("another owner's document: %v", err)
	}
}
