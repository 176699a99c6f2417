package main

import (
	"bytes"
	"context"
	"path/filepath"
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
	dir := t.TempDir()
	run(t, dir, "init")
	code, _, stderr := run(t, dir, "doc", "add", "-")
	if code != 1 || !bytes.Contains([]byte(stderr), []byte("--name")) {
		t.Errorf("doc add - without --name: exit %d, %q", code, stderr)
	}
}
