// Package keys holds telltale's master key and derives every other secret
// from it.
//
// The master key is 32 random bytes in a file readable only by its owner
// (mode 0600) in the data directory. Sub-keys are derived with HKDF-SHA256
// (crypto/hkdf) from the master key, a purpose string and a per-object
// random nonce stored with the object: one key per version for slot biases,
// one per copy for its codeword, one per version for encryption at rest.
// Losing the master key makes every stored document unreadable and every
// codeword unrecoverable: back it up apart from the database.
//
// Callers use Master.Keyring: it names every purpose a key is derived for
// and every value telltale seals at rest, with the associated data that
// binds a ciphertext to its row.
package keys

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Size of the master key and of every derived key, in bytes.
const Size = 32

// Master is the master key. Its zero value is not usable.
type Master struct {
	k [Size]byte
}

// ErrExists is returned by Generate when a key file is already there.
var ErrExists = errors.New("master key already exists")

// Generate creates a new random master key at path with mode 0600. It never
// overwrites an existing file.
func Generate(path string) (*Master, error) {
	m := &Master{}
	if _, err := rand.Read(m.k[:]); err != nil {
		return nil, fmt.Errorf("failed to generate master key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%w at %s", ErrExists, path)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to create master key file: %w", err)
	}
	if _, err := f.Write(m.k[:]); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("failed to write master key %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("failed to write master key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("failed to write master key %s: %w", path, err)
	}
	return m, nil
}

// Load reads the master key at path. It refuses a file that others can
// read or write.
func Load(path string) (*Master, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no master key at %s (hint: run telltale init, or point --data at the right directory)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read master key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("master key %s is accessible to other users (mode %v) (hint: chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read master key: %w", err)
	}
	if len(b) != Size {
		return nil, fmt.Errorf("master key %s is %d bytes, want %d (hint: restore it from your backup)", path, len(b), Size)
	}
	m := &Master{}
	copy(m.k[:], b)
	return m, nil
}

// FromBytes makes a master key from 32 bytes, for tests and tools.
func FromBytes(b []byte) (*Master, error) {
	if len(b) != Size {
		return nil, fmt.Errorf("master key must be %d bytes, got %d", Size, len(b))
	}
	m := &Master{}
	copy(m.k[:], b)
	return m, nil
}

// Purposes of derived keys. Each is bound into the HKDF info, so keys for
// different purposes never coincide even with the same nonce.
const (
	purposeBias     = "telltale/v1/bias"
	purposeCodeword = "telltale/v1/codeword"
	purposeAtRest   = "telltale/v1/at-rest"
	purposeTag      = "telltale/v1/zero-width-tag"
	purposeIndex    = "telltale/v1/identify-index"
)

// derive returns the sub-key for a purpose and an object's nonce.
func (m *Master) derive(purpose string, nonce []byte) [Size]byte {
	b, err := hkdf.Key(sha256.New, m.k[:], nonce, purpose, Size)
	if err != nil {
		panic("keys: HKDF failed: " + err.Error()) // only for absurd lengths
	}
	var k [Size]byte
	copy(k[:], b)
	return k
}

// extract is the first step of derive, which depends only on the nonce:
// derive(p, nonce) is expand(m.extract(nonce), p).
func (m *Master) extract(nonce []byte) []byte {
	prk, err := hkdf.Extract(sha256.New, m.k[:], nonce)
	if err != nil {
		panic("keys: HKDF failed: " + err.Error())
	}
	return prk
}

// expand is the second step of derive.
func expand(prk []byte, purpose string) [Size]byte {
	b, err := hkdf.Expand(sha256.New, prk, purpose, Size)
	if err != nil {
		panic("keys: HKDF failed: " + err.Error())
	}
	var k [Size]byte
	copy(k[:], b)
	return k
}

// Nonce returns n fresh random bytes for a new object.
func Nonce(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("keys: no randomness: " + err.Error())
	}
	return b
}

// sealer encrypts and decrypts data at rest with AES-256-GCM.
type sealer struct {
	aead cipher.AEAD
}

// sealVersion prefixes every ciphertext, so the format can change.
const sealVersion = 1

// atRest returns the sealer for objects of one version, keyed from its
// nonce.
func (m *Master) atRest(nonce []byte) *sealer {
	k := m.derive(purposeAtRest, nonce)
	block, err := aes.NewCipher(k[:])
	if err != nil {
		panic(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &sealer{aead: aead}
}

// Seal encrypts plaintext; aad names what it is ("version 3 source") so a
// ciphertext cannot be moved to another row unnoticed.
func (s *sealer) Seal(plaintext []byte, aad string) []byte {
	nonce := Nonce(s.aead.NonceSize())
	out := append([]byte{sealVersion}, nonce...)
	return s.aead.Seal(out, nonce, plaintext, []byte(aad))
}

// Open decrypts a sealed value. It fails if the value was changed, sealed
// for something else, or sealed with another key.
func (s *sealer) Open(sealed []byte, aad string) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(sealed) < 1+ns+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, fmt.Errorf("failed to decrypt %s: not a sealed value", aad)
	}
	pt, err := s.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(aad))
	if err != nil {
		return nil, fmt.Errorf("failed to decrypt %s: wrong key or damaged data", aad)
	}
	return pt, nil
}

// Equal reports whether two master keys are the same, for tests.
func (m *Master) Equal(o *Master) bool { return bytes.Equal(m.k[:], o.k[:]) }
