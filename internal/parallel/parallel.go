// Package parallel runs the iterations of a loop across goroutines.
package parallel

import (
	"sync"
	"sync/atomic"
)

// For calls f(i) for every i in [0, n) on up to workers goroutines (at
// least one), each taking the next index in turn, and returns when all
// calls have returned. f must be safe to call concurrently for distinct
// indexes.
func For(workers, n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}
