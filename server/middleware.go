package server

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/telltale-dev/telltale"
)

type ctxKey int

const (
	actorKey ctxKey = iota
	sessionKey
)

// actorFrom returns the request's actor; ok is false for anonymous
// requests.
func actorFrom(r *http.Request) (telltale.Actor, bool) {
	a, ok := r.Context().Value(actorKey).(telltale.Actor)
	return a, ok
}

func sessionFrom(r *http.Request) int64 {
	id, _ := r.Context().Value(sessionKey).(int64)
	return id
}

const sessionCookie = "telltale_session"

// contentSecurityPolicy allows scripts and styles from this origin only:
// no inline script, no framing, forms only to this origin.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs every request (method, route pattern, status, duration, who)
// and counts it. Paths with identifiers are logged by their pattern; query
// strings, bodies and cookies never.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic serving request", "pattern", r.Pattern, "panic", v)
				if sw.status == 0 {
					http.Error(sw, "Internal error.", http.StatusInternalServerError)
				}
			}
			route := s.routeOf(r)
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(route, http.StatusText(sw.status)).Inc()
			s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
			attrs := []any{"method", r.Method, "route", route, "status", sw.status, "ms", float64(d.Microseconds()) / 1000}
			if a, ok := actorFrom(r); ok {
				attrs = append(attrs, "actor", a.Ref())
			}
			s.log.Info("request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// clientIP returns the client's address: the peer's, or behind trusted
// proxies the right-most address of X-Forwarded-For that is not one of
// them (every proxy appends the address it saw; what a client writes
// there itself comes first and is never believed).
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if _, err := netip.ParseAddr(hop); err != nil {
			return host // not an address: the last proxy's is all we know
		}
		if !s.trusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

// trusted reports whether an address is a trusted proxy's.
func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	if s.cfg.TrustProxy && ip.IsLoopback() {
		return true
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// clientLimiter rate-limits sign-in attempts per client address.
type clientLimiter struct {
	mu    sync.Mutex
	perIP map[string]*rate.Limiter
	rate  rate.Limit
	burst int
}

func newClientLimiter(perMinute int) *clientLimiter {
	return &clientLimiter{perIP: map[string]*rate.Limiter{}, rate: rate.Limit(float64(perMinute) / 60), burst: perMinute}
}

func (l *clientLimiter) allow(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.perIP) > 100000 {
		l.perIP = map[string]*rate.Limiter{} // bounded memory under attack
	}
	lim, ok := l.perIP[ip]
	if !ok {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.perIP[ip] = lim
	}
	return lim.Allow()
}

// withSession resolves the session cookie, if any, into an actor.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			actor, sid, err := s.svc.Authenticate(r.Context(), c.Value)
			if err == nil {
				ctx := context.WithValue(r.Context(), actorKey, actor)
				ctx = context.WithValue(ctx, sessionKey, sid)
				r = r.WithContext(ctx)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withToken resolves an API bearer token into an actor; API routes take
// no cookies.
func (s *Server) withToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			s.apiError(w, r, telltale.Errorf(telltale.EUNAUTHORIZED, "send an API token: Authorization: Bearer ttk_…"))
			return
		}
		actor, err := s.svc.AuthenticateToken(r.Context(), strings.TrimSpace(tok))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey, actor)))
	})
}

// limitBody caps request bodies.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// metrics are the server's Prometheus metrics.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	opened   *prometheus.CounterVec
	traces   *prometheus.CounterVec
	logins   *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "telltale_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "telltale_http_request_duration_seconds", Help: "HTTP request latency by route.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}, []string{"route"}),
		opened:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "telltale_copies_opened_total", Help: "Copies opened or downloaded, by format."}, []string{"format"}),
		traces:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "telltale_traces_total", Help: "Leaks traced, by outcome."}, []string{"outcome"}),
		logins:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "telltale_logins_total", Help: "Sign-in attempts by result."}, []string{"result"}),
	}
	reg.MustRegister(m.requests, m.duration, m.opened, m.traces, m.logins,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// metricsGate lets through a scrape that presents the metrics token, or,
// without one configured, a scrape from this host that did not come
// through a proxy.
func (s *Server) metricsGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := s.cfg.MetricsToken; tok != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || !constantTimeEqual(got, tok) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics need the metrics token", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		ip, perr := netip.ParseAddr(host)
		if err != nil || perr != nil || !ip.Unmap().IsLoopback() || r.Header.Get("X-Forwarded-For") != "" {
			http.Error(w, "metrics are served to this host only (hint: set a metrics token to scrape from elsewhere)", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// routeOf names a request by the pattern that serves it, so logs and
// metrics never carry identifiers from paths.
func (s *Server) routeOf(r *http.Request) string {
	mux := s.mux
	if strings.HasPrefix(r.URL.Path, "/api/") {
		mux = s.api
	}
	if mux == nil {
		return "unknown"
	}
	if _, pattern := mux.Handler(r); pattern != "" {
		return pattern
	}
	return "unmatched"
}
