package ledger_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
)

// BenchmarkAppend appends one entry per transaction to the embedded store,
// as every change in telltale does.
func BenchmarkAppend(b *testing.B) {
	db := openDB(b, filepath.Join(b.TempDir(), "l.db"))
	l := newLog(b, "bench")
	i := 0
	for b.Loop() {
		if err := db.Update(ctx, func(tx telltale.Tx) error { _, err := l.Append(tx, entry(i)); return err }); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
}

// BenchmarkVerify verifies a ledger of n entries. The million-entry case
// needs TELLTALE_BENCH_LARGE=1 (building it takes minutes).
func BenchmarkVerify(b *testing.B) {
	sizes := []int{100000}
	if os.Getenv("TELLTALE_BENCH_LARGE") != "" {
		sizes = append(sizes, 1000000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			db := openDB(b, filepath.Join(b.TempDir(), "l.db"))
			l := newLog(b, "bench")
			const batch = 2000
			for start := 0; start < n; start += batch {
				err := db.Update(ctx, func(tx telltale.Tx) error {
					for i := start; i < min(n, start+batch); i++ {
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
			b.ResetTimer()
			for b.Loop() {
				var r *ledger.Verification
				if err := db.View(ctx, func(tx telltale.Tx) (err error) { r, err = l.Verify(tx); return err }); err != nil {
					b.Fatal(err)
				}
				if !r.OK() || r.Entries != int64(n) {
					b.Fatalf("verify: %v", r.Problems)
				}
			}
		})
	}
}
