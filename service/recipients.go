package service

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
)

// AddRecipient registers a recipient. The email is the recipient's
// identity: it is stored in lower case and must be unique.
func (s *Service) AddRecipient(ctx context.Context, actor telltale.Actor, r *telltale.Recipient) error {
	if !actor.Has(telltale.RoleOwner) {
		return forbidden("registering a recipient", telltale.RoleOwner)
	}
	r.Name = strings.TrimSpace(r.Name)
	r.Unit = strings.TrimSpace(r.Unit)
	if r.Name == "" {
		return telltale.Errorf(telltale.EINVALID, "a recipient needs a name")
	}
	email, err := normalizeEmail(r.Email)
	if err != nil {
		return err
	}
	r.Email = email
	r.CreatedAt = s.now().UTC()
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		return s.createRecipient(tx, actor, r)
	})
	if telltale.ErrorCode(err) == telltale.ECONFLICT {
		return telltale.Errorf(telltale.ECONFLICT, "a recipient with email %s already exists", r.Email)
	}
	return err
}

func normalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", telltale.Errorf(telltale.EINVALID, "%q is not an email address (want name@example.org)", s)
	}
	return s, nil
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

// MaxImport bounds the recipients registered at once.
const MaxImport = 100000

// ParseRecipients reads recipients as CSV: name, email and an optional
// unit per line. A first line naming the columns ("name,email,unit") is
// skipped; blank lines and lines starting with # are ignored. Errors name
// the line.
func ParseRecipients(r io.Reader) ([]*telltale.Recipient, error) {
	// A spreadsheet's byte-order mark is not part of the first name.
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	var out []*telltale.Recipient
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, telltale.Errorf(telltale.EINVALID, "recipients: %v (want CSV lines: name, email[, unit])", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(out) == 0 && len(rec) >= 2 && strings.EqualFold(strings.TrimSpace(rec[0]), "name") && strings.EqualFold(strings.TrimSpace(rec[1]), "email") {
			continue // header
		}
		if len(rec) < 2 || len(rec) > 3 {
			return nil, telltale.Errorf(telltale.EINVALID, "recipients line %d has %d fields; want name, email[, unit]", line, len(rec))
		}
		for i, field := range rec {
			if !utf8.ValidString(field) || strings.ContainsFunc(field, unicode.IsControl) {
				return nil, telltale.Errorf(telltale.EINVALID, "recipients line %d, field %d: not text (invalid UTF-8 or a control character); save the file as UTF-8 CSV", line, i+1)
			}
		}
		rc := &telltale.Recipient{Name: strings.TrimSpace(rec[0]), Email: strings.TrimSpace(rec[1])}
		if len(rec) == 3 {
			rc.Unit = strings.TrimSpace(rec[2])
		}
		if rc.Name == "" {
			return nil, telltale.Errorf(telltale.EINVALID, "recipients line %d: the name is empty", line)
		}
		if _, err := normalizeEmail(rc.Email); err != nil {
			return nil, telltale.Errorf(telltale.EINVALID, "recipients line %d: %s", line, telltale.ErrorMessage(err))
		}
		if len(out) == MaxImport {
			return nil, telltale.Errorf(telltale.EINVALID, "more than %d recipients; split the file", MaxImport)
		}
		out = append(out, rc)
	}
	if len(out) == 0 {
		return nil, telltale.Errorf(telltale.EINVALID, "no recipients found: give one per line as name, email[, unit]")
	}
	return out, nil
}

// ImportResult counts an import.
type ImportResult struct {
	Added    int
	Existing []string // emails already registered, left unchanged
}

// ImportRecipients registers many recipients in one transaction: all of
// them or, on an error, none. Addresses already registered are skipped
// and reported, so an import can be re-run.
func (s *Service) ImportRecipients(ctx context.Context, actor telltale.Actor, rs []*telltale.Recipient) (*ImportResult, error) {
	if !actor.Has(telltale.RoleOwner) {
		return nil, forbidden("registering recipients", telltale.RoleOwner)
	}
	seen := map[string]bool{}
	for i, r := range rs {
		r.Name, r.Unit = strings.TrimSpace(r.Name), strings.TrimSpace(r.Unit)
		if r.Name == "" {
			return nil, telltale.Errorf(telltale.EINVALID, "recipient %d needs a name", i+1)
		}
		email, err := normalizeEmail(r.Email)
		if err != nil {
			return nil, err
		}
		if seen[email] {
			return nil, telltale.Errorf(telltale.EINVALID, "%s is listed twice", email)
		}
		seen[email], r.Email = true, email
	}
	res := &ImportResult{}
	now := s.now().UTC()
	err := s.store.Update(ctx, func(tx telltale.Tx) error {
		res.Added, res.Existing = 0, nil
		for _, r := range rs {
			if _, err := tx.RecipientByEmail(r.Email); err == nil {
				res.Existing = append(res.Existing, r.Email)
				continue
			} else if telltale.ErrorCode(err) != telltale.ENOTFOUND {
				return err
			}
			r.CreatedAt = now
			if err := s.createRecipient(tx, actor, r); err != nil {
				return fmt.Errorf("registering %s: %w", r.Email, err)
			}
			res.Added++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// createRecipient stores a recipient and records it. An owner registering
// an address that has an account links the two: the owner decides who
// receives copies. (An account created later with the same address is not
// linked: see LinkRecipient.)
func (s *Service) createRecipient(tx telltale.Tx, actor telltale.Actor, r *telltale.Recipient) error {
	fields := map[string]string{"email": sha([]byte(r.Email))} // a hash, never the address
	r.UserID = 0
	if u, err := tx.UserByEmail(r.Email); err == nil {
		r.UserID = u.ID
		fields["user"] = ref("user", u.ID)
	} else if telltale.ErrorCode(err) != telltale.ENOTFOUND {
		return err
	}
	if err := tx.CreateRecipient(r); err != nil {
		return err
	}
	return s.record(tx, r.CreatedAt, actor, ledger.ActionRecipientAdd, ref("recipient", r.ID), fields)
}

// ActionRecipientLink records a recipient linked to (or unlinked from) the
// account that reads its copies.
const ActionRecipientLink = "recipient.link"

// LinkRecipient links the recipient registered under an e-mail address to
// the user account with the same address, so that it can read the
// recipient's copies; an owner's decision, recorded in the ledger.
// Accounts are never linked by their address alone: whoever creates
// accounts could otherwise read any copy.
func (s *Service) LinkRecipient(ctx context.Context, actor telltale.Actor, email string) (*telltale.Recipient, error) {
	if !actor.Has(telltale.RoleOwner) {
		return nil, forbidden("linking a recipient to an account", telltale.RoleOwner)
	}
	email, err := normalizeEmail(email)
	if err != nil {
		return nil, err
	}
	var r *telltale.Recipient
	err = s.store.Update(ctx, func(tx telltale.Tx) error {
		var err error
		if r, err = tx.RecipientByEmail(email); err != nil {
			return err
		}
		u, err := tx.UserByEmail(email)
		if telltale.ErrorCode(err) == telltale.ENOTFOUND {
			return telltale.Errorf(telltale.ENOTFOUND, "no account uses %s (hint: an admin creates it with the recipient role)", email)
		}
		if err != nil {
			return err
		}
		if r.UserID == u.ID {
			return nil
		}
		if err := tx.LinkRecipient(r.ID, u.ID); err != nil {
			return err
		}
		r.UserID = u.ID
		return s.record(tx, s.now().UTC(), actor, ActionRecipientLink, ref("recipient", r.ID), map[string]string{"user": ref("user", u.ID)})
	})
	return r, err
}
