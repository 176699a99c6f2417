package service

import (
	"fmt"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/internal/cputime"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/render"
)

// BenchmarkTraceText traces a leaked copy end to end — identify the
// version, read the leak, load every holder with its codeword checked
// against its commitment, attribute, verify the accused and record the
// trace — against n copies of one version on SQLite.
//
// "cold" starts a new service over the same store for every trace, so
// every codeword is derived again; "warm" traces again with the same
// service. The leaker's copy is issued through the service (its issue
// entry is what verifyHolder checks); the others are stored directly,
// with real nonces, codewords and commitments but no ledger entries.
// cpu-s/op is the CPU time of every core per trace.
func BenchmarkTraceText(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("copies=%d", n), func(b *testing.B) {
			s, leak := traceBenchWorld(b, n)
			trace := func(s *Service) {
				res, err := s.TraceText(ctx, op, TraceRequest{Leak: leak, Name: "leak"})
				if err != nil {
					b.Fatal(err)
				}
				if v := res.Verdict; len(v.Accused) != 1 || v.Accused[0].Copy != 1 || v.Recipients != n {
					b.Fatalf("accused %+v of %d", v.Accused, v.Recipients)
				}
			}
			b.Run("cold", func(b *testing.B) {
				cpu := cputime.Used()
				for b.Loop() {
					trace(New(s.store, testMaster(b), s.ledger, Options{Now: s.now}))
				}
				b.ReportMetric((cputime.Used()-cpu).Seconds()/float64(b.N), "cpu-s/op")
			})
			b.Run("warm", func(b *testing.B) {
				trace(s)
				b.ResetTimer()
				cpu := cputime.Used()
				for b.Loop() {
					trace(s)
				}
				b.ReportMetric((cputime.Used()-cpu).Seconds()/float64(b.N), "cpu-s/op")
			})
		})
	}
}

// traceBenchWorld stores the operations plan with n copies and returns the
// service and the text of copy 1.
func traceBenchWorld(b *testing.B, n int) (*Service, []byte) {
	b.Helper()
	s, _ := newService(b)
	addSample(b, s, "operations-plan")
	addRecipients(b, s, "leaker@example.org")
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"leaker@example.org"}, Formats: []render.Format{render.Text}})
	if err != nil {
		b.Fatal(err)
	}
	first := issued[0].Copy
	v := &telltale.Version{}
	err = s.store.View(ctx, func(tx telltale.Tx) (err error) { v, err = tx.Version(first.VersionID); return err })
	if err != nil {
		b.Fatal(err)
	}
	st, err := s.prepare(v)
	if err != nil {
		b.Fatal(err)
	}
	const batch = 5000
	for start := 2; start <= n; start += batch {
		err := s.store.Update(ctx, func(tx telltale.Tx) error {
			for i := start; i < min(n+1, start+batch); i++ {
				r := &telltale.Recipient{Name: fmt.Sprintf("Recipient %d", i), Email: fmt.Sprintf("r%d@example.org", i), CreatedAt: first.IssuedAt}
				if err := tx.CreateRecipient(r); err != nil {
					return err
				}
				c := &telltale.Copy{VersionID: v.ID, RecipientID: r.ID, Number: i, Of: n, Nonce: keys.Nonce(16),
					Formats: first.Formats, IssuedAt: first.IssuedAt, IssuedBy: first.IssuedBy}
				cw := fingerprint.NewCodeword(s.copyKey(c), st.biases)
				c.Commitment, _ = fingerprint.Commitment(s.copyKey(c), cw)
				if err := tx.CreateCopy(c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return s, issued[0].Files[render.Text]
}

// BenchmarkCopyCodeword derives and checks one copy's codeword (1,000
// slots, close to the operations plan's) and tag, as a trace does for
// every copy it has not kept, on one core.
func BenchmarkCopyCodeword(b *testing.B) {
	s, _ := newService(b)
	arities := make([]int, 1000)
	for j := range arities {
		arities[j] = 2
	}
	biases := fingerprint.Biases(fingerprint.Key{1}, arities, fingerprint.DefaultDesign)
	c := &telltale.Copy{ID: 1, Nonce: keys.Nonce(16)}
	c.Commitment, _ = fingerprint.Commitment(s.copyKey(c), fingerprint.NewCodeword(s.copyKey(c), biases))
	cw := make(fingerprint.Codeword, len(biases))
	cpu := cputime.Used()
	for b.Loop() {
		if _, err := s.checkedCodeword(c, biases, cw); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Used()-cpu).Seconds()*1e6/float64(b.N), "cpu-µs/op")
}
