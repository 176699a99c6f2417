package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// ageHeader starts every age file.
const ageHeader = "age-encryption.org/v1\n"

// Encrypted reports whether data is an age-encrypted bundle.
func Encrypted(data []byte) bool { return bytes.HasPrefix(data, []byte(ageHeader)) }

// Seal encrypts a bundle with age for its outside recipients (the
// reviewing office, the court): recipients are age public keys ("age1…"),
// one per line or separated by commas. Only the holders of the matching
// identities can open it.
func Seal(bundle []byte, recipients string) ([]byte, error) {
	rs, err := parseRecipients(recipients)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		return nil, fmt.Errorf("failed to encrypt the bundle: %w", err)
	}
	if _, err := w.Write(bundle); err != nil {
		return nil, fmt.Errorf("failed to encrypt the bundle: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("failed to encrypt the bundle: %w", err)
	}
	return buf.Bytes(), nil
}

// CheckRecipients reports whether recipients are usable age public keys,
// so a caller can refuse them before doing any work.
func CheckRecipients(recipients string) error {
	_, err := parseRecipients(recipients)
	return err
}

// parseRecipients reads age public keys, one per line or comma-separated.
func parseRecipients(recipients string) ([]age.Recipient, error) {
	var lines []string
	for _, f := range strings.FieldsFunc(recipients, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		if f = strings.TrimSpace(f); f != "" {
			lines = append(lines, f)
		}
	}
	rs, err := age.ParseRecipients(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		return nil, fmt.Errorf("age recipients: %w (want public keys such as age1…, one per line or comma-separated)", err)
	}
	return rs, nil
}

// Open decrypts an age-encrypted bundle with identities (the contents of
// an age identity file, "AGE-SECRET-KEY-1…"). A bundle that is not
// encrypted is returned as it is.
func Open(data []byte, identities io.Reader) ([]byte, error) {
	if !Encrypted(data) {
		return data, nil
	}
	if identities == nil {
		return nil, errors.New("the bundle is encrypted with age: give the identity (private key) file it was encrypted for")
	}
	ids, err := age.ParseIdentities(identities)
	if err != nil {
		return nil, fmt.Errorf("age identity: %w", err)
	}
	r, err := age.Decrypt(bytes.NewReader(data), ids...)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) {
			return nil, errors.New("the bundle was not encrypted for this identity")
		}
		return nil, fmt.Errorf("failed to decrypt the bundle: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(r, MaxBundleSize+1))
	if err != nil {
		return nil, fmt.Errorf("failed to decrypt the bundle: %w (it may be damaged)", err)
	}
	if len(out) > MaxBundleSize {
		return nil, fmt.Errorf("the decrypted bundle is larger than %d MB", MaxBundleSize>>20)
	}
	return out, nil
}
