// Package storetest is the conformance suite every telltale.Store must
// pass. A backend's tests call [Run] with a function that opens a fresh,
// empty store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) telltale.Store { return openTemp(t) })
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
)

// Run runs the conformance suite.
func Run(t *testing.T, open func(t *testing.T) telltale.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s telltale.Store)
	}{
		{"Documents", testDocuments},
		{"Versions", testVersions},
		{"Recipients", testRecipients},
		{"Copies", testCopies},
		{"Holdings", testHoldings},
		{"CopyFiles", testCopyFiles},
		{"Rollback", testRollback},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"APITokens", testAPITokens},
		{"LedgerStorage", testLedgerStorage},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Cases", testCases},
		{"Monitor", testMonitor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

// t0 is a fixed time with nanoseconds, to check times round-trip exactly.
var t0 = time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)

func update(t *testing.T, s telltale.Store, fn func(tx telltale.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := telltale.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

func seedDocument(t *testing.T, s telltale.Store, slug string) *telltale.Document {
	d := &telltale.Document{Slug: slug, Title: "Title of " + slug, Owner: "owner", CreatedAt: t0}
	update(t, s, func(tx telltale.Tx) error { return tx.CreateDocument(d) })
	return d
}

func newVersion(docID int64, number int) *telltale.Version {
	return &telltale.Version{
		DocumentID: docID, Number: number, CreatedAt: t0, CreatedBy: "owner",
		SourceHash: [32]byte{byte(number)}, Nonce: bytes.Repeat([]byte{byte(number)}, 16), Coalition: 3, Design: 2,
		SealedSource: []byte("sealed source"), SealedTemplate: []byte("sealed template"),
		Title: "T", Classification: "SECRET", Words: 1000, Slots: 60,
	}
}

func seedVersion(t *testing.T, s telltale.Store, docID int64, number int) *telltale.Version {
	v := newVersion(docID, number)
	update(t, s, func(tx telltale.Tx) error { return tx.CreateVersion(v) })
	return v
}

func seedRecipient(t *testing.T, s telltale.Store, email string) *telltale.Recipient {
	r := &telltale.Recipient{Name: "Name " + email, Email: email, Unit: "Unit", CreatedAt: t0}
	update(t, s, func(tx telltale.Tx) error { return tx.CreateRecipient(r) })
	return r
}

func newCopy(versionID, recipientID int64, number int) *telltale.Copy {
	return &telltale.Copy{
		VersionID: versionID, RecipientID: recipientID, Number: number, Of: number,
		Nonce: bytes.Repeat([]byte{byte(number)}, 16), Commitment: [32]byte{9, byte(number)},
		Formats: []string{"md", "html"}, IssuedAt: t0, IssuedBy: "owner",
	}
}

func testDocuments(t *testing.T, s telltale.Store) {
	d := seedDocument(t, s, "plan")
	if d.ID == 0 {
		t.Fatal("CreateDocument assigned no ID")
	}
	seedDocument(t, s, "memo")
	err := s.Update(ctx, func(tx telltale.Tx) error {
		return tx.CreateDocument(&telltale.Document{Slug: "plan", CreatedAt: t0})
	})
	wantCode(t, err, telltale.ECONFLICT)
	err = s.View(ctx, func(tx telltale.Tx) error {
		got, err := tx.DocumentBySlug("plan")
		if err != nil {
			return err
		}
		if *got != *d {
			return fmt.Errorf("DocumentBySlug = %+v, want %+v", got, d)
		}
		byID, err := tx.Document(d.ID)
		if err != nil || *byID != *d {
			return fmt.Errorf("document %d = %+v, %v", d.ID, byID, err)
		}
		all, err := tx.Documents()
		if err != nil || len(all) != 2 || all[0].Slug != "memo" {
			return fmt.Errorf("documents = %+v, %v; want memo, plan", all, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx telltale.Tx) error {
		_, err := tx.DocumentBySlug("nope")
		wantCode(t, err, telltale.ENOTFOUND)
		_, err = tx.Document(999)
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
	update(t, s, func(tx telltale.Tx) error { return tx.UpdateDocumentTitle(d.ID, "New") })
	s.View(ctx, func(tx telltale.Tx) error {
		got, _ := tx.Document(d.ID)
		if got.Title != "New" {
			t.Errorf("title = %q after update", got.Title)
		}
		return nil
	})
	err = s.Update(ctx, func(tx telltale.Tx) error { return tx.UpdateDocumentTitle(999, "x") })
	wantCode(t, err, telltale.ENOTFOUND)
}

func testVersions(t *testing.T, s telltale.Store) {
	d := seedDocument(t, s, "plan")
	v1 := seedVersion(t, s, d.ID, 1)
	v2 := newVersion(d.ID, 2) // added from Word: it keeps the Word file
	v2.SealedDocx = []byte("sealed docx")
	update(t, s, func(tx telltale.Tx) error { return tx.CreateVersion(v2) })
	err := s.Update(ctx, func(tx telltale.Tx) error { return tx.CreateVersion(newVersion(d.ID, 2)) })
	wantCode(t, err, telltale.ECONFLICT)
	err = s.Update(ctx, func(tx telltale.Tx) error { return tx.CreateVersion(newVersion(d.ID, 4)) })
	wantCode(t, err, telltale.ECONFLICT)
	s.View(ctx, func(tx telltale.Tx) error {
		got, err := tx.Version(v1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Number != 1 || got.SourceHash != v1.SourceHash || !bytes.Equal(got.Nonce, v1.Nonce) ||
			!bytes.Equal(got.SealedTemplate, v1.SealedTemplate) || !got.CreatedAt.Equal(t0) || got.Coalition != 3 || got.Design != 2 ||
			got.Words != 1000 || got.Slots != 60 || got.Classification != "SECRET" || got.SealedDocx != nil || got.FromWord() {
			t.Errorf("Version round trip: got %+v, want %+v", got, v1)
		}
		latest, err := tx.LatestVersion(d.ID)
		if err != nil || latest.ID != v2.ID {
			t.Errorf("LatestVersion = %+v, %v; want version 2", latest, err)
		} else if string(latest.SealedDocx) != "sealed docx" || !latest.FromWord() {
			t.Errorf("a version's Word file came back as %q", latest.SealedDocx)
		}
		all, err := tx.Versions(d.ID)
		if err != nil || len(all) != 2 || all[0].Number != 1 || all[1].Number != 2 {
			t.Errorf("Versions = %v, %v", all, err)
		}
		_, err = tx.Version(999)
		wantCode(t, err, telltale.ENOTFOUND)
		_, err = tx.LatestVersion(999)
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
	err = s.Update(ctx, func(tx telltale.Tx) error { return tx.CreateVersion(newVersion(999, 1)) })
	if err == nil {
		t.Error("version of a missing document was stored")
	}
}

func testRecipients(t *testing.T, s telltale.Store) {
	r := seedRecipient(t, s, "dana@example.org")
	seedRecipient(t, s, "lee@example.org")
	err := s.Update(ctx, func(tx telltale.Tx) error {
		return tx.CreateRecipient(&telltale.Recipient{Name: "Other", Email: "dana@example.org", CreatedAt: t0})
	})
	wantCode(t, err, telltale.ECONFLICT)
	s.View(ctx, func(tx telltale.Tx) error {
		got, err := tx.RecipientByEmail("dana@example.org")
		if err != nil || *got != *r {
			t.Errorf("RecipientByEmail = %+v, %v; want %+v", got, err, r)
		}
		got, err = tx.Recipient(r.ID)
		if err != nil || *got != *r {
			t.Errorf("Recipient = %+v, %v", got, err)
		}
		all, err := tx.Recipients()
		if err != nil || len(all) != 2 {
			t.Errorf("Recipients = %v, %v", all, err)
		}
		_, err = tx.RecipientByEmail("nobody@example.org")
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
}

func testCopies(t *testing.T, s telltale.Store) {
	d := seedDocument(t, s, "plan")
	other := seedDocument(t, s, "memo")
	v := seedVersion(t, s, d.ID, 1)
	ov := seedVersion(t, s, other.ID, 1)
	dana := seedRecipient(t, s, "dana@example.org")
	lee := seedRecipient(t, s, "lee@example.org")
	c1 := newCopy(v.ID, dana.ID, 1)
	c1.ExpiresAt = t0.Add(24 * time.Hour)
	c1.Watermark = true
	c2 := newCopy(v.ID, lee.ID, 2)
	c3 := newCopy(ov.ID, dana.ID, 1)
	update(t, s, func(tx telltale.Tx) error {
		for _, c := range []*telltale.Copy{c1, c2, c3} {
			if err := tx.CreateCopy(c); err != nil {
				return err
			}
		}
		return nil
	})
	// One copy per recipient and version; copy numbers unique per version.
	err := s.Update(ctx, func(tx telltale.Tx) error { return tx.CreateCopy(newCopy(v.ID, dana.ID, 3)) })
	wantCode(t, err, telltale.ECONFLICT)
	carol := seedRecipient(t, s, "carol@example.org")
	err = s.Update(ctx, func(tx telltale.Tx) error { return tx.CreateCopy(newCopy(v.ID, carol.ID, 2)) })
	wantCode(t, err, telltale.ECONFLICT)

	s.View(ctx, func(tx telltale.Tx) error {
		got, err := tx.Copy(c1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Commitment != c1.Commitment || !bytes.Equal(got.Nonce, c1.Nonce) || !got.ExpiresAt.Equal(c1.ExpiresAt) ||
			!got.RevokedAt.IsZero() || len(got.Formats) != 2 || got.Formats[1] != "html" || got.Of != 1 || !got.Watermark {
			t.Errorf("Copy round trip: got %+v, want %+v", got, c1)
		}
		for _, tt := range []struct {
			f    telltale.CopyFilter
			want int
		}{
			{telltale.CopyFilter{}, 3},
			{telltale.CopyFilter{VersionID: v.ID}, 2},
			{telltale.CopyFilter{DocumentID: other.ID}, 1},
			{telltale.CopyFilter{RecipientID: dana.ID}, 2},
			{telltale.CopyFilter{RecipientID: dana.ID, VersionID: v.ID}, 1},
		} {
			cs, err := tx.Copies(tt.f)
			if err != nil || len(cs) != tt.want {
				t.Errorf("Copies(%+v) = %d copies, %v; want %d", tt.f, len(cs), err, tt.want)
			}
		}
		if n, err := tx.CopyCount(v.ID); n != 2 || err != nil {
			t.Errorf("CopyCount = %d, %v", n, err)
		}
		return nil
	})
	revoked := t0.Add(time.Hour)
	update(t, s, func(tx telltale.Tx) error { return tx.RevokeCopy(c1.ID, revoked) })
	update(t, s, func(tx telltale.Tx) error { return tx.RevokeCopy(c1.ID, revoked.Add(time.Hour)) })
	s.View(ctx, func(tx telltale.Tx) error {
		got, _ := tx.Copy(c1.ID)
		if !got.RevokedAt.Equal(revoked) {
			t.Errorf("RevokedAt = %v, want the first revocation %v", got.RevokedAt, revoked)
		}
		if got.Active(t0) {
			t.Error("revoked copy is active")
		}
		return nil
	})
	err = s.Update(ctx, func(tx telltale.Tx) error { return tx.RevokeCopy(999, revoked) })
	wantCode(t, err, telltale.ENOTFOUND)
}

func testHoldings(t *testing.T, s telltale.Store) {
	d := seedDocument(t, s, "plan")
	v := seedVersion(t, s, d.ID, 1)
	other := seedVersion(t, s, d.ID, 2)
	empty := seedVersion(t, s, d.ID, 3)
	dana := seedRecipient(t, s, "dana@example.org")
	lee := seedRecipient(t, s, "lee@example.org")
	// Created out of number order: the list is by number.
	c2 := newCopy(v.ID, dana.ID, 2)
	c1 := newCopy(v.ID, lee.ID, 1)
	update(t, s, func(tx telltale.Tx) error {
		for _, c := range []*telltale.Copy{c2, c1, newCopy(other.ID, dana.ID, 1)} {
			if err := tx.CreateCopy(c); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx telltale.Tx) error {
		held, err := tx.Holdings(v.ID)
		if err != nil {
			return err
		}
		if len(held) != 2 {
			return fmt.Errorf("got %d holdings, want 2", len(held))
		}
		for i, want := range []struct {
			c *telltale.Copy
			r *telltale.Recipient
		}{{c1, lee}, {c2, dana}} {
			got := held[i]
			if got.CopyID != want.c.ID || got.Number != want.c.Number || !bytes.Equal(got.Nonce, want.c.Nonce) || got.Commitment != want.c.Commitment {
				return fmt.Errorf("holding %d = %+v, want copy %+v", i, got, *want.c)
			}
			if got.RecipientID != want.r.ID || got.Name != want.r.Name || got.Email != want.r.Email || got.Unit != want.r.Unit {
				return fmt.Errorf("holding %d = %+v, want recipient %+v", i, got, *want.r)
			}
		}
		// Each row has a nonce of its own.
		held[0].Nonce[0]++
		if bytes.Equal(held[0].Nonce, c1.Nonce) || !bytes.Equal(held[1].Nonce, c2.Nonce) {
			return fmt.Errorf("holdings share nonce storage")
		}
		if none, err := tx.Holdings(empty.ID); err != nil || len(none) != 0 {
			return fmt.Errorf("holdings of a version without copies = %v, %v", none, err)
		}
		return nil
	})
}

func testCopyFiles(t *testing.T, s telltale.Store) {
	d := seedDocument(t, s, "plan")
	v := seedVersion(t, s, d.ID, 1)
	r := seedRecipient(t, s, "dana@example.org")
	c := newCopy(v.ID, r.ID, 1)
	update(t, s, func(tx telltale.Tx) error { return tx.CreateCopy(c) })
	f := &telltale.CopyFile{CopyID: c.ID, Format: "md", Sealed: []byte("ciphertext"), Hash: [32]byte{1, 2, 3}}
	update(t, s, func(tx telltale.Tx) error { return tx.PutCopyFile(f) })
	err := s.Update(ctx, func(tx telltale.Tx) error { return tx.PutCopyFile(f) })
	wantCode(t, err, telltale.ECONFLICT)
	s.View(ctx, func(tx telltale.Tx) error {
		got, err := tx.CopyFile(c.ID, "md")
		if err != nil || !bytes.Equal(got.Sealed, f.Sealed) || got.Hash != f.Hash {
			t.Errorf("CopyFile = %+v, %v", got, err)
		}
		_, err = tx.CopyFile(c.ID, "html")
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
}

// testRollback: a failed Update leaves nothing behind.
func testRollback(t *testing.T, s telltale.Store) {
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx telltale.Tx) error {
		if err := tx.CreateDocument(&telltale.Document{Slug: "half", CreatedAt: t0}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the function's error", err)
	}
	s.View(ctx, func(tx telltale.Tx) error {
		_, err := tx.DocumentBySlug("half")
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
}

// testConcurrentWriters: writers in parallel all succeed, none is lost.
func testConcurrentWriters(t *testing.T, s telltale.Store) {
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Update(ctx, func(tx telltale.Tx) error {
				return tx.CreateRecipient(&telltale.Recipient{Name: "R", Email: fmt.Sprintf("r%d@example.org", i), CreatedAt: t0})
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s.View(ctx, func(tx telltale.Tx) error {
		all, err := tx.Recipients()
		if err != nil || len(all) != n {
			t.Errorf("%d recipients after %d concurrent writes (%v)", len(all), n, err)
		}
		return nil
	})
}

func seedUser(t *testing.T, s telltale.Store, email string, roles ...telltale.Role) *telltale.User {
	u := &telltale.User{Email: email, Name: "N " + email, PasswordHash: "$argon2id$x", Roles: roles, CreatedAt: t0}
	update(t, s, func(tx telltale.Tx) error { return tx.CreateUser(u) })
	return u
}

func testUsers(t *testing.T, s telltale.Store) {
	u := seedUser(t, s, "ann@example.org", telltale.RoleOwner, telltale.RoleInvestigator)
	err := s.Update(ctx, func(tx telltale.Tx) error {
		return tx.CreateUser(&telltale.User{Email: "ann@example.org", Name: "x", CreatedAt: t0})
	})
	wantCode(t, err, telltale.ECONFLICT)
	s.View(ctx, func(tx telltale.Tx) error {
		got, err := tx.UserByEmail("ann@example.org")
		if err != nil || got.ID != u.ID || !got.Has(telltale.RoleInvestigator) || got.Has(telltale.RoleAdmin) || got.PasswordHash != u.PasswordHash {
			t.Errorf("UserByEmail = %+v, %v", got, err)
		}
		_, err = tx.User(999)
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
	u.Roles = []telltale.Role{telltale.RoleAdmin}
	u.Disabled, u.FailedLogins, u.LockedUntil = true, 3, t0.Add(time.Hour)
	update(t, s, func(tx telltale.Tx) error { return tx.UpdateUser(u) })
	s.View(ctx, func(tx telltale.Tx) error {
		got, _ := tx.User(u.ID)
		if !got.Has(telltale.RoleAdmin) || got.Has(telltale.RoleOwner) || !got.Disabled || got.FailedLogins != 3 || !got.LockedUntil.Equal(u.LockedUntil) {
			t.Errorf("after UpdateUser: %+v", got)
		}
		all, _ := tx.Users()
		if len(all) != 1 {
			t.Errorf("Users = %d", len(all))
		}
		return nil
	})
}

func testSessions(t *testing.T, s telltale.Store) {
	u := seedUser(t, s, "ann@example.org", telltale.RoleOwner)
	other := seedUser(t, s, "bob@example.org", telltale.RoleOwner)
	mk := func(uid int64, b byte, exp time.Time) *telltale.Session {
		ss := &telltale.Session{TokenHash: [32]byte{b}, UserID: uid, CreatedAt: t0, ExpiresAt: exp, Client: "127.0.0.1"}
		update(t, s, func(tx telltale.Tx) error { return tx.CreateSession(ss) })
		return ss
	}
	a := mk(u.ID, 1, t0.Add(time.Hour))
	mk(u.ID, 2, t0.Add(time.Hour))
	mk(other.ID, 3, t0.Add(time.Hour))
	s.View(ctx, func(tx telltale.Tx) error {
		got, err := tx.SessionByToken([32]byte{1}, t0)
		if err != nil || got.ID != a.ID || got.UserID != u.ID {
			t.Errorf("SessionByToken = %+v, %v", got, err)
		}
		_, err = tx.SessionByToken([32]byte{1}, t0.Add(2*time.Hour))
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
	update(t, s, func(tx telltale.Tx) error { return tx.DeleteSessions(u.ID) })
	s.View(ctx, func(tx telltale.Tx) error {
		for _, b := range []byte{1, 2} {
			_, err := tx.SessionByToken([32]byte{b}, t0)
			wantCode(t, err, telltale.ENOTFOUND)
		}
		if _, err := tx.SessionByToken([32]byte{3}, t0); err != nil {
			t.Errorf("another user's session was deleted: %v", err)
		}
		return nil
	})
}

func testAPITokens(t *testing.T, s telltale.Store) {
	u := seedUser(t, s, "ann@example.org", telltale.RoleOwner)
	tok := &telltale.APIToken{UserID: u.ID, Name: "ci", TokenHash: [32]byte{7}, CreatedAt: t0}
	update(t, s, func(tx telltale.Tx) error { return tx.CreateAPIToken(tok) })
	update(t, s, func(tx telltale.Tx) error { return tx.TouchAPIToken(tok.ID, t0.Add(time.Minute)) })
	s.View(ctx, func(tx telltale.Tx) error {
		got, err := tx.APITokenByHash([32]byte{7})
		if err != nil || got.ID != tok.ID || !got.LastUsed.Equal(t0.Add(time.Minute)) {
			t.Errorf("APITokenByHash = %+v, %v", got, err)
		}
		list, _ := tx.APITokens(u.ID)
		if len(list) != 1 {
			t.Errorf("APITokens = %d", len(list))
		}
		return nil
	})
	update(t, s, func(tx telltale.Tx) error { return tx.RevokeAPIToken(tok.ID, t0) })
	s.View(ctx, func(tx telltale.Tx) error {
		_, err := tx.APITokenByHash([32]byte{7})
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
}

func testLedgerStorage(t *testing.T, s telltale.Store) {
	e := &telltale.LedgerEntry{Index: 0, Body: []byte("body"), Time: t0, Actor: "a", Action: "x.y", Subject: "s/1"}
	h1 := &telltale.LedgerHead{Size: 1, Hash: [32]byte{1}, Note: []byte("n1")}
	update(t, s, func(tx telltale.Tx) error {
		if err := tx.LedgerAppend(e, []telltale.LedgerHash{{Index: 0, Hash: [32]byte{9}}}); err != nil {
			return err
		}
		return tx.LedgerAdvance(nil, h1)
	})
	// A stale head cannot advance: compare-and-swap.
	err := s.Update(ctx, func(tx telltale.Tx) error {
		return tx.LedgerAdvance(nil, &telltale.LedgerHead{Size: 1, Hash: [32]byte{2}, Note: []byte("n")})
	})
	wantCode(t, err, telltale.ECONFLICT)
	err = s.Update(ctx, func(tx telltale.Tx) error {
		return tx.LedgerAdvance(&telltale.LedgerHead{Size: 0}, &telltale.LedgerHead{Size: 1, Hash: [32]byte{2}, Note: []byte("n")})
	})
	wantCode(t, err, telltale.ECONFLICT)
	err = s.Update(ctx, func(tx telltale.Tx) error {
		return tx.LedgerAppend(&telltale.LedgerEntry{Index: 0, Body: []byte("again"), Time: t0, Actor: "a", Action: "x", Subject: "s"}, nil)
	})
	wantCode(t, err, telltale.ECONFLICT)
	s.View(ctx, func(tx telltale.Tx) error {
		if n, _ := tx.LedgerSize(); n != 1 {
			t.Errorf("LedgerSize = %d", n)
		}
		hs, err := tx.LedgerReadHashes([]int64{0, 0})
		if err != nil || hs[0] != [32]byte{9} || hs[1] != [32]byte{9} {
			t.Errorf("LedgerReadHashes = %v, %v", hs, err)
		}
		if _, err := tx.LedgerReadHashes([]int64{5}); err == nil {
			t.Error("reading a missing hash succeeded")
		}
		head, _ := tx.LedgerHead()
		if head.Size != 1 || head.Hash != h1.Hash || string(head.Note) != "n1" {
			t.Errorf("LedgerHead = %+v", head)
		}
		rows, _ := tx.LedgerFind(telltale.LedgerFilter{Subject: "s/1"})
		if len(rows) != 1 || string(rows[0].Body) != "body" || !rows[0].Time.Equal(t0) {
			t.Errorf("LedgerFind = %+v", rows)
		}
		return nil
	})
	// Runs of hashes, as verification reads them.
	update(t, s, func(tx telltale.Tx) error {
		e := &telltale.LedgerEntry{Index: 1, Body: []byte("body 1"), Time: t0, Actor: "a", Action: "x.y", Subject: "s/1"}
		return tx.LedgerAppend(e, []telltale.LedgerHash{{Index: 1, Hash: [32]byte{10}}, {Index: 2, Hash: [32]byte{11}}})
	})
	view(t, s, func(tx telltale.Tx) error {
		hs, err := tx.LedgerReadHashes([]int64{0, 1, 2})
		if err != nil || hs[0] != [32]byte{9} || hs[1] != [32]byte{10} || hs[2] != [32]byte{11} {
			t.Errorf("LedgerReadHashes(0, 1, 2) = %v, %v", hs, err)
		}
		if _, err := tx.LedgerReadHashes([]int64{1, 2, 3}); err == nil {
			t.Error("reading a run past the last hash succeeded")
		}
		return nil
	})
	testLedgerVerified(t, s)
}

// testLedgerVerified: the record of the last verification is absent at
// first, then each record replaces the one before.
func testLedgerVerified(t *testing.T, s telltale.Store) {
	view(t, s, func(tx telltale.Tx) error {
		if v, err := tx.LedgerVerified(); v != nil || err != nil {
			t.Errorf("LedgerVerified of a new store = %+v, %v; want none", v, err)
		}
		return nil
	})
	for _, v := range []*telltale.LedgerHead{{Size: 1, Hash: [32]byte{1}, Note: []byte("v1")}, {Size: 7, Hash: [32]byte{7}, Note: []byte("v7")}} {
		update(t, s, func(tx telltale.Tx) error { return tx.LedgerSetVerified(v, t0) })
		view(t, s, func(tx telltale.Tx) error {
			got, err := tx.LedgerVerified()
			if err != nil || got == nil || got.Size != v.Size || got.Hash != v.Hash || string(got.Note) != string(v.Note) {
				t.Errorf("LedgerVerified = %+v, %v; want %+v", got, err, v)
			}
			return nil
		})
	}
}

func view(t *testing.T, s telltale.Store, fn func(tx telltale.Tx) error) {
	t.Helper()
	if err := s.View(ctx, fn); err != nil {
		t.Fatal(err)
	}
}
