package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/telltale-dev/telltale/samples"
)

// TestCaseCLI takes a case through its life with the CLI, exports the
// bundle and verifies it, then tampers with it.
func TestCaseCLI(t *testing.T) {
	t.Parallel()
	rn := &running{t: t, dir: t.TempDir()}
	rn.must("", "init")
	plan, _ := samples.Get("operations-plan")
	src := filepath.Join(rn.dir, "plan.md")
	os.WriteFile(src, plan, 0o600)
	rn.must("", "doc", "add", src, "--name", "plan")
	for _, p := range []string{"dana", "lee", "kim"} {
		rn.must("", "recipient", "add", p, "--email", p+"@example.org")
	}
	copies := filepath.Join(rn.dir, "copies")
	rn.must("", "issue", "plan", "--to", "dana@example.org,lee@example.org,kim@example.org", "--format", "txt", "--out", copies)
	leak, err := os.ReadFile(filepath.Join(copies, "plan-copy02-lee.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out := rn.must(string(leak[2000:7000]), "case", "open", "-", "--title", "Gazette story", "--published", "2026-12-02 06:00")
	if !strings.Contains(out, "Opened case 1") || !strings.Contains(out, "ACCUSED: the leak comes from the copy of lee") {
		t.Fatalf("case open:\n%s", out)
	}
	rn.must("", "case", "note", "1", "Matches", "paragraph", "3")
	if _, errOut, code := rn.cli("", nil, "case", "move", "1", "referred", "--office", "IG"); code != 1 || !strings.Contains(errOut, "it can move to triage or closed") {
		t.Errorf("skipping a state: %d %s", code, errOut)
	}
	for _, args := range [][]string{{"triage"}, {"attribution"}, {"referred", "--office", "Office of the Inspector General"}, {"closed", "--outcome", "substantiated"}} {
		rn.must("", append([]string{"case", "move", "1"}, args...)...)
	}
	show := rn.must("", "case", "show", "1")
	for _, want := range []string{"closed, substantiated, referred to Office of the Inspector General", "Access to the leaked version", "issued", "Matches paragraph 3"} {
		if !strings.Contains(show, want) {
			t.Errorf("case show lacks %q:\n%s", want, show)
		}
	}
	if out := rn.must("", "case", "list"); !strings.Contains(out, "closed (substantiated)") {
		t.Errorf("case list:\n%s", out)
	}
	bundlePath := filepath.Join(rn.dir, "case-1.zip")
	rn.must("", "case", "export", "1", "--out", bundlePath)
	key := filepath.Join(rn.dir, "data", "ledger.pub")
	if out := rn.must("", "verify", bundlePath, "--key", key); !strings.Contains(out, "VERIFIED") || !strings.Contains(out, "codeword of copy/2") {
		t.Errorf("verify:\n%s", out)
	}
	// Exported for an outside office with age: only its identity opens it.
	office, _ := age.GenerateX25519Identity()
	idFile := filepath.Join(rn.dir, "office.key")
	os.WriteFile(idFile, []byte(office.String()+"\n"), 0o600)
	sealed := filepath.Join(rn.dir, "case-1.zip.age")
	rn.must("", "case", "export", "1", "--out", sealed, "--to", office.Recipient().String())
	if _, errOut, code := rn.cli("", nil, "verify", sealed, "--key", key); code != 1 || !strings.Contains(errOut, "--identity") {
		t.Errorf("sealed bundle without identity: %d %s", code, errOut)
	}
	if out := rn.must("", "verify", sealed, "--key", key, "--identity", idFile); !strings.Contains(out, "VERIFIED") {
		t.Errorf("sealed bundle:\n%s", out)
	}
	if _, errOut, code := rn.cli("", nil, "case", "export", "1", "--to", "age1nope"); code != 1 || !strings.Contains(errOut, "age") {
		t.Errorf("bad age key: %d %s", code, errOut)
	}
	// A changed byte anywhere is found, and the reason printed.
	b, _ := os.ReadFile(bundlePath)
	bad := filepath.Join(rn.dir, "bad.zip")
	os.WriteFile(bad, []byte(strings.Replace(string(b), "PK\x03\x04", "PK\x03\x05", 2)), 0o600)
	if out, errOut, code := rn.cli("", nil, "verify", bad, "--key", key); code != 1 || !strings.Contains(out+errOut, "not") {
		t.Errorf("damaged bundle: %d\n%s%s", code, out, errOut)
	}
	// The ledger recorded every step and verifies.
	if out := rn.must("", "ledger", "show", "--subject", "case/1"); strings.Count(out, "case.") < 8 {
		t.Errorf("ledger for case/1:\n%s", out)
	}
	rn.must("", "ledger", "verify")
}
