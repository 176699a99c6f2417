package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"testing"
)

// TestClientIP: X-Forwarded-For is believed only from trusted proxies, and
// then only its right-most untrusted address: what a client writes there
// itself is ignored.
func TestClientIP(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}
	for _, tt := range []struct {
		name    string
		cfg     Config
		remote  string
		forward []string
		want    string
	}{
		{"no proxy configured", Config{}, "203.0.113.9:4000", []string{"1.2.3.4"}, "203.0.113.9"},
		{"untrusted peer", Config{TrustedProxies: proxies}, "203.0.113.9:4000", []string{"1.2.3.4"}, "203.0.113.9"},
		{"behind a proxy", Config{TrustedProxies: proxies}, "10.0.0.5:4000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"client spoofs the header", Config{TrustedProxies: proxies}, "10.0.0.5:4000", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"two proxies", Config{TrustedProxies: proxies}, "10.0.0.5:4000", []string{"6.6.6.6, 198.51.100.7, 10.0.0.9"}, "198.51.100.7"},
		{"several headers", Config{TrustedProxies: proxies}, "10.0.0.5:4000", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"loopback proxy", Config{TrustProxy: true}, "127.0.0.1:4000", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"loopback only", Config{TrustProxy: true}, "192.0.2.1:4000", []string{"198.51.100.7"}, "192.0.2.1"},
		{"no header", Config{TrustProxy: true}, "127.0.0.1:4000", nil, "127.0.0.1"},
		{"garbage in the header", Config{TrustedProxies: proxies}, "10.0.0.5:4000", []string{"not-an-ip"}, "10.0.0.5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{cfg: tt.cfg}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, f := range tt.forward {
				r.Header.Add("X-Forwarded-For", f)
			}
			if got := s.clientIP(r); got != tt.want {
				t.Errorf("clientIP = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSafeNext: the page to return to after sign-in stays on this site.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/documents/plan":        "/documents/plan",
		"/cases?state=open":      "/cases?state=open",
		"":                       "/",
		"https://evil.example/x": "/",
		"//evil.example/x":       "/",
		"/\\evil.example/x":      "/",
		"/\t/evil.example/x":     "/",
		"/\n/evil.example/x":     "/",
		"/\r//evil.example":      "/",
		"evil.example":           "/",
		"/%09/evil.example/x":    "/%09/evil.example/x", // still encoded: a path on this site
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAPIErrorSlowBody: a body that times out or is cut off is the
// client's fault (408), not an internal error.
func TestAPIErrorSlowBody(t *testing.T) {
	t.Parallel()
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, err := range []error{io.ErrUnexpectedEOF, context.DeadlineExceeded, &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}} {
		w := httptest.NewRecorder()
		s.apiError(w, httptest.NewRequest("POST", "/api/v1/trace", nil), err)
		if w.Code != http.StatusRequestTimeout {
			t.Errorf("%v: status %d, want 408", err, w.Code)
		}
	}
}
