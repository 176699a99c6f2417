package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/service"
)

// RecipientCmd groups the recipient commands.
type RecipientCmd struct {
	Add    RecipientAddCmd    `cmd:"" help:"Register a recipient."`
	List   RecipientListCmd   `cmd:"" help:"List recipients."`
	Import RecipientImportCmd `cmd:"" help:"Register many recipients from a CSV file (name, email[, unit] per line)."`
	Link   RecipientLinkCmd   `cmd:"" help:"Let the user account with a recipient's address read the recipient's copies."`
}

// RecipientLinkCmd links a recipient to the account with its address.
type RecipientLinkCmd struct {
	Email string `arg:"" help:"The recipient's (and the account's) e-mail address."`
}

func (c *RecipientLinkCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	r, err := b.LinkRecipient(e.ctx, c.Email)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "The account %s now reads the copies of %s.\n", r.Email, r.Name)
	return nil
}

// RecipientAddCmd registers a recipient.
type RecipientAddCmd struct {
	Name  string `arg:"" help:"Full name, as printed on the copy's marking line."`
	Email string `required:"" help:"Email address; identifies the recipient."`
	Unit  string `help:"Organisational unit."`
}

func (c *RecipientAddCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	r, err := b.AddRecipient(e.ctx, api.Recipient{Name: c.Name, Email: c.Email, Unit: c.Unit})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added recipient %s <%s>", r.Name, r.Email)
	if r.Unit != "" {
		fmt.Fprintf(e.stdout, ", %s", r.Unit)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// RecipientListCmd lists recipients.
type RecipientListCmd struct {
	JSON bool `help:"Print the list as JSON (the API's types, docs/api.md)."`
}

func (c *RecipientListCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	rs, err := b.Recipients(e.ctx)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stdout, rs)
	}
	if len(rs) == 0 {
		fmt.Fprintln(e.stdout, `No recipients yet. Add one with: telltale recipient add "Dana Ortiz" --email dana@example.org`)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tEMAIL\tUNIT")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Email, r.Unit)
	}
	return tw.Flush()
}

// IssueCmd issues copies.
type IssueCmd struct {
	Document  string   `arg:"" help:"Document name."`
	To        []string `help:"Recipients' emails, comma-separated or repeated."`
	ToFile    string   `help:"A file of recipients' emails, one per line or comma-separated ('#' starts a comment; - for standard input): for thousands of recipients." placeholder:"FILE"`
	Format    string   `help:"Formats to render and allow: any of md, html, txt, pdf, docx, comma-separated (default md,html,txt, and docx first for a document added from Word; pdf needs Chromium: printed with the marking on every page; docx needs a Word original)."`
	Watermark bool     `help:"Print the recipient's name diagonally across every page of the PDF copy."`
	KeepFiles bool     `help:"Store each copy's rendered files (encrypted); by default a copy is rendered when opened, from its version and codeword."`
	Out       string   `help:"Directory to write the rendered copies to (created if needed)." placeholder:"DIR"`
	Version   int      `help:"Version to issue (default: the latest)."`
	Expires   string   `help:"When the copies stop opening: a duration (72h) or a date (2026-04-01)."`
}

// parseFormats reads a comma-separated list of formats; none means the
// version's defaults.
func parseFormats(s string) ([]render.Format, error) {
	return parseFormatList(strings.Split(s, ","))
}

// parseFormatList reads format names, skipping empty ones.
func parseFormatList(names []string) ([]render.Format, error) {
	var out []render.Format
	for _, name := range names {
		if strings.TrimSpace(name) == "" {
			continue
		}
		f, err := render.ParseFormat(name)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// parseExpiry reads a duration from now or a date/time.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("--expires %s: give a positive duration", s)
		}
		return now.Add(d), nil
	}
	if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && strings.HasSuffix(s, "d") && n > 0 {
		return now.AddDate(0, 0, n), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--expires %q: want a duration such as 72h or 30d, or a date such as 2026-04-01", s)
}

func (c *IssueCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	formats, err := parseFormats(c.Format)
	if err != nil {
		return err
	}
	expires, err := parseExpiry(c.Expires, e.main.Now())
	if err != nil {
		return err
	}
	if c.Out != "" {
		if err := os.MkdirAll(c.Out, 0o700); err != nil {
			return fmt.Errorf("failed to create output directory: %w", err)
		}
	}
	req := api.IssueRequest{Version: c.Version, ExpiresAt: expires, Watermark: c.Watermark, KeepFiles: c.KeepFiles}
	to := c.To
	if c.ToFile != "" {
		raw, err := readLimited(e, c.ToFile, 4<<20, "a list of recipients", "split it")
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(raw), "\n") {
			line, _, _ = strings.Cut(line, "#")
			to = append(to, line)
		}
	}
	for _, t := range to {
		for _, p := range strings.Split(t, ",") {
			if p = strings.TrimSpace(p); p != "" {
				req.To = append(req.To, p)
			}
		}
	}
	if len(req.To) == 0 {
		return fmt.Errorf("no recipients: name them with --to or --to-file")
	}
	for _, f := range formats {
		req.Formats = append(req.Formats, string(f))
	}
	p := e.newProgress("issuing copies", "issued", "copies", len(req.To))
	issued, err := b.Issue(e.ctx, c.Document, req, c.Out != "", p.report)
	p.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Issued %d copies of %q:\n", len(issued), c.Document)
	for _, is := range issued {
		fmt.Fprintf(e.stdout, "  copy %d of %d (id %d) for %s <%s>\n", is.Number, is.Of, is.ID, is.RecipientName, is.Recipient)
		if c.Out == "" {
			continue
		}
		for _, f := range is.Formats {
			name := filepath.Join(c.Out, copyFileName(c.Document, is.Number, is.Of, is.RecipientName, is.Recipient, render.Format(f)))
			if err := os.WriteFile(name, is.Files[f], 0o600); err != nil {
				return fmt.Errorf("failed to write %s (the copies are issued and stored; fetch them with telltale copy open): %w", name, err)
			}
			fmt.Fprintf(e.stdout, "    %s\n", name)
		}
	}
	if c.Out == "" {
		fmt.Fprintln(e.stdout, "Copies are stored encrypted; write them out with --out DIR or telltale copy open ID.")
	}
	return nil
}

// copyFileName names the file of a recipient's copy after the recipient's
// name, or their email if the name has no letters to use; copy numbers are
// padded to the width of the number of copies (at least two digits), so
// the files sort in order.
func copyFileName(doc string, number, of int, name, email string, f render.Format) string {
	who := service.SlugFromFilename(name + ".x")
	if who == "" {
		who = service.SlugFromFilename(email + ".x")
	}
	width := max(2, len(strconv.Itoa(of)))
	return fmt.Sprintf("%s-copy%0*d-%s%s", doc, width, number, who, f.Ext())
}

// CopyCmd groups the copy commands.
type CopyCmd struct {
	Open   CopyOpenCmd   `cmd:"" help:"Write a stored copy to standard output or a file."`
	Revoke CopyRevokeCmd `cmd:"" help:"Revoke a copy so it can no longer be opened."`
}

// CopyOpenCmd writes a copy out.
type CopyOpenCmd struct {
	ID     int64  `arg:"" help:"Copy id (shown by issue and doc show)."`
	Format string `default:"md" help:"md, html, txt, pdf or docx (among the formats the copy was issued in)."`
	Out    string `help:"File to write (default: standard output)." placeholder:"FILE"`
}

func (c *CopyOpenCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	body, err := b.OpenCopy(e.ctx, c.ID, c.Format)
	if err != nil {
		return err
	}
	if c.Out == "" {
		_, err = e.stdout.Write(body)
		return err
	}
	return os.WriteFile(c.Out, body, 0o600)
}

// CopyRevokeCmd revokes a copy.
type CopyRevokeCmd struct {
	ID int64 `arg:"" help:"Copy id."`
}

func (c *CopyRevokeCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	if err := b.Revoke(e.ctx, c.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Revoked copy %d.\n", c.ID)
	return nil
}
