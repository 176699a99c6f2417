package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/postgres/pgtest"
	"github.com/telltale-dev/telltale/storetest"
)

var ctx = context.Background()

// open opens a store on a fresh database (see package pgtest; the test
// skips without TELLTALE_TEST_DATABASE).
func open(t *testing.T) *DB {
	t.Helper()
	return openURL(t, pgtest.URL(t))
}

func openURL(t *testing.T, url string) *DB {
	t.Helper()
	db, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) telltale.Store { return open(t) })
}

func TestMigrate(t *testing.T) {
	url := pgtest.URL(t)
	// Instances starting at once: the advisory lock lets one migrate,
	// the others find the schema current.
	const n = 3
	dbs := make([]*DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = Open(ctx, url) })
	}
	wg.Wait()
	all, _ := embedded()
	applied := 0
	for i, db := range dbs {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		defer db.Close()
		applied += len(db.Applied())
	}
	if applied != len(all) {
		t.Errorf("%d migrations applied by %d instances; want each of the %d once", applied, n, len(all))
	}
	v, err := dbs[0].SchemaVersion(ctx)
	if err != nil || v != all[len(all)-1].Version {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, all[len(all)-1].Version)
	}
	// Reopening applies nothing.
	again := openURL(t, url)
	if len(again.Applied()) != 0 {
		t.Errorf("reopen applied %v", again.Applied())
	}
	// A schema newer than this telltale is refused.
	if _, err := dbs[0].pool.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, url); err == nil || !strings.Contains(err.Error(), "upgrade telltale") {
		t.Fatalf("Open of a newer schema = %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(ctx, "/var/lib/telltale"); err == nil || !strings.Contains(err.Error(), "not a PostgreSQL URL") {
		t.Errorf("Open(path) = %v", err)
	}
	// Nothing listens on port 1; the password is not shown.
	_, err := Open(ctx, "postgres://u:secret@127.0.0.1:1/x?sslmode=disable&connect_timeout=5")
	if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "failed to connect") {
		t.Errorf("Open(unreachable) = %v", err)
	}
}

// TestImmutable: the database itself refuses to change or delete stored
// versions, copy identities, evidence and ledger entries, whatever code
// runs against it.
func TestImmutable(t *testing.T) {
	db := open(t)
	raw := func(q string) error {
		_, err := db.pool.Exec(ctx, q)
		return err
	}
	for _, q := range []string{
		`INSERT INTO documents (slug, created_at) VALUES ('d', 1)`,
		`INSERT INTO versions (id, document_id, number, created_at, source_hash, nonce, coalition, sealed_source, sealed_template)
			VALUES (1, 1, 1, 1, decode(repeat('00', 32), 'hex'), decode(repeat('00', 16), 'hex'), 3, '\x00', '\x00')`,
		`INSERT INTO recipients (id, name, email, created_at) VALUES (1, 'r', 'r@example.org', 1)`,
		`INSERT INTO copies (id, version_id, recipient_id, number, of_total, nonce, commitment, formats, issued_at)
			VALUES (1, 1, 1, 1, 1, decode(repeat('00', 16), 'hex'), decode(repeat('00', 32), 'hex'), 'md', 1)`,
		`INSERT INTO cases (id, title, state, nonce, created_by, created_at, updated_at) VALUES (1, 'c', 'intake', '\x00', 'x', 1, 1)`,
		`INSERT INTO case_evidence (case_id, kind, name, sha256, size, sealed, added_by, added_at) VALUES (1, 'text', 'n', decode(repeat('00', 32), 'hex'), 1, '\x00', 'x', 1)`,
		`INSERT INTO ledger_entries (idx, body, time, actor, action, subject) VALUES (0, '\x00', 1, 'a', 'b', 'c')`,
		`UPDATE copies SET revoked_at = 5`, // revocation is allowed
	} {
		if err := raw(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, tt := range []struct{ q, want string }{
		{`UPDATE versions SET sealed_source = '\x01'`, "versions are immutable"},
		{`DELETE FROM versions`, "versions cannot be deleted"},
		{`TRUNCATE versions CASCADE`, "versions cannot be deleted"},
		{`UPDATE copies SET nonce = nonce`, "copies are immutable"},
		{`UPDATE case_evidence SET name = 'x'`, "evidence is immutable"},
		{`DELETE FROM case_evidence`, "evidence cannot be deleted"},
		{`UPDATE ledger_entries SET actor = 'x'`, "append-only"},
		{`DELETE FROM ledger_entries`, "append-only"},
	} {
		if err := raw(tt.q); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.q, err, tt.want)
		}
	}
	// Through the store, the refusal is an invalid request.
	err := db.Update(ctx, func(tx telltale.Tx) error {
		_, err := tx.(*Tx).exec("change version", `UPDATE versions SET title = 'x'`)
		return err
	})
	if telltale.ErrorCode(err) != telltale.EINVALID {
		t.Errorf("update of a version through the store: %v", err)
	}
}

// TestLedgerCompareAndSwap: without the write lock, two transactions that
// both read the same head cannot both advance it.
func TestLedgerCompareAndSwap(t *testing.T) {
	db := open(t)
	begin := func() *Tx {
		ptx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ptx.Rollback(ctx) })
		return &Tx{ctx: ctx, tx: ptx}
	}
	head := func(b byte) *telltale.LedgerHead {
		return &telltale.LedgerHead{Size: int64(b), Hash: [32]byte{b}, Note: []byte{b}}
	}
	if err := db.Update(ctx, func(tx telltale.Tx) error { return tx.LedgerAdvance(nil, head(1)) }); err != nil {
		t.Fatal(err)
	}
	a, b := begin(), begin()
	for _, tx := range []*Tx{a, b} {
		if h, err := tx.LedgerHead(); err != nil || h.Size != 1 {
			t.Fatalf("LedgerHead = %+v, %v", h, err)
		}
	}
	if err := a.LedgerAdvance(head(1), head(2)); err != nil {
		t.Fatal(err)
	}
	if err := a.tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.LedgerAdvance(head(1), head(3)); err == nil {
		t.Fatal("a stale head advanced: the ledger forked")
	}
	b.tx.Rollback(ctx)
	// A stale head in a read-committed transaction matches no row.
	ptx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		t.Fatal(err)
	}
	defer ptx.Rollback(ctx)
	err = (&Tx{ctx: ctx, tx: ptx}).LedgerAdvance(head(1), head(3))
	if telltale.ErrorCode(err) != telltale.ECONFLICT {
		t.Fatalf("advance from a stale head = %v, want a conflict", err)
	}
	db.View(ctx, func(tx telltale.Tx) error {
		if h, _ := tx.LedgerHead(); h.Size != 2 {
			t.Errorf("head = %+v, want size 2", h)
		}
		return nil
	})
}

// TestUpdateRetries: a serialization failure runs the function again; other
// errors do not.
func TestUpdateRetries(t *testing.T) {
	db := open(t)
	runs := 0
	err := db.Update(ctx, func(tx telltale.Tx) error {
		runs++
		if runs < 3 {
			return &telltale.Error{Code: telltale.EINTERNAL, Message: "x", Err: &pgconn.PgError{Code: "40001"}}
		}
		return tx.CreateRecipient(&telltale.Recipient{Name: "R", Email: "r@example.org"})
	})
	if err != nil || runs != 3 {
		t.Fatalf("Update = %v after %d runs; want success on the third", err, runs)
	}
	runs = 0
	err = db.Update(ctx, func(tx telltale.Tx) error { runs++; return &pgconn.PgError{Code: "40P01"} })
	if err == nil || runs != maxAttempts {
		t.Errorf("Update with a deadlock every time = %v after %d runs; want failure after %d", err, runs, maxAttempts)
	}
	runs = 0
	boom := errors.New("boom")
	if err := db.Update(ctx, func(tx telltale.Tx) error { runs++; return boom }); !errors.Is(err, boom) || runs != 1 {
		t.Errorf("Update = %v after %d runs; want boom after one", err, runs)
	}
}

// TestLedgerTwoInstances appends to one ledger from two stores (two
// connection pools, as two server instances have) concurrently: nothing
// forks, nothing is lost, and the log verifies.
func TestLedgerTwoInstances(t *testing.T) {
	url := pgtest.URL(t)
	skey, vkey, err := ledger.GenerateKeys("test")
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.New(skey, vkey)
	if err != nil {
		t.Fatal(err)
	}
	stores := []*DB{openURL(t, url), openURL(t, url)}
	const workers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		db := stores[w%2]
		wg.Go(func() {
			for i := range each {
				e := &ledger.Entry{Time: time.Date(2026, 3, 1, 9, 0, w*100+i, 0, time.UTC), Actor: fmt.Sprintf("worker%d", w), Action: ledger.ActionCopyOpen,
					Subject: fmt.Sprintf("copy/%d", i), Fields: map[string]string{"n": fmt.Sprint(i)}}
				errs <- db.Update(ctx, func(tx telltale.Tx) error { _, err := l.Append(tx, e); return err })
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	err = stores[1].View(ctx, func(tx telltale.Tx) error {
		r, err := l.Verify(tx)
		if err != nil {
			return err
		}
		if !r.OK() || r.Entries != workers*each {
			t.Errorf("verify: %d entries, problems %v; want %d entries", r.Entries, r.Problems, workers*each)
		}
		seen := map[string]bool{}
		rows, err := tx.LedgerEntries(0, workers*each)
		for _, row := range rows {
			e, err := ledger.Parse(row.Body)
			if err != nil {
				return err
			}
			k := e.Actor + "/" + e.Fields["n"]
			if seen[k] {
				t.Errorf("entry %s twice", k)
			}
			seen[k] = true
		}
		if len(seen) != workers*each {
			t.Errorf("%d distinct entries, want %d", len(seen), workers*each)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkLedgerAppend measures a write transaction as the service runs
// it for each copy opened: read the copy, append a ledger entry.
func BenchmarkLedgerAppend(b *testing.B) {
	url := pgtest.URL(b)
	db, err := Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	skey, vkey, _ := ledger.GenerateKeys("bench")
	l, _ := ledger.New(skey, vkey)
	e := &ledger.Entry{Time: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "user/1", Action: ledger.ActionCopyOpen, Subject: "copy/1", Fields: map[string]string{"format": "html"}}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			err := db.Update(ctx, func(tx telltale.Tx) error {
				if _, err := tx.Copy(1); telltale.ErrorCode(err) != telltale.ENOTFOUND {
					return err
				}
				_, err := l.Append(tx, e)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestMonitorLeasesTwoInstances: instances claiming due sources at once
// through two connection pools never both lease the same source.
func TestMonitorLeasesTwoInstances(t *testing.T) {
	url := pgtest.URL(t)
	stores := []*DB{openURL(t, url), openURL(t, url)}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	const sources = 40
	err := stores[0].Update(ctx, func(tx telltale.Tx) error {
		for i := range sources {
			if err := tx.CreateMonitorSource(&telltale.MonitorSource{Kind: "feed", URL: fmt.Sprintf("https://example.org/%d.xml", i), State: []byte("{}"),
				NextAttempt: now, CreatedBy: "test", CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	owner := map[int64]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			me := fmt.Sprintf("instance-%d", w)
			for range 10 {
				var got []*telltale.MonitorSource
				err := stores[w%2].Update(ctx, func(tx telltale.Tx) (err error) {
					got, err = tx.ClaimMonitorSources(me, now, now.Add(10*time.Minute), 3)
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, s := range got {
					if o, ok := owner[s.ID]; ok && o != me {
						t.Errorf("source %d leased by %s and %s", s.ID, o, me)
					}
					owner[s.ID] = me
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// An owner renews its own leases first: each holds its three.
	if len(owner) != 4*3 {
		t.Errorf("%d sources leased, want 3 for each of 4 instances", len(owner))
	}
}
