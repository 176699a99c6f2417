package password

import (
	"errors"
	"strings"
	"testing"
)

var fast = Params{Memory: 64, Time: 1, Threads: 1}

func TestHashCheck(t *testing.T) {
	h, err := Hash("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q", h)
	}
	if err := Check("correct horse battery", h); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := Check("correct horse battery!", h); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: %v", err)
	}
	h2, _ := Hash("correct horse battery", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA"} {
		if err := Check("x", bad); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("Check(%q) = %v, want a format error", bad, err)
		}
	}
}

func TestValidate(t *testing.T) {
	if Validate("short") == nil || Validate(strings.Repeat("x", 2000)) == nil {
		t.Error("bad passwords accepted")
	}
	if err := Validate("long enough passphrase"); err != nil {
		t.Error(err)
	}
}

func TestValidateRefusesWeakPasswords(t *testing.T) {
	t.Parallel()
	for pw, ok := range map[string]bool{
		"aaaaaaaaaaaa":                 false,
		"abababababab":                 false,
		"password1234":                 false,
		"Password123!":                 false,
		"P@ssw0rd2026!":                false,
		"qwertyuiop12":                 false,
		"123456789012":                 false,
		"letmeinletmein":               false,
		"!!!!????####":                 false,
		"short":                        false,
		"correct horse battery staple": true,
		"a long password here":         true,
		"Tidewater-8-March-rain":       true,
	} {
		if err := Validate(pw); (err == nil) != ok {
			t.Errorf("Validate(%q) = %v, want accepted=%v", pw, err, ok)
		}
	}
}
