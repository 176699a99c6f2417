package server

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/trace"
)

// pages holds one template set per page, each with the layout.
type pages struct {
	t map[string]*template.Template
}

var funcs = template.FuncMap{
	"date":     func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
	"datetime": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
	"join":     func(s []string) string { return strings.Join(s, ", ") },
	"add":      func(a, b int) int { return a + b },
	"percent":  func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"bound":    trace.FormatBound,
	"epsilon":  trace.FormatEpsilon,
	"active":   func(c *telltale.Copy) bool { return c.Active(time.Now()) },
	"status": func(c *telltale.Copy) string {
		switch now := time.Now(); {
		case !c.RevokedAt.IsZero():
			return "revoked " + c.RevokedAt.UTC().Format("2 Jan 2006")
		case !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt):
			return "expired " + c.ExpiresAt.UTC().Format("2 Jan 2006")
		case !c.ExpiresAt.IsZero():
			return "open until " + c.ExpiresAt.UTC().Format("2 Jan 2006")
		}
		return "open"
	},
	"formatName": func(f string) string {
		switch f {
		case "md":
			return "Markdown"
		case "html":
			return "HTML"
		case "txt":
			return "plain text"
		case "pdf":
			return "PDF"
		}
		return f
	},
	"action": ledger.ActionName,
	// robust says in words which leaks a kind of slot survives.
	"robust": func(k mark.Kind) string {
		switch k.Robustness() {
		case mark.Paraphrase:
			return "paraphrase, retyping, copying"
		case mark.Retyping:
			return "retyping, copying"
		}
		return "exact copies only"
	},
}

func loadPages() (*pages, error) {
	// The layout, with the partials (files named _*.html) every page may
	// use.
	layout, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("failed to parse layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{t: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("failed to parse %s: %w", n, err)
		}
		p.t[name] = t
	}
	return p, nil
}

// view is what every page template gets.
type view struct {
	Actor   *telltale.Actor
	Section string
	Flash   string
	Data    any
}

const flashCookie = "telltale_flash"

// render writes a page. Templates execute into a buffer first, so a
// template error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, section string, data any) {
	v := view{Section: section, Data: data}
	if a, ok := actorFrom(r); ok {
		v.Actor = &a
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		if msg, err := url.QueryUnescape(c.Value); err == nil {
			v.Flash = msg
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	}
	t, ok := s.pages.t[name]
	if !ok {
		s.log.Error("no template", "name", name)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("template failed", "name", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// redirect sends the browser elsewhere after a POST, with a one-time
// message to show there.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flash), Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// statusOf maps an error code to an HTTP status.
func statusOf(err error) int {
	switch telltale.ErrorCode(err) {
	case telltale.EINVALID:
		return http.StatusBadRequest
	case telltale.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case telltale.EFORBIDDEN:
		return http.StatusForbidden
	case telltale.ENOTFOUND:
		return http.StatusNotFound
	case telltale.ECONFLICT:
		return http.StatusConflict
	case telltale.EGONE:
		return http.StatusGone
	case telltale.ESTORAGE:
		return http.StatusServiceUnavailable
	case telltale.ENOTIMPL:
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}

type errorPage struct {
	Title, Message, Hint string
}

// pageError renders an error page. Internal errors are logged, and the
// user sees only "Internal error.".
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "route", r.Pattern, "err", err)
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		status = http.StatusRequestEntityTooLarge
		err = telltale.Errorf(telltale.EINVALID, "the upload is larger than %d MB", mbe.Limit>>20)
	}
	p := errorPage{Title: http.StatusText(status), Message: sentence(telltale.ErrorMessage(err))}
	switch status {
	case http.StatusGone:
		p.Title, p.Hint = "This copy can no longer be opened", "Ask the document's owner if you still need it."
	case http.StatusNotFound:
		p.Title = "Not found"
	case http.StatusForbidden:
		p.Title = "Not allowed"
	case http.StatusRequestEntityTooLarge:
		p.Title = "Too large"
	}
	if _, ok := actorFrom(r); !ok && status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
		return
	}
	s.render(w, r, status, "error", "", p)
}

// sentence capitalizes an error message for a page: errors are written in
// lower case, as Go errors are, and shown as sentences.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// userMessage is an error as a page shows it: its message, as a sentence.
func userMessage(err error) string { return sentence(telltale.ErrorMessage(err)) }

// plural writes a count with a noun: "1 source", "3 sources".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
