package service

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// TestAlteredRecordsAccuseNobody edits the database behind the service's
// back, as anyone holding the file can (dropping the triggers that guard
// the rows): a trace then accuses nobody from the altered records, says
// so, and ledger verification names the rows.
func TestAlteredRecordsAccuseNobody(t *testing.T) {
	for _, tt := range []struct {
		name  string
		edits []string
		want  string // in the verdict's note and the verification problem
		// still is true when the edit does not change who is accused
		// (it changes who may read), so the trace still accuses.
		still bool
	}{
		{"recipients swapped", []string{
			`DROP TRIGGER recipients_immutable`,
			`UPDATE recipients SET email = 'tmp@example.org' WHERE email = 'dana@example.org'`,
			`UPDATE recipients SET email = 'dana@example.org', name = 'Person dana@example.org' WHERE email = 'lee@example.org'`,
			`UPDATE recipients SET email = 'lee@example.org', name = 'Person lee@example.org' WHERE email = 'tmp@example.org'`,
		}, "name or e-mail differ", false},
		{"recipient linked to another account", []string{
			`INSERT INTO users (name, email, roles, created_at) VALUES ('Mallory', 'mallory@example.org', 'recipient', 0)`,
			`UPDATE recipients SET user_id = (SELECT id FROM users WHERE email = 'mallory@example.org') WHERE email = 'dana@example.org'`,
		}, "which no ledger entry records", true},
		{"copies reassigned", []string{
			`DROP TRIGGER copies_immutable`,
			`UPDATE copies SET recipient_id = 1000 + recipient_id`,
			`UPDATE copies SET recipient_id = CASE recipient_id WHEN 1001 THEN 2 ELSE 1 END`,
		}, "but it was issued to recipient/", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			s, _ := newServiceAt(t, path)
			addSample(t, s, "operations-plan")
			addRecipients(t, s, "dana@example.org", "lee@example.org")
			issued, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"dana@example.org", "lee@example.org"}})
			if err != nil {
				t.Fatal(err)
			}
			leak := issued[0].Files[render.Text] // Dana's copy
			// Recorded as verified: what follows is checked from here.
			if rep, err := s.VerifyLedger(ctx, op, VerifyLedgerRequest{}); err != nil || !rep.OK() {
				t.Fatalf("before the edit: %v %v", err, rep.Problems)
			}
			if v, err := s.Trace(ctx, op, TraceRequest{Leak: leak}); err != nil || v.Outcome != trace.OutcomeAccused || v.Accused[0].Recipient.Email != "dana@example.org" {
				t.Fatalf("before the edit: %v, %+v", err, v)
			}

			// The triggers refuse the edit.
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(`UPDATE recipients SET name = 'Someone Else' WHERE email = 'dana@example.org'`); err == nil || !strings.Contains(err.Error(), "immutable") {
				t.Errorf("renaming a recipient who holds a copy: %v", err)
			}
			for _, q := range tt.edits {
				if _, err := raw.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}

			v, err := s.Trace(ctx, op, TraceRequest{Leak: leak})
			if err != nil {
				t.Fatal(err)
			}
			if tt.still {
				if len(v.Accused) != 1 || v.Accused[0].Recipient.Email != "dana@example.org" {
					t.Errorf("after an edit of who may read: accused %+v", v.Accused)
				}
			} else if len(v.Accused) != 0 {
				t.Fatalf("accused %s from altered records:\n%s", v.Accused[0].Recipient.Email, v.Text())
			}
			if notes := strings.Join(v.Notes, " "); !tt.still && (!strings.Contains(notes, "were altered after it was issued") || !strings.Contains(notes, tt.want)) {
				t.Errorf("notes %q do not say the records were altered (%q)", v.Notes, tt.want)
			}
			// The rows are checked whether the ledger is verified in full
			// or from the last verification.
			for _, full := range []bool{false, true} {
				rep, err := s.VerifyLedger(ctx, op, VerifyLedgerRequest{Full: full})
				if err != nil {
					t.Fatal(err)
				}
				var problems []string
				for _, p := range rep.Problems {
					problems = append(problems, p.Msg)
				}
				if !strings.Contains(strings.Join(problems, "\n"), tt.want) || rep.Full() != full {
					t.Errorf("ledger verification (full %v, from %d) does not name the altered rows: %q", full, rep.From, problems)
				}
			}
		})
	}
}

// TestLedgerNamesEditedVersionsAndRoles: ledger verification names a
// version whose design was edited and a user whose roles were.
func TestLedgerNamesEditedVersionsAndRoles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s, _ := newServiceAt(t, path)
	addSample(t, s, "board-memo")
	u := telltale.User{Name: "Rita", Email: "rita@example.org", Roles: []telltale.Role{telltale.RoleRecipient}}
	if err := s.CreateUser(ctx, op, &u, "a long password here"); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.VerifyLedger(ctx, op, VerifyLedgerRequest{}); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("before the edits: %v %+v", err, rep)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{
		`DROP TRIGGER versions_immutable`,
		`UPDATE versions SET coalition = 1`,
		`UPDATE users SET roles = 'admin' WHERE email = 'rita@example.org'`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rep, err := s.VerifyLedger(ctx, op, VerifyLedgerRequest{})
	if err != nil || rep.Full() {
		t.Fatalf("%v (from %d)", err, rep.From)
	}
	var problems []string
	for _, p := range rep.Problems {
		problems = append(problems, p.Msg)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{"version/1: its design differs", "its roles (admin) differ"} {
		if !strings.Contains(all, want) {
			t.Errorf("verification does not say %q: %q", want, problems)
		}
	}
}
