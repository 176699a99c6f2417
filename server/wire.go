package server

import (
	"encoding/base64"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/capacity"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/service"
)

// The service's results as the JSON API answers them. The command line
// builds its answers with these functions too when it works on a local
// data directory, so a command prints the same whether it works there or
// on a server.

// WireDocument is a document as the API shows it.
func WireDocument(d *telltale.Document) api.Document {
	return api.Document{Slug: d.Slug, Title: d.Title, Owner: d.Owner, CreatedAt: d.CreatedAt}
}

// WireRecipient is a recipient as the API shows it.
func WireRecipient(r *telltale.Recipient) api.Recipient {
	return api.Recipient{ID: r.ID, Name: r.Name, Email: r.Email, Unit: r.Unit, Linked: r.UserID != 0}
}

// WireAddDocument is the answer to storing a version: the version, its
// slots by kind, its traceability report and its declared variants.
func WireAddDocument(res *service.AddDocumentResult, report *capacity.Traceability) api.AddDocumentResponse {
	out := api.AddDocumentResponse{Document: WireDocument(res.Document), Version: res.Version.Number, Words: res.Version.Words,
		Slots: map[string]int{}, Report: report.String()}
	for _, sl := range res.Template.Slots {
		out.Slots[sl.Kind.String()]++
		if sl.Kind == mark.Declared {
			o := sl.Occurrences[0]
			line := strings.Count(res.Template.Source[:o.Start], "\n") + 1
			out.Declared = append(out.Declared, api.Declared{Line: line, Alternatives: o.Alts})
		}
	}
	return out
}

// WireDocumentDetail is a document with its versions and copies, without
// a report.
func WireDocumentDetail(d *service.DocumentDetail) api.DocumentDetail {
	out := api.DocumentDetail{Document: WireDocument(d.Document)}
	for _, v := range d.Versions {
		av := api.Version{Number: v.Version.Number, Words: v.Version.Words, Slots: map[string]int{}, Copies: []api.Copy{},
			CreatedAt: v.Version.CreatedAt, Classification: v.Version.Classification}
		for _, k := range mark.Kinds {
			av.Slots[k.String()] = v.SlotsByKind[k]
		}
		for _, c := range v.Copies {
			av.Copies = append(av.Copies, api.Copy{ID: c.Copy.ID, Number: c.Copy.Number, Of: c.Copy.Of, Recipient: c.Recipient.Email, RecipientName: c.Recipient.Name,
				Formats: c.Copy.Formats, IssuedAt: c.Copy.IssuedAt, ExpiresAt: c.Copy.ExpiresAt, RevokedAt: c.Copy.RevokedAt})
		}
		out.Versions = append(out.Versions, av)
	}
	return out
}

// WireIssued is the answer to issuing copies of the document slug.
func WireIssued(slug string, issued []*service.Issued) []api.Copy {
	out := []api.Copy{}
	for _, is := range issued {
		out = append(out, api.Copy{ID: is.Copy.ID, Document: slug, Number: is.Copy.Number, Of: is.Copy.Of, Recipient: is.Recipient.Email, RecipientName: is.Recipient.Name,
			Formats: is.Copy.Formats, IssuedAt: is.Copy.IssuedAt, ExpiresAt: is.Copy.ExpiresAt})
	}
	return out
}

// WireVerify is the answer to verifying the ledger.
func WireVerify(rep *ledger.Verification) api.VerifyResult {
	out := api.VerifyResult{OK: rep.OK(), Entries: rep.Entries, From: rep.From, Checkpoints: rep.Checkpoints, Problems: []string{}}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, p.String())
	}
	if rep.Head != nil {
		out.Head = &api.Head{Size: rep.Head.Size, Hash: base64.StdEncoding.EncodeToString(rep.Head.Hash[:])}
	}
	return out
}
