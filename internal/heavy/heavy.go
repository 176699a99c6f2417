// Package heavy marks the end-to-end tests that test.sh runs once without
// the race detector instead of under it: tests that drive outside
// programs (LibreOffice, Tesseract, Chromium) or the whole CLI, or score
// millions of codewords, where the detector multiplies the time several
// times and finds nothing the service, server and store tests under -race
// do not already cover.
package heavy

import (
	"os"
	"testing"
)

// Test skips t when the race detector is on, unless TELLTALE_RACE_ALL is
// set (then every test runs under it).
func Test(t testing.TB) {
	t.Helper()
	if raceEnabled && os.Getenv("TELLTALE_RACE_ALL") == "" {
		t.Skip("end-to-end test: test.sh runs it without -race (set TELLTALE_RACE_ALL=1 to run it here)")
	}
}

// Race reports whether the race detector is on.
func Race() bool { return raceEnabled }
