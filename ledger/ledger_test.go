package ledger_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
	_ "modernc.org/sqlite"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/sqlite"
)

var ctx = context.Background()

func newLog(t testing.TB, name string) *ledger.Log {
	t.Helper()
	skey, vkey, err := ledger.GenerateKeys(name)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.New(skey, vkey)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func openDB(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func entry(i int) *ledger.Entry {
	return &ledger.Entry{Time: t0.Add(time.Duration(i) * time.Second), Actor: "cli:tester", Action: ledger.ActionCopyOpen,
		Subject: fmt.Sprintf("copy/%d", i%17), Fields: map[string]string{"format": "html", "n": fmt.Sprint(i)}}
}

func appendN(t testing.TB, db telltale.Store, l *ledger.Log, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if err := db.Update(ctx, func(tx telltale.Tx) error { _, err := l.Append(tx, entry(i)); return err }); err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, db telltale.Store, l *ledger.Log) *ledger.Verification {
	t.Helper()
	var r *ledger.Verification
	if err := db.View(ctx, func(tx telltale.Tx) (err error) { r, err = l.Verify(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEntryEncoding(t *testing.T) {
	t.Parallel()
	e := entry(3)
	b, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := "telltale ledger entry v1\ntime 2026-03-01T09:00:03Z\nactor cli:tester\naction copy.open\nsubject copy/3\nformat html\nn 3\n"
	if string(b) != want {
		t.Errorf("Encode =\n%s\nwant\n%s", b, want)
	}
	back, err := ledger.Parse(b)
	if err != nil || back.Subject != "copy/3" || back.Fields["n"] != "3" || !back.Time.Equal(e.Time) {
		t.Errorf("Parse = %+v, %v", back, err)
	}
	for _, bad := range []*ledger.Entry{
		{Time: t0, Actor: "two words", Action: "a", Subject: "s"},
		{Time: t0, Actor: "a", Action: "Bad Action", Subject: "s"},
		{Time: t0, Actor: "a", Action: "a", Subject: "s", Fields: map[string]string{"text": "plain text here"}},
		{Actor: "a", Action: "a", Subject: "s"},
	} {
		if _, err := bad.Encode(); err == nil {
			t.Errorf("Encode(%+v) accepted", bad)
		}
	}
	for _, bad := range []string{"", "telltale ledger entry v1\n", want[:len(want)-1], strings.Replace(want, "n 3\nformat html\n", "", 1) + "n 3\nformat html\n", strings.Replace(want, "format html\nn 3", "n 3\nformat html", 1)} {
		if _, err := ledger.Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted a non-canonical entry", bad)
		}
	}
	if ledger.Clean("a b\tc") != "a_b_c" || ledger.Clean("") != "-" {
		t.Error("Clean")
	}
}

func FuzzParse(f *testing.F) {
	b, _ := entry(1).Encode()
	f.Add(b)
	f.Add([]byte("telltale ledger entry v1\ntime x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ledger.Parse(b)
		if err != nil {
			return
		}
		again, err := e.Encode()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("Parse accepted %q but Encode gives %q, %v", b, again, err)
		}
	})
}

// TestRandomized: after every step of a random sequence of appends,
// published checkpoints and failed transactions, the log verifies, every
// checkpoint is consistent with every earlier one, and inclusion proofs
// check.
func TestRandomized(t *testing.T) {
	t.Parallel()
	db := openDB(t, filepath.Join(t.TempDir(), "l.db"))
	l := newLog(t, "test")
	rng := rand.New(rand.NewPCG(1, 2))
	var checkpoints []*ledger.Checkpoint
	n := 0
	marked := int64(0) // entries the last recorded verification covered
	for step := 0; step < 120; step++ {
		switch k := rng.IntN(10); {
		case k < 6: // a transaction with a few entries
			m := 1 + rng.IntN(4)
			if err := db.Update(ctx, func(tx telltale.Tx) error {
				for i := 0; i < m; i++ {
					if _, err := l.Append(tx, entry(n+i)); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			n += m
		case k < 8: // a failed transaction leaves nothing
			err := db.Update(ctx, func(tx telltale.Tx) error {
				if _, err := l.Append(tx, entry(9999)); err != nil {
					return err
				}
				return io.ErrUnexpectedEOF
			})
			if err != io.ErrUnexpectedEOF {
				t.Fatalf("failed transaction returned %v", err)
			}
		default: // publish a checkpoint
			var c *ledger.Checkpoint
			if err := db.Update(ctx, func(tx telltale.Tx) (err error) { c, err = l.Publish(tx, t0); return err }); err != nil {
				t.Fatal(err)
			}
			checkpoints = append(checkpoints, c)
		}
		r := verify(t, db, l)
		if !r.OK() || r.Entries != int64(n) {
			t.Fatalf("step %d: %d entries (want %d), problems %v", step, r.Entries, n, r.Problems)
		}
		// Verifying what is new starts where the last one recorded.
		if rng.IntN(3) == 0 {
			if rn := markVerified(t, db, l); rn.Entries != int64(n) || rn.From != marked {
				t.Fatalf("step %d: verified %d entries from %d, want %d from %d", step, rn.Entries, rn.From, n, marked)
			}
			marked = int64(n)
		}
		err := db.View(ctx, func(tx telltale.Tx) error {
			head, err := l.Head(tx)
			if err != nil {
				return err
			}
			for _, c := range checkpoints {
				p, err := l.ProveConsistency(tx, c.Size, head.Size)
				if err != nil {
					return err
				}
				if err := tlog.CheckTree(p, head.Size, head.Hash, c.Size, c.Hash); err != nil {
					return fmt.Errorf("checkpoint %d not consistent with head %d: %v", c.Size, head.Size, err)
				}
			}
			if head.Size > 0 {
				i := rng.Int64N(head.Size)
				p, err := l.ProveEntry(tx, i, head.Size)
				if err != nil {
					return err
				}
				body, _ := entry(int(i)).Encode()
				if err := tlog.CheckRecord(p, head.Size, head.Hash, i, tlog.RecordHash(body)); err != nil {
					return fmt.Errorf("entry %d: %v", i, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
	}
}

// tamperDB builds a ledger of 60 entries with checkpoints at 20 and 40, and
// returns its path, the log and a raw connection with the append-only
// triggers dropped, as an attacker with the file would.
func tamperDB(t *testing.T) (string, *ledger.Log, *sql.DB) {
	return tamperDBVerified(t, 0)
}

// tamperDBVerified is tamperDB where a verification recorded the log
// as verified at verified entries (a multiple of 20; 0 for none).
func tamperDBVerified(t *testing.T, verified int) (string, *ledger.Log, *sql.DB) {
	path := filepath.Join(t.TempDir(), "l.db")
	db := openDB(t, path)
	l := newLog(t, "tamper")
	for _, stop := range []int{20, 40, 60} {
		appendN(t, db, l, stop-20, 20)
		if stop < 60 {
			if err := db.Update(ctx, func(tx telltale.Tx) error { _, err := l.Publish(tx, t0); return err }); err != nil {
				t.Fatal(err)
			}
		}
		if stop == verified {
			markVerified(t, db, l)
		}
	}
	if r := verify(t, db, l); !r.OK() {
		t.Fatalf("fresh ledger does not verify: %v", r.Problems)
	}
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	for _, trg := range []string{"ledger_entries_append_only", "ledger_entries_keep", "ledger_hashes_append_only", "ledger_hashes_keep"} {
		if _, err := raw.Exec("DROP TRIGGER " + trg); err != nil {
			t.Fatal(err)
		}
	}
	return path, l, raw
}

// TestTampering edits the SQLite file's rows directly and checks that
// verify fails and names the entry.
func TestTampering(t *testing.T) {
	t.Parallel()
	otherSkey, otherVkey, _ := ledger.GenerateKeys("tamper")
	forger, _ := ledger.New(otherSkey, otherVkey)
	tests := []struct {
		name   string
		edit   func(t *testing.T, raw *sql.DB, l *ledger.Log)
		entry  int64  // entry the first problem must name, -1 for none
		wanted string // in the first problem
	}{
		{"payload hash changed", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			exec(t, raw, `UPDATE ledger_entries SET body = replace(body, 'n 17', 'n 71') WHERE idx = 17`)
		}, 17, "content changed"},
		{"time column changed", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			exec(t, raw, `UPDATE ledger_entries SET time = time + 3600000000000 WHERE idx = 23`)
		}, 23, "columns were changed"},
		{"time in the entry changed", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			exec(t, raw, `UPDATE ledger_entries SET body = replace(body, '09:00:31Z', '08:00:31Z'), time = time - 3600000000000 WHERE idx = 31`)
		}, 31, "content changed"},
		{"reordered", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			exec(t, raw, `UPDATE ledger_entries SET idx = -1 WHERE idx = 10`)
			exec(t, raw, `UPDATE ledger_entries SET idx = 10 WHERE idx = 11`)
			exec(t, raw, `UPDATE ledger_entries SET idx = 11 WHERE idx = -1`)
		}, 10, "content changed"},
		{"deleted", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			exec(t, raw, `DELETE FROM ledger_entries WHERE idx = 42`)
		}, 42, "missing"},
		{"deleted from the end", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			exec(t, raw, `DELETE FROM ledger_entries WHERE idx >= 55`)
		}, 55, "deleted"},
		{"inserted at the end", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			e := entry(60)
			body, _ := e.Encode()
			exec(t, raw, `INSERT INTO ledger_entries (idx, body, time, actor, action, subject) VALUES (60, ?, ?, ?, ?, ?)`, body, e.Time.UnixNano(), e.Actor, e.Action, e.Subject)
		}, 60, "inserted"},
		{"forged head", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			note := signedBy(t, forger, 60)
			exec(t, raw, `UPDATE ledger_head SET note = ?`, note)
		}, -1, "signature"},
		{"forged checkpoint", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			note := signedBy(t, forger, 20)
			exec(t, raw, `UPDATE ledger_checkpoints SET note = ? WHERE size = 20`, note)
		}, -1, "checkpoint at 20 entries"},
		{"rewritten with its hashes", func(t *testing.T, raw *sql.DB, l *ledger.Log) {
			// The attacker edits entry 5 and recomputes every stored
			// hash; only the signed checkpoints can tell.
			exec(t, raw, `UPDATE ledger_entries SET body = replace(body, 'n 5', 'n 6') WHERE idx = 5`)
			rehash(t, raw)
		}, -1, "entries 0–19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path, l, raw := tamperDB(t)
			tt.edit(t, raw, l)
			raw.Close()
			db := openDB(t, path)
			r := verify(t, db, l)
			if r.OK() {
				t.Fatal("verify passed a tampered ledger")
			}
			p := r.Problems[0]
			if p.Entry != tt.entry || !strings.Contains(p.String(), tt.wanted) {
				t.Errorf("first problem %q (entry %d), want entry %d mentioning %q; all: %v", p, p.Entry, tt.entry, tt.wanted, r.Problems)
			}
		})
	}
}

// TestVerifyNewTampering makes the edits of TestTampering to a log
// recorded as verified at 40 of its 60 entries. The incremental
// verification names what changed after 40 as the full one does; an edit
// before 40 that breaks the stored tree (rewritten hashes) makes the head
// inconsistent with the recorded checkpoint, and the full verification
// that follows names the entries. An edit before 40 that leaves the
// stored hashes alone is what an incremental verification does not see,
// as documented: only the full one finds it.
func TestVerifyNewTampering(t *testing.T) {
	t.Parallel()
	otherSkey, otherVkey, _ := ledger.GenerateKeys("tamper")
	forger, _ := ledger.New(otherSkey, otherVkey)
	tests := []struct {
		name   string
		edit   string // SQL, or "" for the ones below
		forge  func(t *testing.T, raw *sql.DB)
		entry  int64  // entry the first problem must name, -1 for none, -2 for no problem
		wanted string // in the first problem
		full   string // in a later problem, from the full verification that follows
	}{
		{"payload changed after the checkpoint", `UPDATE ledger_entries SET body = replace(body, 'n 47', 'n 74') WHERE idx = 47`, nil, 47, "content changed", ""},
		{"columns changed after the checkpoint", `UPDATE ledger_entries SET time = time + 3600000000000 WHERE idx = 43`, nil, 43, "columns were changed", ""},
		{"deleted after the checkpoint", `DELETE FROM ledger_entries WHERE idx = 42`, nil, 42, "missing", ""},
		{"deleted from the end", `DELETE FROM ledger_entries WHERE idx >= 55`, nil, 55, "deleted", ""},
		{"deleted before the checkpoint", `DELETE FROM ledger_entries WHERE idx >= 35`, nil, -1, "not consistent with the checkpoint verified", "checkpoint at 40 entries (entries 20–39): covers 40 entries but only 35"},
		{"stored hash changed before the checkpoint", `UPDATE ledger_hashes SET hash = zeroblob(32) WHERE idx = 62`, nil, -1, "not consistent with the checkpoint verified", "stored tree hash over entries 0–31"},
		{"forged checkpoint", "", func(t *testing.T, raw *sql.DB) {
			exec(t, raw, `UPDATE ledger_checkpoints SET note = ? WHERE size = 20`, signedBy(t, forger, 20))
		}, -1, "checkpoint at 20 entries", ""},
		{"rewritten with its hashes", "", func(t *testing.T, raw *sql.DB) {
			exec(t, raw, `UPDATE ledger_entries SET body = replace(body, 'n 5', 'n 6') WHERE idx = 5`)
			rehash(t, raw)
		}, -1, "not consistent with the checkpoint verified", "entries 0–19"},
		{"payload changed before the checkpoint", `UPDATE ledger_entries SET body = replace(body, 'n 17', 'n 71') WHERE idx = 17`, nil, -2, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path, l, raw := tamperDBVerified(t, 40)
			if tt.forge != nil {
				tt.forge(t, raw)
			} else {
				exec(t, raw, tt.edit)
			}
			raw.Close()
			db := openDB(t, path)
			var r *ledger.Verification
			if err := db.View(ctx, func(tx telltale.Tx) (err error) { r, err = l.VerifyNew(tx); return err }); err != nil {
				t.Fatal(err)
			}
			if tt.entry == -2 {
				if !r.OK() || r.From != 40 {
					t.Fatalf("an incremental verification from 40 found %v (from %d); it cannot see this edit", r.Problems, r.From)
				}
				if full := verify(t, db, l); full.OK() || full.Problems[0].Entry != 17 {
					t.Errorf("the full verification did not name entry 17: %v", full.Problems)
				}
				return
			}
			if r.OK() {
				t.Fatal("verify passed a tampered ledger")
			}
			p := r.Problems[0]
			if p.Entry != tt.entry || !strings.Contains(p.String(), tt.wanted) {
				t.Errorf("first problem %q (entry %d), want entry %d mentioning %q; all: %v", p, p.Entry, tt.entry, tt.wanted, r.Problems)
			}
			if tt.full != "" && !strings.Contains(fmt.Sprint(r.Problems[1:]), tt.full) {
				t.Errorf("the full verification that follows does not say %q: %v", tt.full, r.Problems)
			}
			// Nothing is recorded after a failed verification.
			if err := db.Update(ctx, func(tx telltale.Tx) error { return l.MarkVerified(tx, r, t0) }); err != nil {
				t.Fatal(err)
			}
			if err := db.View(ctx, func(tx telltale.Tx) error {
				v, err := l.LastVerified(tx)
				if err == nil && (v == nil || v.Size != 40) {
					err = fmt.Errorf("recorded %+v after a failed verification, want 40 entries", v)
				}
				return err
			}); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestVerifiedRecord: a signed head copied over the record of the last
// verification is no such record: the verification says so and reads
// everything, and a full verification records a valid one again. A slower
// verification of an older head never moves the record back.
func TestVerifiedRecord(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "l.db")
	db := openDB(t, path)
	l := newLog(t, "record")
	appendN(t, db, l, 0, 30)
	markVerified(t, db, l)
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec(t, raw, `UPDATE ledger_verified SET note = (SELECT note FROM ledger_head)`)
	var r *ledger.Verification
	if err := db.View(ctx, func(tx telltale.Tx) (err error) { r, err = l.VerifyNew(tx); return err }); err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Msg, "record of the last verification is not valid") || r.From != 0 {
		t.Fatalf("verify with a head as its record: from %d, %v", r.From, r.Problems)
	}
	full := verify(t, db, l)
	if err := db.Update(ctx, func(tx telltale.Tx) error { return l.MarkVerified(tx, full, t0) }); err != nil {
		t.Fatal(err)
	}
	if rn := markVerified(t, db, l); rn.From != 30 {
		t.Fatalf("after a full verification, verified from %d, want 30", rn.From)
	}

	older := verify(t, db, l)
	appendN(t, db, l, 30, 10)
	markVerified(t, db, l)
	if err := db.Update(ctx, func(tx telltale.Tx) error { return l.MarkVerified(tx, older, t0) }); err != nil {
		t.Fatal(err)
	}
	if err := db.View(ctx, func(tx telltale.Tx) error {
		v, err := l.LastVerified(tx)
		if err == nil && v.Size != 40 {
			err = fmt.Errorf("the record moved back to %d entries", v.Size)
		}
		return err
	}); err != nil {
		t.Error(err)
	}
}

// markVerified verifies the log incrementally, checks it found nothing,
// and records how far.
func markVerified(t testing.TB, db telltale.Store, l *ledger.Log) *ledger.Verification {
	t.Helper()
	var r *ledger.Verification
	if err := db.View(ctx, func(tx telltale.Tx) (err error) { r, err = l.VerifyNew(tx); return err }); err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("verify: %v", r.Problems)
	}
	if err := db.Update(ctx, func(tx telltale.Tx) error { return l.MarkVerified(tx, r, t0) }); err != nil {
		t.Fatal(err)
	}
	return r
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// rehash recomputes every stored hash from the (tampered) entries.
func rehash(t *testing.T, raw *sql.DB) {
	rows, err := raw.Query(`SELECT body FROM ledger_entries ORDER BY idx`)
	if err != nil {
		t.Fatal(err)
	}
	var bodies [][]byte
	for rows.Next() {
		var b []byte
		rows.Scan(&b)
		bodies = append(bodies, b)
	}
	rows.Close()
	var mem []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, k := range idx {
			out[i] = mem[k]
		}
		return out, nil
	})
	for n, b := range bodies {
		hs, err := tlog.StoredHashes(int64(n), b, reader)
		if err != nil {
			t.Fatal(err)
		}
		mem = append(mem, hs...)
	}
	exec(t, raw, `DELETE FROM ledger_hashes`)
	for i, h := range mem {
		exec(t, raw, `INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`, i, h[:])
	}
}

// signedBy signs a checkpoint of the given size with an arbitrary root.
func signedBy(t *testing.T, l *ledger.Log, size int64) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.db")
	db := openDB(t, path)
	appendN(t, db, l, 0, int(size))
	var c *ledger.Checkpoint
	if err := db.View(ctx, func(tx telltale.Tx) (err error) { c, err = l.Head(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return c.Note
}

// TestConcurrentWriters: two processes' worth of connections append to
// one database at once; no entry is lost and the log never forks.
func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "l.db")
	a, b := openDB(t, path), openDB(t, path)
	l := newLog(t, "shared")
	const each = 150
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w, db := range []*sqlite.DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := db.Update(ctx, func(tx telltale.Tx) error {
					r := &telltale.Recipient{Name: "R", Email: fmt.Sprintf("w%d-%d@example.org", w, i), CreatedAt: t0}
					if err := tx.CreateRecipient(r); err != nil {
						return err
					}
					_, err := l.Append(tx, &ledger.Entry{Time: t0, Actor: fmt.Sprintf("writer/%d", w), Action: ledger.ActionRecipientAdd, Subject: fmt.Sprintf("recipient/%d", r.ID)})
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	r := verify(t, a, l)
	if !r.OK() || r.Entries != 2*each || r.Head.Size != 2*each {
		t.Fatalf("after concurrent writers: %d entries, head %+v, problems %v", r.Entries, r.Head, r.Problems)
	}
}

func TestEvidence(t *testing.T) {
	t.Parallel()
	db := openDB(t, filepath.Join(t.TempDir(), "l.db"))
	l := newLog(t, "ev")
	appendN(t, db, l, 0, 25)
	var ev *ledger.Evidence
	if err := db.View(ctx, func(tx telltale.Tx) (err error) { ev, err = l.Export(tx, []int64{3, 17, 3}); return err }); err != nil {
		t.Fatal(err)
	}
	entries, c, err := ledger.VerifyEvidence(ev, l.VerifierKey())
	if err != nil || len(entries) != 2 || c.Size != 25 {
		t.Fatalf("VerifyEvidence = %d entries, %+v, %v", len(entries), c, err)
	}
	tamper := []func(e *ledger.Evidence){
		func(e *ledger.Evidence) { e.Entries[0].Body = strings.Replace(e.Entries[0].Body, "n 3", "n 4", 1) },
		func(e *ledger.Evidence) {
			e.Entries[0].Proof, e.Entries[1].Proof = e.Entries[1].Proof, e.Entries[0].Proof
		},
		func(e *ledger.Evidence) { e.Entries[1].Index = 16 },
		func(e *ledger.Evidence) { e.Checkpoint = strings.Replace(e.Checkpoint, "\n25\n", "\n26\n", 1) },
	}
	for i, f := range tamper {
		cp := *ev
		cp.Entries = append([]ledger.ProvedEntry(nil), ev.Entries...)
		f(&cp)
		if _, _, err := ledger.VerifyEvidence(&cp, l.VerifierKey()); err == nil {
			t.Errorf("tampered evidence %d verified", i)
		}
	}
	other := newLog(t, "ev")
	if _, _, err := ledger.VerifyEvidence(ev, other.VerifierKey()); err == nil {
		t.Error("evidence verified with another ledger's key")
	}
}

func TestKeyFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, v := filepath.Join(dir, "ledger.key"), filepath.Join(dir, "ledger.pub")
	if err := ledger.WriteKeys(s, v, "tt"); err != nil {
		t.Fatal(err)
	}
	if err := ledger.WriteKeys(s, v, "tt"); err == nil {
		t.Error("WriteKeys overwrote a key")
	}
	if _, err := ledger.Open(s, v); err != nil {
		t.Fatal(err)
	}
	os.Chmod(s, 0o644)
	if _, err := ledger.Open(s, v); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable key accepted: %v", err)
	}
}

func TestHolderCommitment(t *testing.T) {
	t.Parallel()
	salt := [32]byte{1}
	a := ledger.HolderCommitment(salt, "recipient/1", "Dana Ortiz", "dana@example.org")
	for name, other := range map[string]string{
		"another salt":      ledger.HolderCommitment([32]byte{2}, "recipient/1", "Dana Ortiz", "dana@example.org"),
		"another recipient": ledger.HolderCommitment(salt, "recipient/2", "Dana Ortiz", "dana@example.org"),
		"another name":      ledger.HolderCommitment(salt, "recipient/1", "Lee Chen", "dana@example.org"),
		"another email":     ledger.HolderCommitment(salt, "recipient/1", "Dana Ortiz", "lee@example.org"),
		"fields shifted":    ledger.HolderCommitment(salt, "recipient/1", "Dana Ortizdana@example.org", ""),
	} {
		if other == a {
			t.Errorf("%s gives the same commitment", name)
		}
	}
	if a != ledger.HolderCommitment(salt, "recipient/1", "Dana Ortiz", "dana@example.org") || len(a) != len("sha256:")+64 {
		t.Errorf("commitment %q is not deterministic or not a sha256", a)
	}
}

// countingTx counts the stored hashes a transaction reads.
type countingTx struct {
	telltale.Tx
	reads *int
}

func (c countingTx) LedgerReadHashes(indexes []int64) ([][32]byte, error) {
	*c.reads += len(indexes)
	return c.Tx.LedgerReadHashes(indexes)
}

// TestFrontier: a log that appended last knows the hashes its next
// append needs and reads none; after another log (another process)
// appended, or an append was rolled back, it reads them again; the log
// verifies throughout.
func TestFrontier(t *testing.T) {
	t.Parallel()
	db := openDB(t, filepath.Join(t.TempDir(), "l.db"))
	skey, vkey, err := ledger.GenerateKeys("front")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := ledger.New(skey, vkey)
	b, _ := ledger.New(skey, vkey)
	reads := 0
	n := 0
	appendBy := func(l *ledger.Log, fail bool) {
		t.Helper()
		err := db.Update(ctx, func(tx telltale.Tx) error {
			if _, err := l.Append(countingTx{tx, &reads}, entry(n)); err != nil {
				return err
			}
			if fail {
				return io.ErrUnexpectedEOF
			}
			return nil
		})
		if fail != (err == io.ErrUnexpectedEOF) || !fail && err != nil {
			t.Fatalf("append %d: %v", n, err)
		}
		if !fail {
			n++
		}
	}
	for step := range 200 {
		reads = 0
		switch step % 10 {
		case 3: // another process appends: the next append of a misses
			appendBy(b, false)
			appendBy(a, false)
			if reads == 0 {
				t.Errorf("step %d: no hash read after another log appended", step)
			}
		case 7: // a rolled-back append leaves nothing to trust
			appendBy(a, true)
			reads = 0
			appendBy(a, false)
			if n > 2 && reads == 0 {
				t.Errorf("step %d: no hash read after a rollback", step)
			}
		default:
			appendBy(a, false)
			if step > 0 && reads != 0 {
				t.Errorf("step %d: %d hashes read by the log that appended last", step, reads)
			}
		}
		if r := verify(t, db, a); !r.OK() || r.Entries != int64(n) {
			t.Fatalf("step %d: %d entries, %v", step, r.Entries, r.Problems)
		}
	}
}
