#!/bin/sh
# The whole test suite: formatting, vet, and every test with the race
# detector. CI (.ci/run) runs exactly this.
set -eu
cd "$(dirname "$0")"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go test -race -count=1 ./...
