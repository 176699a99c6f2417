package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/service"
)

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	a, _ := actorFrom(r)
	users, err := s.svc.Users(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, status, "admin_users", "admin", map[string]any{"Users": users, "Roles": telltale.Roles, "Error": errMsg})
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) { s.usersPage(w, r, http.StatusOK, "") }

func parseRoles(vals []string) ([]telltale.Role, error) {
	var out []telltale.Role
	for _, v := range vals {
		role, err := telltale.ParseRole(v)
		if err != nil {
			return nil, err
		}
		out = append(out, role)
	}
	return out, nil
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, err)
		return
	}
	roles, err := parseRoles(r.PostForm["role"])
	if err != nil {
		s.usersPage(w, r, http.StatusBadRequest, userMessage(err))
		return
	}
	u := &telltale.User{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Roles: roles}
	if err := s.svc.CreateUser(r.Context(), a, u, r.PostFormValue("password")); err != nil {
		if c := statusOf(err); c == http.StatusBadRequest || c == http.StatusConflict {
			s.usersPage(w, r, c, userMessage(err))
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/users", fmt.Sprintf("Added %s.", u.Email))
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no such user"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, err)
		return
	}
	roles, err := parseRoles(r.PostForm["role"])
	if err != nil {
		s.usersPage(w, r, http.StatusBadRequest, userMessage(err))
		return
	}
	if err := s.svc.UpdateUser(r.Context(), a, id, roles, r.PostFormValue("disabled") != ""); err != nil {
		if c := statusOf(err); c == http.StatusBadRequest {
			s.usersPage(w, r, c, userMessage(err))
			return
		}
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/users", "Saved.")
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, status int, newToken, errMsg string) {
	a, _ := actorFrom(r)
	toks, err := s.svc.APITokens(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	section := ""
	if a.Has(telltale.RoleAdmin) {
		section = "admin"
	}
	s.render(w, r, status, "tokens", section, map[string]any{"Tokens": toks, "NewToken": newToken, "Error": errMsg})
}

func (s *Server) tokens(w http.ResponseWriter, r *http.Request) {
	s.tokensPage(w, r, http.StatusOK, "", "")
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	secret, _, err := s.svc.CreateAPIToken(r.Context(), a, a.UserID, r.PostFormValue("name"))
	if err != nil {
		if statusOf(err) == http.StatusBadRequest {
			s.tokensPage(w, r, http.StatusBadRequest, "", userMessage(err))
			return
		}
		s.pageError(w, r, err)
		return
	}
	// Shown once, in this response only (not through a redirect).
	s.tokensPage(w, r, http.StatusCreated, secret, "")
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "no such token"))
		return
	}
	if err := s.svc.RevokeAPIToken(r.Context(), a, id); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.redirect(w, r, "/tokens", "Token revoked.")
}

func (s *Server) ledgerPage(w http.ResponseWriter, r *http.Request, report *ledger.Verification) {
	a, _ := actorFrom(r)
	cp, err := s.svc.LedgerStatus(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	entries, err := s.svc.RecentLedger(r.Context(), a, 50)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "ledger", "admin", map[string]any{"Checkpoint": cp, "Entries": entries, "Report": report})
}

func (s *Server) ledger(w http.ResponseWriter, r *http.Request) { s.ledgerPage(w, r, nil) }

func (s *Server) verifyLedger(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	rep, err := s.svc.VerifyLedger(r.Context(), a, service.VerifyLedgerRequest{Full: r.FormValue("full") != ""})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.ledgerPage(w, r, rep)
}
