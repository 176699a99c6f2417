package server

import (
	"net/http"

	"github.com/telltale-dev/telltale"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	a, ok := actorFrom(r)
	if !ok {
		if has, err := s.svc.HasAdmin(r.Context()); err == nil && !has && s.cfg.SetupToken != "" {
			s.render(w, r, http.StatusOK, "error", "", errorPage{Title: "telltale is not set up yet",
				Message: "No administrator exists. Open the setup address printed in the server's log to create one.",
				Hint:    "Or run: telltale user add --admin NAME --email EMAIL on the server."})
			return
		}
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	// A recipient who is nothing else goes straight to their copies.
	if a.Has(telltale.RoleRecipient) && !a.Any(telltale.RoleOwner, telltale.RoleAdmin, telltale.RoleInvestigator) {
		http.Redirect(w, r, "/inbox", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "home", "", nil)
}

type loginData struct {
	Error, Email, Next string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := actorFrom(r); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", "", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ip := s.clientIP(r)
	data := loginData{Email: r.PostFormValue("email"), Next: safeNext(r.PostFormValue("next"))}
	if !s.limiter.allow(ip) {
		s.metrics.logins.WithLabelValues("rate_limited").Inc()
		data.Error = "Too many sign-in attempts from your address. Wait a minute and try again."
		s.render(w, r, http.StatusTooManyRequests, "login", "", data)
		return
	}
	token, _, err := s.svc.Login(r.Context(), data.Email, r.PostFormValue("password"), ip)
	if err != nil {
		s.metrics.logins.WithLabelValues("failed").Inc()
		if telltale.ErrorCode(err) != telltale.EUNAUTHORIZED {
			s.pageError(w, r, err)
			return
		}
		data.Error = userMessage(err)
		s.render(w, r, http.StatusUnauthorized, "login", "", data)
		return
	}
	s.metrics.logins.WithLabelValues("ok").Inc()
	http.SetCookie(w, s.sessionCookie(token))
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

func (s *Server) sessionCookie(token string) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(12 * 3600)}
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Logout(r.Context(), sessionFrom(r)); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.clearSession(w)
	s.redirect(w, r, "/login", "You are signed out.")
}

func (s *Server) logoutAll(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if err := s.svc.LogoutEverywhere(r.Context(), a); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.clearSession(w)
	s.redirect(w, r, "/login", "You are signed out everywhere.")
}

type setupData struct {
	Token, Name, Email, Error string
}

// setupAllowed checks the one-time setup token.
func (s *Server) setupAllowed(r *http.Request, token string) (bool, error) {
	if s.cfg.SetupToken == "" || !constantTimeEqual(token, s.cfg.SetupToken) {
		return false, nil
	}
	has, err := s.svc.HasAdmin(r.Context())
	return !has, err
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	ok, err := s.setupAllowed(r, tok)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !ok {
		s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "this setup link is not valid, or setup is done already"))
		return
	}
	s.render(w, r, http.StatusOK, "setup", "", setupData{Token: tok})
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	s.setupMu.Lock()
	defer s.setupMu.Unlock()
	d := setupData{Token: r.PostFormValue("token"), Name: r.PostFormValue("name"), Email: r.PostFormValue("email")}
	ok, err := s.setupAllowed(r, d.Token)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !ok {
		s.pageError(w, r, telltale.Errorf(telltale.ENOTFOUND, "this setup link is not valid, or setup is done already"))
		return
	}
	u := &telltale.User{Name: d.Name, Email: d.Email}
	pw := r.PostFormValue("password")
	if err := s.svc.CreateFirstAdmin(r.Context(), u, pw); err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.pageError(w, r, err)
			return
		}
		d.Error = userMessage(err)
		s.render(w, r, http.StatusBadRequest, "setup", "", d)
		return
	}
	token, _, err := s.svc.Login(r.Context(), u.Email, pw, s.clientIP(r))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.log.Info("first administrator created", "user", u.ID)
	http.SetCookie(w, s.sessionCookie(token))
	s.redirect(w, r, "/admin/users", "Welcome. Add the owners, investigators and recipients who will use telltale.")
}

type accountData struct{ Error string }

func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account", "", accountData{})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r)
	if err := s.svc.SetPassword(r.Context(), a, a.UserID, r.PostFormValue("password")); err != nil {
		if statusOf(err) == http.StatusBadRequest {
			s.render(w, r, http.StatusBadRequest, "account", "", accountData{Error: userMessage(err)})
			return
		}
		s.pageError(w, r, err)
		return
	}
	// Changing the password ended every session, this one included.
	s.clearSession(w)
	s.redirect(w, r, "/login", "Your password is changed. Sign in with the new one.")
}
