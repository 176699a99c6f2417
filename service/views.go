package service

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/render"
)

// InboxCopy is one copy in a recipient's inbox.
type InboxCopy struct {
	Copy     *telltale.Copy
	Document *telltale.Document
	Version  *telltale.Version
}

// Inbox lists the copies issued to the actor's email address: a
// recipient sees only their own copies.
func (s *Service) Inbox(ctx context.Context, actor telltale.Actor) ([]InboxCopy, error) {
	if !actor.Has(telltale.RoleRecipient) || actor.Email == "" {
		return nil, forbidden("reading an inbox", telltale.RoleRecipient)
	}
	var out []InboxCopy
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		r, err := tx.RecipientByEmail(actor.Email)
		if telltale.ErrorCode(err) == telltale.ENOTFOUND {
			return nil // no copies yet
		}
		if err != nil {
			return err
		}
		copies, err := tx.Copies(telltale.CopyFilter{RecipientID: r.ID})
		if err != nil {
			return err
		}
		for _, c := range copies {
			v, err := tx.Version(c.VersionID)
			if err != nil {
				return err
			}
			d, err := tx.Document(v.DocumentID)
			if err != nil {
				return err
			}
			out = append(out, InboxCopy{Copy: c, Document: d, Version: v})
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b InboxCopy) int { return b.Copy.IssuedAt.Compare(a.Copy.IssuedAt) })
	return out, err
}

// CopyInfo returns a copy the actor may read, with its document and
// version, without opening it (nothing is recorded).
func (s *Service) CopyInfo(ctx context.Context, actor telltale.Actor, id int64) (*InboxCopy, error) {
	var out InboxCopy
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		c, err := s.visibleCopy(tx, actor, id)
		if err != nil {
			return err
		}
		v, err := tx.Version(c.VersionID)
		if err != nil {
			return err
		}
		d, err := tx.Document(v.DocumentID)
		if err != nil {
			return err
		}
		out = InboxCopy{Copy: c, Document: d, Version: v}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Access is one recorded access to a copy.
type Access struct {
	Time      time.Time
	Action    string // copy.issue, copy.open, copy.revoke
	Actor     string
	ActorName string // the user's name, when Actor is a user
	Copy      int64
	Number    int
	Recipient string
	Format    string
	Via       string
	Client    string
}

// AccessLog returns every issue, opening and revocation of a document's
// copies, newest first, from the ledger.
func (s *Service) AccessLog(ctx context.Context, actor telltale.Actor, slug string) ([]Access, error) {
	var out []Access
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		d, err := tx.DocumentBySlug(slug)
		if err != nil || !canManage(actor, d) {
			return noDocument(slug)
		}
		copies, err := tx.Copies(telltale.CopyFilter{DocumentID: d.ID})
		if err != nil {
			return err
		}
		names := actorNames(tx)
		for _, c := range copies {
			r, err := tx.Recipient(c.RecipientID)
			if err != nil {
				return err
			}
			rows, err := tx.LedgerFind(telltale.LedgerFilter{Subject: ref("copy", c.ID)})
			if err != nil {
				return err
			}
			for _, row := range rows {
				e, err := ledger.Parse(row.Body)
				if err != nil {
					continue // verify reports it
				}
				out = append(out, Access{Time: e.Time, Action: e.Action, Actor: e.Actor, ActorName: names(e.Actor), Copy: c.ID, Number: c.Number, Recipient: r.Name,
					Format: e.Fields["format"], Via: e.Fields["via"], Client: e.Fields["client"]})
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b Access) int { return b.Time.Compare(a.Time) })
	return out, err
}

// RevokeAll revokes every active copy of a document.
func (s *Service) RevokeAll(ctx context.Context, actor telltale.Actor, slug string) (int, error) {
	n := 0
	err := s.store.Update(ctx, func(tx telltale.Tx) error {
		n = 0 // the function may run again (see telltale.Store.Update)
		d, err := tx.DocumentBySlug(slug)
		if err != nil || !canManage(actor, d) {
			return noDocument(slug)
		}
		copies, err := tx.Copies(telltale.CopyFilter{DocumentID: d.ID})
		if err != nil {
			return err
		}
		now := s.now().UTC()
		for _, c := range copies {
			if !c.RevokedAt.IsZero() {
				continue
			}
			if err := tx.RevokeCopy(c.ID, now); err != nil {
				return err
			}
			if err := s.record(tx, now, actor, ledger.ActionCopyRevoke, ref("copy", c.ID), nil); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// Preview is a version's canonical HTML with every slot marked, for the
// owner's review: declared variants stand out, every alternative is listed.
type Preview struct {
	Version *telltale.Version
	// HTML is the marked body; it is built from escaped text and
	// telltale's own tags only.
	HTML  string
	Slots map[mark.Kind]int
}

// PreviewVersion renders a version for its owner with the slots marked.
func (s *Service) PreviewVersion(ctx context.Context, actor telltale.Actor, slug string, number int) (*Preview, error) {
	var v *telltale.Version
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		d, err := tx.DocumentBySlug(slug)
		if err != nil || !canManage(actor, d) {
			return noDocument(slug)
		}
		v, err = s.findVersion(tx, actor, slug, number, toManage)
		return err
	})
	if err != nil {
		return nil, err
	}
	st, err := s.state(v)
	if err != nil {
		return nil, err
	}
	zero := make([]uint8, len(st.tpl.Slots))
	body, placed, err := st.renderer.BodySpans(render.HTML, zero, 0)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to render the preview", Err: err}
	}
	p := &Preview{Version: v, Slots: map[mark.Kind]int{}}
	for _, sl := range st.tpl.Slots {
		p.Slots[sl.Kind]++
	}
	// Wrap each placed occurrence, from the end so offsets stay valid.
	slices.SortFunc(placed, func(a, b render.Placed) int {
		if a.Start != b.Start {
			return b.Start - a.Start
		}
		return (a.End - a.Start) - (b.End - b.Start)
	})
	out := bytes.Clone(body)
	for _, pl := range placed {
		sl := st.tpl.Slots[pl.Slot]
		var title, class string
		if pl.Occ >= 0 {
			alts := st.renderer.Alternatives(render.Text, pl.Slot, pl.Occ)
			title = fmt.Sprintf("%s — %s", sl.Name, strings.Join(quoteAll(alts), " · "))
			class = "slot slot-" + sl.Kind.String()
		} else {
			continue // list items are whole <li> elements: listed apart
		}
		open := fmt.Sprintf(`<mark class="%s" title="%s">`, class, html.EscapeString(title))
		if pl.Start == pl.End {
			open = fmt.Sprintf(`<mark class="%s slot-insert" title="%s">`, class, html.EscapeString(title))
		}
		out = append(out[:pl.End], append([]byte("</mark>"), out[pl.End:]...)...)
		out = append(out[:pl.Start], append([]byte(open), out[pl.Start:]...)...)
	}
	p.HTML = string(out)
	return p, nil
}

func quoteAll(alts []string) []string {
	out := make([]string, len(alts))
	for i, a := range alts {
		if a == "" {
			a = "(nothing)"
		}
		out[i] = "“" + a + "”"
	}
	return out
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

// VerifyLedger recomputes the ledger (admins only).
func (s *Service) VerifyLedger(ctx context.Context, actor telltale.Actor) (*ledger.Report, error) {
	if !actor.Has(telltale.RoleAdmin) {
		return nil, forbidden("verifying the ledger", telltale.RoleAdmin)
	}
	var r *ledger.Report
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
