package ledger_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/internal/cputime"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/sqlite"
)

// benchSizes are the ledger sizes the benchmarks start from: 10⁵, then
// 10⁶ with TELLTALE_BENCH_LARGE=1 and 10⁷ with TELLTALE_BENCH_HUGE=1
// (filling 10⁷ entries takes several minutes and 5 GB of disk).
func benchSizes(small ...int) []int {
	sizes := small
	if os.Getenv("TELLTALE_BENCH_LARGE") != "" {
		sizes = append(sizes, 1000000)
	}
	if os.Getenv("TELLTALE_BENCH_HUGE") != "" {
		sizes = append(sizes, 10000000)
	}
	return sizes
}

// BenchmarkAppend appends one entry per transaction to the embedded store,
// as every change in telltale does, to a ledger of n entries.
func BenchmarkAppend(b *testing.B) {
	for _, n := range benchSizes(0, 100000) {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			db, l := filledLedger(b, n)
			i := int(ledgerSize(b, db))
			cpu := cputime.Used()
			for b.Loop() {
				if err := db.Update(ctx, func(tx telltale.Tx) error { _, err := l.Append(tx, entry(i)); return err }); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
			b.ReportMetric((cputime.Used()-cpu).Seconds()*1e6/float64(b.N), "cpu-µs/op")
		})
	}
}

// BenchmarkVerify verifies a ledger of n entries: all of it ("full"), and
// the 10,000 entries appended since the last verification ("new").
func BenchmarkVerify(b *testing.B) {
	for _, n := range benchSizes(100000) {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			db, l := filledLedger(b, n)
			b.Run("full", func(b *testing.B) {
				size := ledgerSize(b, db)
				cpu := cputime.Used()
				for b.Loop() {
					if r := verifyBench(b, db, l.Verify); !r.OK() || r.Entries != size {
						b.Fatalf("verify: %d entries, %v", r.Entries, r.Problems)
					}
				}
				b.ReportMetric((cputime.Used()-cpu).Seconds()/float64(b.N), "cpu-s/op")
			})
			b.Run("new", func(b *testing.B) {
				const added = 10000
				var cpu float64
				for b.Loop() {
					b.StopTimer()
					from := markVerified(b, db, l).Entries
					appendBatched(b, db, l, int(from), added)
					b.StartTimer()
					c := cputime.Used()
					r := verifyBench(b, db, l.VerifyNew)
					cpu += (cputime.Used() - c).Seconds()
					if !r.OK() || r.From != from || r.Entries != from+added {
						b.Fatalf("verify from %d: %d entries from %d, %v", from, r.Entries, r.From, r.Problems)
					}
				}
				b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
			})
		})
	}
}

func verifyBench(b *testing.B, db *sqlite.DB, verify func(telltale.LedgerTx) (*ledger.Verification, error)) *ledger.Verification {
	var r *ledger.Verification
	if err := db.View(ctx, func(tx telltale.Tx) (err error) { r, err = verify(tx); return err }); err != nil {
		b.Fatal(err)
	}
	return r
}

// appendBatched appends n entries from entry(from), a few thousand per
// transaction.
func appendBatched(b *testing.B, db *sqlite.DB, l *ledger.Log, from, n int) {
	b.Helper()
	const batch = 2000
	for start := from; start < from+n; start += batch {
		err := db.Update(ctx, func(tx telltale.Tx) error {
			for i := start; i < min(from+n, start+batch); i++ {
				if _, err := l.Append(tx, entry(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func ledgerSize(b *testing.B, db *sqlite.DB) (n int64) {
	b.Helper()
	if err := db.View(ctx, func(tx telltale.Tx) (err error) { n, err = tx.LedgerSize(); return err }); err != nil {
		b.Fatal(err)
	}
	return n
}

// largeLedger is the smallest ledger filled once per benchmark process and
// shared by BenchmarkAppend and BenchmarkVerify and every -count: filling
// 10⁷ entries takes minutes, and the few thousand entries each run appends
// change little of what the next one measures (it starts from the size it
// finds).
const largeLedger = 1000000

var (
	largeLedgers   = map[int]*ledgerWorld{}
	largeLedgerDir string
)

type ledgerWorld struct {
	db *sqlite.DB
	l  *ledger.Log
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, w := range largeLedgers {
		w.db.Close()
	}
	if largeLedgerDir != "" {
		os.RemoveAll(largeLedgerDir)
	}
	os.Exit(code)
}

// filledLedger returns a store whose ledger holds n entries (at least: see
// largeLedger) and a signed head, stored through the store directly with
// hashes computed in memory (signing and advancing the head once per entry
// would take an hour for 10⁷).
func filledLedger(b *testing.B, n int) (*sqlite.DB, *ledger.Log) {
	b.Helper()
	if n < largeLedger {
		db := openDB(b, filepath.Join(b.TempDir(), "l.db"))
		l := newLog(b, "bench")
		fillLedger(b, db, l, n)
		return db, l
	}
	if w := largeLedgers[n]; w != nil {
		return w.db, w.l
	}
	if largeLedgerDir == "" {
		dir, err := os.MkdirTemp("", "telltale-ledger-bench-")
		if err != nil {
			b.Fatal(err)
		}
		largeLedgerDir = dir
	}
	db, err := sqlite.Open(ctx, filepath.Join(largeLedgerDir, fmt.Sprintf("l%d.db", n)))
	if err != nil {
		b.Fatal(err)
	}
	w := &ledgerWorld{db, newLog(b, "bench")}
	largeLedgers[n] = w
	fillLedger(b, w.db, w.l, n)
	return w.db, w.l
}

func fillLedger(b *testing.B, db *sqlite.DB, l *ledger.Log, n int) {
	var mem []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, k := range idx {
			out[i] = mem[k]
		}
		return out, nil
	})
	const batch = 20000
	for start := 0; start < n; start += batch {
		err := db.Update(ctx, func(tx telltale.Tx) error {
			for i := start; i < min(n, start+batch); i++ {
				e := entry(i)
				body, err := e.Encode()
				if err != nil {
					return err
				}
				hs, err := tlog.StoredHashes(int64(i), body, reader)
				if err != nil {
					return err
				}
				stored := make([]telltale.LedgerHash, len(hs))
				for k, h := range hs {
					stored[k] = telltale.LedgerHash{Index: int64(len(mem) + k), Hash: h}
				}
				mem = append(mem, hs...)
				row := &telltale.LedgerEntry{Index: int64(i), Body: body, Time: e.Time, Actor: e.Actor, Action: e.Action, Subject: e.Subject}
				if err := tx.LedgerAppend(row, stored); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if n > 0 {
		root, err := tlog.TreeHash(int64(n), reader)
		if err != nil {
			b.Fatal(err)
		}
		note, err := l.SignCheckpoint(int64(n), root)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Update(ctx, func(tx telltale.Tx) error {
			return tx.LedgerAdvance(nil, &telltale.LedgerHead{Size: int64(n), Hash: root, Note: note})
		}); err != nil {
			b.Fatal(err)
		}
	}
}
