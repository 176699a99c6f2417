package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
)

// The ledger's own operations: listing, publishing and proving entries,
// for administrators (the local operator holds every role), as
// LedgerStatus, VerifyLedger and RecentLedger are. Every change is
// recorded by the method that makes it, never through these.

// LedgerEntries returns the ledger entries that match a filter, oldest
// first, with their actors' names (admins only).
func (s *Service) LedgerEntries(ctx context.Context, actor telltale.Actor, f telltale.LedgerFilter) ([]LedgerRow, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("reading the ledger", telltale.RoleAdmin)
	}
	var out []LedgerRow
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		out = nil
		entries, err := tx.LedgerFind(f)
		if err != nil {
			return err
		}
		names := actorNames(tx)
		for _, e := range entries {
			out = append(out, LedgerRow{LedgerEntry: e, ActorName: names(e.Actor)})
		}
		return nil
	})
	return out, err
}

// PublishCheckpoint records the ledger's current signed head as a
// published checkpoint and returns it, to hand to a witness (admins only).
// VerifyLedger checks every published checkpoint against the entries, and
// ProveLedger proves a later log consistent with it.
func (s *Service) PublishCheckpoint(ctx context.Context, actor telltale.Actor) (*ledger.Checkpoint, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("publishing a ledger checkpoint", telltale.RoleAdmin)
	}
	var c *ledger.Checkpoint
	err := s.store.Update(ctx, func(tx telltale.Tx) (err error) { c, err = s.ledger.Publish(tx, s.now()); return err })
	return c, err
}

// LedgerKey returns the key that verifies the ledger's signed checkpoints
// (what ledger.pub holds, and what an organisation publishes).
func (s *Service) LedgerKey() string { return s.ledger.VerifierKey() }

// OpenCheckpoint verifies a signed checkpoint with the ledger's key and
// parses it.
func (s *Service) OpenCheckpoint(signed []byte) (*ledger.Checkpoint, error) {
	return ledger.OpenCheckpoint(signed, s.ledger.VerifierKey())
}

// LedgerProof proves an entry is in the signed log and, if asked, that an
// earlier checkpoint's log is a prefix of it.
type LedgerProof struct {
	// Evidence is the entry with its inclusion proof against the current
	// signed head; ledger.VerifyEvidence checks it without a database.
	Evidence *ledger.Evidence
	// Consistency is nil unless an earlier checkpoint was given.
	Consistency *Consistency
}

// Consistency proves the log of OldSize entries a prefix of the log of
// NewSize entries.
type Consistency struct {
	OldSize, NewSize int64
	Proof            tlog.TreeProof
}

// ProveLedger proves entry index included in the current signed log and,
// if old is not nil, old's log a prefix of the current one (admins only).
// It fails with ENOTFOUND for an entry the log does not have, and with
// ECONFLICT if old is not a prefix: the log was rewritten since old was
// signed.
func (s *Service) ProveLedger(ctx context.Context, actor telltale.Actor, index int64, old *ledger.Checkpoint) (*LedgerProof, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("proving ledger entries", telltale.RoleAdmin)
	}
	var out LedgerProof
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		ev, err := s.ledger.Export(tx, []int64{index})
		if err != nil {
			return err
		}
		out.Evidence = ev
		if old == nil {
			return nil
		}
		head, err := s.ledger.Head(tx)
		if err != nil {
			return err
		}
		p, err := s.ledger.ProveConsistency(tx, old.Size, head.Size)
		if err != nil {
			return err
		}
		if err := tlog.CheckTree(p, head.Size, head.Hash, old.Size, old.Hash); err != nil {
			return telltale.Errorf(telltale.ECONFLICT, "the checkpoint at %d entries is NOT consistent with the current log: %v (hint: telltale ledger verify names the altered entries)", old.Size, err)
		}
		out.Consistency = &Consistency{OldSize: old.Size, NewSize: head.Size, Proof: p}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ErrForeignLedgerKey and ErrForeignMasterKey are what CheckKeys returns
// when the store was written with other keys than the service's.
var (
	ErrForeignLedgerKey = errors.New("the ledger in the database is signed with another key")
	ErrForeignMasterKey = errors.New("the master key does not open the documents in the database")
)

// CheckKeys makes sure the service's keys are the ones the store was
// written with: an instance started with keys of its own on a shared
// database would sign a ledger nobody can verify and store copies no other
// instance can open.
func (s *Service) CheckKeys(ctx context.Context) error {
	return s.store.View(ctx, func(tx telltale.Tx) error {
		if _, err := s.ledger.Head(tx); err != nil {
			if telltale.ErrorCode(err) == telltale.EINTERNAL && strings.Contains(err.Error(), "does not verify") {
				return ErrForeignLedgerKey
			}
			return err
		}
		docs, err := tx.Documents()
		if err != nil || len(docs) == 0 {
			return err
		}
		v, err := tx.LatestVersion(docs[0].ID)
		if err != nil {
			return err
		}
		if _, err := s.Source(ctx, v); err != nil {
			return fmt.Errorf("%w: %w", ErrForeignMasterKey, err)
		}
		return nil
	})
}

// Ready reports whether the store answers, by reading the ledger's size.
func (s *Service) Ready(ctx context.Context) error {
	return s.store.View(ctx, func(tx telltale.Tx) error { _, err := tx.LedgerSize(); return err })
}

// LedgerStatus returns the latest signed checkpoint (admins only).
func (s *Service) LedgerStatus(ctx context.Context, actor telltale.Actor) (*ledger.Checkpoint, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("reading the ledger", telltale.RoleAdmin)
	}
	var c *ledger.Checkpoint
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) { c, err = s.ledger.Head(tx); return err })
	return c, err
}

// VerifyLedgerRequest says how much of the ledger to read.
type VerifyLedgerRequest struct {
	// Full reads and recomputes every entry. Otherwise only the entries
	// appended since the last verification are, after the current head
	// is proved consistent with the checkpoint that verification
	// recorded (see ledger.Log.VerifyNew): an edit to an older entry that
	// leaves the stored hashes alone is found only by a full one.
	Full bool
}

// VerifyLedger verifies the ledger (see VerifyLedgerRequest) and, either
// way, checks the stored copies, recipients, versions and users' roles
// against the entries that recorded them (admins only). A verification
// that finds no problem is recorded, signed, as where the next one
// starts.
func (s *Service) VerifyLedger(ctx context.Context, actor telltale.Actor, req VerifyLedgerRequest) (*ledger.Verification, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("verifying the ledger", telltale.RoleAdmin)
	}
	verify := s.ledger.VerifyNew
	if req.Full {
		verify = s.ledger.Verify
	}
	var r *ledger.Verification
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		var err error
		if r, err = verify(tx); err != nil {
			return err
		}
		problems, err := s.checkRecords(tx)
		r.Problems = append(r.Problems, problems...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if r.OK() {
		if err := s.store.Update(ctx, func(tx telltale.Tx) error { return s.ledger.MarkVerified(tx, r, s.now().UTC()) }); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// RecentLedger returns the newest ledger entries (admins only).
func (s *Service) RecentLedger(ctx context.Context, actor telltale.Actor, limit int) ([]LedgerRow, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("reading the ledger", telltale.RoleAdmin)
	}
	var out []LedgerRow
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		n, err := tx.LedgerSize()
		if err != nil {
			return err
		}
		entries, err := tx.LedgerEntries(max(0, n-int64(limit)), n)
		names := actorNames(tx)
		for _, e := range entries {
			out = append(out, LedgerRow{LedgerEntry: e, ActorName: names(e.Actor)})
		}
		return err
	})
	slices.Reverse(out)
	return out, err
}

// LedgerRow is a ledger entry with its actor's name, for people.
type LedgerRow struct {
	*telltale.LedgerEntry
	ActorName string
}

// actorNames returns a memoized lookup from an actor reference ("user/3")
// to the user's name; other actors (the local CLI, setup) are shown as
// recorded.
func actorNames(tx telltale.Tx) func(string) string {
	seen := map[string]string{}
	return func(ref string) string {
		if n, ok := seen[ref]; ok {
			return n
		}
		name := ref
		var id int64
		if _, err := fmt.Sscanf(ref, "user/%d", &id); err == nil {
			if u, err := tx.User(id); err == nil {
				name = u.Name
			}
		}
		seen[ref] = name
		return name
	}
}
