package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/server"
)

// LedgerCmd groups the ledger commands.
type LedgerCmd struct {
	Show       LedgerShowCmd       `cmd:"" help:"List ledger entries."`
	Verify     LedgerVerifyCmd     `cmd:"" help:"Check what was appended since the last verification (--full: the whole log) and every checkpoint."`
	Checkpoint LedgerCheckpointCmd `cmd:"" help:"Publish and print the latest signed checkpoint (to hand to a witness)."`
	Prove      LedgerProveCmd      `cmd:"" help:"Print an entry's inclusion proof; with --checkpoint, also prove that checkpoint consistent with the current log."`
}

// LedgerShowCmd lists entries.
type LedgerShowCmd struct {
	Since   string `help:"Only entries at or after this time (2026-03-01, 2026-03-01T12:00, RFC 3339) or this long ago (24h)."`
	Subject string `help:"Only entries about this object, e.g. copy/42."`
	Action  string `help:"Only entries of this action, e.g. copy.open."`
	Limit   int    `help:"At most this many entries."`
	JSON    bool   `help:"Print the entries as JSON, each with its canonical body (the API's types, docs/api.md)."`
}

func (c *LedgerShowCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	f := telltale.LedgerFilter{Subject: c.Subject, Action: c.Action, Limit: c.Limit}
	if c.Since != "" {
		if f.Since, err = parseSince(c.Since, e.main.Now()); err != nil {
			return err
		}
	}
	rows, err := svc.LedgerEntries(e.ctx, e.actor(), f)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stdout, server.WireLedger(rows))
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "No ledger entries match.")
		return nil
	}
	for _, row := range rows {
		en, err := ledger.Parse(row.Body)
		if err != nil {
			fmt.Fprintf(e.stdout, "#%d  (unreadable entry: %v — run telltale ledger verify)\n", row.Index, err)
			continue
		}
		var fields []string
		for _, k := range slices.Sorted(maps.Keys(en.Fields)) {
			fields = append(fields, k+"="+en.Fields[k])
		}
		fmt.Fprintf(e.stdout, "#%-5d %s  %-14s %-14s %-14s %s\n", row.Index, en.Time.Local().Format("2006-01-02 15:04:05"), en.Actor, en.Action, en.Subject, strings.Join(fields, " "))
	}
	return nil
}

func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--since %q: want a time such as 2026-03-01 or 2026-03-01T12:00, or a duration such as 24h", s)
}

// LedgerVerifyCmd verifies the ledger.
type LedgerVerifyCmd struct {
	Full bool `help:"Re-read and recompute every entry. Without it, only the entries appended since the last verification are, and the signed head is proved consistent with the checkpoint that verification recorded."`
	JSON bool `help:"Print the result as JSON (the API's answer, docs/api.md); the exit status is still 1 if the ledger does not verify."`
}

func (c *LedgerVerifyCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	start := time.Now()
	r, err := b.VerifyLedger(e.ctx, c.Full)
	if err != nil {
		return err
	}
	if c.JSON {
		if err := printJSON(e.stdout, r); err != nil {
			return err
		}
		if !r.OK {
			return errors.New("the ledger was altered (hint: restore the database from a backup and compare; the problems listed name the entries)")
		}
		return nil
	}
	if !r.OK {
		fmt.Fprintf(e.stdout, "LEDGER DOES NOT VERIFY: %d problems in %d entries:\n", len(r.Problems), r.Entries)
		for _, p := range r.Problems {
			fmt.Fprintf(e.stdout, "  %s\n", p)
		}
		return errors.New("the ledger was altered (hint: restore the database from a backup and compare; the problems above name the entries)")
	}
	took := time.Since(start).Round(time.Millisecond)
	if r.From == 0 {
		fmt.Fprintf(e.stdout, "Ledger verified: %d entries, every stored hash recomputed, %d published checkpoints and the signed head match (%s).\n",
			r.Entries, r.Checkpoints, took)
	} else {
		fmt.Fprintf(e.stdout, "Ledger verified: %d entries, the %d since the last verification recomputed, the signed head proved consistent with the checkpoint it recorded at %d entries, %d published checkpoints match (%s). Entries before %d were not re-read: --full re-reads everything.\n",
			r.Entries, r.Entries-r.From, r.From, r.Checkpoints, took, r.From)
	}
	if r.Head != nil {
		fmt.Fprintf(e.stdout, "Head: %d entries, root %s\n", r.Head.Size, r.Head.Hash)
	}
	return nil
}

// LedgerCheckpointCmd publishes the head.
type LedgerCheckpointCmd struct {
	Out string `help:"Also write the checkpoint to this file." placeholder:"FILE"`
}

func (c *LedgerCheckpointCmd) Run(e *env) error {
	b, err := e.backend()
	if err != nil {
		return err
	}
	note, err := b.Checkpoint(e.ctx)
	if err != nil {
		return err
	}
	e.stdout.Write(note)
	if c.Out != "" {
		if err := os.WriteFile(c.Out, note, 0o644); err != nil {
			return fmt.Errorf("failed to write %s: %w", c.Out, err)
		}
	}
	return nil
}

// LedgerProveCmd prints proofs.
type LedgerProveCmd struct {
	Entry      int64  `arg:"" help:"Entry number (as ledger show prints it)."`
	Checkpoint string `help:"An earlier checkpoint file: also prove it consistent with the current log." placeholder:"FILE"`
}

type proofOutput struct {
	Evidence    *ledger.Evidence `json:"evidence"`
	Consistency *consistency     `json:"consistency,omitempty"`
}

type consistency struct {
	OldSize int64    `json:"old_size"`
	NewSize int64    `json:"new_size"`
	Proof   []string `json:"proof"`
}

func (c *LedgerProveCmd) Run(e *env) error {
	svc, err := e.open()
	if err != nil {
		return err
	}
	var old *ledger.Checkpoint
	if c.Checkpoint != "" {
		b, err := os.ReadFile(c.Checkpoint)
		if err != nil {
			return fmt.Errorf("failed to read checkpoint: %w", unwrapPathError(err))
		}
		if old, err = svc.OpenCheckpoint(b); err != nil {
			return fmt.Errorf("%s: %v", c.Checkpoint, err)
		}
	}
	p, err := svc.ProveLedger(e.ctx, e.actor(), c.Entry, old)
	if err != nil {
		return err
	}
	// Check the proof as a witness would, with nothing but the key.
	if _, _, err := ledger.VerifyEvidence(p.Evidence, svc.LedgerKey()); err != nil {
		return fmt.Errorf("the proof does not verify: %v", err)
	}
	out := proofOutput{Evidence: p.Evidence}
	if cs := p.Consistency; cs != nil {
		out.Consistency = &consistency{OldSize: cs.OldSize, NewSize: cs.NewSize}
		for _, h := range cs.Proof {
			out.Consistency.Proof = append(out.Consistency.Proof, base64.StdEncoding.EncodeToString(h[:]))
		}
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	msg := fmt.Sprintf("entry %d is included in the signed log", c.Entry)
	if out.Consistency != nil {
		msg += fmt.Sprintf("; the checkpoint at %d entries is a prefix of the current log of %d", out.Consistency.OldSize, out.Consistency.NewSize)
	}
	fmt.Fprintln(e.stderr, "verified: "+msg)
	return nil
}
