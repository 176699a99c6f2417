package service

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/bundle"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// caseWorld has the operations plan issued to three recipients, an
// investigator, and Dana — a recipient who also holds the investigator
// role.
type caseWorld struct {
	s        *Service
	clock    *clock
	ivan     telltale.Actor
	dana     telltale.Actor
	owner    telltale.Actor
	issued   []*Issued
	danaText string
}

func newCaseWorld(t *testing.T) *caseWorld {
	t.Helper()
	s, c := newService(t)
	addSample(t, s, "operations-plan")
	addRecipients(t, s, "dana@example.org", "lee@example.org", "kim@example.org")
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"dana@example.org", "lee@example.org", "kim@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	w := &caseWorld{s: s, clock: c, issued: issued, danaText: string(issued[0].Files[render.Text])}
	for _, u := range []struct {
		actor *telltale.Actor
		email string
		roles []telltale.Role
	}{
		{&w.ivan, "ivan@example.org", []telltale.Role{telltale.RoleInvestigator}},
		{&w.dana, "dana@example.org", []telltale.Role{telltale.RoleInvestigator, telltale.RoleRecipient}},
		{&w.owner, "olga@example.org", []telltale.Role{telltale.RoleOwner}},
	} {
		user := &telltale.User{Name: u.email, Email: u.email, Roles: u.roles}
		if err := s.CreateUser(ctx, op, user, "a long password"); err != nil {
			t.Fatal(err)
		}
		*u.actor = telltale.UserActor(user)
	}
	// Dana's account came after her registration: an owner links it.
	if _, err := s.LinkRecipient(ctx, op, "dana@example.org"); err != nil {
		t.Fatal(err)
	}
	// Dana reads her copy a day before the leak is published.
	c.t = c.t.Add(time.Hour)
	if _, _, err := s.OpenCopy(ctx, w.dana, issued[0].Copy.ID, render.HTML, "view", "10.0.0.7"); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(24 * time.Hour)
	return w
}

// TestCaseLife takes a case from intake to closed, exports its bundle and
// verifies it offline.
func TestCaseLife(t *testing.T) {
	w := newCaseWorld(t)
	s := w.s
	published := w.clock.t.Add(-5 * time.Hour)
	c, err := s.OpenCase(ctx, w.ivan, OpenCaseRequest{Title: "Harbor Light in the Gazette", PublishedAt: published,
		Evidence: EvidenceInput{Kind: "text", Name: "gazette.txt", URL: "https://gazette.example/story", Content: []byte(w.danaText)}})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != telltale.CaseIntake || c.VersionID == 0 {
		t.Fatalf("opened case %+v", c)
	}

	// Who may see it.
	if _, err := s.Case(ctx, w.owner, c.ID); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("owner reads a case: %v", err)
	}
	if _, err := s.Case(ctx, w.dana, c.ID); telltale.ErrorCode(err) != telltale.ENOTFOUND {
		t.Errorf("the accused reads her case: %v", err)
	}
	if list, _ := s.Cases(ctx, w.dana); len(list) != 0 {
		t.Errorf("the accused lists %d cases", len(list))
	}
	if err := s.Note(ctx, w.dana, c.ID, "nothing to see"); telltale.ErrorCode(err) != telltale.ENOTFOUND {
		t.Errorf("the accused writes a note: %v", err)
	}
	if err := s.Assign(ctx, w.ivan, c.ID, "dana@example.org"); err == nil || !strings.Contains(err.Error(), "holds a copy") {
		t.Errorf("case assigned to the accused: %v", err)
	}

	// The workflow.
	steps := []struct {
		req     MoveRequest
		wantErr string
	}{
		{MoveRequest{To: telltale.CaseReferred, Office: "IG"}, "it can move to triage or closed"},
		{MoveRequest{To: telltale.CaseTriage}, ""},
		{MoveRequest{To: telltale.CaseAttribution, Note: "verdict reviewed"}, ""},
		{MoveRequest{To: telltale.CaseReferred}, "names the receiving office"},
		{MoveRequest{To: telltale.CaseReferred, Office: "Office of the Inspector General"}, ""},
		{MoveRequest{To: telltale.CaseClosed}, "needs an outcome"},
		{MoveRequest{To: telltale.CaseClosed, Outcome: telltale.OutcomeSubstantiated}, ""},
		{MoveRequest{To: telltale.CaseTriage}, "can move to nothing"},
	}
	if err := s.Note(ctx, w.ivan, c.ID, "Gazette story matches paragraph 3."); err != nil {
		t.Fatal(err)
	}
	if err := s.Assign(ctx, w.ivan, c.ID, "ivan@example.org"); err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		err := s.Move(ctx, w.ivan, c.ID, st.req)
		if st.wantErr == "" && err != nil || st.wantErr != "" && (err == nil || !strings.Contains(err.Error(), st.wantErr)) {
			t.Errorf("move to %s: %v, want %q", st.req.To, err, st.wantErr)
		}
	}
	if _, err := s.AddEvidence(ctx, w.ivan, c.ID, EvidenceInput{Content: []byte("more")}); err == nil {
		t.Error("evidence added to a closed case")
	}

	d, err := s.Case(ctx, w.ivan, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Case.State != telltale.CaseClosed || d.Case.Outcome != telltale.OutcomeSubstantiated || d.Case.Office != "Office of the Inspector General" || d.Assignee != "ivan@example.org" {
		t.Errorf("case after its life: %+v", d.Case)
	}
	if d.Verdict == nil || len(d.Verdict.Accused) != 1 || d.Verdict.Accused[0].Recipient.Email != "dana@example.org" {
		t.Fatalf("verdict %+v", d.Verdict)
	}
	var sawView bool
	for _, te := range d.Timeline {
		if te.Action == ledger.ActionCopyOpen && te.Email == "dana@example.org" {
			sawView = true
			if te.Relative != "19 hours before publication" || !te.Before {
				t.Errorf("dana's view: %q", te.Relative)
			}
		}
	}
	if !sawView {
		t.Errorf("timeline lacks dana's view: %+v", d.Timeline)
	}
	if len(d.Events) != 7 { // open, note, assign, four moves
		t.Errorf("history has %d events", len(d.Events))
	}

	// Every step is in the ledger, which verifies.
	entries := ledgerEntries(t, s)
	counts := map[string]int{}
	for _, e := range entries {
		if e.Subject == caseRef(c.ID) {
			counts[e.Action]++
		}
	}
	if counts[ActionCaseOpen] != 1 || counts[ActionCaseEvidence] != 1 || counts[ActionCaseNote] != 1 || counts[ActionCaseAssign] != 1 || counts[ActionCaseMove] != 4 {
		t.Errorf("ledger case entries: %v", counts)
	}

	// The bundle verifies offline, and every kind of tampering is found.
	zipped, err := s.ExportCase(ctx, w.ivan, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	key := s.ledger.VerifierKey()
	rep, err := bundle.Verify(zipped, key)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("fresh bundle does not verify: %v", rep.Problems)
	}
	for _, want := range []string{"files match the manifest", "recorded when the bundle was exported", "inclusion proofs checked", "evidence 1 (gazette.txt", "codeword of copy/1", "matched slots"} {
		if !strings.Contains(strings.Join(rep.Checked, "\n"), want) {
			t.Errorf("verify did not report %q:\n%s", want, strings.Join(rep.Checked, "\n"))
		}
	}
	files := unzip(t, zipped)
	report := string(files[bundle.ReportFile])
	if body := report[strings.Index(report, "<body>"):]; !strings.Contains(body[:400], "ACCUSED") {
		t.Errorf("report does not start with the accusation:\n%.400s", body)
	}
	if _, err := s.ExportCase(ctx, w.dana, c.ID); telltale.ErrorCode(err) != telltale.ENOTFOUND {
		t.Errorf("the accused exported her case: %v", err)
	}

	tamper := []struct {
		name   string
		change func(f map[string][]byte)
		want   string
	}{
		{"evidence edited", func(f map[string][]byte) {
			for p := range f {
				if strings.HasPrefix(p, "evidence/") {
					f[p] = append(f[p], " (edited)"...)
				}
			}
		}, "was changed"},
		{"manifest rewritten to match", func(f map[string][]byte) {
			f["evidence.json"] = bytes.Replace(f["evidence.json"], []byte("gazette.txt"), []byte("gazette.TXT"), 1)
			var m bundle.Manifest
			json.Unmarshal(f[bundle.ManifestFile], &m)
			for i := range m.Files {
				m.Files[i].SHA256, m.Files[i].Size = bundle.Hash(f[m.Files[i].Path]), len(f[m.Files[i].Path])
			}
			f[bundle.ManifestFile], _ = json.Marshal(m)
		}, "no case.export ledger entry records this manifest"},
		{"proof swapped", func(f map[string][]byte) {
			var ev ledger.Evidence
			json.Unmarshal(f[bundle.LedgerFile], &ev)
			ev.Entries[0].Proof, ev.Entries[1].Proof = ev.Entries[1].Proof, ev.Entries[0].Proof
			f[bundle.LedgerFile], _ = json.Marshal(ev)
		}, "is not in the checkpoint's log"},
		{"codeword altered", func(f map[string][]byte) {
			var cw bundle.Codeword
			json.Unmarshal(f["codewords/copy-1.json"], &cw)
			cw.Symbols[0] ^= 1
			f["codewords/copy-1.json"], _ = json.Marshal(cw)
		}, "does not match the commitment recorded when it was issued"},
		{"checkpoint signed by another key", func(f map[string][]byte) {
			var ev ledger.Evidence
			json.Unmarshal(f[bundle.LedgerFile], &ev)
			skey, vkey, _ := ledger.GenerateKeys("test")
			other, _ := ledger.New(skey, vkey)
			cp, _ := ledger.OpenCheckpoint([]byte(ev.Checkpoint), key)
			note, err := other.SignCheckpoint(cp.Size, cp.Hash)
			if err != nil {
				t.Fatal(err)
			}
			ev.Checkpoint, ev.VerifierKey = string(note), vkey
			f[bundle.LedgerFile], _ = json.Marshal(ev)
		}, "does not verify"},
	}
	for _, tt := range tamper {
		t.Run(tt.name, func(t *testing.T) {
			f := unzip(t, zipped)
			tt.change(f)
			rep, err := bundle.Verify(rezip(t, f), key)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), tt.want) {
				t.Errorf("problems %q, want one saying %q", rep.Problems, tt.want)
			}
		})
	}
}

// TestInconclusiveReport: a short quote accuses nobody, and the report
// says so first.
func TestInconclusiveReport(t *testing.T) {
	w := newCaseWorld(t)
	quote := strings.Join(strings.Fields(w.danaText)[300:340], " ")
	c, err := w.s.OpenCase(ctx, w.ivan, OpenCaseRequest{Evidence: EvidenceInput{Name: "a quote", Content: []byte(quote), Document: "operations-plan"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.Move(ctx, w.ivan, c.ID, MoveRequest{To: telltale.CaseClosed, Outcome: telltale.OutcomeSubstantiated}); err == nil {
		t.Error("closed as substantiated without an accusation")
	}
	zipped, err := w.s.ExportCase(ctx, w.ivan, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	report := string(unzip(t, zipped)[bundle.ReportFile])
	body := report[strings.Index(report, "<body>"):]
	if !strings.Contains(body[:400], "INCONCLUSIVE") {
		t.Errorf("inconclusive report does not say so first:\n%.400s", body)
	}
	if rep, err := bundle.Verify(zipped, w.s.ledger.VerifierKey()); err != nil || !rep.OK() {
		t.Errorf("inconclusive bundle: %v %v", err, rep.Problems)
	}
	// Unrelated text is kept as evidence, without a verdict.
	c2, err := w.s.OpenCase(ctx, w.ivan, OpenCaseRequest{Evidence: EvidenceInput{Name: "weather", Content: []byte("Rain is expected across the region on Tuesday.")}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.s.Case(ctx, w.ivan, c2.ID)
	if err != nil || len(d.Evidence) != 1 || d.Evidence[0].Verdict != nil || !strings.Contains(d.Events[0].Text, "not traced") {
		t.Errorf("untraceable evidence: %v %+v", err, d)
	}
	if _, err := w.s.OpenCase(ctx, w.ivan, OpenCaseRequest{Evidence: EvidenceInput{Content: []byte("  ")}}); telltale.ErrorCode(err) != telltale.EINVALID {
		t.Errorf("empty evidence: %v", err)
	}
}

func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func rezip(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		f, _ := zw.Create(name)
		f.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParsePublished(t *testing.T) {
	want := time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC)
	for _, in := range []string{"2026-03-08T06:00:00Z", "2026-03-08T07:00:00+01:00", "2026-03-08 06:00", "2026-03-08T06:00", "2026-03-08T06:00:00"} {
		if got, err := ParsePublished(in); err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if got, err := ParsePublished(" "); err != nil || !got.IsZero() {
		t.Errorf("empty: %v %v", got, err)
	}
	if got, _ := ParsePublished("2026-03-08"); !got.Equal(time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date: %v", got)
	}
	if _, err := ParsePublished("last Tuesday"); telltale.ErrorCode(err) != telltale.EINVALID {
		t.Errorf("nonsense: %v", err)
	}
}

// TestPublicationWarnings: a case published before any copy of its
// version was issued says so; one published after does not.
func TestPublicationWarnings(t *testing.T) {
	w := newCaseWorld(t)
	issued := w.issued[0].Copy.IssuedAt
	for _, tt := range []struct {
		name      string
		published time.Time
		want      string
	}{
		{"after the issue", issued.Add(2 * time.Hour), ""},
		{"unknown", time.Time{}, ""},
		{"before the issue", issued.Add(-48 * time.Hour), "before the first copy of version 1 was issued"},
		{"in the future", w.clock.t.Add(72 * time.Hour), "is in the future"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := w.s.OpenCase(ctx, w.ivan, OpenCaseRequest{Title: tt.name, PublishedAt: tt.published,
				Evidence: EvidenceInput{Kind: "text", Name: "leak.txt", Content: []byte(w.danaText)}})
			if err != nil {
				t.Fatal(err)
			}
			d, err := w.s.Case(ctx, w.ivan, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(d.Warnings, "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("warnings %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHolderMayNotTrace: an investigator who holds a copy of a version
// may not trace leaks of it (nor open a case on one): a leaker with the
// role could test a leak before releasing it.
func TestHolderMayNotTrace(t *testing.T) {
	w := newCaseWorld(t)
	lee := w.issued[1].Files[render.Text]
	if _, err := w.s.Trace(ctx, w.dana, TraceRequest{Leak: lee}); telltale.ErrorCode(err) != telltale.EFORBIDDEN || !strings.Contains(err.Error(), "you hold a copy") {
		t.Errorf("Dana traces a leak of a version she holds: %v", err)
	}
	if _, err := w.s.OpenCase(ctx, w.dana, OpenCaseRequest{Title: "x", Evidence: EvidenceInput{Kind: "text", Name: "leak", Content: lee}}); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("Dana opens a case on a leak of a version she holds: %v", err)
	}
	if v, err := w.s.Trace(ctx, w.ivan, TraceRequest{Leak: lee}); err != nil || v.Outcome != trace.OutcomeAccused {
		t.Errorf("another investigator: %v", err)
	}
}
