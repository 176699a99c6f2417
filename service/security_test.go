package service

import (
	"testing"

	"github.com/telltale-dev/telltale"
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
