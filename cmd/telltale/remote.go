package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/telltale-dev/telltale/client"
	"github.com/telltale-dev/telltale/server"
)

// remote returns the API client when --server (or TELLTALE_SERVER) is
// set, else nil: the command then works on the local data directory.
func (e *env) remote() (*client.Client, error) {
	url := e.cli.Server
	if url == "" {
		url = e.main.Getenv("TELLTALE_SERVER")
	}
	if url == "" {
		return nil, nil
	}
	return client.New(url, e.main.Getenv("TELLTALE_TOKEN"))
}

func (c *DocListCmd) runRemote(e *env, cl *client.Client) error {
	docs, err := cl.Documents(e.ctx)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		fmt.Fprintln(e.stdout, "No documents yet.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tADDED\tBY")
	for _, d := range docs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Slug, d.Title, d.CreatedAt.Local().Format("2006-01-02 15:04"), d.Owner)
	}
	return tw.Flush()
}

func (c *DocAddCmd) runRemote(e *env, cl *client.Client) error {
	src, err := readInput(e, c.File)
	if err != nil {
		return err
	}
	filename := c.File
	if filename == "-" {
		filename = "stdin.md"
	}
	res, err := cl.AddDocument(e.ctx, server.AddDocumentRequest{Name: c.Name, Filename: filename, Source: string(src), Coalition: c.Coalition})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Stored %q version %d: %s\n  %d prose words, slots: %v\n\n%s", res.Document.Slug, res.Version, res.Document.Title, res.Words, res.Slots, res.Report)
	return nil
}

func (c *DocShowCmd) runRemote(e *env, cl *client.Client) error {
	raw, err := cl.Document(e.ctx, c.Name)
	if err != nil {
		return err
	}
	var pretty map[string]any
	json.Unmarshal(raw, &pretty)
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(pretty)
}

func (c *RecipientAddCmd) runRemote(e *env, cl *client.Client) error {
	r, err := cl.AddRecipient(e.ctx, server.APIRecipient{Name: c.Name, Email: c.Email, Unit: c.Unit})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added recipient %s <%s>\n", r.Name, r.Email)
	return nil
}

func (c *RecipientListCmd) runRemote(e *env, cl *client.Client) error {
	rs, err := cl.Recipients(e.ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tEMAIL\tUNIT")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Email, r.Unit)
	}
	return tw.Flush()
}

func (c *IssueCmd) runRemote(e *env, cl *client.Client) error {
	formats, err := parseFormats(c.Format)
	if err != nil {
		return err
	}
	expires, err := parseExpiry(c.Expires, e.main.Now())
	if err != nil {
		return err
	}
	req := server.IssueRequest{Version: c.Version, ExpiresAt: expires}
	for _, t := range c.To {
		for _, p := range strings.Split(t, ",") {
			if p = strings.TrimSpace(p); p != "" {
				req.To = append(req.To, p)
			}
		}
	}
	for _, f := range formats {
		req.Formats = append(req.Formats, string(f))
	}
	copies, err := cl.Issue(e.ctx, c.Document, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Issued %d copies of %q:\n", len(copies), c.Document)
	for _, cp := range copies {
		fmt.Fprintf(e.stdout, "  copy %d of %d (id %d) for %s\n", cp.Number, cp.Of, cp.ID, cp.Recipient)
		if c.Out == "" {
			continue
		}
		if err := os.MkdirAll(c.Out, 0o700); err != nil {
			return err
		}
		for _, f := range formats {
			body, err := cl.Copy(e.ctx, cp.ID, string(f))
			if err != nil {
				return err
			}
			name := fmt.Sprintf("%s/%s-copy%02d-%d%s", c.Out, c.Document, cp.Number, cp.ID, f.Ext())
			if err := os.WriteFile(name, body, 0o600); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "    %s\n", name)
		}
	}
	return nil
}

func (c *CopyOpenCmd) runRemote(e *env, cl *client.Client) error {
	body, err := cl.Copy(e.ctx, c.ID, c.Format)
	if err != nil {
		return err
	}
	if c.Out == "" {
		_, err = e.stdout.Write(body)
		return err
	}
	return os.WriteFile(c.Out, body, 0o600)
}

func (c *CopyRevokeCmd) runRemote(e *env, cl *client.Client) error {
	if err := cl.Revoke(e.ctx, c.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Revoked copy %d.\n", c.ID)
	return nil
}

func (c *TraceCmd) runRemote(e *env, cl *client.Client, leak []byte) error {
	v, err := cl.Trace(e.ctx, server.TraceRequest{Leak: string(leak), Name: c.File, Document: c.Doc, Version: c.Version, Epsilon: c.Epsilon})
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	fmt.Fprint(e.stdout, v.Text())
	return nil
}

func (c *LedgerCheckpointCmd) runRemote(e *env, cl *client.Client) error {
	b, err := cl.Checkpoint(e.ctx)
	if err != nil {
		return err
	}
	e.stdout.Write(b)
	if c.Out != "" {
		return os.WriteFile(c.Out, b, 0o644)
	}
	return nil
}

func (c *LedgerVerifyCmd) runRemote(e *env, cl *client.Client) error {
	start := time.Now()
	r, err := cl.VerifyLedger(e.ctx)
	if err != nil {
		return err
	}
	if !r.OK {
		fmt.Fprintf(e.stdout, "LEDGER DOES NOT VERIFY: %d problems in %d entries:\n", len(r.Problems), r.Entries)
		for _, p := range r.Problems {
			fmt.Fprintf(e.stdout, "  %s\n", p)
		}
		return fmt.Errorf("the ledger was altered")
	}
	fmt.Fprintf(e.stdout, "Ledger verified by the server: %d entries, %d published checkpoints (%s).\n", r.Entries, r.Checkpoints, time.Since(start).Round(time.Millisecond))
	return nil
}
