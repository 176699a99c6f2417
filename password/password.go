// Package password hashes and checks passwords with Argon2id, stored in the
// PHC string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash), so parameters
// can be raised later without invalidating stored hashes.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are Argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// Default follows RFC 9106's second recommendation (64 MiB, 3 passes,
// 4 lanes), tuned down to the 2-core servers telltale targets.
var Default = Params{Memory: 64 * 1024, Time: 2, Threads: 2}

// MinLength is the shortest password accepted.
const MinLength = 12

// MaxLength bounds the work an attacker can ask for per attempt.
const MaxLength = 1024

// ErrMismatch is returned by Check for a wrong password.
var ErrMismatch = errors.New("wrong password")

// Validate checks a new password: long enough, not made of a few
// characters repeated, and not a common password with digits or
// punctuation around it.
func Validate(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinLength:
		return fmt.Errorf("a password needs at least %d characters, this one has %d", MinLength, n)
	case len(pw) > MaxLength:
		return fmt.Errorf("a password may have at most %d bytes", MaxLength)
	}
	distinct := map[rune]bool{}
	var letters strings.Builder
	for _, r := range strings.ToLower(pw) {
		distinct[r] = true
		if unicode.IsLetter(r) {
			letters.WriteRune(r)
		}
	}
	if len(distinct) < 5 {
		return errors.New("this password repeats a few characters; choose one that is harder to guess (hint: a few unrelated words make a good one)")
	}
	if isCommon(letters.String()) || isCommon(deleet(pw)) {
		return errors.New("this password is one of the most common ones, with digits or signs around it; choose one that is harder to guess (hint: a few unrelated words make a good one)")
	}
	return nil
}

//go:embed common.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()

// deleet reads the core of a password — without the digits and signs
// before and after it — with common letter substitutions undone:
// "P@ssw0rd2026!" is "password".
func deleet(pw string) string {
	core := strings.TrimFunc(strings.ToLower(pw), func(r rune) bool { return !unicode.IsLetter(r) })
	var b strings.Builder
	for _, r := range core {
		if l, ok := leet[r]; ok {
			r = l
		}
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var leet = map[rune]rune{'@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', '5': 's', '$': 's', '7': 't', '+': 't'}

// isCommon reports whether the letters of a password are empty, a common
// base, or a common base repeated.
func isCommon(letters string) bool {
	if letters == "" || common[letters] {
		return true
	}
	for base := range common {
		if len(letters)%len(base) == 0 && strings.Repeat(base, len(letters)/len(base)) == letters {
			return true
		}
	}
	return false
}

// Hash returns the PHC string of a password with a fresh salt.
func Hash(pw string, p Params) (string, error) {
	if len(pw) > MaxLength {
		return "", fmt.Errorf("password too long")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Check compares a password with a PHC string in constant time.
func Check(pw, encoded string) error {
	if len(pw) > MaxLength {
		return ErrMismatch
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return fmt.Errorf("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return fmt.Errorf("unsupported argon2 version %q", parts[2])
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return fmt.Errorf("bad argon2 parameters %q", parts[3])
	}
	if p.Memory > 1<<22 || p.Time > 100 || p.Threads == 0 {
		return fmt.Errorf("argon2 parameters out of range")
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("bad salt")
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return fmt.Errorf("bad hash")
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}
