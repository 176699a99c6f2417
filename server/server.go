// Package server is telltale's HTTP server: the web UI for owners,
// recipients, investigators and admins, and the JSON API under /api/v1/.
//
// Handlers parse requests and render responses; every decision about who
// may do what is made by package service, one check per call. Pages are
// html/template with htmx (vendored) for small enhancements and work
// without JavaScript. Security: Argon2id passwords, server-side sessions
// in the store, HttpOnly SameSite cookies (Secure behind TLS),
// http.CrossOriginProtection on every unsafe method, a strict Content
// Security Policy without inline script, frame-ancestors 'none', no-store
// on copies, request size limits, per-client sign-in rate limiting on top
// of per-account lockout, and logs that never contain document text,
// passwords or keys.
package server

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/telltale-dev/telltale/service"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config configures a server.
type Config struct {
	// Addr to listen on, e.g. "127.0.0.1:8080" or ":0".
	Addr string
	// CertFile and KeyFile enable TLS.
	CertFile, KeyFile string
	// SecureCookies marks cookies Secure even without TLS here (behind a
	// TLS-terminating proxy). TLS implies it.
	SecureCookies bool
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For is believed: the client is the right-most address
	// in it that is not a trusted proxy. TrustProxy trusts a proxy on the
	// same host (loopback). A request from anywhere else keeps its own
	// address, whatever it claims.
	TrustedProxies []netip.Prefix
	TrustProxy     bool
	// MetricsToken, if set, is the bearer token /metrics asks for;
	// without it /metrics answers only its own host (loopback), not
	// through a proxy.
	MetricsToken string
	// SetupToken, if set, lets whoever presents it create the first
	// admin at /setup while no admin exists.
	SetupToken string
	// LoginRate limits sign-in attempts per client address per minute;
	// 0 means 10.
	LoginRate int
	Logger    *slog.Logger
	// Monitor is the leak monitor's poll configuration for "Poll now"
	// (Owner, Fetcher, Webhook); zero values work.
	Monitor service.MonitorRun
}

// Server serves telltale over HTTP.
type Server struct {
	svc     *service.Service
	cfg     Config
	log     *slog.Logger
	pages   *pages
	metrics *metrics
	limiter *clientLimiter
	handler http.Handler
	mux     *http.ServeMux // for naming routes in logs and metrics
	api     *http.ServeMux

	mu       sync.Mutex
	listener net.Listener
	srv      *http.Server
	setupMu  sync.Mutex
}

// New builds a server over a service.
func New(svc *service.Service, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.LoginRate == 0 {
		cfg.LoginRate = 10
	}
	if cfg.CertFile != "" {
		cfg.SecureCookies = true
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{svc: svc, cfg: cfg, log: cfg.Logger, pages: p, metrics: newMetrics(prometheus.NewRegistry()), limiter: newClientLimiter(cfg.LoginRate)}
	s.handler = s.routes()
	return s, nil
}

// NewSetupToken returns a random one-time setup token.
func NewSetupToken() string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Listen opens the listening socket and returns its address (useful with
// port 0).
func (s *Server) Listen() (net.Addr, error) {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("failed to listen on %s: %w", s.cfg.Addr, err)
	}
	if s.cfg.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(s.cfg.CertFile, s.cfg.KeyFile)
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("failed to load the TLS certificate and key: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	}
	s.mu.Lock()
	s.listener = ln
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.mu.Unlock()
	return ln.Addr(), nil
}

// Serve serves until ctx is done, then shuts down gracefully: in-flight
// requests get up to 15 seconds to finish.
func (s *Server) Serve(ctx context.Context) error {
	s.mu.Lock()
	srv, ln := s.srv, s.listener
	s.mu.Unlock()
	if srv == nil {
		return errors.New("server: Listen first")
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	return nil
}

func staticFiles() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	return http.FileServer(http.FS(sub))
}
