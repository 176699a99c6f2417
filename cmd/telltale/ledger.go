package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
)

// LedgerCmd groups the ledger commands.
type LedgerCmd struct {
	Show       LedgerShowCmd       `cmd:"" help:"List ledger entries."`
	Verify     LedgerVerifyCmd     `cmd:"" help:"Recompute the whole log from its entries and check every checkpoint."`
	Checkpoint LedgerCheckpointCmd `cmd:"" help:"Publish and print the latest signed checkpoint (to hand to a witness)."`
	Prove      LedgerProveCmd      `cmd:"" help:"Print an entry's inclusion proof; with --checkpoint, also prove that checkpoint consistent with the current log."`
}

// LedgerShowCmd lists entries.
type LedgerShowCmd struct {
	Since   string `help:"Only entries at or after this time (2026-03-01, 2026-03-01T12:00, RFC 3339) or this long ago (24h)."`
	Subject string `help:"Only entries about this object, e.g. copy/42."`
	Action  string `help:"Only entries of this action, e.g. copy.open."`
	Limit   int    `help:"At most this many entries."`
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
	var entries []*telltale.LedgerEntry
	if err := svc.Store().View(e.ctx, func(tx telltale.Tx) (err error) { entries, err = tx.LedgerFind(f); return err }); err != nil {
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintln(e.stdout, "No ledger entries match.")
		return nil
	}
	for _, row := range entries {
		en, err := ledger.Parse(row.Body)
		if err != nil {
			fmt.Fprintf(e.stdout, "#%d  (unreadable entry: %v — run telltale ledger verify)\n", row.Index, err)
			continue
		}
		var fields []string
		for _, k := range sortedKeys(en.Fields) {
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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

// LedgerVerifyCmd verifies the ledger.
type LedgerVerifyCmd struct{}

func (c *LedgerVerifyCmd) Run(e *env) error {
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
	var r *ledger.Report
	start := time.Now()
	if err := svc.Store().View(e.ctx, func(tx telltale.Tx) (err error) { r, err = svc.Ledger().Verify(tx); return err }); err != nil {
		return err
	}
	if !r.OK() {
		fmt.Fprintf(e.stdout, "LEDGER DOES NOT VERIFY: %d problems in %d entries:\n", len(r.Problems), r.Entries)
		for _, p := range r.Problems {
			fmt.Fprintf(e.stdout, "  %s\n", p)
		}
		return errors.New("the ledger was altered (hint: restore the database from a backup and compare; the problems above name the entries)")
	}
	fmt.Fprintf(e.stdout, "Ledger verified: %d entries, every stored hash recomputed, %d published checkpoints and the signed head match (%s).\n",
		r.Entries, r.Checkpoints, time.Since(start).Round(time.Millisecond))
	if r.Head != nil {
		fmt.Fprintf(e.stdout, "Head: %d entries, root %s\n", r.Head.Size, base64.StdEncoding.EncodeToString(r.Head.Hash[:]))
	}
	return nil
}

// LedgerCheckpointCmd publishes the head.
type LedgerCheckpointCmd struct {
	Out string `help:"Also write the checkpoint to this file." placeholder:"FILE"`
}

func (c *LedgerCheckpointCmd) Run(e *env) error {
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
	var cp *ledger.Checkpoint
	if err := svc.Store().Update(e.ctx, func(tx telltale.Tx) (err error) { cp, err = svc.Ledger().Publish(tx, e.main.Now()); return err }); err != nil {
		return err
	}
	fmt.Fprint(e.stdout, string(cp.Note))
	if c.Out != "" {
		if err := os.WriteFile(c.Out, cp.Note, 0o644); err != nil {
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
	log := svc.Ledger()
	var old *ledger.Checkpoint
	if c.Checkpoint != "" {
		b, err := os.ReadFile(c.Checkpoint)
		if err != nil {
			return fmt.Errorf("failed to read checkpoint: %w", unwrapPathError(err))
		}
		if old, err = ledger.OpenCheckpoint(b, log.VerifierKey()); err != nil {
			return fmt.Errorf("%s: %v", c.Checkpoint, err)
		}
	}
	var out proofOutput
	err = svc.Store().View(e.ctx, func(tx telltale.Tx) error {
		ev, err := log.Export(tx, []int64{c.Entry})
		if err != nil {
			return err
		}
		out.Evidence = ev
		if old != nil {
			head, err := log.Head(tx)
			if err != nil {
				return err
			}
			p, err := log.ProveConsistency(tx, old.Size, head.Size)
			if err != nil {
				return err
			}
			if err := tlog.CheckTree(p, head.Size, head.Hash, old.Size, old.Hash); err != nil {
				return fmt.Errorf("the checkpoint at %d entries is NOT consistent with the current log: %v", old.Size, err)
			}
			cs := &consistency{OldSize: old.Size, NewSize: head.Size}
			for _, h := range p {
				cs.Proof = append(cs.Proof, base64.StdEncoding.EncodeToString(h[:]))
			}
			out.Consistency = cs
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, _, err := ledger.VerifyEvidence(out.Evidence, log.VerifierKey()); err != nil {
		return fmt.Errorf("the proof does not verify: %v", err)
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
