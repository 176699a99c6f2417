package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/postgres"
	"github.com/telltale-dev/telltale/postgres/pgtest"
	"github.com/telltale-dev/telltale/samples"
)

// cluster is several telltale servers on one PostgreSQL database, sharing
// one data directory's keys, as docs/deploy.md describes.
type cluster struct {
	*running
	db    string // the database URL
	token string // the owner's API token
	http  *http.Client
}

// newCluster initializes a fresh database and a data directory and adds
// an owner with an API token.
func newCluster(t *testing.T) *cluster {
	c := &cluster{running: &running{t: t, dir: t.TempDir()}, db: pgtest.URL(t), http: &http.Client{Timeout: time.Minute}}
	t.Cleanup(c.http.CloseIdleConnections)
	c.must("", "--database", c.db, "init")
	c.must("olga long password\n", "--database", c.db, "user", "add", "Olga Owner", "--email", "olga@example.org", "--role", "owner", "--password-stdin")
	c.token = strings.TrimSpace(c.must("", "--database", c.db, "user", "token", "--email", "olga@example.org"))
	return c
}

// addPlan stores the operations plan as the owner's document "plan".
func (c *cluster) addPlan(url string) {
	src, _ := samples.Get("operations-plan")
	if err := c.call("POST", url+"/api/v1/documents", map[string]string{"name": "plan", "source": string(src)}, nil); err != nil {
		c.t.Fatal(err)
	}
}

// start starts an instance in-process through Main.
func (c *cluster) start() (string, func()) {
	return c.serve(io.Discard, nil, "--database", c.db, "--monitor-every", "0")
}

// call sends an API request as the owner and decodes a JSON answer. An
// error means the request was not acknowledged.
func (c *cluster) call(method, url string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// acks counts what the servers acknowledged.
type acks struct {
	mu       sync.Mutex
	issued   []int64       // copies whose issue was acknowledged
	opened   map[int64]int // acknowledged openings per copy
	attempts atomic.Int64  // requests sent that could have written an entry
	acked    atomic.Int64  // of which acknowledged
	firstAck chan struct{} // closed after a few acknowledgements
	once     sync.Once
	errs     map[string]bool // distinct failures, for the log
}

func newAcks() *acks {
	return &acks{opened: map[int64]int{}, firstAck: make(chan struct{}), errs: map[string]bool{}}
}

func (a *acks) ack(n int64) {
	if a.acked.Add(1) >= n {
		a.once.Do(func() { close(a.firstAck) })
	}
}

func (a *acks) fail(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.errs) < 10 {
		a.errs[err.Error()] = true
	}
}

// operation registers a recipient on one instance, issues them a copy of
// the plan on the next and opens it on the one after: three ledger
// entries when all three are acknowledged.
func (c *cluster) operation(a *acks, urls []string, worker, i int, ackAfter int64) bool {
	url := func(k int) string { return urls[(worker+i+k)%len(urls)] }
	email := fmt.Sprintf("w%d-%d@example.org", worker, i)
	a.attempts.Add(1)
	if err := c.call("POST", url(0)+"/api/v1/recipients", map[string]string{"name": fmt.Sprintf("Worker %d recipient %d", worker, i), "email": email}, nil); err != nil {
		a.fail(err)
		return false
	}
	a.ack(ackAfter)
	var issued []struct {
		ID        int64  `json:"id"`
		Recipient string `json:"recipient"`
	}
	a.attempts.Add(1)
	if err := c.call("POST", url(1)+"/api/v1/documents/plan/issue", map[string]any{"to": []string{email}, "formats": []string{"txt"}}, &issued); err != nil {
		a.fail(err)
		return false
	}
	if len(issued) != 1 || issued[0].Recipient != email {
		c.t.Errorf("issue to %s answered %+v", email, issued)
		return false
	}
	id := issued[0].ID
	a.mu.Lock()
	a.issued = append(a.issued, id)
	a.mu.Unlock()
	a.ack(ackAfter)
	a.attempts.Add(1)
	if err := c.call("GET", fmt.Sprintf("%s/api/v1/copies/%d?format=txt", url(2), id), nil, nil); err != nil {
		a.fail(err)
		return false
	}
	a.mu.Lock()
	a.opened[id]++
	a.mu.Unlock()
	a.ack(ackAfter)
	return true
}

// ledgerSize returns the number of ledger entries in the database.
func (c *cluster) ledgerSize(db telltale.Store) int64 {
	var n int64
	if err := db.View(context.Background(), func(tx telltale.Tx) (err error) { n, err = tx.LedgerSize(); return err }); err != nil {
		c.t.Fatal(err)
	}
	return n
}

// openDB opens the cluster's database directly, for checks.
func (c *cluster) openDB() *postgres.DB {
	db, err := postgres.Open(context.Background(), c.db)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { db.Close() })
	return db
}

// check verifies the ledger (with the CLI and directly) and that every
// acknowledged operation is recorded: each acknowledged copy exists with
// its issue entry and at least as many open entries as acknowledged.
func (c *cluster) check(db telltale.Store, a *acks) {
	c.t.Helper()
	if out := c.must("", "--database", c.db, "ledger", "verify"); !strings.Contains(out, "Ledger verified") {
		c.t.Errorf("ledger verify: %s", out)
	}
	log, err := ledger.Open(filepath.Join(c.dir, "data", ledgerKeyFile), filepath.Join(c.dir, "data", ledgerPubFile))
	if err != nil {
		c.t.Fatal(err)
	}
	err = db.View(context.Background(), func(tx telltale.Tx) error {
		r, err := log.Verify(tx)
		if err != nil {
			return err
		}
		if !r.OK() {
			c.t.Errorf("ledger problems: %v", r.Problems)
		}
		for _, id := range a.issued {
			if _, err := tx.Copy(id); err != nil {
				c.t.Errorf("acknowledged copy %d: %v", id, err)
			}
			rows, err := tx.LedgerFind(telltale.LedgerFilter{Subject: fmt.Sprintf("copy/%d", id)})
			if err != nil {
				return err
			}
			issues, opens := 0, 0
			for _, row := range rows {
				switch row.Action {
				case ledger.ActionCopyIssue:
					issues++
				case ledger.ActionCopyOpen:
					opens++
				}
			}
			if issues != 1 || opens < a.opened[id] {
				c.t.Errorf("copy %d: %d issue entries, %d open entries; want 1 and at least the %d acknowledged", id, issues, opens, a.opened[id])
			}
		}
		return nil
	})
	if err != nil {
		c.t.Fatal(err)
	}
}

// TestTwoInstances drives two servers on one database concurrently: each
// operation registers a recipient, issues a copy and opens it, each step
// on another instance. Afterwards the ledger verifies, holds exactly one
// entry per acknowledged request (no fork, no loss), and every
// acknowledged copy and opening is recorded.
func TestTwoInstances(t *testing.T) {
	c := newCluster(t)
	db := c.openDB()
	before := c.ledgerSize(db)
	urlA, stopA := c.start()
	urlB, stopB := c.start()
	c.addPlan(urlB)
	before += 2 // the document and its version
	const workers, ops = 2, 50
	a := newAcks()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range ops {
				if !c.operation(a, []string{urlA, urlB}, w, i, 0) {
					return
				}
			}
		})
	}
	wg.Wait()
	stopA()
	stopB()
	if len(a.errs) > 0 {
		t.Fatalf("requests failed: %v", a.errs)
	}
	if got := len(a.issued); got != workers*ops {
		t.Fatalf("%d copies issued, want %d", got, workers*ops)
	}
	if got, want := c.ledgerSize(db)-before, int64(3*workers*ops); got != want {
		t.Errorf("%d ledger entries added, want exactly %d (one per acknowledged request)", got, want)
	}
	c.check(db, a)
	// The copies of the version are numbered 1…n without gaps or
	// duplicates, whichever instance issued them.
	db.View(context.Background(), func(tx telltale.Tx) error {
		copies, err := tx.Copies(telltale.CopyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for i, cp := range copies {
			if cp.Number != i+1 {
				t.Fatalf("copy %d has number %d, want %d", cp.ID, cp.Number, i+1)
			}
		}
		return nil
	})
}

// TestInstanceKilled kills one of two servers (a separate process, with
// SIGKILL) while requests to it are in flight, and keeps the survivor
// working: nothing that was acknowledged is lost, and the ledger verifies.
func TestInstanceKilled(t *testing.T) {
	c := newCluster(t)
	db := c.openDB()
	before := c.ledgerSize(db)
	victim, kill := c.startProcess()
	survivor, stop := c.start()
	c.addPlan(survivor)
	before += 2
	a := newAcks()
	const workers, ops = 2, 40
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			urls := []string{victim, survivor}
			for i := range ops {
				if !c.operation(a, urls, w, i, 15) && len(urls) == 2 {
					urls = []string{survivor} // the victim is gone: go on without it
				}
			}
		})
	}
	// Keep requests in flight on the victim until it dies: openings of
	// the first acknowledged copy, each a write transaction.
	wg.Go(func() {
		<-a.firstAck
		a.mu.Lock()
		if len(a.issued) == 0 {
			a.mu.Unlock()
			return
		}
		id := a.issued[0]
		a.mu.Unlock()
		for range 500 {
			a.attempts.Add(1)
			if err := c.call("GET", fmt.Sprintf("%s/api/v1/copies/%d?format=txt", victim, id), nil, nil); err != nil {
				return
			}
			a.mu.Lock()
			a.opened[id]++
			a.mu.Unlock()
			a.acked.Add(1)
		}
	})
	<-a.firstAck
	kill()
	wg.Wait()
	stop()
	added := c.ledgerSize(db) - before
	t.Logf("%d requests acknowledged of %d sent; %d ledger entries added; failures: %v", a.acked.Load(), a.attempts.Load(), added, a.errs)
	if added < a.acked.Load() || added > a.attempts.Load() {
		t.Errorf("%d ledger entries added; want between the %d acknowledged and the %d sent", added, a.acked.Load(), a.attempts.Load())
	}
	if len(a.issued) < workers*ops/2 {
		t.Errorf("only %d copies issued: the survivor did not carry on", len(a.issued))
	}
	c.check(db, a)
}

// startProcess starts an instance as a separate process (the test binary
// runs as telltale, see TestMain) and returns its URL and a function that
// kills it with SIGKILL.
func (c *cluster) startProcess() (string, func()) {
	bin, err := exec.LookPath("telltale")
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--database", c.db, "--monitor-every", "0")
	cmd.Env = append(os.Environ(), "TELLTALE_DATA="+filepath.Join(c.dir, "data"), "USER=e2e")
	dieWithParent(cmd)
	var errOut lockedBuffer
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	kill := sync.OnceFunc(func() { cmd.Process.Kill(); cmd.Wait() })
	c.t.Cleanup(kill)
	url := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "telltale is serving on "); ok {
				url <- u
			}
		}
		close(url)
	}()
	u, ok := <-url
	if !ok {
		c.t.Fatalf("server process did not start: %s", errOut.String())
	}
	return u, kill
}

// TestMigratePostgres: telltale migrate creates the schema of an empty
// database, printing each migration, then has nothing left to apply; it
// needs no data directory.
func TestMigratePostgres(t *testing.T) {
	rn := &running{t: t, dir: t.TempDir()}
	db := pgtest.URL(t)
	out := rn.must("", "migrate", "--database", db)
	if !strings.Contains(out, "applied 0001_init.sql\n") || !strings.Contains(out, ", up to date\n") {
		t.Errorf("first migrate:\n%s", out)
	}
	out = rn.must("", "migrate", "--database", db)
	if strings.Contains(out, "applied") || !strings.Contains(out, "up to date, nothing to apply") {
		t.Errorf("second migrate:\n%s", out)
	}
	// Commands other than init and migrate need the keys.
	if _, errOut, code := rn.cli("", map[string]string{"TELLTALE_DATABASE": db}, "doc", "list"); code != 1 || !strings.Contains(errOut, "run telltale init --database URL once") {
		t.Errorf("doc list without keys: %d %s", code, errOut)
	}
}

// TestForeignKeys: an instance whose data directory holds other keys than
// those the shared database was written with refuses to work on it, and
// says which key differs.
func TestForeignKeys(t *testing.T) {
	c := newCluster(t)
	src, _ := samples.Get("board-memo")
	path := filepath.Join(c.dir, "memo.md")
	if err := os.WriteFile(path, src, 0o600); err != nil {
		t.Fatal(err)
	}
	c.must("", "--database", c.db, "doc", "add", path, "--name", "memo")
	other := &running{t: t, dir: t.TempDir()}
	other.must("", "init") // keys of its own
	if _, errOut, code := other.cli("", nil, "--database", c.db, "doc", "list"); code != 1 || !strings.Contains(errOut, "the ledger in the database is signed with another key") {
		t.Errorf("other ledger key: %d %s", code, errOut)
	}
	for _, name := range []string{ledgerKeyFile, ledgerPubFile} {
		b, err := os.ReadFile(filepath.Join(c.dir, "data", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(other.dir, "data", name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, errOut, code := other.cli("", nil, "--database", c.db, "doc", "list"); code != 1 || !strings.Contains(errOut, "does not open the documents in the database") {
		t.Errorf("other master key: %d %s", code, errOut)
	}
	if out := c.must("", "--database", c.db, "doc", "list"); !strings.Contains(out, "memo") {
		t.Errorf("own keys: %s", out)
	}
}
