package service

import (
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
)

func TestParseRecipients(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr string
	}{
		{"name,email,unit\nDana Ortiz, dana@example.org, Houston\nLee Chen,lee@example.org\n", 2, ""},
		{"# staff\n\nDana,dana@example.org\n", 1, ""},
		{`"Ortiz, Dana",dana@example.org,"Unit A, B"` + "\n", 1, ""},
		{"Dana\n", 0, "line 1 has 1 fields"},
		{"Dana,dana@example.org\nLee,not-an-email\n", 0, "line 2"},
		{",dana@example.org\n", 0, "the name is empty"},
		{"", 0, "no recipients found"},
		{"a,\"b\n", 0, "want CSV lines"},
	}
	for _, tt := range tests {
		rs, err := ParseRecipients(strings.NewReader(tt.in))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || len(rs) != tt.want {
			t.Errorf("%q: %d recipients, %v", tt.in, len(rs), err)
		}
	}
}

func TestImportRecipients(t *testing.T) {
	s, _ := newService(t)
	addRecipients(t, s, "lee@example.org")
	rs, _ := ParseRecipients(strings.NewReader("Dana,Dana@Example.org,Houston\nLee,lee@example.org\nKim,kim@example.org\n"))
	res, err := s.ImportRecipients(ctx, op, rs)
	if err != nil || res.Added != 2 || len(res.Existing) != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	all, _ := s.Recipients(ctx, op)
	if len(all) != 3 {
		t.Errorf("%d recipients", len(all))
	}
	// Duplicates in the file: nothing is stored.
	rs, _ = ParseRecipients(strings.NewReader("Ann,ann@example.org\nAnn,ANN@example.org\n"))
	if _, err := s.ImportRecipients(ctx, op, rs); telltale.ErrorCode(err) != telltale.EINVALID {
		t.Errorf("duplicate: %v", err)
	}
	if all, _ := s.Recipients(ctx, op); len(all) != 3 {
		t.Errorf("a failed import stored %d recipients", len(all)-3)
	}
	if _, err := s.ImportRecipients(ctx, telltale.Actor{UserID: 5, Roles: []telltale.Role{telltale.RoleRecipient}}, rs); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
		t.Errorf("recipient imports: %v", err)
	}
}

func FuzzParseRecipients(f *testing.F) {
	f.Add("name,email,unit\nDana Ortiz,dana@example.org,Houston\n")
	f.Add("\"a,b\",c@d.e\n")
	f.Fuzz(func(t *testing.T, in string) {
		rs, err := ParseRecipients(strings.NewReader(in))
		if err == nil && len(rs) == 0 {
			t.Fatal("no recipients and no error")
		}
		for _, r := range rs {
			if r.Name == "" || r.Email == "" {
				t.Fatalf("empty field accepted: %+v", r)
			}
		}
	})
}

// TestParseRecipientsCleansInput: a byte-order mark is dropped; NUL,
// other control characters and invalid UTF-8 are refused with the line.
func TestParseRecipientsCleansInput(t *testing.T) {
	t.Parallel()
	rs, err := ParseRecipients(strings.NewReader("\uFEFFname,email\nDana Ortiz,dana@example.org\n"))
	if err != nil || len(rs) != 1 || rs[0].Name != "Dana Ortiz" {
		t.Fatalf("BOM: %+v, %v", rs, err)
	}
	for name, in := range map[string]string{
		"NUL":           "Dana\x00Ortiz,dana@example.org\n",
		"control":       "Dana\x1bOrtiz,dana@example.org\n",
		"invalid UTF-8": "Dana \xff,dana@example.org\n",
	} {
		if _, err := ParseRecipients(strings.NewReader(in)); telltale.ErrorCode(err) != telltale.EINVALID || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
