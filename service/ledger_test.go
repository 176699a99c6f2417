package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/render"
)

func ledgerEntries(t *testing.T, s *Service) []*ledger.Entry {
	t.Helper()
	var out []*ledger.Entry
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		rows, err := tx.LedgerFind(telltale.LedgerFilter{})
		if err != nil {
			return err
		}
		for _, r := range rows {
			e, err := ledger.Parse(r.Body)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryChangeRecorded: every write path appends its entry, and no
// entry carries document text or an email address.
func TestEveryChangeRecorded(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "operations-plan")
	addRecipients(t, s, "dana@example.org", "lee@example.org")
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"dana@example.org", "lee@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.OpenCopy(ctx, op, issued[0].Copy.ID, render.HTML, "view", "10.0.0.7"); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, op, issued[1].Copy.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, op, issued[1].Copy.ID); err != nil { // again: no new entry
		t.Fatal(err)
	}
	if _, err := s.Trace(ctx, op, TraceRequest{Leak: issued[0].Files[render.Text]}); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range ledgerEntries(t, s) {
		actions = append(actions, e.Action+" "+e.Subject)
	}
	want := []string{
		"document.add document/1", "version.add version/1", "recipient.add recipient/1", "recipient.add recipient/2",
		"copy.issue copy/1", "copy.issue copy/2", "copy.open copy/1", "copy.revoke copy/2", "trace.run version/1",
	}
	if strings.Join(actions, "; ") != strings.Join(want, "; ") {
		t.Errorf("ledger actions:\n%s\nwant\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
	}
	err = s.store.View(ctx, func(tx telltale.Tx) error {
		rows, _ := tx.LedgerFind(telltale.LedgerFilter{})
		for _, r := range rows {
			for _, secret := range []string{"dana@", "lee@", "Harbor", "deputies", "operations-plan"} {
				if strings.Contains(string(r.Body), secret) {
					t.Errorf("ledger entry %d contains %q:\n%s", r.Index, secret, r.Body)
				}
			}
		}
		rep, err := s.ledger.Verify(tx)
		if err != nil {
			return err
		}
		if !rep.OK() || rep.Entries != int64(len(want)) {
			t.Errorf("verify: %d entries, %v", rep.Entries, rep.Problems)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The issue entry commits to the copy's codeword commitment.
	for _, e := range ledgerEntries(t, s) {
		if e.Action == ledger.ActionCopyIssue && !strings.HasPrefix(e.Fields["commitment"], "sha256:") {
			t.Errorf("copy.issue entry without commitment: %+v", e)
		}
	}
}

// faultStore wraps a store and makes one ledger operation fail inside the
// transaction, after the change it records was made: a crash between the
// change and its entry.
type faultStore struct {
	telltale.Store
	failOn string // "append" or "advance"
}

var errCrash = errors.New("injected crash")

func (f *faultStore) Update(ctx context.Context, fn func(telltale.Tx) error) error {
	return f.Store.Update(ctx, func(tx telltale.Tx) error { return fn(&faultTx{Tx: tx, failOn: f.failOn}) })
}

type faultTx struct {
	telltale.Tx
	failOn string
}

func (f *faultTx) LedgerAppend(e *telltale.LedgerEntry, h []telltale.LedgerHash) error {
	if f.failOn == "append" {
		return errCrash
	}
	return f.Tx.LedgerAppend(e, h)
}

func (f *faultTx) LedgerAdvance(old, new *telltale.LedgerHead) error {
	if f.failOn == "advance" {
		return errCrash
	}
	return f.Tx.LedgerAdvance(old, new)
}

// TestCrashLeavesNeither: when the ledger fails between a change and its
// entry, neither is stored.
func TestCrashLeavesNeither(t *testing.T) {
	for _, failOn := range []string{"append", "advance"} {
		t.Run(failOn, func(t *testing.T) {
			s, _ := newService(t)
			addSample(t, s, "board-memo")
			addRecipients(t, s, "dana@example.org")
			before := len(ledgerEntries(t, s))
			faulty := New(&faultStore{Store: s.store, failOn: failOn}, testMaster(t), s.ledger, Options{Now: s.now})
			err := faulty.AddRecipient(ctx, op, &telltale.Recipient{Name: "Lee", Email: "lee@example.org"})
			if !errors.Is(err, errCrash) {
				t.Fatalf("AddRecipient = %v, want the injected crash", err)
			}
			_, err = faulty.Issue(ctx, op, IssueRequest{Document: "board-memo", Emails: []string{"dana@example.org"}})
			if !errors.Is(err, errCrash) {
				t.Fatalf("Issue = %v, want the injected crash", err)
			}
			rs, _ := s.Recipients(ctx, op)
			if len(rs) != 1 {
				t.Errorf("%d recipients after a crash, want 1", len(rs))
			}
			s.store.View(ctx, func(tx telltale.Tx) error {
				cs, _ := tx.Copies(telltale.CopyFilter{})
				if len(cs) != 0 {
					t.Errorf("%d copies after a crash", len(cs))
				}
				return nil
			})
			if after := len(ledgerEntries(t, s)); after != before {
				t.Errorf("ledger grew from %d to %d entries across crashes", before, after)
			}
		})
	}
}
