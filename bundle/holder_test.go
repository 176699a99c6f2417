package bundle

import (
	"encoding/hex"
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
