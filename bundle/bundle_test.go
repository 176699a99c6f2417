package bundle

import (
	"testing"
	"time"

	"github.com/telltale-dev/telltale/ledger"
)

// FuzzVerify feeds arbitrary bytes to Verify: it must return an error or a
// report, never panic. (service/cases_test.go verifies real bundles and
// tampered ones.)
func FuzzVerify(f *testing.F) {
	w := NewWriter()
	w.Add("evidence/1-leak.txt", []byte("leaked text"))
	if err := w.AddJSON(EvidenceFile, []Item{{ID: 1, Kind: "text", Name: "leak", SHA256: Hash([]byte("leaked text")), File: "evidence/1-leak.txt"}}); err != nil {
		f.Fatal(err)
	}
	m, _, err := w.Manifest(CaseInfo{ID: 1, Title: "t", State: "intake"}, time.Unix(0, 0))
	if err != nil {
		f.Fatal(err)
	}
	seed, err := w.Bytes(m, &ledger.Evidence{VerifierKey: "test+00000000+AAAA", Checkpoint: "x"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Verify(data, "")
		if err == nil && rep == nil {
			t.Fatal("no report and no error")
		}
		if err == nil && rep.OK() && len(rep.Checked) == 0 {
			t.Fatal("verified without checking anything")
		}
	})
}
