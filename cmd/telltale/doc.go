package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/service"
)

// DocCmd groups the document commands.
type DocCmd struct {
	Add  DocAddCmd  `cmd:"" help:"Store a Markdown document (or a new version of it), find its slots and print its traceability report."`
	List DocListCmd `cmd:"" help:"List stored documents."`
	Show DocShowCmd `cmd:"" help:"Show a document's versions, slots by kind and copies issued."`
}

// DocAddCmd stores a document.
type DocAddCmd struct {
	File       string `arg:"" help:"Markdown file to store, or - for standard input."`
	Name       string `help:"Document name (default: the file name without extension)."`
	Coalition  int    `help:"Coalition size the fingerprinting code is built to resist." default:"3"`
	Recipients int    `help:"Recipients to assume in the traceability report (default: those registered, at least 12)."`
}

// readInput reads a document argument (or stdin for "-") up to the
// document size limit.
func readInput(e *env, name string) ([]byte, error) {
	return readLimited(e, name, parse.MaxSize, "a document", "split it into several documents")
}

// readText reads a leak, an article or evidence (or stdin for "-") up to
// the size limit of outside text; it also returns the name to record.
func readText(e *env, name string) ([]byte, string, error) {
	b, err := readLimited(e, name, read.MaxLeakSize, "a text to read", "keep the relevant part")
	if name == "-" {
		return b, "standard input", err
	}
	return b, filepath.Base(name), err
}

// readLimited reads a file or stdin, refusing input over limit before
// reading it all.
func readLimited(e *env, name string, limit int, what, hint string) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = e.main.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("failed to read %s: %w", name, unwrapPathError(err))
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory, not %s", name, what)
		}
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("failed to read %s: %w", name, err)
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%s is larger than %d MB, the limit for %s (hint: %s)", name, limit>>20, what, hint)
	}
	return b, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func (c *DocAddCmd) Run(e *env) error {
	if cl, err := e.remote(); err != nil || cl != nil {
		if err != nil {
			return err
		}
		return c.runRemote(e, cl)
	}
	svc, err := e.open()
	if err != nil {
		return err
	}
	src, err := readInput(e, c.File)
	if err != nil {
		return err
	}
	filename := c.File
	if filename == "-" {
		filename = "stdin.md"
		if c.Name == "" {
			return fmt.Errorf("name the document read from standard input with --name")
		}
	}
	res, err := svc.AddDocument(e.ctx, e.actor(), service.AddDocumentRequest{Slug: c.Name, Filename: filename, Source: src, Coalition: c.Coalition})
	if err != nil {
		return err
	}
	v := res.Version
	what := "Stored new document"
	if !res.New {
		what = "Stored new version of"
	}
	fmt.Fprintf(e.stdout, "%s %q, version %d: %s\n", what, res.Document.Slug, v.Number, res.Document.Title)
	fmt.Fprintf(e.stdout, "  %d prose words, %d slots (%s)\n\n", v.Words, v.Slots, slotSummary(res.Template))
	n, err := e.reportRecipients(c.Recipients)
	if err != nil {
		return err
	}
	report, err := svc.Report(e.ctx, v, n)
	if err != nil {
		return err
	}
	fmt.Fprint(e.stdout, report)
	declared := 0
	for _, s := range res.Template.Slots {
		if s.Kind == mark.Declared {
			declared++
		}
	}
	if declared > 0 {
		fmt.Fprintf(e.stdout, "\nReview the %d declared variants: every copy states one of them as fact.\n", declared)
		for _, s := range res.Template.Slots {
			if s.Kind == mark.Declared {
				o := s.Occurrences[0]
				line, _ := lineOf(res.Template.Source, o.Start)
				fmt.Fprintf(e.stdout, "  line %d: %s\n", line, strings.Join(o.Alts, " | "))
			}
		}
	}
	return nil
}

// reportRecipients is the recipient count a report assumes.
func (e *env) reportRecipients(flag int) (int, error) {
	if flag > 0 {
		return flag, nil
	}
	rs, err := e.svc.Recipients(e.ctx, e.actor())
	if err != nil {
		return 0, err
	}
	return max(len(rs), 12), nil
}

// lineOf is the 1-based line of an offset in the template's source (not
// counting front matter).
func lineOf(src string, off int) (int, int) {
	line := strings.Count(src[:off], "\n") + 1
	return line, off - strings.LastIndex(src[:off], "\n")
}

func slotSummary(t *mark.Template) string {
	counts := map[mark.Kind]int{}
	for _, s := range t.Slots {
		counts[s.Kind]++
	}
	var parts []string
	for _, k := range mark.Kinds {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
	}
	return strings.Join(parts, ", ")
}

// DocListCmd lists documents.
type DocListCmd struct{}

func (c *DocListCmd) Run(e *env) error {
	if cl, err := e.remote(); err != nil || cl != nil {
		if err != nil {
			return err
		}
		return c.runRemote(e, cl)
	}
	svc, err := e.open()
	if err != nil {
		return err
	}
	docs, err := svc.Documents(e.ctx, e.actor())
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		fmt.Fprintln(e.stdout, "No documents yet. Add one with: telltale doc add plan.md")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tADDED\tBY")
	for _, d := range docs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Slug, d.Title, d.CreatedAt.Local().Format("2006-01-02 15:04"), d.Owner)
	}
	return tw.Flush()
}

// DocShowCmd shows a document.
type DocShowCmd struct {
	Name       string `arg:"" help:"Document name."`
	Recipients int    `help:"Recipients to assume in the traceability report (default: those registered, at least 12)."`
}

func (c *DocShowCmd) Run(e *env) error {
	if cl, err := e.remote(); err != nil || cl != nil {
		if err != nil {
			return err
		}
		return c.runRemote(e, cl)
	}
	svc, err := e.open()
	if err != nil {
		return err
	}
	d, err := svc.Show(e.ctx, e.actor(), c.Name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s — %s\n", d.Document.Slug, d.Document.Title)
	fmt.Fprintf(e.stdout, "added %s by %s\n", d.Document.CreatedAt.Local().Format("2006-01-02 15:04"), d.Document.Owner)
	for _, vd := range d.Versions {
		v := vd.Version
		fmt.Fprintf(e.stdout, "\nVersion %d — %s, %d words, %d slots", v.Number, v.CreatedAt.Local().Format("2006-01-02 15:04"), v.Words, v.Slots)
		if v.Classification != "" {
			fmt.Fprintf(e.stdout, ", %s", v.Classification)
		}
		fmt.Fprintln(e.stdout)
		var parts []string
		for _, k := range mark.Kinds {
			parts = append(parts, fmt.Sprintf("%s %d", k, vd.SlotsByKind[k]))
		}
		fmt.Fprintf(e.stdout, "  slots: %s\n", strings.Join(parts, ", "))
		if len(vd.Copies) == 0 {
			fmt.Fprintln(e.stdout, "  no copies issued")
			continue
		}
		fmt.Fprintf(e.stdout, "  %d copies issued:\n", len(vd.Copies))
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "    COPY\tID\tRECIPIENT\tEMAIL\tISSUED\tSTATUS\tFORMATS")
		now := e.main.Now()
		for _, cd := range vd.Copies {
			fmt.Fprintf(tw, "    %d/%d\t%d\t%s\t%s\t%s\t%s\t%s\n", cd.Copy.Number, cd.Copy.Of, cd.Copy.ID, cd.Recipient.Name, cd.Recipient.Email,
				cd.Copy.IssuedAt.Local().Format("2006-01-02 15:04"), copyStatus(cd.Copy, now), strings.Join(cd.Copy.Formats, ","))
		}
		tw.Flush()
	}
	if n := len(d.Versions); n > 0 {
		recipients, err := e.reportRecipients(c.Recipients)
		if err != nil {
			return err
		}
		report, err := svc.Report(e.ctx, d.Versions[n-1].Version, recipients)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nVersion %d: ", d.Versions[n-1].Version.Number)
		fmt.Fprint(e.stdout, report)
	}
	return nil
}

func copyStatus(c *telltale.Copy, now time.Time) string {
	switch {
	case !c.RevokedAt.IsZero():
		return "revoked " + c.RevokedAt.Local().Format("2006-01-02 15:04")
	case !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt):
		return "expired " + c.ExpiresAt.Local().Format("2006-01-02 15:04")
	case !c.ExpiresAt.IsZero():
		return "active until " + c.ExpiresAt.Local().Format("2006-01-02 15:04")
	}
	return "active"
}
