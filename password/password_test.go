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
