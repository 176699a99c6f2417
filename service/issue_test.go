package service

import (
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/render"
)

// manyRecipients registers n recipients named from prefix and returns
// their addresses.
func manyRecipients(t testing.TB, s *Service, prefix string, n int) []string {
	t.Helper()
	var rs []*telltale.Recipient
	var emails []string
	for i := range n {
		e := fmt.Sprintf("%s%05d@example.org", prefix, i)
		rs = append(rs, &telltale.Recipient{Name: fmt.Sprintf("Recipient %s %05d", prefix, i), Email: e})
		emails = append(emails, e)
	}
	if _, err := s.ImportRecipients(ctx, op, rs); err != nil {
		t.Fatal(err)
	}
	return emails
}

// TestIssueInBatches: a bulk issue larger than one batch numbers its
// copies in order, records each in the ledger, and every copy opens; its
// progress is reported after each batch and never runs ahead of what is
// stored.
func TestIssueInBatches(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "board-memo")
	n := 2*issueBatch + 7
	emails := manyRecipients(t, s, "b", n)
	var progress []int
	report := func(done, total int) {
		if total != n {
			t.Errorf("progress total %d, want %d", total, n)
		}
		var stored int
		if err := s.store.View(ctx, func(tx telltale.Tx) error {
			cs, err := tx.Copies(telltale.CopyFilter{})
			stored = len(cs)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if stored != done {
			t.Errorf("progress says %d issued, %d copies stored", done, stored)
		}
		progress = append(progress, done)
	}
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "board-memo", Emails: emails, Formats: []render.Format{render.Text}, Progress: report})
	if err != nil {
		t.Fatal(err)
	}
	if len(issued) != n {
		t.Fatalf("%d copies issued, want %d", len(issued), n)
	}
	if want := []int{issueBatch, 2 * issueBatch, n}; !slices.Equal(progress, want) {
		t.Errorf("progress reported %v, want %v", progress, want)
	}
	for i, is := range issued {
		if is.Copy.Number != i+1 || is.Copy.Of != n || is.Recipient.Email != emails[i] || is.Copy.ID == 0 {
			t.Fatalf("copy %d: number %d of %d to %s (id %d)", i, is.Copy.Number, is.Copy.Of, is.Recipient.Email, is.Copy.ID)
		}
	}
	for _, i := range []int{0, issueBatch, n - 1} {
		body, _, err := s.OpenCopy(ctx, op, issued[i].Copy.ID, render.Text, "download", "")
		if err != nil || string(body) != string(issued[i].Files[render.Text]) {
			t.Errorf("copy %d opens as %d bytes, issued as %d: %v", i+1, len(body), len(issued[i].Files[render.Text]), err)
		}
	}
	rep, err := s.VerifyLedger(ctx, op, VerifyLedgerRequest{Full: true})
	if err != nil || !rep.OK() {
		t.Fatalf("ledger after a bulk issue: %v %+v", err, rep)
	}
	// A recipient who already holds a copy stops the issue before anything
	// is written.
	more := manyRecipients(t, s, "c", 3)
	if _, err := s.Issue(ctx, op, IssueRequest{Document: "board-memo", Emails: append(more, emails[5])}); telltale.ErrorCode(err) != telltale.ECONFLICT {
		t.Fatalf("issue to a holder: %v", err)
	}
	if n2, _ := copyCount(t, s, issued[0].Copy.VersionID); n2 != n {
		t.Errorf("%d copies after a refused issue, want %d", n2, n)
	}
	// Revoking them all runs in batches too.
	if k, err := s.RevokeAll(ctx, op, "board-memo"); err != nil || k != n {
		t.Fatalf("RevokeAll: %d, %v; want %d", k, err, n)
	}
	if k, err := s.RevokeAll(ctx, op, "board-memo"); err != nil || k != 0 {
		t.Errorf("RevokeAll again: %d, %v", k, err)
	}
	if _, _, err := s.OpenCopy(ctx, op, issued[issueBatch+1].Copy.ID, render.Text, "download", ""); err == nil {
		t.Errorf("a revoked copy opens")
	}
	if rep, err := s.VerifyLedger(ctx, op, VerifyLedgerRequest{Full: true}); err != nil || !rep.OK() {
		t.Fatalf("ledger after revoking: %v %+v", err, rep)
	}
}

func copyCount(t *testing.T, s *Service, versionID int64) (int, error) {
	t.Helper()
	var n int
	err := s.store.View(ctx, func(tx telltale.Tx) error {
		var err error
		n, err = tx.CopyCount(versionID)
		return err
	})
	return n, err
}

// TestConcurrentBulkIssues: two bulk issues of one version at once both
// succeed, and never give two copies one number: a batch that finds the
// other's copies is numbered again after them.
func TestConcurrentBulkIssues(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "board-memo")
	a := manyRecipients(t, s, "a", 3*issueBatch)
	b := manyRecipients(t, s, "b", 3*issueBatch)
	var wg sync.WaitGroup
	var errs [2]error
	var got [2][]*Issued
	for i, emails := range [][]string{a, b} {
		wg.Go(func() {
			got[i], errs[i] = s.Issue(ctx, op, IssueRequest{Document: "board-memo", Emails: emails, Formats: []render.Format{render.Text}})
		})
	}
	wg.Wait()
	var numbers []int
	for i := range 2 {
		for _, is := range got[i] {
			numbers = append(numbers, is.Copy.Number)
		}
		if errs[i] != nil || len(got[i]) != 3*issueBatch {
			t.Errorf("issue %d: %d copies, %v", i, len(got[i]), errs[i])
		}
	}
	slices.Sort(numbers)
	for i, n := range numbers {
		if n != i+1 {
			t.Fatalf("copy numbers %v…: %d at %d", numbers[:min(len(numbers), 10)], n, i)
		}
	}
	vid := int64(0)
	for i := range 2 {
		if len(got[i]) > 0 {
			vid = got[i][0].Copy.VersionID
		}
	}
	if n, _ := copyCount(t, s, vid); n != len(numbers) {
		t.Errorf("%d copies stored, %d returned", n, len(numbers))
	}
}

// TestViewLatencyDuringIssueReport measures what a reader waits for while
// 10,000 copies are issued: the latency of opening a copy (a ledger append
// through the one writer) before and during the issue. A measurement, not
// a test: set TELLTALE_MEASURE=1.
func TestViewLatencyDuringIssueReport(t *testing.T) {
	if os.Getenv("TELLTALE_MEASURE") == "" {
		t.Skip("a measurement: set TELLTALE_MEASURE=1")
	}
	s, _ := newService(t)
	addSample(t, s, "operations-plan")
	readers := manyRecipients(t, s, "r", 8)
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: readers})
	if err != nil {
		t.Fatal(err)
	}
	bulk := manyRecipients(t, s, "x", 10000)
	views := func(stop <-chan struct{}, max int) []time.Duration {
		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					if len(lat) >= max {
						mu.Unlock()
						return
					}
					mu.Unlock()
					t0 := time.Now()
					if _, _, err := s.OpenCopy(ctx, op, issued[w].Copy.ID, render.HTML, "view", ""); err != nil {
						t.Error(err)
						return
					}
					d := time.Since(t0)
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return lat
	}
	report := func(name string, lat []time.Duration, wall time.Duration) {
		slices.Sort(lat)
		q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		t.Logf("%s: %d views in %.1f s (%.0f/s): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", name, len(lat), wall.Seconds(), float64(len(lat))/wall.Seconds(),
			ms(q(0.5)), ms(q(0.9)), ms(q(0.99)), ms(lat[len(lat)-1]))
	}
	t0 := time.Now()
	report("idle", views(nil, 2000), time.Since(t0))
	stop := make(chan struct{})
	var issueTime time.Duration
	go func() {
		defer close(stop)
		t0 := time.Now()
		if _, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: bulk}); err != nil {
			t.Error(err)
		}
		issueTime = time.Since(t0)
	}()
	t0 = time.Now()
	lat := views(stop, 1<<30)
	wall := time.Since(t0)
	t.Logf("issue of 10,000 copies (md, html, txt; not kept) took %.1f s while views ran", issueTime.Seconds())
	report("during the issue", lat, wall)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
