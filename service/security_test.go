package service

import (
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/render"
)

// TestTokensOnlyForOneself: an admin cannot mint a token that acts as
// another user (and so read what that user may read); users mint their
// own; the operator at the command line may.
func TestTokensOnlyForOneself(t *testing.T) {
	s, _ := newService(t)
	var admin, owner telltale.User
	admin = telltale.User{Name: "Ada", Email: "ada@example.org", Roles: []telltale.Role{telltale.RoleAdmin}}
	owner = telltale.User{Name: "Olga", Email: "olga@example.org", Roles: []telltale.Role{telltale.RoleOwner}}
	for _, u := range []*telltale.User{&admin, &owner} {
		if err := s.CreateUser(ctx, op, u, "a long password here"); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.CreateAPIToken(ctx, telltale.UserActor(&admin), owner.ID, "as olga"); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("admin mints a token for the owner: %v", err)
	}
	if _, _, err := s.CreateAPIToken(ctx, telltale.UserActor(&owner), owner.ID, "mine"); err != nil {
		t.Errorf("owner mints her own token: %v", err)
	}
	if _, _, err := s.CreateAPIToken(ctx, op, owner.ID, "operator"); err != nil {
		t.Errorf("the operator mints a token: %v", err)
	}
}

// TestCheckArticleOwnersOnly: checking an article is for owners, against
// their own documents only: nobody else may use it as an oracle on secret
// facts.
func TestCheckArticleOwnersOnly(t *testing.T) {
	w := newCaseWorld(t) // operations-plan, added by the operator
	article := w.danaText
	for name, a := range map[string]telltale.Actor{"investigator": w.ivan, "admin": {UserID: 50, Roles: []telltale.Role{telltale.RoleAdmin}}} {
		if _, _, err := w.s.CheckArticle(ctx, a, []byte(article), "text/plain", ""); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
			t.Errorf("%s checks an article: %v", name, err)
		}
	}
	// Another owner learns nothing about a document that is not hers.
	_, reports, err := w.s.CheckArticle(ctx, w.owner, []byte(article), "text/plain", "")
	if err != nil || len(reports) != 0 {
		t.Errorf("an owner checks someone else's document: %d reports, %v", len(reports), err)
	}
	// The operator, who manages every document, sees the disclosure.
	if _, reports, err := w.s.CheckArticle(ctx, op, []byte(article), "text/plain", ""); err != nil || len(reports) == 0 {
		t.Errorf("the operator: %d reports, %v", len(reports), err)
	}
}

// TestAccountsReadCopiesOnlyWhenLinked: an account created with a
// recipient's address (by an admin, say) reads nothing until an owner
// links it; the link is in the ledger.
func TestAccountsReadCopiesOnlyWhenLinked(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "board-memo")
	addRecipients(t, s, "dana@example.org")
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "board-memo", Emails: []string{"dana@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	impostor := telltale.User{Name: "Dana?", Email: "dana@example.org", Roles: []telltale.Role{telltale.RoleRecipient}}
	if err := s.CreateUser(ctx, op, &impostor, "a long password here"); err != nil {
		t.Fatal(err)
	}
	a := telltale.UserActor(&impostor)
	if _, _, err := s.OpenCopy(ctx, a, issued[0].Copy.ID, render.HTML, "view", ""); telltale.ErrorCode(err) != telltale.ENOTFOUND {
		t.Errorf("an unlinked account with the holder's address opens her copy: %v", err)
	}
	if inbox, err := s.Inbox(ctx, a); err != nil || len(inbox) != 0 {
		t.Errorf("an unlinked account's inbox: %d copies, %v", len(inbox), err)
	}
	if _, err := s.LinkRecipient(ctx, telltale.Actor{UserID: 99, Roles: []telltale.Role{telltale.RoleAdmin}}, "dana@example.org"); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("an admin links an account: %v", err)
	}
	if _, err := s.LinkRecipient(ctx, op, "dana@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.OpenCopy(ctx, a, issued[0].Copy.ID, render.HTML, "view", ""); err != nil {
		t.Errorf("the linked account: %v", err)
	}
	if inbox, err := s.Inbox(ctx, a); err != nil || len(inbox) != 1 {
		t.Errorf("the linked account's inbox: %d copies, %v", len(inbox), err)
	}
}
