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
func (s *Service) Show(ctx context.Context, slug string) (*DocumentDetail, error) {
	var out DocumentDetail
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		d, err := tx.DocumentBySlug(slug)
		if err != nil {
			if telltale.ErrorCode(err) == telltale.ENOTFOUND {
				return telltale.Errorf(telltale.ENOTFOUND, "no document %q (hint: telltale doc list shows the stored documents)", slug)
			}
			return err
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

// Documents lists the stored documents.
func (s *Service) Documents(ctx context.Context) ([]*telltale.Document, error) {
	var out []*telltale.Document
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) {
		out, err = tx.Documents()
		return err
	})
	return out, err
}

// Recipients lists the registered recipients.
func (s *Service) Recipients(ctx context.Context) ([]*telltale.Recipient, error) {
	var out []*telltale.Recipient
	err := s.store.View(ctx, func(tx telltale.Tx) (err error) {
		out, err = tx.Recipients()
		return err
	})
	return out, err
}
