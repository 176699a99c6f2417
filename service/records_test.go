package service

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

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
	}{
		{"recipients swapped", []string{
			`DROP TRIGGER recipients_immutable`,
			`UPDATE recipients SET email = 'tmp@example.org' WHERE email = 'dana@example.org'`,
			`UPDATE recipients SET email = 'dana@example.org', name = 'Person dana@example.org' WHERE email = 'lee@example.org'`,
			`UPDATE recipients SET email = 'lee@example.org', name = 'Person lee@example.org' WHERE email = 'tmp@example.org'`,
		}, "name or e-mail differ"},
		{"copies reassigned", []string{
			`DROP TRIGGER copies_immutable`,
			`UPDATE copies SET recipient_id = 1000 + recipient_id`,
			`UPDATE copies SET recipient_id = CASE recipient_id WHEN 1001 THEN 2 ELSE 1 END`,
		}, "but it was issued to recipient/"},
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
			if len(v.Accused) != 0 {
				t.Fatalf("accused %s from altered records:\n%s", v.Accused[0].Recipient.Email, v.Text())
			}
			if notes := strings.Join(v.Notes, " "); !strings.Contains(notes, "were altered after it was issued") || !strings.Contains(notes, tt.want) {
				t.Errorf("notes %q do not say the records were altered (%q)", v.Notes, tt.want)
			}
			rep, err := s.VerifyLedger(ctx, op)
			if err != nil {
				t.Fatal(err)
			}
			var problems []string
			for _, p := range rep.Problems {
				problems = append(problems, p.Msg)
			}
			if !strings.Contains(strings.Join(problems, "\n"), tt.want) {
				t.Errorf("ledger verification does not name the altered rows: %q", problems)
			}
		})
	}
}
