package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/bundle"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/server"
	"github.com/telltale-dev/telltale/service"
)

// CaseCmd groups the investigation commands.
type CaseCmd struct {
	Open   CaseOpenCmd   `cmd:"" help:"Open a case from a leaked text (traced at once)."`
	Add    CaseAddCmd    `cmd:"" help:"Add evidence to a case (traced at once)."`
	List   CaseListCmd   `cmd:"" help:"List cases."`
	Show   CaseShowCmd   `cmd:"" help:"Show a case: verdict, evidence, access timeline, history."`
	Note   CaseNoteCmd   `cmd:"" help:"Add a note to a case."`
	Assign CaseAssignCmd `cmd:"" help:"Assign a case to an investigator."`
	Move   CaseMoveCmd   `cmd:"" help:"Move a case: intake → triage → attribution → referred → closed."`
	Export CaseExportCmd `cmd:"" help:"Write the case's evidence bundle (zip), verifiable offline with telltale verify."`
}

// CaseOpenCmd opens a case.
type CaseOpenCmd struct {
	File      string `arg:"" help:"The leak: text, Markdown, HTML, PDF, Word (.docx), e-mail (.eml) or an image of a page; - for standard input."`
	Title     string `help:"Case title (default: from the file name)."`
	Published string `help:"When the leak was published (RFC 3339, or YYYY-MM-DD HH:MM in UTC)."`
	URL       string `help:"Where the leak was found."`
	Doc       string `help:"Document the leak comes from (default: found automatically)."`
}

func (c *CaseOpenCmd) Run(e *env) error {
	published, err := service.ParsePublished(c.Published)
	if err != nil {
		return err
	}
	content, name, err := readText(e, c.File)
	if err != nil {
		return err
	}
	svc, err := e.open()
	if err != nil {
		return err
	}
	kind := "file"
	if c.File == "-" {
		kind = "text"
	}
	cs, err := svc.OpenCase(e.ctx, e.actor(), service.OpenCaseRequest{Title: c.Title, PublishedAt: published,
		Evidence: service.EvidenceInput{Kind: kind, Name: name, URL: c.URL, Content: content, Document: c.Doc}})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Opened case %d: %s (intake)\n", cs.ID, cs.Title)
	return showCase(e, svc, cs.ID, false, false)
}

// CaseAddCmd adds evidence.
type CaseAddCmd struct {
	ID   int64  `arg:"" help:"Case number."`
	File string `arg:"" help:"The evidence: text, Markdown, HTML, PDF, Word (.docx), e-mail (.eml) or an image of a page; - for standard input."`
	URL  string `help:"Where it was found."`
	Doc  string `help:"Document it comes from (default: found automatically)."`
}

func (c *CaseAddCmd) Run(e *env) error {
	content, name, err := readText(e, c.File)
	if err != nil {
		return err
	}
	svc, err := e.open()
	if err != nil {
		return err
	}
	ev, err := svc.AddEvidence(e.ctx, e.actor(), c.ID, service.EvidenceInput{Kind: "file", Name: name, URL: c.URL, Content: content, Document: c.Doc})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added evidence %d to case %d (%s, sha256 %x)\n", ev.ID, c.ID, name, ev.SHA256)
	return nil
}

// CaseListCmd lists cases.
type CaseListCmd struct {
	JSON bool `help:"Print the list as JSON (the API's types, docs/api.md)."`
}

func (c *CaseListCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	cases, err := svc.Cases(e.ctx, e.actor())
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stdout, server.WireCases(cases))
	}
	if len(cases) == 0 {
		fmt.Fprintln(e.stdout, "No cases. Open one with: telltale case open LEAK.txt")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tSTATE\tDOCUMENT\tASSIGNEE\tUPDATED\tTITLE")
	for _, cs := range cases {
		state := string(cs.State)
		if cs.Outcome != "" {
			state += " (" + string(cs.Outcome) + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", cs.ID, state, dash(cs.Document), dash(cs.Assignee), cs.UpdatedAt.Format("2006-01-02 15:04"), cs.Title)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// CaseShowCmd shows a case.
type CaseShowCmd struct {
	ID   int64 `arg:"" help:"Case number."`
	JSON bool  `help:"Print the case as JSON: its verdict, evidence, history and timeline (the API's types, docs/api.md)."`
	All  bool  `help:"List all evidence and every access to the leaked version; without it, the first 20 of each are listed and the rest counted."`
}

func (c *CaseShowCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	if c.JSON {
		d, err := svc.Case(e.ctx, e.actor(), c.ID)
		if err != nil {
			return err
		}
		return printJSON(e.stdout, server.WireCaseDetail(d))
	}
	return showCase(e, svc, c.ID, true, c.All)
}

// showCase prints a case: with full its evidence, the access timeline
// (summarized unless all) and history too, else only its state and
// verdict.
func showCase(e *env, svc *service.Service, id int64, full, all bool) error {
	d, err := svc.Case(e.ctx, e.actor(), id)
	if err != nil {
		return err
	}
	cs := d.Case
	fmt.Fprintf(e.stdout, "Case %d: %s\n", cs.ID, cs.Title)
	state := string(cs.State)
	if cs.Outcome != "" {
		state += ", " + string(cs.Outcome)
	}
	if cs.Office != "" {
		state += ", referred to " + cs.Office
	}
	fmt.Fprintf(e.stdout, "  state:     %s\n", state)
	if d.Assignee != "" {
		fmt.Fprintf(e.stdout, "  assignee:  %s\n", d.Assignee)
	}
	if d.Document != nil {
		fmt.Fprintf(e.stdout, "  document:  %s version %d (%s)\n", d.Document.Slug, d.Version.Number, d.Version.Title)
	}
	if !cs.PublishedAt.IsZero() {
		fmt.Fprintf(e.stdout, "  published: %s\n", cs.PublishedAt.Format("2006-01-02 15:04 UTC"))
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(e.stdout, "  warning:   %s\n", w)
	}
	fmt.Fprintln(e.stdout)
	if d.Verdict != nil {
		fmt.Fprint(e.stdout, d.Verdict.Text())
	} else {
		fmt.Fprintln(e.stdout, "No evidence could be traced to a stored document yet.")
	}
	if !full {
		return nil
	}
	fmt.Fprintln(e.stdout, "\nEvidence:")
	shown := shownRows(len(d.Evidence), all)
	for _, it := range d.Evidence[:shown] {
		outcome := "not traced"
		if it.Verdict != nil {
			outcome = it.Verdict.Outcome
		}
		fmt.Fprintf(e.stdout, "  %d. %s (%s, %d bytes, sha256 %x) added %s by %s — %s\n", it.ID, it.Name, it.Kind, it.Size, it.SHA256[:8],
			it.AddedAt.Format("2006-01-02 15:04"), it.AddedByName, outcome)
	}
	printMore(e.stdout, "  ", len(d.Evidence), shown)
	if len(d.Timeline) > 0 {
		fmt.Fprintln(e.stdout, "\nAccess to the leaked version (access alone proves nothing):")
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		shown := shownRows(len(d.Timeline), all)
		for _, t := range d.Timeline[:shown] {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\tcopy %d\t%s %s\n", t.Time.Format("2006-01-02 15:04"), dash(t.Relative), ledger.ActionName(t.Action), t.Recipient, t.Number, t.Via, t.Format)
		}
		tw.Flush()
		printMore(e.stdout, "  ", len(d.Timeline), shown)
	}
	fmt.Fprintln(e.stdout, "\nHistory:")
	for _, ev := range d.Events {
		fmt.Fprintf(e.stdout, "  %s  %s: %s\n", ev.At.Format("2006-01-02 15:04"), ev.ActorName, ev.Text)
	}
	return nil
}

// CaseNoteCmd adds a note.
type CaseNoteCmd struct {
	ID   int64    `arg:"" help:"Case number."`
	Text []string `arg:"" help:"The note."`
}

func (c *CaseNoteCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	if err := svc.Note(e.ctx, e.actor(), c.ID, strings.Join(c.Text, " ")); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Noted on case %d.\n", c.ID)
	return nil
}

// CaseAssignCmd assigns a case.
type CaseAssignCmd struct {
	ID    int64  `arg:"" help:"Case number."`
	Email string `arg:"" help:"The investigator's email."`
}

func (c *CaseAssignCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	if err := svc.Assign(e.ctx, e.actor(), c.ID, c.Email); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Case %d assigned to %s.\n", c.ID, c.Email)
	return nil
}

// CaseMoveCmd moves a case.
type CaseMoveCmd struct {
	ID      int64  `arg:"" help:"Case number."`
	State   string `arg:"" enum:"intake,triage,attribution,referred,closed" help:"New state: triage, attribution, referred or closed."`
	Outcome string `help:"To close: substantiated, unsubstantiated or inconclusive."`
	Office  string `help:"To refer: the receiving office."`
	Note    string `help:"A note on the move."`
}

func (c *CaseMoveCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	req := service.MoveRequest{To: telltale.CaseState(c.State), Outcome: telltale.CaseOutcome(c.Outcome), Office: c.Office, Note: c.Note}
	if err := svc.Move(e.ctx, e.actor(), c.ID, req); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Case %d is now %s.\n", c.ID, c.State)
	return nil
}

// CaseExportCmd writes the evidence bundle.
type CaseExportCmd struct {
	ID  int64  `arg:"" help:"Case number."`
	Out string `help:"Bundle file to write (default: case-N.zip, or case-N.zip.age with --to)." placeholder:"FILE"`
	To  string `help:"Encrypt the bundle with age for these public keys (age1…, comma-separated): only they can open it." placeholder:"KEYS"`
}

func (c *CaseExportCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	out := c.Out
	if out == "" {
		out = "case-" + strconv.FormatInt(c.ID, 10) + ".zip"
		if c.To != "" {
			out += ".age"
		}
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists; choose another --out or remove it", out)
	}
	if c.To != "" {
		// Check the keys before the export is recorded.
		if err := bundle.CheckRecipients(c.To); err != nil {
			return err
		}
	}
	b, err := svc.ExportCase(e.ctx, e.actor(), c.ID)
	if err != nil {
		return err
	}
	if c.To != "" {
		if b, err = bundle.Seal(b, c.To); err != nil {
			return err
		}
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		return fmt.Errorf("failed to write the bundle: %w", unwrapPathError(err))
	}
	fmt.Fprintf(e.stdout, "Wrote %s (%d KB). Check it anywhere with: telltale verify %s --key ledger.pub\n", out, len(b)>>10, out)
	return nil
}

// VerifyCmd checks an evidence bundle offline.
type VerifyCmd struct {
	Bundle   string `arg:"" help:"The evidence bundle (zip, or zip.age) written by telltale case export."`
	Identity string `help:"age identity file (AGE-SECRET-KEY-1…) to decrypt a bundle exported with --to." placeholder:"FILE"`
	Key      string `help:"The organisation's published ledger key (ledger.pub). Without it, the data directory's ledger.pub if there is one, else the key inside the bundle (which proves less)." placeholder:"FILE"`
}

func (c *VerifyCmd) Run(e *env) error {
	data, err := os.ReadFile(c.Bundle)
	if err != nil {
		return fmt.Errorf("failed to read %s: %w", c.Bundle, unwrapPathError(err))
	}
	if bundle.Encrypted(data) {
		if c.Identity == "" {
			return fmt.Errorf("%s is encrypted with age: give the identity it was encrypted for with --identity FILE", c.Bundle)
		}
		f, err := os.Open(c.Identity)
		if err != nil {
			return fmt.Errorf("failed to read the identity %s: %w", c.Identity, unwrapPathError(err))
		}
		data, err = bundle.Open(data, f)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Decrypted with %s.\n", c.Identity)
	}
	key, keySource := "", ""
	if c.Key != "" {
		b, err := os.ReadFile(c.Key)
		if err != nil {
			return fmt.Errorf("failed to read the key %s: %w", c.Key, unwrapPathError(err))
		}
		key, keySource = strings.TrimSpace(string(b)), c.Key
	} else if dir, err := e.dataPath(); err == nil {
		if b, err := os.ReadFile(filepath.Join(dir, ledgerPubFile)); err == nil {
			key, keySource = strings.TrimSpace(string(b)), filepath.Join(dir, ledgerPubFile)
		}
	}
	rep, err := bundle.Verify(data, key)
	if err != nil {
		return err
	}
	m := rep.Manifest
	fmt.Fprintf(e.stdout, "Bundle of case %d: %s (%s", m.Case.ID, m.Case.Title, m.Case.State)
	if m.Case.Outcome != "" {
		fmt.Fprintf(e.stdout, ", %s", m.Case.Outcome)
	}
	fmt.Fprintf(e.stdout, "), exported %s\n", m.Created.Format("2006-01-02 15:04 UTC"))
	if rep.KeyFromBundle {
		fmt.Fprintln(e.stdout, "WARNING: no trusted key given (--key ledger.pub); using the key inside the bundle. This shows the bundle is consistent, not who signed it:")
		fmt.Fprintf(e.stdout, "  compare it with the organisation's published key: %s\n", rep.VerifierKey)
	} else {
		fmt.Fprintf(e.stdout, "Trusted ledger key: %s\n", keySource)
	}
	for _, s := range rep.Checked {
		fmt.Fprintf(e.stdout, "  ok  %s\n", s)
	}
	if !rep.OK() {
		for _, p := range rep.Problems {
			fmt.Fprintf(e.stdout, "  BAD %s\n", p)
		}
		return fmt.Errorf("the bundle does NOT verify: %d problems", len(rep.Problems))
	}
	fmt.Fprintln(e.stdout, "VERIFIED: every file, proof, signature and commitment checks.")
	if rep.KeyFromBundle {
		fmt.Fprintln(e.stdout, "(against the bundle's own key; pass --key to check the signer)")
	}
	return nil
}
