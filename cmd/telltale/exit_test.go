package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut, Now: time.Now,
		Getenv: func(k string) string {
			if k == "TELLTALE_DATA" {
				return filepath.Join(dir, "data")
			}
			return ""
		}}
	code := m.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// TestExitCodes: 0 on success, 1 when a command fails, 2 for usage errors.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"version"}, 0},
		{[]string{"--help"}, 0},
		{[]string{"nope"}, 2},
		{[]string{"doc", "add"}, 2},
		{[]string{"doc", "list"}, 1}, // not initialized
		{[]string{"init"}, 0},
		{[]string{"doc", "list"}, 0},
		{[]string{"doc", "show", "missing"}, 1},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, dir, tt.args...)
		if code != tt.code {
			t.Errorf("telltale %v exited %d, want %d (stderr %q)", tt.args, code, tt.code, stderr)
		}
	}
}

func TestStdinNeedsName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	run(t, dir, "init")
	code, _, stderr := run(t, dir, "doc", "add", "-")
	if code != 1 || !bytes.Contains([]byte(stderr), []byte("--name")) {
		t.Errorf("doc add - without --name: exit %d, %q", code, stderr)
	}
}

// TestHugeDocument: a document over the size limit is refused before it is
// read in full, and nothing is stored.
func TestHugeDocument(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	run(t, dir, "init")
	big := filepath.Join(dir, "big.md")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	line := []byte(strings.Repeat("All work and no play makes a plan. ", 30) + "\n")
	for written := 0; written < 50<<20; written += len(line) {
		f.Write(line)
	}
	f.Close()
	code, _, stderr := run(t, dir, "doc", "add", big)
	if code != 1 || !strings.Contains(stderr, "larger than 4 MB") {
		t.Fatalf("doc add of 50 MB: exit %d, %q", code, stderr)
	}
	_, stdout, _ := run(t, dir, "doc", "list")
	if !strings.Contains(stdout, "No documents yet") {
		t.Errorf("something was stored: %q", stdout)
	}
}
