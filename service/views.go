package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
)

// LedgerStatus returns the latest signed checkpoint (admins only).
func (s *Service) LedgerStatus(ctx context.Context, actor telltale.Actor) (*ledger.Checkpoint, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("reading the ledger", telltale.RoleAdmin)
	}
	var c *ledger.Checkpoint
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) { c, err = s.ledger.Head(tx); return err })
	return c, err
}

// VerifyLedger recomputes the ledger (admins only).
func (s *Service) VerifyLedger(ctx context.Context, actor telltale.Actor) (*ledger.Verification, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("verifying the ledger", telltale.RoleAdmin)
	}
	var r *ledger.Verification
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) { r, err = s.ledger.Verify(tx); return err })
	return r, err
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
