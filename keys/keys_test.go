package keys

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	m, err := Generate(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
	}
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Equal(l) {
		t.Error("loaded key differs from generated key")
	}
	if _, err := Generate(path); !errors.Is(err, ErrExists) {
		t.Errorf("second Generate = %v, want ErrExists", err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "open.key")
	os.WriteFile(open, make([]byte, Size), 0o644)
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, []byte("abc"), 0o600)
	tests := []struct{ path, want string }{
		{filepath.Join(dir, "missing.key"), "telltale init"},
		{open, "chmod 600"},
		{short, "3 bytes"},
	}
	for _, tt := range tests {
		if _, err := Load(tt.path); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s) = %v, want error mentioning %q", filepath.Base(tt.path), err, tt.want)
		}
	}
}

func TestDerive(t *testing.T) {
	m, _ := FromBytes(make([]byte, Size))
	a := m.derive(purposeBias, []byte("n1"))
	if a != m.derive(purposeBias, []byte("n1")) {
		t.Error("Derive is not deterministic")
	}
	if a == m.derive(purposeCodeword, []byte("n1")) {
		t.Error("different purposes gave the same key")
	}
	if a == m.derive(purposeBias, []byte("n2")) {
		t.Error("different nonces gave the same key")
	}
}

func TestSeal(t *testing.T) {
	m, _ := FromBytes(make([]byte, Size))
	s := m.atRest([]byte("version nonce"))
	sealed := s.Seal([]byte("the plan"), "version 1 source")
	if strings.Contains(string(sealed), "the plan") {
		t.Fatal("plaintext visible in sealed value")
	}
	pt, err := s.Open(sealed, "version 1 source")
	if err != nil || string(pt) != "the plan" {
		t.Fatalf("Open = %q, %v", pt, err)
	}
	if _, err := s.Open(sealed, "version 2 source"); err == nil {
		t.Error("Open accepted the wrong associated data")
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Open(sealed, "version 1 source"); err == nil {
		t.Error("Open accepted a damaged value")
	}
	other := m.atRest([]byte("other nonce"))
	if _, err := other.Open(s.Seal([]byte("x"), "a"), "a"); err == nil {
		t.Error("Open accepted a value sealed with another key")
	}
	if _, err := s.Open([]byte{1, 2}, "a"); err == nil {
		t.Error("Open accepted a truncated value")
	}
}
