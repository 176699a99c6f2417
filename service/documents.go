package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/capacity"
	"github.com/telltale-dev/telltale/docx"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
)

// AddDocumentRequest is a document source to store.
type AddDocumentRequest struct {
	// Name is the document's short name (its slug); empty means derived
	// from Filename.
	Name     string
	Filename string
	Source   []byte
	// Coalition selects the fingerprinting design; 0 chooses it from
	// Audience (fingerprint.DesignFor).
	Coalition int
	// Audience is the number of recipients the owner expects; 0 if unknown.
	Audience int
}

// AddDocumentResult is what AddDocument stored.
type AddDocumentResult struct {
	Document *telltale.Document
	Version  *telltale.Version
	Template *mark.Template
	// New is true if the document did not exist before.
	New bool
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// SlugFromFilename derives a document slug from a file name: "Ops Plan.md"
// becomes "ops-plan".
func SlugFromFilename(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(base) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-.")
}

// AddDocument parses and marks a source document and stores it as a new
// document, or as the next version of the document with the same slug. A
// source identical to the latest version is refused with ECONFLICT.
func (s *Service) AddDocument(ctx context.Context, actor telltale.Actor, req AddDocumentRequest) (*AddDocumentResult, error) {
	if !actor.Has(telltale.RoleOwner) {
		return nil, forbidden("adding a document", telltale.RoleOwner)
	}
	slug := req.Name
	if slug == "" {
		slug = SlugFromFilename(req.Filename)
	}
	if !slugPattern.MatchString(slug) {
		return nil, telltale.Errorf(telltale.EINVALID, "document name %q: use lower-case letters, digits, '.', '-' and '_' (at most 63), starting with a letter or digit", slug)
	}
	design := fingerprint.DesignFor(req.Audience)
	if req.Coalition != 0 {
		design.Coalition = req.Coalition
	}
	if err := design.Check(); err != nil {
		return nil, telltale.Errorf(telltale.EINVALID, "%v", err)
	}
	source, word := req.Source, []byte(nil)
	var tpl *mark.Template
	var err error
	if docx.IsWord(req.Filename, req.Source) {
		word = req.Source
		if tpl, source, err = s.markWord(req.Filename, word); err != nil {
			return nil, err
		}
	} else if tpl, err = s.markMarkdown(req.Filename, source); err != nil {
		return nil, err
	}
	if _, err := render.Compile(tpl); err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to prepare the document for rendering", Err: err}
	}
	tplBytes, err := tpl.Marshal()
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to encode the template", Err: err}
	}
	res := &AddDocumentResult{Template: tpl}
	now := s.now().UTC()
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		res.New = false // the function may run again (see telltale.Store.Update)
		d, err := tx.DocumentBySlug(slug)
		switch {
		case telltale.ErrorCode(err) == telltale.ENOTFOUND:
			d = &telltale.Document{Slug: slug, Title: tpl.Title, Owner: actor.Ref(), OwnerID: actor.UserID, CreatedAt: now}
			if err := tx.CreateDocument(d); err != nil {
				return err
			}
			res.New = true
			if err := s.record(tx, now, actor, ledger.ActionDocumentAdd, ref("document", d.ID), map[string]string{"slug": sha([]byte(slug))}); err != nil {
				return err
			}
		case err != nil:
			return err
		case !canManage(actor, d):
			return telltale.Errorf(telltale.EFORBIDDEN, "document %q belongs to another owner; choose another name", slug)
		}
		number := 1
		hash := sha256.Sum256(req.Source)
		if !res.New {
			latest, err := tx.LatestVersion(d.ID)
			if err == nil {
				if latest.SourceHash == hash {
					return telltale.Errorf(telltale.ECONFLICT, "%s is unchanged: version %d of %q has the same text", req.Filename, latest.Number, slug)
				}
				number = latest.Number + 1
			} else if telltale.ErrorCode(err) != telltale.ENOTFOUND {
				return err
			}
			if tpl.Title != "" && tpl.Title != d.Title {
				if err := tx.UpdateDocumentTitle(d.ID, tpl.Title); err != nil {
					return err
				}
				d.Title = tpl.Title
			}
		}
		v := &telltale.Version{
			DocumentID: d.ID, Number: number, CreatedAt: now, CreatedBy: actor.Ref(),
			SourceHash: hash, Nonce: keys.Nonce(16), Coalition: design.Coalition, Design: design.Version,
			Title: tpl.Title, Classification: tpl.Classification, Words: tpl.Words, Slots: len(tpl.Slots),
		}
		v.SealedSource = s.keys.SealVersion(v, keys.VersionSource, source)
		v.SealedTemplate = s.keys.SealVersion(v, keys.VersionTemplate, tplBytes)
		if word != nil {
			v.SealedDocx = s.keys.SealVersion(v, keys.VersionDocx, word)
		}
		if err := tx.CreateVersion(v); err != nil {
			return err
		}
		res.Document, res.Version = d, v
		fields := map[string]string{
			"document": ref("document", d.ID), "number": fmt.Sprint(v.Number), "source": "sha256:" + hex.EncodeToString(hash[:]),
			"template": sha(tplBytes), "slots": fmt.Sprint(v.Slots), "coalition": fmt.Sprint(v.Coalition), "design": fmt.Sprint(v.Design),
		}
		if word != nil {
			// source is then the Word file's hash; text, its Markdown's.
			fields["format"], fields["text"] = "docx", sha(source)
		}
		return s.record(tx, now, actor, ledger.ActionVersionAdd, ref("version", v.ID), fields)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// markMarkdown parses and marks a Markdown source.
func (s *Service) markMarkdown(filename string, source []byte) (*mark.Template, error) {
	doc, err := parse.Parse(filename, source)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINVALID, Message: err.Error(), Err: err}
	}
	tpl, err := mark.Mark(doc, mark.Options{Lexicon: s.lexicon})
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to mark the document", Err: err}
	}
	return tpl, nil
}

// Template returns a version's decrypted template.
func (s *Service) Template(ctx context.Context, v *telltale.Version) (*mark.Template, error) {
	st, err := s.prepare(v)
	if err != nil {
		return nil, err
	}
	return st.tpl, nil
}

// Source returns a version's decrypted source: the Markdown file, or
// for a version added from Word its text as Markdown (see Original).
func (s *Service) Source(ctx context.Context, v *telltale.Version) ([]byte, error) {
	plain, err := s.keys.OpenVersion(v, keys.VersionSource, v.SealedSource)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to decrypt the document source", Err: err}
	}
	return plain, nil
}

// Original returns the Word file a version was added from, decrypted,
// or nil for a version added from Markdown.
func (s *Service) Original(ctx context.Context, v *telltale.Version) ([]byte, error) {
	if !v.FromWord() {
		return nil, nil
	}
	plain, err := s.keys.OpenVersion(v, keys.VersionDocx, v.SealedDocx)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to decrypt the document's Word file", Err: err}
	}
	return plain, nil
}

// TraceabilityReport returns a version's traceability report for n
// recipients. Measuring excerpt lengths reads a copy a hundred times or
// so, so reports are kept per version and audience.
func (s *Service) TraceabilityReport(ctx context.Context, v *telltale.Version, n int) (*capacity.Traceability, error) {
	rd, st, err := s.reader(v)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	r, ok := st.reports[n]
	s.mu.Unlock()
	if ok {
		return r, nil
	}
	r = capacity.Compute(capacity.Input{Template: st.tpl, Design: designOf(v), Recipients: n, Epsilon: capacity.DefaultEpsilon,
		Reader: rd, Renderer: st.renderer, Biases: st.biases})
	s.mu.Lock()
	if st.reports == nil {
		st.reports = map[int]*capacity.Traceability{}
	}
	st.reports[n] = r
	s.mu.Unlock()
	return r, nil
}

// findVersion finds a version of a document the actor manages.
// access says why a version is looked up: investigators may trace leaks
// against any document, but only its owner manages it.
type access int

const (
	toManage access = iota
	toInvestigate
)

func (s *Service) findVersion(tx telltale.Tx, actor telltale.Actor, slug string, number int, purpose access) (*telltale.Version, error) {
	d, err := tx.DocumentBySlug(slug)
	if err != nil {
		if telltale.ErrorCode(err) == telltale.ENOTFOUND {
			return nil, noDocument(slug)
		}
		return nil, err
	}
	allowed := canManage(actor, d) || purpose == toInvestigate && actor.Any(telltale.RoleInvestigator)
	if !allowed {
		return nil, noDocument(slug)
	}
	if number == 0 {
		return tx.LatestVersion(d.ID)
	}
	versions, err := tx.Versions(d.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		if v.Number == number {
			return v, nil
		}
	}
	return nil, telltale.Errorf(telltale.ENOTFOUND, "document %q has no version %d (it has %d)", slug, number, len(versions))
}

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
			st, err := s.prepare(v)
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

// Preview is a version's canonical HTML with every slot marked, for the
// owner's review: declared variants stand out, every alternative is listed.
type Preview struct {
	Version *telltale.Version
	// HTML is the marked body; it is built from escaped text and
	// telltale's own tags only.
	HTML  string
	Slots map[mark.Kind]int
	// Lists counts the shuffled lists (a list has several order slots).
	Lists int
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
	st, err := s.prepare(v)
	if err != nil {
		return nil, err
	}
	body, err := st.renderer.Preview()
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to render the preview", Err: err}
	}
	p := &Preview{Version: v, Slots: map[mark.Kind]int{}, HTML: string(body)}
	for _, sl := range st.tpl.Slots {
		p.Slots[sl.Kind]++
		if sl.Kind == mark.Order && len(sl.Items) > 0 {
			p.Lists++
		}
	}
	return p, nil
}
