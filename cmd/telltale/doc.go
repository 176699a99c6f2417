package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/docx"
	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
)

// DocCmd groups the document commands.
type DocCmd struct {
	Add  DocAddCmd  `cmd:"" help:"Store a Word (.docx) or Markdown document (or a new version of it), find its slots and print its traceability report."`
	List DocListCmd `cmd:"" help:"List stored documents."`
	Show DocShowCmd `cmd:"" help:"Show a document's versions, slots by kind and copies issued."`
	// Suggest is in suggest.go.
	Suggest DocSuggestCmd `cmd:"" help:"Propose facts that copies may state differently ({{140|138|142}}), within tolerances that keep the plan usable: in a file (written back to standard output or --out, summary on standard error), or in a stored document (--doc NAME, stored as a new version with --accept)."`
}

// DocAddCmd stores a document.
type DocAddCmd struct {
	File       string `arg:"" help:"Word (.docx) or Markdown file to store, or - for standard input."`
	Name       string `help:"Document name (default: the file name without extension)."`
	Coalition  int    `help:"Coalition size the fingerprinting code is built to resist (default: 1 for 25 recipients or fewer, where one leaker is the likely case, else 3)."`
	Recipients int    `help:"Recipients to assume in the traceability report (default: those registered, at least 12)."`
	JSON       bool   `help:"Print the answer as JSON, with the traceability report in fields (docs/api.md)."`
}

// readInput reads a document argument (or stdin for "-") up to the
// document size limit: a Word file's for a Word file or standard input
// (parse refuses Markdown over its own), else Markdown's.
func readInput(e *env, name string) ([]byte, error) {
	if name == "-" || docx.IsWord(name, nil) {
		return readLimited(e, name, max(parse.MaxSize, docx.MaxFileSize), "a Word document", "remove large pictures or split the document")
	}
	return readLimited(e, name, parse.MaxSize, "a document", "split it into several documents")
}

// readText reads a leak, an article or evidence (or stdin for "-") up to
// the size limit of outside text; it also returns the name to record.
func readText(e *env, name string) ([]byte, string, error) {
	b, err := readLimited(e, name, extract.MaxFileSize, "a leak or an article", "keep the relevant part")
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
	if c.File == "-" && c.Name == "" {
		return fmt.Errorf("name the document read from standard input with --name")
	}
	b, err := e.backend()
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
	}
	n, err := reportRecipients(e, b, c.Recipients)
	if err != nil {
		return err
	}
	req := api.AddDocumentRequest{Name: c.Name, Filename: filename, Coalition: c.Coalition, Recipients: n}
	if docx.IsWord(filename, src) {
		req.File = src
	} else {
		req.Source = string(src)
	}
	res, err := b.AddDocument(e.ctx, req)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stdout, res)
	}
	what := "Stored new document"
	if res.Version > 1 {
		what = "Stored new version of"
	}
	fmt.Fprintf(e.stdout, "%s %q, version %d: %s\n", what, res.Document.Slug, res.Version, res.Document.Title)
	fmt.Fprintf(e.stdout, "  %d prose words, %d slots (%s)\n\n", res.Words, slotTotal(res.Slots), slotSummary(res.Slots))
	fmt.Fprint(e.stdout, res.Report)
	if len(res.Declared) > 0 {
		fmt.Fprintf(e.stdout, "\nReview the %d declared variants: every copy states one of them as fact.\n", len(res.Declared))
		for _, d := range res.Declared {
			if d.Context != "" {
				fmt.Fprintf(e.stdout, "  after %q: %s\n", d.Context, strings.Join(d.Alternatives, " | "))
				continue
			}
			if len(d.Lines) > 1 {
				lines := make([]string, len(d.Lines))
				for i, l := range d.Lines {
					lines[i] = strconv.Itoa(l)
				}
				fmt.Fprintf(e.stdout, "  lines %s (one fact): %s\n", strings.Join(lines, ", "), strings.Join(d.Alternatives, " | "))
				continue
			}
			fmt.Fprintf(e.stdout, "  line %d: %s\n", d.Line, strings.Join(d.Alternatives, " | "))
		}
	}
	return nil
}

// reportRecipients is the recipient count a report assumes: the flag's,
// else those registered, at least api.DefaultRecipients.
func reportRecipients(e *env, b backend, flag int) (int, error) {
	if flag > 0 {
		return flag, nil
	}
	rs, err := b.Recipients(e.ctx)
	if err != nil {
		return 0, err
	}
	return max(len(rs), api.DefaultRecipients), nil
}

// slotSummary lists slot counts by kind, every kind in order: "7 declared,
// 1 order, 50 lexical, 14 typographic".
func slotSummary(counts map[string]int) string {
	var parts []string
	for _, k := range mark.Kinds {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k.String()], k))
	}
	return strings.Join(parts, ", ")
}

func slotTotal(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// DocListCmd lists documents.
type DocListCmd struct {
	JSON bool `help:"Print the list as JSON (the API's types, docs/api.md)."`
}

func (c *DocListCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	docs, err := b.Documents(e.ctx)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stdout, docs)
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
	JSON       bool   `help:"Print the document as JSON, with the latest version's traceability report in fields (docs/api.md)."`
	All        bool   `help:"List every copy; without it, a version's first 20 copies are listed and the rest counted."`
}

func (c *DocShowCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	n, err := reportRecipients(e, b, c.Recipients)
	if err != nil {
		return err
	}
	d, err := b.Document(e.ctx, c.Name, n)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stdout, d)
	}
	fmt.Fprintf(e.stdout, "%s — %s\n", d.Slug, d.Title)
	fmt.Fprintf(e.stdout, "added %s by %s\n", d.CreatedAt.Local().Format("2006-01-02 15:04"), d.Owner)
	for _, v := range d.Versions {
		fmt.Fprintf(e.stdout, "\nVersion %d — %s, %d words, %d slots", v.Number, v.CreatedAt.Local().Format("2006-01-02 15:04"), v.Words, slotTotal(v.Slots))
		if v.Source == string(render.Word) {
			fmt.Fprint(e.stdout, ", from a Word document")
		}
		if v.Classification != "" {
			fmt.Fprintf(e.stdout, ", %s", v.Classification)
		}
		fmt.Fprintln(e.stdout)
		var parts []string
		for _, k := range mark.Kinds {
			parts = append(parts, fmt.Sprintf("%s %d", k, v.Slots[k.String()]))
		}
		fmt.Fprintf(e.stdout, "  slots: %s\n", strings.Join(parts, ", "))
		if len(v.Copies) == 0 {
			fmt.Fprintln(e.stdout, "  no copies issued")
			continue
		}
		if len(v.Copies) == 1 {
			fmt.Fprintln(e.stdout, "  1 copy issued:")
		} else {
			fmt.Fprintf(e.stdout, "  %d copies issued:\n", len(v.Copies))
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "    COPY\tID\tRECIPIENT\tEMAIL\tISSUED\tSTATUS\tFORMATS")
		now := e.main.Now()
		shown := shownRows(len(v.Copies), c.All)
		for _, cp := range v.Copies[:shown] {
			fmt.Fprintf(tw, "    %d/%d\t%d\t%s\t%s\t%s\t%s\t%s\n", cp.Number, cp.Of, cp.ID, cp.RecipientName, cp.Recipient,
				cp.IssuedAt.Local().Format("2006-01-02 15:04"), copyStatus(cp, now), strings.Join(cp.Formats, ","))
		}
		tw.Flush()
		printMore(e.stdout, "    ", len(v.Copies), shown)
	}
	if n := len(d.Versions); n > 0 && d.Report != "" {
		fmt.Fprintf(e.stdout, "\nVersion %d: ", d.Versions[n-1].Number)
		fmt.Fprint(e.stdout, d.Report)
	}
	return nil
}

func copyStatus(c api.Copy, now time.Time) string {
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
