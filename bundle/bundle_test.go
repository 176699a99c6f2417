package bundle

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

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

func TestSealOpen(t *testing.T) {
	t.Parallel()
	court, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	office, _ := age.GenerateX25519Identity()
	stranger, _ := age.GenerateX25519Identity()
	plain := []byte("PK\x03\x04 a bundle")
	sealed, err := Seal(plain, court.Recipient().String()+", "+office.Recipient().String())
	if err != nil {
		t.Fatal(err)
	}
	if !Encrypted(sealed) || bytes.Contains(sealed, []byte("a bundle")) {
		t.Fatal("not encrypted")
	}
	for _, id := range []*age.X25519Identity{court, office} {
		got, err := Open(sealed, strings.NewReader(id.String()+"\n"))
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("open: %v %q", err, got)
		}
	}
	if _, err := Open(sealed, strings.NewReader(stranger.String())); err == nil || !strings.Contains(err.Error(), "not encrypted for this identity") {
		t.Errorf("stranger: %v", err)
	}
	if _, err := Open(sealed, nil); err == nil || !strings.Contains(err.Error(), "encrypted with age") {
		t.Errorf("no identity: %v", err)
	}
	if got, err := Open(plain, nil); err != nil || !bytes.Equal(got, plain) {
		t.Errorf("plain bundle: %v", err)
	}
	if _, err := Seal(plain, "not-a-key"); err == nil || !strings.Contains(err.Error(), "age1") {
		t.Errorf("bad recipient: %v", err)
	}
	damaged := append([]byte{}, sealed...)
	damaged[len(damaged)-3] ^= 1
	if _, err := Open(damaged, strings.NewReader(court.String())); err == nil {
		t.Error("damaged bundle opened")
	}
}
