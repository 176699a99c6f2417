package main

import (
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/server"
	"github.com/telltale-dev/telltale/service"
)

// MonitorCmd groups the leak monitor's commands.
type MonitorCmd struct {
	Add     MonitorAddCmd     `cmd:"" help:"Watch a news feed (RSS, Atom or JSON)."`
	AddPage MonitorAddPageCmd `cmd:"add-page" help:"Watch a single page."`
	List    MonitorListCmd    `cmd:"" help:"List watched sources and their health."`
	Remove  MonitorRemoveCmd  `cmd:"" help:"Stop watching a source."`
	Run     MonitorRunCmd     `cmd:"" help:"Poll the sources that are due once (telltale serve also polls on schedule)."`
	Check   MonitorCheckCmd   `cmd:"" help:"One-off: does this article disclose anything telltale protects?"`
	Flags   MonitorFlagsCmd   `cmd:"" help:"List flagged articles."`
	Secret  MonitorSecretCmd  `cmd:"" help:"Print the key alert webhooks are signed with (HMAC-SHA256), for the receiver."`
}

// MonitorAddCmd adds a feed.
type MonitorAddCmd struct {
	URL   string        `arg:"" help:"Feed URL."`
	Every time.Duration `default:"15m" help:"Polling interval (at least 1m)."`
}

func (c *MonitorAddCmd) Run(e *env) error { return addSource(e, "feed", c.URL, c.Every) }

// MonitorAddPageCmd adds a page.
type MonitorAddPageCmd struct {
	URL   string        `arg:"" help:"Page URL."`
	Every time.Duration `default:"15m" help:"Polling interval (at least 1m)."`
}

func (c *MonitorAddPageCmd) Run(e *env) error { return addSource(e, "page", c.URL, c.Every) }

func addSource(e *env, kind, url string, every time.Duration) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	src, err := svc.AddSource(e.ctx, e.actor(), kind, url, every)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Watching %s %s (source %d), every %s. Poll now with: telltale monitor run\n", kind, src.URL, src.ID, every)
	return nil
}

// MonitorListCmd lists sources.
type MonitorListCmd struct {
	JSON bool `help:"Print the list as JSON (the API's types, docs/api.md)."`
}

func (c *MonitorListCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	srcs, err := svc.Sources(e.ctx, e.actor())
	if err != nil {
		return err
	}
	if c.JSON {
		out := []api.Source{}
		for _, s := range srcs {
			out = append(out, server.WireSource(s))
		}
		return printJSON(e.stdout, out)
	}
	if len(srcs) == 0 {
		fmt.Fprintln(e.stdout, "No sources. Add one with: telltale monitor add https://example.org/feed.xml")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tHEALTH\tLAST SUCCESS\tNEXT\tURL")
	for _, s := range srcs {
		health := "ok"
		if !s.State.Healthy {
			health = fmt.Sprintf("FAILING (%d): %s", s.State.Failures, s.State.LastError)
		}
		last := "never"
		if !s.State.LastSuccess.IsZero() {
			last = s.State.LastSuccess.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Kind, health, last, s.NextAttempt.Format("2006-01-02 15:04"), s.URL)
	}
	return tw.Flush()
}

// MonitorRemoveCmd removes a source.
type MonitorRemoveCmd struct {
	ID int64 `arg:"" help:"Source number (see telltale monitor list)."`
}

func (c *MonitorRemoveCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	if err := svc.RemoveSource(e.ctx, e.actor(), c.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Source %d is no longer watched.\n", c.ID)
	return nil
}

// MonitorRunCmd polls once.
type MonitorRunCmd struct {
	Webhook      string   `help:"Send an alert for every hit to this URL (signed; see telltale monitor secret)." env:"TELLTALE_ALERT_WEBHOOK"`
	IgnoreRobots bool     `help:"Ignore robots.txt (only for sites you own)."`
	Allow        []string `name:"allow" help:"Also fetch from these non-public addresses or CIDR ranges (loopback, private, link-local are refused otherwise)." placeholder:"CIDR"`
}

func (c *MonitorRunCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	allow, err := parsePrefixes(c.Allow)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	res, err := svc.RunMonitor(e.ctx, e.actor(), service.MonitorRun{Owner: "cli@" + host, Webhook: c.Webhook,
		Fetcher: monitor.NewFetcher(monitor.FetcherConfig{IgnoreRobots: c.IgnoreRobots, Allow: allow})})
	if err != nil {
		return err
	}
	printMonitorResult(e, res)
	return nil
}

func printMonitorResult(e *env, res *service.MonitorResult) {
	fmt.Fprintf(e.stdout, "Polled %d sources, read %d new articles, flagged %d.\n", res.Polled, res.Articles, len(res.Flagged))
	for _, f := range res.Failed {
		fmt.Fprintf(e.stdout, "  source failed: %s\n", f)
	}
	for _, fa := range res.Flagged {
		what := "shares details with"
		if fa.Hit {
			what = "DISCLOSES"
		}
		dup := ""
		if fa.Duplicate {
			dup = " (syndicated copy)"
		}
		fmt.Fprintf(e.stdout, "  flag %d: %s %s version %d (score %.1f)%s: %s\n", fa.ID, fa.URL, what, fa.VersionID, fa.Score, dup, fa.Title)
		if fa.CaseID != 0 {
			fmt.Fprintf(e.stdout, "    opened case %d (see telltale case show %d)\n", fa.CaseID, fa.CaseID)
		}
	}
	for _, a := range res.AlertErrors {
		fmt.Fprintf(e.stdout, "  alert failed: %s\n", a)
	}
}

// MonitorCheckCmd checks one article.
type MonitorCheckCmd struct {
	File string `arg:"" help:"The article: a web page (.html), a page saved as one file (.mht, .mhtml), Markdown (.md), text, a PDF, a Word document (.docx) or an image of a page (read by OCR), or - for standard input."`
	URL  string `help:"The article's address, if known."`
}

// articleTypes name the formats of articles by file extension; others are
// sniffed.
var articleTypes = map[string]string{
	".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
	".mht": "multipart/related", ".mhtml": "multipart/related",
	".md": "text/markdown", ".markdown": "text/markdown",
	".txt": "text/plain", ".text": "text/plain",
}

func (c *MonitorCheckCmd) Run(e *env) error {
	raw, _, err := readText(e, c.File)
	if err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(c.File))
	ctype, ok := articleTypes[ext]
	if !ok {
		ctype = mime.TypeByExtension(ext)
	}
	svc, err := e.open()
	if err != nil {
		return err
	}
	a, reports, err := svc.CheckArticle(e.ctx, e.actor(), raw, ctype, c.URL)
	if err != nil {
		return err
	}
	title := a.Title
	if title == "" {
		title = c.File
	}
	if len(reports) == 0 {
		fmt.Fprintf(e.stdout, "NOT FLAGGED: %q discloses nothing telltale protects.\n", title)
		return nil
	}
	for _, r := range reports {
		verdict := "WEAK: shares details with"
		if r.Hit {
			verdict = "DISCLOSES"
		}
		fmt.Fprintf(e.stdout, "%s %s (disclosure score %.1f, of which topic %.1f)\n", verdict, r.Label, r.Score, r.Topic)
		for _, f := range r.Facts {
			approx := ""
			if f.Approximate {
				approx = " (approximately)"
			}
			fmt.Fprintf(e.stdout, "  %-9s %q  ↔  document: %q%s\n", f.Kind, clip(f.ArticleText, 70), clip(f.SourceText, 60), approx)
		}
	}
	return nil
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// MonitorFlagsCmd lists flagged articles.
type MonitorFlagsCmd struct {
	Limit int  `default:"50" help:"How many, newest first."`
	JSON  bool `help:"Print the list as JSON (the API's types, docs/api.md)."`
}

func (c *MonitorFlagsCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	flags, err := svc.Flags(e.ctx, e.actor(), c.Limit)
	if err != nil {
		return err
	}
	if c.JSON {
		out := []api.Flag{}
		for _, f := range flags {
			out = append(out, server.WireFlag(f))
		}
		return printJSON(e.stdout, out)
	}
	if len(flags) == 0 {
		fmt.Fprintln(e.stdout, "No flagged articles.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FLAG\tFOUND\tLEVEL\tSCORE\tDOCUMENT\tCASE\tARTICLE")
	for _, f := range flags {
		level := f.Level
		if f.Duplicate {
			level += " (copy)"
		}
		caseID := "—"
		if f.CaseID != 0 {
			caseID = strconv.FormatInt(f.CaseID, 10)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.1f\t%s\t%s\t%s\n", f.ID, f.FoundAt.Format("2006-01-02 15:04"), level, f.Score, f.Document, caseID, f.URL)
	}
	return tw.Flush()
}

// MonitorSecretCmd prints the webhook signing key.
type MonitorSecretCmd struct{}

func (c *MonitorSecretCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, svc.WebhookSecret())
	return nil
}
