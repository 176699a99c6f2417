package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestIssueProgressBar: issuing to many recipients with standard error on
// a terminal draws a progress bar there, which counts up to every copy,
// while standard output holds only the result.
func TestIssueProgressBar(t *testing.T) {
	t.Parallel()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	dir := t.TempDir()
	run(t, dir, "init")
	sample := filepath.Join(dir, "memo.md")
	src, _ := os.ReadFile(filepath.Join("..", "..", "samples", "board-memo.md"))
	os.WriteFile(sample, src, 0o600)
	if code, _, stderr := run(t, dir, "doc", "add", sample, "--name", "memo"); code != 0 {
		t.Fatal(stderr)
	}
	const n = 150 // three batches
	var csv, to strings.Builder
	for i := range n {
		fmt.Fprintf(&csv, "Person %d,p%d@example.org\n", i, i)
		fmt.Fprintf(&to, "p%d@example.org\n", i)
	}
	staff, list := filepath.Join(dir, "staff.csv"), filepath.Join(dir, "to.txt")
	os.WriteFile(staff, []byte(csv.String()), 0o600)
	os.WriteFile(list, []byte(to.String()), 0o600)
	if code, _, stderr := run(t, dir, "recipient", "import", staff); code != 0 {
		t.Fatal(stderr)
	}

	drawn := make(chan string)
	go func() {
		b, _ := io.ReadAll(ptmx) // until the terminal is closed
		drawn <- string(b)
	}()
	var out bytes.Buffer
	m := &Main{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: tty, Now: time.Now,
		Getenv: func(k string) string {
			if k == "TELLTALE_DATA" {
				return filepath.Join(dir, "data")
			}
			return ""
		}}
	code := m.Run(context.Background(), []string{"issue", "memo", "--to-file", list})
	tty.Close()
	screen := <-drawn
	if code != 0 {
		t.Fatalf("issue exited %d: %s", code, screen)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("Issued %d copies", n)) {
		t.Errorf("standard output: %.200q", out.String())
	}
	for _, want := range []string{"issuing copies", fmt.Sprintf("0/%d", n), fmt.Sprintf("%d/%d", n, n)} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal shows no %q: %q", want, screen)
		}
	}
	if strings.Contains(screen, "Issued") {
		t.Errorf("the result went to the terminal's standard error: %q", screen)
	}
}
