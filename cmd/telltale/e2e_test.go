package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/samples"
)

// running is a telltale server started through Main on port 0 with a
// temporary data directory, as the real program runs.
type running struct {
	t    testing.TB
	dir  string
	url  string
	stop func()
	out  lockedBuffer // what serve printed
}

// lockedBuffer is a bytes.Buffer safe to read while the server writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// output returns what the server printed so far.
func (rn *running) output() string { return rn.out.String() }

func (rn *running) env(extra map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := extra[k]; ok {
			return v
		}
		switch k {
		case "TELLTALE_DATA":
			return filepath.Join(rn.dir, "data")
		case "USER":
			return "e2e"
		}
		return ""
	}
}

// cli runs a command against the data directory (or, with env, a server).
func (rn *running) cli(stdin string, env map[string]string, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: rn.env(env), Now: time.Now}
	code := m.Run(context.Background(), args)
	return out.String(), errOut.String(), code
}

func (rn *running) must(stdin string, args ...string) string {
	rn.t.Helper()
	out, errOut, code := rn.cli(stdin, nil, args...)
	if code != 0 {
		rn.t.Fatalf("telltale %v: exit %d\n%s%s", args, code, out, errOut)
	}
	return out
}

// startServer initializes a data directory and serves it.
func startServer(t testing.TB) *running {
	rn := &running{t: t, dir: t.TempDir()}
	rn.must("", "init")
	// The tests' news sites run on loopback, which the monitor refuses
	// unless allowed.
	rn.url, rn.stop = rn.serve(&rn.out, nil, "--monitor-allow", "127.0.0.0/8")
	return rn
}

// serve starts "telltale serve --addr 127.0.0.1:0 args…" through Main on
// the data directory, with extra environment, printing to out. It returns
// the server's URL and a function that stops it (cancels its context and
// waits), also called at cleanup.
func (rn *running) serve(out io.Writer, env map[string]string, args ...string) (string, func()) {
	rn.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	var errOut lockedBuffer
	go func() {
		defer wg.Done()
		m := &Main{Stdin: strings.NewReader(""), Stdout: out, Stderr: &errOut, Getenv: rn.env(env), Now: time.Now,
			Listening: func(a string) { addr <- a }}
		if code := m.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)); code != 0 {
			rn.t.Errorf("serve exited %d: %s", code, errOut.String())
			close(addr)
		}
	}()
	a, ok := <-addr
	if !ok {
		rn.t.Fatal("server did not start")
	}
	stop := sync.OnceFunc(func() { cancel(); wg.Wait() })
	rn.t.Cleanup(stop)
	return "http://" + a, stop
}

// TestServerEndToEnd drives a real server started through Main with the
// CLI over the API (--server).
func TestServerEndToEnd(t *testing.T) {
	t.Parallel()
	rn := startServer(t)
	rn.must("olga long password\n", "user", "add", "Olga Owner", "--email", "olga@example.org", "--role", "owner,investigator", "--password-stdin")
	token := strings.TrimSpace(rn.must("", "user", "token", "--email", "olga@example.org"))
	remote := map[string]string{"TELLTALE_SERVER": rn.url, "TELLTALE_TOKEN": token}
	run := func(stdin string, args ...string) string {
		t.Helper()
		out, errOut, code := rn.cli(stdin, remote, args...)
		if code != 0 {
			t.Fatalf("telltale %v via server: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	plan, _ := samples.Get("operations-plan")
	src := filepath.Join(rn.dir, "plan.md")
	os.WriteFile(src, plan, 0o600)
	if out := run("", "doc", "add", src, "--name", "plan"); !strings.Contains(out, `Stored new document "plan", version 1`) || !strings.Contains(out, "line 11: 312 | 309 | 315") {
		t.Errorf("doc add: %s", out)
	}
	run("", "recipient", "add", "Dana Ortiz", "--email", "dana@example.org")
	run("", "recipient", "add", "Lee Chen", "--email", "lee@example.org")
	outDir := filepath.Join(rn.dir, "copies")
	if out := run("", "issue", "plan", "--to", "dana@example.org,lee@example.org", "--format", "txt", "--out", outDir); !strings.Contains(out, "Issued 2 copies") {
		t.Errorf("issue: %s", out)
	}
	files, _ := filepath.Glob(filepath.Join(outDir, "*.txt"))
	if len(files) != 2 || !strings.HasSuffix(files[1], "plan-copy02-lee-chen.txt") {
		t.Fatalf("copies written: %v", files)
	}
	if out := run("", "trace", files[1]); !strings.HasPrefix(out, "ACCUSED") || !strings.Contains(out, "Lee Chen") {
		t.Errorf("trace via server: %s", out)
	}
	if out := run("", "doc", "list"); !strings.Contains(out, "plan") {
		t.Errorf("doc list: %s", out)
	}
	// Each command has one output, whether it works on the data
	// directory or on the server.
	for _, args := range [][]string{
		{"doc", "list"},
		{"doc", "show", "plan"},
		{"recipient", "list"},
		{"trace", files[1]},
		{"trace", files[0], "--json"},
		{"copy", "open", "1", "--format", "txt"},
	} {
		if local, remote := rn.must("", args...), run("", args...); local != remote {
			t.Errorf("telltale %s prints differently on the server:\n%s\nand on the data directory:\n%s", strings.Join(args, " "), remote, local)
		}
	}
	if out := run("", "doc", "show", "plan"); !strings.Contains(out, "Lee Chen") || !strings.Contains(out, "Traceability for 12 recipients") {
		t.Errorf("doc show via server: %s", out)
	}
	// An owner's token cannot read the ledger; the error comes through.
	if out, errOut, code := rn.cli("", remote, "ledger", "verify"); code == 0 || !strings.Contains(errOut, "needs the admin role") {
		t.Errorf("ledger verify as owner: %d %s %s", code, out, errOut)
	}
	// An admin's can, and sees what the data directory shows.
	rn.must("ada long password\n", "user", "add", "Ada Admin", "--email", "ada@example.org", "--role", "admin", "--password-stdin")
	admin := map[string]string{"TELLTALE_SERVER": rn.url, "TELLTALE_TOKEN": strings.TrimSpace(rn.must("", "user", "token", "--email", "ada@example.org"))}
	elapsed := regexp.MustCompile(`\([0-9.]+[µm]?s\)`)
	// Each verification records where it got to and the next starts from
	// there: a full one first, so that the server's run and the data
	// directory's start from the same place.
	for _, args := range [][]string{{"ledger", "checkpoint"}, {"ledger", "verify", "--full"}, {"ledger", "verify"}} {
		remote, errOut, code := rn.cli("", admin, args...)
		if code != 0 {
			t.Fatalf("telltale %s as admin via server: %d %s", strings.Join(args, " "), code, errOut)
		}
		local := rn.must("", args...)
		if elapsed.ReplaceAllString(local, "") != elapsed.ReplaceAllString(remote, "") {
			t.Errorf("telltale %s prints differently on the server:\n%s\nand on the data directory:\n%s", strings.Join(args, " "), remote, local)
		}
	}
	// A bad token is refused clearly.
	_, errOut, code := rn.cli("", map[string]string{"TELLTALE_SERVER": rn.url, "TELLTALE_TOKEN": "ttk_nope"}, "doc", "list")
	if code == 0 || !strings.Contains(errOut, "invalid or revoked API token") {
		t.Errorf("bad token: %d %s", code, errOut)
	}
	// Local-only commands refuse a server, named by --server or
	// TELLTALE_SERVER alike, rather than quietly use local data.
	for _, args := range [][]string{{"case", "list"}, {"ledger", "show"}, {"user", "list"}, {"init"}} {
		if out, errOut, code := rn.cli("", map[string]string{"TELLTALE_SERVER": rn.url, "TELLTALE_TOKEN": token}, args...); code != 1 || out != "" ||
			!strings.Contains(errOut, "telltale "+strings.Join(args, " ")+" works on the local data directory only and cannot use a server, but TELLTALE_SERVER names") ||
			!strings.Contains(errOut, "hint: unset TELLTALE_SERVER") {
			t.Errorf("TELLTALE_SERVER=… telltale %s: %d %s%s", strings.Join(args, " "), code, out, errOut)
		}
		if out, errOut, code := rn.cli("", nil, append([]string{"--server", rn.url}, args...)...); code != 1 || out != "" || !strings.Contains(errOut, "but --server names") {
			t.Errorf("telltale --server … %s: %d %s%s", strings.Join(args, " "), code, out, errOut)
		}
	}
	// Health.
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(rn.url + p)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("%s: %v", p, err)
		} else {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	// Graceful shutdown: the server stops when its context ends.
	rn.stop()
	if _, err := http.Get(rn.url + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
	// The ledger recorded everything and verifies.
	if out := rn.must("", "ledger", "verify"); !strings.Contains(out, "Ledger verified") {
		t.Errorf("ledger verify: %s", out)
	}
}
