package service

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/password"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
	"github.com/telltale-dev/telltale/sqlite"
)

var ctx = context.Background()

// op is the local operator, who may do everything.
var op = telltale.LocalActor("cli:test")

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(t testing.TB) (*Service, *clock) {
	t.Helper()
	return newServiceAt(t, filepath.Join(t.TempDir(), "t.db"))
}

// newServiceAt is newService on a database file of the caller's.
func newServiceAt(t testing.TB, path string) (*Service, *clock) {
	t.Helper()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m := testMaster(t)
	c := &clock{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	skey, vkey, err := ledger.GenerateKeys("test")
	if err != nil {
		t.Fatal(err)
	}
	log, err := ledger.New(skey, vkey)
	if err != nil {
		t.Fatal(err)
	}
	return New(db, m, log, Options{Now: c.now, PasswordParams: password.Params{Memory: 64, Time: 1, Threads: 1}}), c
}

// testMaster is the master key of every test service.
func testMaster(t testing.TB) *keys.Master {
	t.Helper()
	m, err := keys.FromBytes(bytes.Repeat([]byte{7}, keys.Size))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func addSample(t testing.TB, s *Service, name string) *AddDocumentResult {
	t.Helper()
	src, _ := samples.Get(name)
	res, err := s.AddDocument(ctx, op, AddDocumentRequest{Filename: name + ".md", Source: src})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// numberedRecipients registers n recipients, "Recipient 01" at
// r01@example.org and so on, and returns their addresses.
func numberedRecipients(t testing.TB, s *Service, n int) []string {
	t.Helper()
	var emails []string
	for i := 1; i <= n; i++ {
		e := fmt.Sprintf("r%02d@example.org", i)
		emails = append(emails, e)
		if err := s.AddRecipient(ctx, op, &telltale.Recipient{Name: fmt.Sprintf("Recipient %02d", i), Email: e}); err != nil {
			t.Fatal(err)
		}
	}
	return emails
}

func addRecipients(t testing.TB, s *Service, emails ...string) {
	t.Helper()
	for _, e := range emails {
		if err := s.AddRecipient(ctx, op, &telltale.Recipient{Name: "Person " + e, Email: e}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIssueAndOpen(t *testing.T) {
	s, _ := newService(t)
	res := addSample(t, s, "operations-plan")
	if !res.New || res.Version.Number != 1 || res.Document.Slug != "operations-plan" {
		t.Fatalf("AddDocument = %+v", res)
	}
	addRecipients(t, s, "dana@example.org", "lee@example.org")
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"Dana@Example.org, lee@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(issued) != 2 || issued[0].Copy.Number != 1 || issued[1].Copy.Number != 2 || issued[1].Copy.Of != 2 {
		t.Fatalf("issued %+v", issued)
	}
	a, b := issued[0].Files[render.Markdown], issued[1].Files[render.Markdown]
	if bytes.Equal(a, b) {
		t.Fatal("two recipients got identical copies")
	}
	if !bytes.Contains(issued[0].Files[render.Text], []byte("Copy 1 of 2 — prepared for Person dana@example.org — LAW ENFORCEMENT SENSITIVE")) {
		t.Errorf("text copy lacks its marking line:\n%.300s", issued[0].Files[render.Text])
	}
	for _, f := range render.Formats {
		got, c, err := s.OpenCopy(ctx, op, issued[0].Copy.ID, f, "test", "")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, issued[0].Files[f]) || c.ID != issued[0].Copy.ID {
			t.Errorf("%s: opened copy differs from the issued one", f)
		}
	}
	// The codeword recomputes and matches its commitment.
	err = s.store.View(ctx, func(tx telltale.Tx) error {
		v, _ := tx.Version(issued[0].Copy.VersionID)
		_, err := s.codeword(issued[0].Copy, v)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The files are rendered when opened, not stored, unless the owner
	// keeps them.
	err = s.store.View(ctx, func(tx telltale.Tx) error {
		_, err := tx.CopyFile(issued[0].Copy.ID, "md")
		if telltale.ErrorCode(err) != telltale.ENOTFOUND {
			t.Errorf("a copy's file was stored without KeepFiles: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	addRecipients(t, s, "kim@example.org")
	kept, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"kim@example.org"}, KeepFiles: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.OpenCopy(ctx, op, kept[0].Copy.ID, render.HTML, "test", ""); err != nil || !bytes.Equal(got, kept[0].Files[render.HTML]) {
		t.Errorf("a kept file opens differently: %v", err)
	}
	// Nothing readable at rest.
	err = s.store.View(ctx, func(tx telltale.Tx) error {
		v, _ := tx.Version(res.Version.ID)
		f, err := tx.CopyFile(kept[0].Copy.ID, "md")
		if err != nil {
			t.Fatalf("a kept file is not stored: %v", err)
		}
		for _, sealed := range [][]byte{v.SealedSource, v.SealedTemplate, f.Sealed} {
			if bytes.Contains(sealed, []byte("Harbor Light")) || bytes.Contains(sealed, []byte("deputies")) {
				t.Error("document text stored in clear")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestIssueErrors(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "board-memo")
	addRecipients(t, s, "dana@example.org")
	tests := []struct {
		name string
		req  IssueRequest
		code string
		want string
	}{
		{"unknown document", IssueRequest{Document: "nope", Emails: []string{"dana@example.org"}}, telltale.ENOTFOUND, `no document "nope"`},
		{"unknown recipient", IssueRequest{Document: "board-memo", Emails: []string{"dana@example.org", "x@example.org"}}, telltale.ENOTFOUND, "x@example.org"},
		{"bad email", IssueRequest{Document: "board-memo", Emails: []string{"not-an-email"}}, telltale.EINVALID, "not an email"},
		{"no recipients", IssueRequest{Document: "board-memo"}, telltale.EINVALID, "at least one"},
		{"missing version", IssueRequest{Document: "board-memo", Version: 4, Emails: []string{"dana@example.org"}}, telltale.ENOTFOUND, "no version 4"},
		{"expired", IssueRequest{Document: "board-memo", Emails: []string{"dana@example.org"}, ExpiresAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, telltale.EINVALID, "in the past"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Issue(ctx, op, tt.req)
			if telltale.ErrorCode(err) != tt.code || !strings.Contains(telltale.ErrorMessage(err), tt.want) {
				t.Errorf("Issue = %v (%s), want %s mentioning %q", err, telltale.ErrorCode(err), tt.code, tt.want)
			}
		})
	}
	// A failed batch issues nothing.
	var n int
	s.store.View(ctx, func(tx telltale.Tx) error {
		cs, _ := tx.Copies(telltale.CopyFilter{})
		n = len(cs)
		return nil
	})
	if n != 0 {
		t.Errorf("%d copies stored after failed requests", n)
	}
	if _, err := s.Issue(ctx, op, IssueRequest{Document: "board-memo", Emails: []string{"dana@example.org"}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Issue(ctx, op, IssueRequest{Document: "board-memo", Emails: []string{"dana@example.org"}})
	if telltale.ErrorCode(err) != telltale.ECONFLICT || !strings.Contains(err.Error(), "already has copy 1") {
		t.Errorf("second issue to the same recipient = %v", err)
	}
}

func TestRevokeAndExpire(t *testing.T) {
	s, clk := newService(t)
	addSample(t, s, "policy-draft")
	addRecipients(t, s, "a@example.org", "b@example.org")
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "policy-draft", Emails: []string{"a@example.org", "b@example.org"},
		Formats: []render.Format{render.HTML}, ExpiresAt: clk.t.Add(48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	a, b := issued[0].Copy.ID, issued[1].Copy.ID
	if _, _, err := s.OpenCopy(ctx, op, a, render.Markdown, "test", ""); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("opening a format not allowed = %v", err)
	}
	if err := s.Revoke(ctx, op, a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.OpenCopy(ctx, op, a, render.HTML, "test", ""); telltale.ErrorCode(err) != telltale.EGONE || !strings.Contains(err.Error(), "revoked") {
		t.Errorf("opening a revoked copy = %v", err)
	}
	if _, _, err := s.OpenCopy(ctx, op, b, render.HTML, "test", ""); err != nil {
		t.Errorf("other copy affected by revocation: %v", err)
	}
	clk.t = clk.t.Add(49 * time.Hour)
	if _, _, err := s.OpenCopy(ctx, op, b, render.HTML, "test", ""); telltale.ErrorCode(err) != telltale.EGONE || !strings.Contains(err.Error(), "expired") {
		t.Errorf("opening an expired copy = %v", err)
	}
}

func TestAddDocumentVersions(t *testing.T) {
	s, _ := newService(t)
	src, _ := samples.Get("board-memo")
	if _, err := s.AddDocument(ctx, op, AddDocumentRequest{Filename: "memo.md", Source: src}); err != nil {
		t.Fatal(err)
	}
	_, err := s.AddDocument(ctx, op, AddDocumentRequest{Filename: "memo.md", Source: src})
	if telltale.ErrorCode(err) != telltale.ECONFLICT || !strings.Contains(err.Error(), "unchanged") {
		t.Errorf("re-adding the same text = %v", err)
	}
	edited := append(bytes.Clone(src), []byte("\nOne more sentence for the board.\n")...)
	res, err := s.AddDocument(ctx, op, AddDocumentRequest{Filename: "memo.md", Source: edited})
	if err != nil || res.Version.Number != 2 || res.New {
		t.Fatalf("new version = %+v, %v", res, err)
	}
	detail, err := s.Show(ctx, op, "memo")
	if err != nil || len(detail.Versions) != 2 {
		t.Fatalf("Show = %+v, %v", detail, err)
	}
}

// TestBadDocumentStoresNothing: a malformed document gets a clear error
// naming the line, and nothing is stored.
func TestBadDocumentStoresNothing(t *testing.T) {
	s, _ := newService(t)
	tests := []struct{ name, src, want string }{
		{"bad.md", "# Plan\n\nWe send {{140|138 deputies.\n", "bad.md:3:9"},
		{"bin.md", "\x00\x01binary", "not a text document"},
		{"empty.md", "   \n", "no text"},
	}
	for _, tt := range tests {
		_, err := s.AddDocument(ctx, op, AddDocumentRequest{Filename: tt.name, Source: []byte(tt.src)})
		if telltale.ErrorCode(err) != telltale.EINVALID || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: AddDocument = %v, want EINVALID mentioning %q", tt.name, err, tt.want)
		}
	}
	_, err := s.AddDocument(ctx, op, AddDocumentRequest{Name: "UPPER", Filename: "x.md", Source: []byte("text")})
	if telltale.ErrorCode(err) != telltale.EINVALID {
		t.Errorf("bad slug accepted: %v", err)
	}
	docs, _ := s.Documents(ctx, op)
	if len(docs) != 0 {
		t.Errorf("%d documents stored after bad input", len(docs))
	}
}

func TestRecipientValidation(t *testing.T) {
	s, _ := newService(t)
	for _, r := range []*telltale.Recipient{{Name: "", Email: "a@example.org"}, {Name: "A", Email: "nope"}, {Name: "A", Email: "a@localhost"}} {
		if err := s.AddRecipient(ctx, op, r); telltale.ErrorCode(err) != telltale.EINVALID {
			t.Errorf("AddRecipient(%+v) = %v", r, err)
		}
	}
	addRecipients(t, s, "a@example.org")
	err := s.AddRecipient(ctx, op, &telltale.Recipient{Name: "Again", Email: "A@example.org"})
	if telltale.ErrorCode(err) != telltale.ECONFLICT {
		t.Errorf("duplicate email = %v", err)
	}
}

func TestSlugFromFilename(t *testing.T) {
	for in, want := range map[string]string{"plan.md": "plan", "/x/Ops Plan (v2).md": "ops-plan-v2", "memo.final.md": "memo.final", "  .md": ""} {
		if got := SlugFromFilename(in); got != want {
			t.Errorf("SlugFromFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
