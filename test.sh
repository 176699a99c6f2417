#!/bin/sh
# The whole test suite: formatting, vet, staticcheck, every package's tests
# under the race detector, then — without it — the CLI's end-to-end tests
# (testscripts run the CLI in-process, so -race would instrument every
# command; the concurrency they rely on is in service, server and the
# stores, tested under -race) and the end-to-end tests marked heavy
# (internal/heavy: outside programs, millions of codewords), which skip
# under -race. CI (.ci/run) runs exactly this. TELLTALE_RACE_ALL=1 runs
# everything under the detector instead.
set -eu
cd "$(dirname "$0")"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
# staticcheck, pinned; fetched through the Go module proxy on first use.
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
if [ -n "${TELLTALE_RACE_ALL:-}" ]; then
	go test -race -count=1 ./...
	exit 0
fi
go test -race -count=1 $(go list ./... | grep -v '/cmd/telltale$')
go test -count=1 ./cmd/telltale
# The heavy tests: every test whose first line is heavy.Test(t).
heavy=$(grep -rl --include='*_test.go' 'heavy.Test(t)' . | sort)
names=$(grep -h -B1 'heavy.Test(t)' $heavy | sed -n 's/^func \(Test[A-Za-z0-9_]*\).*/\1/p' | paste -sd'|' -)
dirs=$(for f in $heavy; do dirname "$f"; done | sort -u)
go test -count=1 -run "^($names)\$" $dirs
