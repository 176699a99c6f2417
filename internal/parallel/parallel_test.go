package parallel

import (
	"sync/atomic"
	"testing"
)

func TestForCallsEveryIndexOnce(t *testing.T) {
	for _, tc := range []struct{ workers, n int }{{0, 5}, {1, 0}, {1, 7}, {4, 3}, {3, 1000}} {
		calls := make([]atomic.Int32, tc.n)
		For(tc.workers, tc.n, func(i int) { calls[i].Add(1) })
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Errorf("workers %d, n %d: index %d called %d times", tc.workers, tc.n, i, c)
			}
		}
	}
}
