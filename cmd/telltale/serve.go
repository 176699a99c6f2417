package main

import (
	"encoding/hex"
	"net/netip"
	"os"
	"time"

	"github.com/telltale-dev/telltale/keys"

	"bufio"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/service"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/server"
)

// ServeCmd runs the web server.
type ServeCmd struct {
	Addr          string        `default:"127.0.0.1:8080" help:"Address to listen on (host:port; port 0 picks a free port)."`
	TLSCert       string        `name:"tls-cert" help:"TLS certificate file (PEM); with --tls-key, serve HTTPS." placeholder:"FILE"`
	TLSKey        string        `name:"tls-key" help:"TLS private key file (PEM)." placeholder:"FILE"`
	SecureCookies bool          `help:"Mark cookies Secure (when a proxy terminates TLS in front of telltale)."`
	TrustProxy    bool          `help:"Believe X-Forwarded-For from a proxy on this host (loopback)."`
	MetricsToken  string        `name:"metrics-token" env:"TELLTALE_METRICS_TOKEN" help:"Bearer token that /metrics asks for (without it, /metrics answers only this host)." placeholder:"TOKEN"`
	MonitorAllow  []string      `name:"monitor-allow" help:"Let the leak monitor fetch from these non-public addresses or CIDR ranges (loopback, private and link-local addresses are refused otherwise)." placeholder:"CIDR"`
	Proxies       []string      `name:"trusted-proxies" help:"Believe X-Forwarded-For from proxies at these addresses or CIDR ranges (e.g. 10.0.0.5,10.1.0.0/16); the client is the right-most address not among them." placeholder:"CIDR"`
	LogJSON       bool          `name:"log-json" help:"Write logs as JSON."`
	Init          bool          `help:"Create the data directory, master key and database first if they do not exist (first run)."`
	MonitorEvery  time.Duration `default:"1m" help:"How often the leak monitor looks for due sources (0 turns it off). Several instances share the work through leases in the database."`
	AlertWebhook  string        `help:"Send an alert for every flagged article to this URL, signed (see telltale monitor secret)." env:"TELLTALE_ALERT_WEBHOOK" placeholder:"URL"`
}

func (c *ServeCmd) Run(e *env) error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("give both --tls-cert and --tls-key, or neither")
	}
	if c.Init {
		dir, err := e.dataDir()
		if err != nil {
			return err
		}
		if err := initDataDir(e, dir); err != nil {
			return err
		}
	}
	svc, err := e.open()
	if err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(e.stderr, nil)
	if c.LogJSON {
		handler = slog.NewJSONHandler(e.stderr, nil)
	}
	logger := slog.New(handler)
	cfg := server.Config{Addr: c.Addr, CertFile: c.TLSCert, KeyFile: c.TLSKey, SecureCookies: c.SecureCookies, TrustProxy: c.TrustProxy, Logger: logger, MetricsToken: c.MetricsToken}
	if cfg.TrustedProxies, err = parsePrefixes(c.Proxies); err != nil {
		return err
	}
	monitorAllow, err := parsePrefixes(c.MonitorAllow)
	if err != nil {
		return err
	}
	hasAdmin, err := svc.HasAdmin(e.ctx)
	if err != nil {
		return err
	}
	if !hasAdmin {
		cfg.SetupToken = server.NewSetupToken()
	}
	// The owner names this instance in source leases: unique even for
	// two instances with one host name and process ID (containers, tests).
	host, _ := os.Hostname()
	cfg.Monitor = service.MonitorRun{Owner: fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(keys.Nonce(3))), Fetcher: monitor.NewFetcher(monitor.FetcherConfig{Allow: monitorAllow}), Webhook: c.AlertWebhook}
	srv, err := server.New(svc, cfg)
	if err != nil {
		return err
	}
	addr, err := srv.Listen()
	if err != nil {
		return err
	}
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	url := fmt.Sprintf("%s://%s", scheme, addr)
	fmt.Fprintf(e.stdout, "telltale is serving on %s\n", url)
	if cfg.SetupToken != "" {
		fmt.Fprintf(e.stdout, "No administrator exists yet. Create one at this one-time address:\n  %s/setup?token=%s\n(or stop the server and run: telltale user add NAME --email EMAIL --role admin)\n", url, cfg.SetupToken)
	}
	if e.main.Listening != nil {
		e.main.Listening(addr.String())
	}
	logger.Info("serving", "addr", addr.String(), "tls", c.TLSCert != "")
	done := make(chan struct{})
	if c.MonitorEvery > 0 {
		go func() {
			defer close(done)
			c.watch(e, svc, logger, cfg.Monitor)
		}()
	} else {
		close(done)
	}
	err = srv.Serve(e.ctx)
	<-done
	logger.Info("stopped")
	return err
}

// watch runs the leak monitor on schedule until the server stops.
func (c *ServeCmd) watch(e *env, svc *service.Service, logger *slog.Logger, run service.MonitorRun) {
	tick := time.NewTicker(c.MonitorEvery)
	defer tick.Stop()
	for {
		res, err := svc.RunMonitor(e.ctx, telltale.LocalActor("monitor"), run)
		switch {
		case err != nil && e.ctx.Err() == nil:
			logger.Error("monitor", "err", err)
		case err == nil && res.Polled > 0:
			logger.Info("monitor", "polled", res.Polled, "articles", res.Articles, "flagged", len(res.Flagged), "cases", len(res.Cases), "failed", len(res.Failed))
			for _, a := range res.AlertErrors {
				logger.Warn("monitor alert", "err", a)
			}
		}
		select {
		case <-e.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// UserCmd manages users from the command line (the local operator may).
type UserCmd struct {
	Add   UserAddCmd   `cmd:"" help:"Add a user who signs in to the server."`
	List  UserListCmd  `cmd:"" help:"List users."`
	Token UserTokenCmd `cmd:"" help:"Create an API token for a user (for scripts and telltale --server)."`
}

// UserAddCmd adds a user.
type UserAddCmd struct {
	Name          string   `arg:"" help:"Full name."`
	Email         string   `required:"" help:"Email address: the sign-in name, and for recipients the address their copies are issued to."`
	Role          []string `help:"Roles: admin, owner, investigator, recipient (comma-separated or repeated)."`
	Admin         bool     `help:"Shorthand for --role admin."`
	PasswordStdin bool     `help:"Read the password from the first line of standard input (default: generate one and print it)."`
}

func (c *UserAddCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	var roles []telltale.Role
	names := c.Role
	if c.Admin {
		names = append(names, "admin")
	}
	for _, n := range names {
		for _, part := range strings.Split(n, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			r, err := telltale.ParseRole(part)
			if err != nil {
				return err
			}
			roles = append(roles, r)
		}
	}
	pw, generated := "", false
	if c.PasswordStdin {
		line, err := bufio.NewReader(e.main.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("no password on standard input")
		}
		pw = strings.TrimRight(line, "\r\n")
	} else {
		b := make([]byte, 15)
		rand.Read(b)
		pw, generated = base64.RawURLEncoding.EncodeToString(b), true
	}
	u := &telltale.User{Name: c.Name, Email: c.Email, Roles: roles}
	if err := svc.CreateUser(e.ctx, e.actor(), u, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added user %s <%s> with roles %s.\n", u.Name, u.Email, joinRoles(u.Roles))
	if generated {
		fmt.Fprintf(e.stdout, "Password (shown once; they can change it under Account): %s\n", pw)
	}
	return nil
}

func joinRoles(rs []telltale.Role) string {
	var s []string
	for _, r := range rs {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// UserListCmd lists users.
type UserListCmd struct {
	JSON bool `help:"Print the list as JSON (the API's types, docs/api.md)."`
}

func (c *UserListCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	us, err := svc.Users(e.ctx, e.actor())
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stdout, server.WireUsers(us))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tEMAIL\tROLES\tSTATUS")
	for _, u := range us {
		st := "active"
		if u.Disabled {
			st = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Email, joinRoles(u.Roles), st)
	}
	return tw.Flush()
}

// UserTokenCmd creates an API token.
type UserTokenCmd struct {
	Email string `required:"" help:"The user the token acts as."`
	Name  string `default:"cli" help:"A name for the token."`
}

func (c *UserTokenCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	us, err := svc.Users(e.ctx, e.actor())
	if err != nil {
		return err
	}
	for _, u := range us {
		if u.Email == strings.ToLower(c.Email) {
			secret, _, err := svc.CreateAPIToken(e.ctx, e.actor(), u.ID, c.Name)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, secret)
			return nil
		}
	}
	return telltale.Errorf(telltale.ENOTFOUND, "no user with email %s", c.Email)
}

// parsePrefixes reads addresses and CIDR ranges (a flag may hold several,
// comma-separated).
func parsePrefixes(in []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range in {
		for _, part := range strings.Split(s, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			p, err := parsePrefix(part)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// parsePrefix reads an address or CIDR range.
func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	return netip.Prefix{}, fmt.Errorf("%q is not an address or CIDR range (e.g. 10.0.0.5 or 10.1.0.0/16)", s)
}
