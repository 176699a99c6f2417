package service

import (
	"context"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/mark"
)

// DocumentDetail is everything `doc show` displays about a document.
type DocumentDetail struct {
	Document *telltale.Document
	Versions []VersionDetail
}

// VersionDetail is one version with its slots and copies.
type VersionDetail struct {
	Version *telltale.Version
	// SlotsByKind counts the version's slots by kind.
	SlotsByKind map[mark.Kind]int
	Copies      []CopyDetail
}

// CopyDetail is a copy with its recipient.
type CopyDetail struct {
	Copy      *telltale.Copy
	Recipient *telltale.Recipient
}

// Show returns a document's versions, their slots and the copies issued.
func (s *Service) Show(ctx context.Context, actor telltale.Actor, slug string) (*DocumentDetail, error) {
	var out DocumentDetail
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		d, err := tx.DocumentBySlug(slug)
		if err != nil {
			if telltale.ErrorCode(err) == telltale.ENOTFOUND {
				return noDocument(slug)
			}
			return err
		}
		if !canManage(actor, d) {
			return noDocument(slug)
		}
		out.Document = d
		versions, err := tx.Versions(d.ID)
		if err != nil {
			return err
		}
		recipients := map[int64]*telltale.Recipient{}
		for _, v := range versions {
			st, err := s.state(v)
			if err != nil {
				return err
			}
			vd := VersionDetail{Version: v, SlotsByKind: map[mark.Kind]int{}}
			for _, sl := range st.tpl.Slots {
				vd.SlotsByKind[sl.Kind]++
			}
			copies, err := tx.Copies(telltale.CopyFilter{VersionID: v.ID})
			if err != nil {
				return err
			}
			for _, c := range copies {
				r, ok := recipients[c.RecipientID]
				if !ok {
					if r, err = tx.Recipient(c.RecipientID); err != nil {
						return err
					}
					recipients[c.RecipientID] = r
				}
				vd.Copies = append(vd.Copies, CopyDetail{Copy: c, Recipient: r})
			}
			out.Versions = append(out.Versions, vd)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Documents lists the documents an actor may see: owners their own,
// investigators all (to name a leak's source).
func (s *Service) Documents(ctx context.Context, actor telltale.Actor) ([]*telltale.Document, error) {
	if !actor.Any(telltale.RoleOwner, telltale.RoleInvestigator) {
		return nil, forbidden("listing documents", telltale.RoleOwner, telltale.RoleInvestigator)
	}
	var out []*telltale.Document
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		all, err := tx.Documents()
		if err != nil {
			return err
		}
		for _, d := range all {
			if canManage(actor, d) || actor.Has(telltale.RoleInvestigator) {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}

// Recipients lists the registered recipients.
func (s *Service) Recipients(ctx context.Context, actor telltale.Actor) ([]*telltale.Recipient, error) {
	if !actor.Any(telltale.RoleOwner, telltale.RoleInvestigator) {
		return nil, forbidden("listing recipients", telltale.RoleOwner, telltale.RoleInvestigator)
	}
	var out []*telltale.Recipient
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) {
		out, err = tx.Recipients()
		return err
	})
	return out, err
}
