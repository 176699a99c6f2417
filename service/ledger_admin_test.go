package service

import (
	"bytes"
	"errors"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/password"
)

// TestLedgerMethodsNeedAdmin: reading, publishing and proving the ledger
// is for admins and the local operator; everyone else is told the role.
func TestLedgerMethodsNeedAdmin(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "board-memo")
	calls := map[string]func(telltale.Actor) error{
		"LedgerEntries":     func(a telltale.Actor) error { _, err := s.LedgerEntries(ctx, a, telltale.LedgerFilter{}); return err },
		"PublishCheckpoint": func(a telltale.Actor) error { _, err := s.PublishCheckpoint(ctx, a); return err },
		"ProveLedger":       func(a telltale.Actor) error { _, err := s.ProveLedger(ctx, a, 0, nil); return err },
	}
	admin := telltale.Actor{UserID: 1, Roles: []telltale.Role{telltale.RoleAdmin}}
	for name, call := range calls {
		for _, role := range []telltale.Role{telltale.RoleOwner, telltale.RoleInvestigator, telltale.RoleRecipient} {
			err := call(telltale.Actor{UserID: 2, Roles: []telltale.Role{role}})
			if telltale.ErrorCode(err) != telltale.EFORBIDDEN {
				t.Errorf("%s as %s: %v, want forbidden", name, role, err)
			}
		}
		for _, a := range []telltale.Actor{admin, op} {
			if err := call(a); err != nil {
				t.Errorf("%s as %s: %v", name, a.Ref(), err)
			}
		}
	}
}

// TestLedgerEntries: the filter selects entries, oldest first, each with
// its actor's name.
func TestLedgerEntries(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "board-memo")
	addRecipients(t, s, "dana@example.org", "lee@example.org")
	rows, err := s.LedgerEntries(ctx, op, telltale.LedgerFilter{Action: ledger.ActionRecipientAdd})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Subject != "recipient/1" || rows[1].Subject != "recipient/2" || rows[0].ActorName != op.Ref() {
		t.Errorf("recipient entries: %+v", rows)
	}
	if rows, err := s.LedgerEntries(ctx, op, telltale.LedgerFilter{Limit: 1}); err != nil || len(rows) != 1 || rows[0].Index != 0 {
		t.Errorf("first entry: %+v %v", rows, err)
	}
}

// TestProveLedger: a published checkpoint is checked by VerifyLedger and
// proved a prefix of the later log; an entry's proof verifies with the
// ledger's key alone; a checkpoint of another log is refused.
func TestProveLedger(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "board-memo")
	first, err := s.PublishCheckpoint(ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	old, err := s.OpenCheckpoint(first.Note)
	if err != nil || old.Size != 2 {
		t.Fatalf("published checkpoint: %+v %v", old, err)
	}
	addRecipients(t, s, "dana@example.org", "lee@example.org")
	rep, err := s.VerifyLedger(ctx, op, VerifyLedgerRequest{})
	if err != nil || !rep.OK() || rep.Checkpoints != 1 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	p, err := s.ProveLedger(ctx, op, 3, old)
	if err != nil {
		t.Fatal(err)
	}
	entries, cp, err := ledger.VerifyEvidence(p.Evidence, s.LedgerKey())
	if err != nil || len(entries) != 1 || entries[0].Subject != "recipient/2" || cp.Size != 4 {
		t.Errorf("evidence: %v %v %v", entries, cp, err)
	}
	if c := p.Consistency; c == nil || c.OldSize != 2 || c.NewSize != 4 {
		t.Errorf("consistency: %+v", c)
	}
	if _, err := s.ProveLedger(ctx, op, 99, nil); telltale.ErrorCode(err) != telltale.ENOTFOUND {
		t.Errorf("entry 99: %v", err)
	}
	// A checkpoint signed with the ledger's key over another tree: the
	// log it names is not this one's prefix.
	forged, err := s.ledger.SignCheckpoint(2, tlog.Hash{1})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.OpenCheckpoint(forged)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ProveLedger(ctx, op, 0, other); telltale.ErrorCode(err) != telltale.ECONFLICT {
		t.Errorf("forked checkpoint: %v", err)
	}
	if _, err := s.OpenCheckpoint(bytes.Replace(first.Note, []byte("\n2\n"), []byte("\n3\n"), 1)); err == nil {
		t.Error("an altered checkpoint opened")
	}
}

// TestCheckKeys: a service whose keys did not write the store says which
// key is foreign.
func TestCheckKeys(t *testing.T) {
	s, _ := newService(t)
	if err := s.CheckKeys(ctx); err != nil {
		t.Fatalf("empty store: %v", err)
	}
	addSample(t, s, "board-memo")
	if err := s.CheckKeys(ctx); err != nil {
		t.Fatalf("own keys: %v", err)
	}
	skey, vkey, err := ledger.GenerateKeys("other")
	if err != nil {
		t.Fatal(err)
	}
	otherLog, err := ledger.New(skey, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if err := New(s.store, testMaster(t), otherLog, Options{PasswordParams: password.Params{Memory: 64, Time: 1, Threads: 1}}).CheckKeys(ctx); !errors.Is(err, ErrForeignLedgerKey) {
		t.Errorf("other ledger key: %v", err)
	}
	otherMaster, err := keys.FromBytes(bytes.Repeat([]byte{9}, keys.Size))
	if err != nil {
		t.Fatal(err)
	}
	if err := New(s.store, otherMaster, s.ledger, Options{PasswordParams: password.Params{Memory: 64, Time: 1, Threads: 1}}).CheckKeys(ctx); !errors.Is(err, ErrForeignMasterKey) {
		t.Errorf("other master key: %v", err)
	}
	if err := s.Ready(ctx); err != nil {
		t.Errorf("ready: %v", err)
	}
}
