package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
)

// Request size limits.
const (
	maxForm   = 1 << 20  // ordinary forms
	maxUpload = 24 << 20 // documents (4 MB) and leaks (16 MB; 22 MB as base64 in JSON), with overhead
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Health and metrics: no session needed.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metricsGate(s.metrics.handler()))
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(staticFiles())))

	// Pages.
	page := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, limitBody(maxForm, h)) }
	page("GET /{$}", s.home)
	page("GET /login", s.loginPage)
	page("POST /login", s.login)
	page("POST /logout", s.signedIn(s.logout))
	page("POST /logout/all", s.signedIn(s.logoutAll))
	page("GET /setup", s.setupPage)
	page("POST /setup", s.setup)
	page("GET /account", s.signedIn(s.account))
	page("POST /account/password", s.signedIn(s.changePassword))

	page("GET /documents", s.signedIn(s.documents))
	page("GET /documents/new", s.signedIn(s.newDocument))
	mux.Handle("POST /documents", limitBody(maxUpload, s.signedIn(s.addDocument)))
	page("GET /documents/{slug}", s.signedIn(s.document))
	page("GET /documents/{slug}/preview", s.signedIn(s.preview))
	page("GET /documents/{slug}/suggestions", s.signedIn(s.suggestions))
	page("POST /documents/{slug}/suggestions", s.signedIn(s.acceptSuggestions))
	page("GET /documents/{slug}/versions/{n}/preview", s.signedIn(s.preview))
	page("POST /documents/{slug}/issue", s.signedIn(s.issue))
	page("POST /documents/{slug}/revoke-all", s.signedIn(s.revokeAll))
	page("POST /copies/{id}/revoke", s.signedIn(s.revoke))
	page("GET /recipients", s.signedIn(s.recipients))
	page("POST /recipients", s.signedIn(s.addRecipient))
	page("POST /recipients/link", s.signedIn(s.linkRecipient))
	mux.Handle("POST /recipients/import", limitBody(maxUpload, s.signedIn(s.importRecipients)))

	page("GET /inbox", s.signedIn(s.inbox))
	page("GET /copies/{id}/read", s.signedIn(s.readCopy))
	page("GET /copies/{id}/download/{format}", s.signedIn(s.downloadCopy))

	page("GET /trace", s.signedIn(s.tracePage))
	mux.Handle("POST /trace", limitBody(maxUpload, s.signedIn(s.trace)))

	page("GET /cases", s.signedIn(s.cases))
	mux.Handle("POST /cases", limitBody(maxUpload, s.signedIn(s.openCase)))
	page("GET /cases/{id}", s.signedIn(s.casePage))
	page("GET /cases/{id}/evidence/{eid}", s.signedIn(s.caseVerdict))
	page("GET /cases/{id}/report", s.signedIn(s.caseReport))
	mux.Handle("POST /cases/{id}/evidence", limitBody(maxUpload, s.signedIn(s.caseEvidence)))
	page("POST /cases/{id}/notes", s.signedIn(s.caseNote))
	page("POST /cases/{id}/move", s.signedIn(s.caseMove))
	page("POST /cases/{id}/assign", s.signedIn(s.caseAssign))
	page("POST /cases/{id}/export", s.signedIn(s.caseExport))

	page("GET /monitor", s.signedIn(s.monitorPage))
	page("POST /monitor/sources", s.signedIn(s.addSource))
	page("POST /monitor/run", s.signedIn(s.pollNow))
	page("POST /monitor/sources/{id}/remove", s.signedIn(s.removeSource))
	page("GET /check", s.signedIn(s.checkPage))
	mux.Handle("POST /check", limitBody(maxUpload, s.signedIn(s.checkArticle)))
	page("GET /monitor/flags/{id}", s.signedIn(s.flagPage))
	page("POST /monitor/flags/{id}/case", s.signedIn(s.flagCase))

	page("GET /admin/users", s.signedIn(s.users))
	page("POST /admin/users", s.signedIn(s.addUser))
	page("POST /admin/users/{id}", s.signedIn(s.updateUser))
	page("GET /tokens", s.signedIn(s.tokens))
	page("POST /tokens", s.signedIn(s.createToken))
	page("POST /tokens/{id}/revoke", s.signedIn(s.revokeToken))
	page("GET /admin/ledger", s.signedIn(s.ledger))
	page("POST /admin/ledger/verify", s.signedIn(s.verifyLedger))

	// The JSON API, with bearer tokens.
	api := http.NewServeMux()
	s.apiRoutes(api)
	mux.Handle("/api/", limitBody(maxUpload, s.withToken(api)))

	s.mux, s.api = mux, api
	var h http.Handler = mux
	h = s.withSession(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = securityHeaders(h)
	h = s.observe(h)
	return h
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ready(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		http.Error(w, "not ready: the database does not answer\n", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// signedIn sends anonymous visitors to the sign-in page.
func (s *Server) signedIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := actorFrom(r); !ok {
			if r.Method != http.MethodGet {
				s.pageError(w, r, telltale.Errorf(telltale.EUNAUTHORIZED, "sign in first"))
				return
			}
			target := r.URL.Path
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(target), http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

// safeNext keeps post-sign-in redirects on this site.
func safeNext(next string) string {
	// Browsers drop tabs and line breaks from URLs and read a backslash
	// as a slash, so "/\t/evil.example" would leave the site: any of them,
	// or any other control character, and the path is refused.
	if !strings.HasPrefix(next, "/") || strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(next, "//") {
		return "/"
	}
	return next
}

func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
