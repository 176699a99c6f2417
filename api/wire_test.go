package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/disclose"
)

var update = flag.Bool("update", false, "rewrite testdata/wire.golden")

type wireValue struct {
	name string
	v    any
}

// wireValues are a value of every wire type, once with every field set and
// once empty.
func wireValues() []wireValue {
	at := time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC)
	later := at.Add(72 * time.Hour)
	var apiErr ErrorResponse
	apiErr.Error.Code, apiErr.Error.Message = "not_found", `no document "plan"`
	user := User{ID: 3, Email: "olga@example.org", Name: "Olga Owner", Roles: []telltale.Role{telltale.RoleOwner, telltale.RoleInvestigator}}
	doc := Document{Slug: "plan", Title: "Operation Harbor Light", Owner: "olga@example.org", CreatedAt: at}
	cp := Copy{ID: 7, Document: "plan", Version: 2, Number: 1, Of: 3, Recipient: "dana@example.org", Formats: []string{"md", "txt"}, IssuedAt: at, ExpiresAt: later, RevokedAt: later}
	access := Access{Time: at, Action: "copy.open", Actor: "user/3", ActorName: "Olga", Copy: 7, Number: 1, Recipient: "Dana", Format: "txt", Via: "api", Client: "10.0.0.1"}
	cs := Case{ID: 1, Title: "Gazette", State: "closed", Outcome: "substantiated", Office: "IG", Document: "plan v1", Assignee: "ivan@example.org", PublishedAt: at, CreatedAt: at, UpdatedAt: later}
	return []wireValue{
		{"error", apiErr},
		{"user", user},
		{"user-empty", User{}},
		{"user-detail", UserDetail{User: user, Disabled: true, LockedUntil: later}},
		{"user-detail-empty", UserDetail{}},
		{"document", doc},
		{"documents-empty", []Document{}},
		{"document-detail", DocumentDetail{Document: doc, Versions: []Version{{Number: 1, Words: 1491, Slots: map[string]int{"declared": 7, "lexical": 50}, Copies: []Copy{cp}}, {Number: 2, Slots: map[string]int{}, Copies: []Copy{}}}}},
		{"document-detail-empty", DocumentDetail{}},
		{"add-document-request", AddDocumentRequest{Name: "plan", Filename: "plan.md", Source: "# Plan", Coalition: 3}},
		{"add-document-request-empty", AddDocumentRequest{}},
		{"add-document-response", AddDocumentResponse{Document: doc, Version: 1, Words: 1491, Slots: map[string]int{"declared": 7}, Report: "Traceability for 12 recipients\n"}},
		{"add-document-response-empty", AddDocumentResponse{}},
		{"copy", cp},
		{"copy-empty", Copy{}},
		{"version-empty", Version{}},
		{"issue-request", IssueRequest{To: []string{"dana@example.org"}, Formats: []string{"txt"}, Version: 2, ExpiresAt: later}},
		{"issue-request-empty", IssueRequest{}},
		{"recipient", Recipient{ID: 4, Name: "Dana Ortiz", Email: "dana@example.org", Unit: "Houston"}},
		{"recipient-empty", Recipient{}},
		{"trace-request", TraceRequest{Leak: "text", Name: "blog", Document: "plan", Version: 1, Epsilon: 1e-6}},
		{"trace-request-empty", TraceRequest{}},
		{"trace-request-file", TraceRequest{File: []byte("%PDF-1.4"), Name: "leak.pdf"}},
		{"verify", VerifyResult{OK: false, Entries: 9, Checkpoints: 1, Problems: []string{"entry 3: hash differs"}}},
		{"verify-ok", VerifyResult{OK: true, Entries: 9, Problems: []string{}}},
		{"access", access},
		{"access-empty", Access{}},
		{"add-user-request", AddUserRequest{Name: "Ivan", Email: "ivan@example.org", Password: "twelve chars long", Roles: []telltale.Role{telltale.RoleInvestigator}}},
		{"add-user-request-empty", AddUserRequest{}},
		{"update-user-request", UpdateUserRequest{Roles: []telltale.Role{telltale.RoleRecipient}, Disabled: true}},
		{"token", Token{ID: 2, UserID: 3, Name: "nightly", CreatedAt: at, LastUsed: later, RevokedAt: later, Token: "ttk_x"}},
		{"token-empty", Token{}},
		{"create-token-request", CreateTokenRequest{Name: "mine", UserID: 3}},
		{"create-token-request-empty", CreateTokenRequest{}},
		{"ledger-entry", LedgerEntry{Index: 4, Time: at, Actor: "user/3", ActorName: "Olga", Action: "copy.issue", Subject: "copy/1", Body: "body\n"}},
		{"ledger-entry-empty", LedgerEntry{}},
		{"case", cs},
		{"case-empty", Case{}},
		{"evidence", Evidence{Kind: "file", Name: "leak.txt", URL: "https://x", Content: "text", Document: "plan"}},
		{"evidence-file", Evidence{Kind: "file", Name: "photo.jpg", File: []byte("\xff\xd8\xff")}},
		{"evidence-empty", Evidence{}},
		{"open-case-request", OpenCaseRequest{Title: "t", PublishedAt: at, Evidence: Evidence{Content: "c"}}},
		{"open-case-request-empty", OpenCaseRequest{}},
		{"case-detail", CaseDetail{Case: cs, Evidence: []EvidenceItem{{ID: 1, Kind: "file", Name: "leak.txt", URL: "u", SHA256: "sha256:00", Size: 10, AddedAt: at, AddedBy: "Ivan", Outcome: "accused"}},
			Events: []CaseEvent{{At: at, Kind: "note", Actor: "Ivan", Text: "hi"}}, Timeline: []TimelineEntry{{Access: access, Email: "dana@example.org", Relative: "2h before"}}}},
		{"case-detail-empty", CaseDetail{}},
		{"evidence-item-empty", EvidenceItem{}},
		{"timeline-empty", TimelineEntry{}},
		{"case-change-request", CaseChangeRequest{Note: "n", To: "closed", Outcome: "substantiated", Office: "IG", Email: "e"}},
		{"case-change-request-empty", CaseChangeRequest{}},
		{"source", Source{ID: 1, Kind: "feed", URL: "https://x/feed", Interval: "15m0s", Healthy: true, Failures: 2, LastError: "timeout", LastSuccess: at, NextAttempt: later}},
		{"source-empty", Source{}},
		{"add-source-request", AddSourceRequest{Kind: "feed", URL: "https://x", Every: "15m"}},
		{"add-source-request-empty", AddSourceRequest{}},
		{"check-request", CheckRequest{Article: "a", ContentType: "text/html", URL: "u"}},
		{"check-request-empty", CheckRequest{}},
		{"flag", Flag{ID: 1, URL: "u", Title: "t", Outlet: "o", PublishedAt: at, FoundAt: later, Story: "s", Duplicate: true, Document: "plan v1", Score: 75.5, Hit: true, Level: "strong", Snapshot: "sha256:00", Case: 3,
			Reports: mustJSON([]disclose.Report{{VersionID: 1, Label: "plan v1", Score: 75.5, Hit: true, Topic: 3}}), Text: "text"}},
		{"flag-empty", Flag{}},
		{"import-result", ImportResult{Added: 2, Existing: []string{"lee@example.org"}}},
		{"import-result-empty", ImportResult{Existing: []string{}}},
		// Fields added after the first release: omitted when empty (above),
		// present when set (below).
		{"document-detail-report", DocumentDetail{Document: doc, Versions: []Version{{Number: 1, Words: 10, Slots: map[string]int{}, Copies: []Copy{{ID: 1, Number: 1, Of: 1, Recipient: "dana@example.org", RecipientName: "Dana Ortiz", Formats: []string{"txt"}, IssuedAt: at}},
			CreatedAt: at, Classification: "LAW ENFORCEMENT SENSITIVE"}}, Report: "Traceability for 12 recipients\n"}},
		{"add-document-request-recipients", AddDocumentRequest{Name: "plan", Source: "# Plan", Recipients: 40}},
		{"add-document-response-declared", AddDocumentResponse{Document: doc, Version: 2, Slots: map[string]int{}, Declared: []Declared{{Line: 5, Alternatives: []string{"312", "309", "315"}}}}},
		{"verify-head", VerifyResult{OK: true, Entries: 9, Problems: []string{}, Head: &Head{Size: 9, Hash: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}},
		{"document-detail-traceability", DocumentDetail{Document: doc, Versions: []Version{}, Report: "Traceability\n", Traceability: &trc}},
		{"add-document-response-traceability", AddDocumentResponse{Document: doc, Version: 1, Slots: map[string]int{}, Report: "Traceability\n", Traceability: &trc}},
		{"traceability-empty", Traceability{}},
		{"suggestions", Suggestions{Document: doc, Version: 1, Words: 1103, Suggestions: []Suggestion{{ID: 1, Kind: "count", Line: 33, Text: "18,400",
			Alternatives: []string{"18,400", "18,300", "18,500"}, Context: "about 18,400 cases were shipped", Why: "an approximate count"}},
			Counts: map[string]int{"count": 1, "time": 0}, Report: "Traceability\n", Traceability: &trc}},
		{"suggestions-empty", Suggestions{}},
		{"accept-suggestions-request", AcceptSuggestionsRequest{Version: 1, Accept: []int{1, 3}, Recipients: 40}},
		{"accept-suggestions-request-empty", AcceptSuggestionsRequest{}},
		{"suggestions-repeated", Suggestions{Document: doc, Version: 1, Words: 2572, Suggestions: []Suggestion{{ID: 2, Kind: "time", Line: 18, Text: "06:00",
			Alternatives: []string{"06:00", "06:15", "06:30"}, Context: "Phase 1 strike time: 06:00", Why: "a time", Name: "time-0600",
			Mentions: []Mention{{Line: 18, Context: "Phase 1 strike time: 06:00"}, {Line: 143, Context: "06:00 | Phase 1 strike", Table: true}}}},
			Counts: map[string]int{"time": 1}, Report: "Traceability\n"}},
		{"add-document-response-repeated", AddDocumentResponse{Document: doc, Version: 2, Slots: map[string]int{}, Declared: []Declared{{Line: 18, Alternatives: []string{"06:00", "06:15"}, Lines: []int{18, 67, 143}}}}},
	}
}

// trc is a traceability report with every field set.
var trc = Traceability{Recipients: 12, Epsilon: 1e-6, Coalition: 1, Design: "built for a single leaker", Words: 1491, NeedNats: 18.9,
	Slots:    []SlotCount{{Kind: "declared", Count: 7, PerThousand: 4.7, Bits: 9.3, RobustTo: "paraphrase"}},
	Verbatim: LeakEvidence{Slots: 105, Nats: 75.2, NeedNats: 18.9, Attributable: true}, Retyped: LeakEvidence{Slots: 81, Nats: 62, NeedNats: 18.2, Attributable: true},
	Paraphrased: LeakEvidence{Slots: 14, Nats: 17.1, NeedNats: 17.7}, ExcerptsMeasured: true, ExcerptWordsMedian: 425, ExcerptWordsP90: 535,
	DeclaredFacts: 7, FactsToRepeat: -1, AddDeclared: 1,
	Suggested: &SuggestedEvidence{Offered: 5, Nats: 8.1, Paraphrased: LeakEvidence{Slots: 19, Nats: 25.2, NeedNats: 17.7, Attributable: true}, Needed: 1, FactsToRepeat: 9},
	Findings:  []Finding{{Leak: "A journalist's paraphrase", Says: "would not single out one of 12 recipients"}}, Advice: []string{"Accept at least 1 of the 5 suggested facts."}}

// TestWire pins the JSON of every wire type: testdata/wire.golden was
// first written by the types as they stood in package server, before they
// moved here, and the entries before "document-detail-report" are those
// bytes. A change here breaks deployed clients; add fields instead, at the
// end of a type and omitted when empty.
func TestWire(t *testing.T) {
	var out bytes.Buffer
	for _, x := range wireValues() {
		b, err := json.MarshalIndent(x.v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString("-- " + x.name + " --\n")
		out.Write(b)
		out.WriteByte('\n')
	}
	if *update {
		if err := os.WriteFile("testdata/wire.golden", out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("testdata/wire.golden")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(out.String(), "\n-- ")
	wantParts := strings.Split(string(want), "\n-- ")
	for i := range max(len(got), len(wantParts)) {
		switch {
		case i >= len(got):
			t.Errorf("missing:\n-- %s", wantParts[i])
		case i >= len(wantParts):
			t.Errorf("not in testdata/wire.golden:\n-- %s", got[i])
		case got[i] != wantParts[i]:
			t.Errorf("got\n-- %s\nwant\n-- %s", got[i], wantParts[i])
		}
	}
}

// TestRequestsRoundTrip: a request decodes, with unknown fields refused as
// the server does, into the value it was encoded from.
func TestRequestsRoundTrip(t *testing.T) {
	for _, x := range wireValues() {
		if !strings.Contains(x.name, "request") {
			continue
		}
		b, err := json.Marshal(x.v)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		back := newOf(x.v)
		if err := dec.Decode(back); err != nil {
			t.Errorf("%s: %v", x.name, err)
			continue
		}
		again, _ := json.Marshal(back)
		if !bytes.Equal(b, again) {
			t.Errorf("%s: %s became %s", x.name, b, again)
		}
	}
}

// newOf returns a pointer to a new zero value of v's type.
func newOf(v any) any { return reflect.New(reflect.TypeOf(v)).Interface() }

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
