package server

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/docx"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// TestWordDocuments: an owner uploads a Word document in the web UI and
// issues Word copies; the recipient downloads hers from the inbox; a Word
// file the docx package refuses comes back on the form with the reason;
// through the API a Word document is added (as a base64 file), issued,
// fetched as docx and its leak traced to the right recipient.
func TestWordDocuments(t *testing.T) {
	w := newWorld(t)
	file, err := os.ReadFile("../docx/testdata/plan.docx")
	if err != nil {
		t.Fatal(err)
	}
	owner := w.client("owner1")
	code, page := upload(t, owner, w.http.URL+"/documents", map[string]string{"name": "site"}, "plan.docx", file)
	if code != 303 {
		t.Fatalf("upload of a Word document: %d\n%s", code, page)
	}
	resp, err := owner.Get(w.http.URL + "/documents/site")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `name="format" value="docx" checked`) {
		t.Error("the issue form of a Word document offers no Word copies")
	}
	// Word copies of a Markdown document are not offered.
	resp, _ = owner.Get(w.http.URL + "/documents/plan")
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), `value="docx"`) {
		t.Error("a Markdown document offers Word copies")
	}

	resp = w.do(owner, "POST", "/documents/site/issue", url.Values{"to": {"dana@example.org"}, "format": {"docx", "html"}})
	if resp.StatusCode != 303 {
		t.Fatalf("issue: %d", resp.StatusCode)
	}
	inbox, err := w.svc.Inbox(ctx, telltale.UserActor(w.users["dana"]))
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, c := range inbox {
		if c.Document.Slug == "site" {
			id = c.Copy.ID
		}
	}
	if id == 0 {
		t.Fatal("the Word copy is not in the recipient's inbox")
	}
	dana := w.client("dana")
	resp, _ = dana.Get(w.http.URL + "/inbox")
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), fmt.Sprintf(`/copies/%d/download/docx`, id)) || !strings.Contains(string(body), "Download Word") {
		t.Error("the inbox offers no Word download")
	}
	resp, err = dana.Get(w.http.URL + fmt.Sprintf("/copies/%d/download/docx", id))
	if err != nil {
		t.Fatal(err)
	}
	copyFile, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != render.Word.ContentType() || !strings.Contains(resp.Header.Get("Content-Disposition"), ".docx") {
		t.Fatalf("download: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	if d, err := docx.Open(copyFile); err != nil || !strings.Contains(d.Text(), "Dana") {
		t.Errorf("the downloaded Word copy: %v", err)
	}

	// Refused files: the form again, with the reason.
	for _, tt := range []struct {
		name string
		file []byte
		want string
	}{
		{"notes.docx", []byte("{{140|138}} officers"), "not a zip archive"},
		{"plan.docx", file[:len(file)/2], "damaged"},
	} {
		code, page := upload(t, owner, w.http.URL+"/documents", map[string]string{"name": "bad"}, tt.name, tt.file)
		if code != 400 || !strings.Contains(page, tt.want) {
			t.Errorf("%s: %d, page lacks %q", tt.name, code, tt.want)
		}
	}

	// The API, with another Word document (a leak of two stored copies
	// of one text would be read against either).
	long, err := os.ReadFile("../docx/testdata/long-plan.docx")
	if err != nil {
		t.Fatal(err)
	}
	cl := w.apiClient("owner1")
	added, err := cl.AddDocument(ctx, api.AddDocumentRequest{Name: "site2", Filename: "long-plan.docx", File: long})
	if err != nil {
		t.Fatal(err)
	}
	if added.Version != 1 || len(added.Declared) == 0 || added.Declared[0].Context == "" || added.Declared[0].Line != 0 {
		t.Errorf("added %+v", added)
	}
	if _, err := cl.AddDocument(ctx, api.AddDocumentRequest{Name: "site3", Filename: "plan.docx", File: file, Source: "# Plan"}); err == nil {
		t.Error("a request with both a source and a file was accepted")
	}
	detail, err := cl.Document(ctx, "site2", 0)
	if err != nil || len(detail.Versions) != 1 || detail.Versions[0].Source != "docx" {
		t.Fatalf("document: %+v, %v", detail, err)
	}
	if _, err := cl.Issue(ctx, "plan", api.IssueRequest{To: []string{"kim@example.org"}, Formats: []string{"docx"}}); err == nil || !strings.Contains(err.Error(), "Word copies need a Word original") {
		t.Errorf("Word copies of a Markdown version: %v", err)
	}
	issued, err := cl.Issue(ctx, "site2", api.IssueRequest{To: []string{"dana@example.org", "lee@example.org", "kim@example.org"}, Formats: []string{"docx"}})
	if err != nil {
		t.Fatal(err)
	}
	lee := issued[1]
	leaked, err := cl.Copy(ctx, lee.ID, "docx")
	if err != nil {
		t.Fatal(err)
	}
	inv := w.apiClient("investigator")
	v, err := inv.Trace(ctx, api.TraceRequest{File: leaked, Name: "forwarded.docx"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Outcome != trace.OutcomeAccused || len(v.Accused) != 1 || v.Accused[0].Recipient.Email != "lee@example.org" || v.Leak.Format != "docx" {
		t.Errorf("API verdict on a Word copy: %s, leak %+v\n%s", v.Outcome, v.Leak, v.Text())
	}
}
