package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/fingerprint"
)

func TestQuick(t *testing.T) {
	for _, c := range []Config{
		{N: 10000, C: 1, Q: 2, Design: fingerprint.Design{Coalition: 1, Version: 1}, Epsilon: 1e-6},
		{N: 10000, C: 1, Q: 4, Design: fingerprint.Design{Coalition: 1, Version: 1}, Epsilon: 1e-6},
		{N: 10000, C: 1, Q: 2, Design: fingerprint.Design{Coalition: 3, Version: 1}, Epsilon: 1e-6},
		{N: 10000, C: 1, Q: 2, Misread: 0.1, Design: fingerprint.Design{Coalition: 1, Version: 1}, Epsilon: 1e-6},
		{N: 10000, C: 2, Attack: Interleave, Q: 2, Design: fingerprint.Design{Coalition: 2, Version: 1}, Epsilon: 1e-6},
		{N: 10000, C: 3, Attack: Interleave, Q: 2, Design: fingerprint.Design{Coalition: 3, Version: 1}, Epsilon: 1e-6},
	} {
		start := time.Now()
		m, obs, inn, ok := SlotsFor(c, 0.99, 100, 4000, 1)
		fmt.Printf("%s: slots=%d observed=%.0f innocents=%d ok=%v (%v)\n", c, m, obs, inn, ok, time.Since(start))
	}
}
