package bundle

import (
	"archive/zip"
	"bytes"
	"encoding/hex"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/trace"
)

// TestCheckHolder: an accusation verifies only if the signed issue entry
// of the copy names the accused recipient and its holder commitment opens
// to the name and e-mail the verdict shows.
func TestCheckHolder(t *testing.T) {
	t.Parallel()
	salt := [32]byte{7}
	issued := &ledger.Entry{Action: "copy.issue", Subject: "copy/3", Fields: map[string]string{
		"recipient": "recipient/1", "holder": ledger.HolderCommitment(salt, "recipient/1", "Dana Ortiz", "dana@example.org")}}
	cw := &Codeword{Copy: "copy/3", HolderSalt: hex.EncodeToString(salt[:])}
	finding := func(id int64, name, email string) trace.RecipientFinding {
		return trace.RecipientFinding{CopyID: 3, Recipient: trace.RecipientRef{ID: id, Name: name, Email: email}}
	}
	for _, tt := range []struct {
		name string
		f    trace.RecipientFinding
		salt string
		want string // in the problem; "" for none
	}{
		{"the holder", finding(1, "Dana Ortiz", "dana@example.org"), cw.HolderSalt, ""},
		{"another recipient's row", finding(2, "Dana Ortiz", "dana@example.org"), cw.HolderSalt, "but it was issued to recipient/1"},
		{"a renamed row", finding(1, "Lee Chen", "lee@example.org"), cw.HolderSalt, "that is not who it was issued to"},
		{"no salt", finding(1, "Dana Ortiz", "dana@example.org"), "", "does not reveal the holder salt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := &verifier{Verification: &Verification{}, entries: []*ledger.Entry{issued}}
			c := *cw
			c.HolderSalt = tt.salt
			v.checkHolder("verdicts/1.json", tt.f, &c)
			got := strings.Join(v.Problems, "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("problems %q, want %q", got, tt.want)
			}
		})
	}
}

// TestZipLimits: sizes are checked against what the zip declares before
// anything is read, and against the bytes read: a small zip cannot make
// the verifier read gigabytes.
func TestZipLimits(t *testing.T) {
	t.Parallel()
	raw := func(name string, declared uint64, body []byte) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, UncompressedSize64: declared, CompressedSize64: uint64(len(body)), CRC32: crc32.ChecksumIEEE(body)})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
		zw.Close()
		return b.Bytes()
	}
	for name, tt := range map[string]struct {
		zip  []byte
		want string
	}{
		"declared 4 GiB":           {raw("evidence/1.txt", 4<<30, []byte("x")), "the limit is 64 MB"},
		"more bytes than declared": {raw("evidence/1.txt", 3, []byte("more than three bytes")), "bundle file evidence/1.txt"},
	} {
		_, err := Verify(tt.zip, "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error mentioning %q", name, err, tt.want)
		}
	}
}
