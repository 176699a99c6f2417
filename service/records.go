package service

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
)

// # Records against the ledger
//
// Anyone with the database file can edit its rows; nobody can edit the
// ledger unnoticed. A copy's issue entry commits to its version, number,
// codeword and holder (a salted hash of the recipient's reference, name
// and e-mail), so a verdict accuses only copies whose rows still say what
// was signed, and ledger verification names every row that no longer
// does.

// holderCommitment is a copy's commitment to who holds it.
func (s *Service) holderCommitment(c *telltale.Copy, r *telltale.Recipient) string {
	return ledger.HolderCommitment(s.keys.HolderKey(c), ref("recipient", r.ID), r.Name, r.Email)
}

// RecordError says a stored row disagrees with the ledger entry that
// recorded it.
type RecordError struct {
	Subject string // "copy/3"
	Entry   int64  // the ledger entry, or -1 if there is none
	Msg     string
}

func (e *RecordError) Error() string {
	if e.Entry < 0 {
		return fmt.Sprintf("%s: %s", e.Subject, e.Msg)
	}
	return fmt.Sprintf("%s: %s (ledger entry %d)", e.Subject, e.Msg, e.Entry)
}

// issueEntry finds the copy.issue entry of a copy.
func issueEntry(tx telltale.Tx, c *telltale.Copy) (*ledger.Entry, int64, error) {
	rows, err := tx.LedgerFind(telltale.LedgerFilter{Subject: ref("copy", c.ID), Action: ledger.ActionCopyIssue})
	if err != nil || len(rows) == 0 {
		return nil, -1, err
	}
	e, err := ledger.Parse(rows[0].Body)
	if err != nil {
		return nil, rows[0].Index, err
	}
	return e, rows[0].Index, nil
}

// checkCopyRecord compares a copy, its recipient and its version with the
// entry that recorded its issue. Copies issued before holders were
// committed have no holder field; for them the recipient's reference is
// still checked.
func (s *Service) checkCopyRecord(tx telltale.Tx, c *telltale.Copy, r *telltale.Recipient) error {
	e, idx, err := issueEntry(tx, c)
	subject := ref("copy", c.ID)
	switch {
	case err != nil:
		return &RecordError{Subject: subject, Entry: idx, Msg: "its issue entry does not decode: " + err.Error()}
	case e == nil:
		return &RecordError{Subject: subject, Entry: -1, Msg: "no ledger entry records its issue"}
	}
	f := e.Fields
	bad := func(format string, args ...any) error {
		return &RecordError{Subject: subject, Entry: idx, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case f["recipient"] != ref("recipient", c.RecipientID):
		return bad("its row names %s but it was issued to %s", ref("recipient", c.RecipientID), f["recipient"])
	case f["version"] != ref("version", c.VersionID):
		return bad("its row belongs to %s but it was issued of %s", ref("version", c.VersionID), f["version"])
	case f["number"] != fmt.Sprint(c.Number):
		return bad("its row says copy number %d but %s was issued", c.Number, f["number"])
	case f["commitment"] != "sha256:"+hex.EncodeToString(c.Commitment[:]):
		return bad("its codeword commitment differs from the one recorded at issue")
	case r != nil && f["holder"] != "" && f["holder"] != s.holderCommitment(c, r):
		return bad("its recipient's name or e-mail differ from those it was issued to")
	}
	return nil
}

// recorded maps each subject to the entries of one action that recorded
// it, oldest first, with their ledger indexes.
type recorded map[string][]indexedEntry

type indexedEntry struct {
	*ledger.Entry
	index int64
}

func entriesOf(tx telltale.Tx, action string) (recorded, error) {
	rows, err := tx.LedgerFind(telltale.LedgerFilter{Action: action})
	if err != nil {
		return nil, err
	}
	out := recorded{}
	for _, r := range rows {
		e, err := ledger.Parse(r.Body)
		if err != nil {
			continue // the log's own verification names undecodable entries
		}
		out[e.Subject] = append(out[e.Subject], indexedEntry{e, r.Index})
	}
	return out, nil
}

// checkRecords compares the stored rows that the ledger records — copies
// and their holders, recipients, versions and users' roles — with the
// entries that recorded them, and returns a problem for every row that
// disagrees.
func (s *Service) checkRecords(tx telltale.Tx) ([]ledger.Problem, error) {
	var problems []ledger.Problem
	add := func(err error) {
		var re *RecordError
		if errors.As(err, &re) {
			problems = append(problems, ledger.Problem{Entry: re.Entry, Msg: re.Error()})
		} else if err != nil {
			problems = append(problems, ledger.Problem{Entry: -1, Msg: err.Error()})
		}
	}
	for _, check := range []func(telltale.Tx, func(error)) error{s.checkCopies, checkRecipients, checkVersions, checkUsers} {
		if err := check(tx, add); err != nil {
			return nil, err
		}
	}
	return problems, nil
}

func (s *Service) checkCopies(tx telltale.Tx, add func(error)) error {
	copies, err := tx.Copies(telltale.CopyFilter{})
	if err != nil {
		return err
	}
	for _, c := range copies {
		r, err := tx.Recipient(c.RecipientID)
		if telltale.ErrorCode(err) == telltale.ENOTFOUND {
			add(&RecordError{Subject: ref("copy", c.ID), Entry: -1, Msg: fmt.Sprintf("its recipient %s does not exist", ref("recipient", c.RecipientID))})
			continue
		}
		if err != nil {
			return err
		}
		add(s.checkCopyRecord(tx, c, r))
	}
	return nil
}

func checkRecipients(tx telltale.Tx, add func(error)) error {
	entries, err := entriesOf(tx, ledger.ActionRecipientAdd)
	if err != nil {
		return err
	}
	links, err := entriesOf(tx, ActionRecipientLink)
	if err != nil {
		return err
	}
	rs, err := tx.Recipients()
	if err != nil {
		return err
	}
	for _, r := range rs {
		subject := ref("recipient", r.ID)
		es := entries[subject]
		switch {
		case len(es) == 0:
			add(&RecordError{Subject: subject, Entry: -1, Msg: "no ledger entry records its registration"})
		case es[0].Fields["email"] != sha([]byte(r.Email)):
			add(&RecordError{Subject: subject, Entry: es[0].index, Msg: "its e-mail differs from the one registered"})
		}
		add(checkLink(tx, r, append(es, links[subject]...)))
	}
	return nil
}

func checkVersions(tx telltale.Tx, add func(error)) error {
	entries, err := entriesOf(tx, ledger.ActionVersionAdd)
	if err != nil {
		return err
	}
	return eachVersion(tx, func(d *telltale.Document, v *telltale.Version) error {
		subject := ref("version", v.ID)
		es := entries[subject]
		if len(es) == 0 {
			add(&RecordError{Subject: subject, Entry: -1, Msg: "no ledger entry records it"})
			return nil
		}
		f, idx := es[0].Fields, es[0].index
		bad := func(what string) {
			add(&RecordError{Subject: subject, Entry: idx, Msg: what + " differs from the one recorded"})
		}
		switch {
		case f["document"] != ref("document", d.ID):
			bad("its document")
		case f["number"] != fmt.Sprint(v.Number):
			bad("its number")
		case f["source"] != "sha256:"+hex.EncodeToString(v.SourceHash[:]):
			bad("its source hash")
		case f["coalition"] != fmt.Sprint(v.Coalition):
			bad("its design")
		case f["design"] != "" && f["design"] != fmt.Sprint(v.Design):
			bad("its design version")
		}
		return nil
	})
}

// eachVersion calls fn for every version of every document.
func eachVersion(tx telltale.Tx, fn func(*telltale.Document, *telltale.Version) error) error {
	docs, err := tx.Documents()
	if err != nil {
		return err
	}
	for _, d := range docs {
		vs, err := tx.Versions(d.ID)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if err := fn(d, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkUsers(tx telltale.Tx, add func(error)) error {
	added, err := entriesOf(tx, actionUserAdd)
	if err != nil {
		return err
	}
	updated, err := entriesOf(tx, actionUserUpdate)
	if err != nil {
		return err
	}
	users, err := tx.Users()
	if err != nil {
		return err
	}
	for _, u := range users {
		subject := ref("user", u.ID)
		var roles string
		var idx int64 = -1
		for _, e := range append(added[subject], updated[subject]...) {
			if r, ok := e.Fields["roles"]; ok && e.index > idx {
				roles, idx = r, e.index
			}
		}
		switch {
		case idx < 0:
			add(&RecordError{Subject: subject, Entry: -1, Msg: "no ledger entry records its roles"})
		case roles != rolesField(u.Roles):
			add(&RecordError{Subject: subject, Entry: idx, Msg: fmt.Sprintf("its roles (%s) differ from those last recorded (%s)", rolesField(u.Roles), roles)})
		}
	}
	return nil
}

// checkLink compares a recipient's linked account with the last link the
// ledger records. A link with no entry is accepted only to the account
// with the recipient's own address (links made when accounts were matched
// by address); anyone who edits the column to read someone's copies is
// named.
func checkLink(tx telltale.Tx, r *telltale.Recipient, entries []indexedEntry) error {
	want, idx := "", int64(-1)
	for _, e := range entries {
		if u, ok := e.Fields["user"]; ok && e.index > idx {
			want, idx = u, e.index
		}
	}
	subject := ref("recipient", r.ID)
	got := ""
	if r.UserID != 0 {
		got = ref("user", r.UserID)
	}
	switch {
	case got == want:
		return nil
	case idx < 0 && r.UserID != 0:
		u, err := tx.User(r.UserID)
		if err == nil && u.Email == r.Email {
			return nil
		}
		return &RecordError{Subject: subject, Entry: -1, Msg: fmt.Sprintf("it is linked to %s, which no ledger entry records", got)}
	default:
		return &RecordError{Subject: subject, Entry: idx, Msg: fmt.Sprintf("it is linked to %q but the ledger last recorded %q", got, want)}
	}
}
