package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// upload posts a multipart form with one file and returns the status and
// the page.
func upload(t *testing.T, c *http.Client, u string, fields map[string]string, name string, file []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

// TestTraceFiles: a PDF leak is traced through the API (the file as the
// body), the trace page (an upload) and a case; each shows how the text
// was obtained and the text it read.
func TestTraceFiles(t *testing.T) {
	leaktest.NeedTools(t, "pdftotext")
	w := newWorld(t)
	pdf := leaktest.PDF(string(w.plan[0].Files[render.Text]))

	inv := telltale.UserActor(w.users["investigator"])
	tok, _, err := w.svc.CreateAPIToken(ctx, inv, inv.UserID, "test")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", w.http.URL+"/api/v1/trace?name=leak.pdf", bytes.NewReader(pdf))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/pdf")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var v trace.Verdict
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("API verdict: %v\n%s", err, body)
	}
	if v.Outcome != trace.OutcomeAccused || v.Accused[0].Recipient.Email != "dana@example.org" || v.Leak.Format != "pdf" || v.Leak.Name != "leak.pdf" || !strings.HasPrefix(v.Leak.Obtained, "PDF text layer") {
		t.Fatalf("API verdict on a PDF: %s, leak %+v", v.Outcome, v.Leak)
	}

	// The web page, uploaded.
	c := w.client("investigator")
	code, page := upload(t, c, w.http.URL+"/trace", nil, "leak.pdf", pdf)
	if code != 200 {
		t.Fatalf("trace page: %d\n%s", code, page)
	}
	for _, want := range []string{"The leak comes from a known copy", "Read from the file", "PDF text layer, "} {
		if !strings.Contains(page, want) {
			t.Errorf("trace page lacks %q", want)
		}
	}
	// A file telltale cannot read: the form comes back with the reason.
	code, page = upload(t, c, w.http.URL+"/trace", nil, "plan.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy"))
	if code != 400 || !strings.Contains(page, "save it as .docx") {
		t.Errorf("legacy .doc: %d, page lacks the reason", code)
	}

	// A case opened from the file shows the verdict on the text read.
	code, page = upload(t, c, w.http.URL+"/cases", map[string]string{"title": "PDF on a blog"}, "leak.pdf", pdf)
	if code != 303 && code != 200 {
		t.Fatalf("open case: %d\n%s", code, page)
	}
	cases, err := w.svc.Cases(ctx, inv)
	if err != nil || len(cases) == 0 {
		t.Fatalf("cases: %v, %d", err, len(cases))
	}
	d, err := w.svc.Case(ctx, inv, cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Evidence) != 1 || d.Evidence[0].Verdict == nil {
		t.Fatalf("case evidence: %+v", d.Evidence)
	}
	resp, err = c.Get(w.http.URL + fmt.Sprintf("/cases/%d/evidence/%d", cases[0].ID, d.Evidence[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<mark") || !strings.Contains(string(body), "PDF text layer") {
		t.Errorf("evidence verdict page: %d, highlighted text or how it was read missing", resp.StatusCode)
	}
}
