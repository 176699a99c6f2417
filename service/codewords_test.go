package service

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// TestCodewordCache: a second trace of a version reads the codewords the
// first one checked, takes in copies issued since, and checks again a
// copy whose row was edited behind the service's back (here its
// commitment), refusing the trace as the first trace would have.
func TestCodewordCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s, _ := newServiceAt(t, path)
	addSample(t, s, "operations-plan")
	addRecipients(t, s, "dana@example.org", "lee@example.org", "kim@example.org")
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"dana@example.org", "lee@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	leak := issued[1].Files[render.Text]
	accuses := func(email string, recipients int) {
		t.Helper()
		v, err := s.Trace(ctx, op, TraceRequest{Leak: leak})
		if err != nil {
			t.Fatal(err)
		}
		if v.Outcome != trace.OutcomeAccused || len(v.Accused) != 1 || v.Accused[0].Recipient.Email != email || v.Recipients != recipients {
			t.Fatalf("accused %+v of %d, want %s of %d", v.Accused, v.Recipients, email, recipients)
		}
	}
	accuses("lee@example.org", 2)
	versionID := issued[0].Copy.VersionID
	if n := len(s.codewords.byVersion[versionID].copies); n != 2 {
		t.Fatalf("%d codewords kept, want 2", n)
	}
	// Kept codewords are the copies' own.
	for _, is := range issued {
		e := s.codewords.byVersion[versionID].copies[is.Copy.ID]
		want, _ := fingerprint.Commitment(s.copyKey(is.Copy), e.codeword)
		if want != is.Copy.Commitment {
			t.Errorf("kept codeword of copy %d does not match its commitment", is.Copy.ID)
		}
	}

	first := s.codewords.byVersion[versionID].copies
	if _, err := s.Issue(ctx, op, IssueRequest{Document: "operations-plan", Emails: []string{"kim@example.org"}}); err != nil {
		t.Fatal(err)
	}
	accuses("lee@example.org", 3)
	for _, is := range issued {
		if s.codewords.byVersion[versionID].copies[is.Copy.ID] != first[is.Copy.ID] {
			t.Errorf("copy %d's codeword was derived again", is.Copy.ID)
		}
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER copies_immutable`, `UPDATE copies SET commitment = zeroblob(32) WHERE number = 1`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.Trace(ctx, op, TraceRequest{Leak: leak})
	if telltale.ErrorCode(err) != telltale.EINTERNAL || !strings.Contains(err.Error(), "does not match its commitment") {
		t.Fatalf("trace after the commitment was edited: %v", err)
	}
}

// TestCodewordCacheBudget: versions that do not fit are dropped, least
// recently traced first; a version larger than the budget is not kept.
func TestCodewordCacheBudget(t *testing.T) {
	entry := func(id int64) ([]telltale.Holding, []*checkedCodeword) {
		return []telltale.Holding{{CopyID: id, Nonce: []byte("0123456789abcdef")}},
			[]*checkedCodeword{{nonce: "0123456789abcdef", codeword: make(fingerprint.Codeword, 100)}}
	}
	size := int64(100 + 16 + overhead)
	cc := newCodewordCache(2 * size)
	held0, entries0 := entry(0)
	cc.put(0, held0, entries0)
	held1, entries1 := entry(1)
	cc.put(1, held1, entries1)
	cc.get(0, held0) // version 0 traced again: version 1 is now the oldest
	held2, entries2 := entry(2)
	cc.put(2, held2, entries2)
	if _, ok := cc.byVersion[1]; ok || len(cc.byVersion) != 2 || cc.used != 2*size {
		t.Errorf("kept versions %v (%d bytes), want 0 and 2", cc.byVersion, cc.used)
	}
	held, entries := entry(1)
	small := newCodewordCache(size - 1)
	small.put(1, held, entries)
	if len(small.byVersion) != 0 || small.used != 0 {
		t.Errorf("a version larger than the budget was kept")
	}
	if got := small.get(1, held); got[0] != nil {
		t.Errorf("get found %v in an empty cache", got[0])
	}
}
