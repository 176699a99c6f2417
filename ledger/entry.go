// Package ledger is telltale's tamper-evident record of every change: an
// append-only Merkle log (RFC 6962, via golang.org/x/mod/sumdb/tlog) with
// Ed25519-signed checkpoints (golang.org/x/mod/sumdb/note).
//
// An [Entry] says who did what to which object and when, and carries hashes
// of payloads — never document text, email addresses or secrets. Entries
// have one canonical text encoding; the log hashes that encoding.
//
// [Log.Append] runs inside the store transaction that makes the change it
// records, so a change is never stored without its entry, nor an entry
// without its change. The signed head advances by compare-and-swap, so two
// processes writing to one database can never fork the log. [Log.Verify]
// recomputes the whole tree from the stored entries and checks every
// checkpoint; an edited, deleted, inserted or reordered row is named.
// [Log.Export] produces entries with inclusion proofs against a signed
// checkpoint, which [VerifyEvidence] checks without the database.
package ledger

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Entry is one ledger record.
type Entry struct {
	Time    time.Time
	Actor   string // who: "cli:alice", "user/3"
	Action  string // what: "copy.issue"
	Subject string // to which object: "copy/42"
	// Fields are references and hashes: "version" → "version/3",
	// "commitment" → "sha256:…". Keys and values never contain spaces.
	Fields map[string]string
}

// header is the first line of every encoded entry; the version changes if
// the encoding ever does.
const header = "telltale ledger entry v1"

// Actions recorded by telltale.
const (
	ActionDocumentAdd  = "document.add"
	ActionVersionAdd   = "version.add"
	ActionRecipientAdd = "recipient.add"
	ActionCopyIssue    = "copy.issue"
	ActionCopyOpen     = "copy.open"
	ActionCopyRevoke   = "copy.revoke"
	ActionTraceRun     = "trace.run"
)

// ActionName is an action as people read it: "copy.open" is "opened".
func ActionName(a string) string {
	switch a {
	case ActionCopyIssue:
		return "issued"
	case ActionCopyOpen:
		return "opened"
	case ActionCopyRevoke:
		return "revoked"
	case ActionTraceRun:
		return "trace"
	}
	return a
}

func validKey(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func validValue(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	for _, c := range s {
		if c <= ' ' || c == 0x7f || c > 0x7e {
			return false
		}
	}
	return true
}

// Clean makes any string a valid entry value: spaces and other characters
// outside printable ASCII become "_".
func Clean(s string) string {
	if s == "" {
		return "-"
	}
	b := []byte(s)
	for i, c := range b {
		if c <= ' ' || c >= 0x7f {
			b[i] = '_'
		}
	}
	if len(b) > 512 {
		b = b[:512]
	}
	return string(b)
}

// Encode returns the entry's canonical encoding:
//
//	telltale ledger entry v1
//	time 2026-03-01T12:00:00.123456789Z
//	actor cli:alice
//	action copy.issue
//	subject copy/42
//	commitment sha256:…       (fields, sorted by key)
//
// Each line ends in a newline.
func (e *Entry) Encode() ([]byte, error) {
	if e.Time.IsZero() {
		return nil, fmt.Errorf("ledger entry has no time")
	}
	for _, f := range [...]struct{ name, v string }{{"actor", e.Actor}, {"subject", e.Subject}} {
		if !validValue(f.v) {
			return nil, fmt.Errorf("ledger entry %s %q is empty or has spaces or non-ASCII characters", f.name, f.v)
		}
	}
	if !validKey(e.Action) {
		return nil, fmt.Errorf("ledger entry action %q is not a valid name", e.Action)
	}
	keys := make([]string, 0, len(e.Fields))
	size := len(header) + 64 + len(e.Actor) + len(e.Action) + len(e.Subject)
	for k, v := range e.Fields {
		keys = append(keys, k)
		size += len(k) + len(v) + 2
	}
	sort.Strings(keys)
	// Written without fmt: verification encodes every entry again.
	b := make([]byte, 0, size)
	b = append(b, header+"\ntime "...)
	b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(append(append(b, "\nactor "...), e.Actor...), "\naction "...)
	b = append(append(append(b, e.Action...), "\nsubject "...), e.Subject...)
	b = append(b, '\n')
	for _, k := range keys {
		v := e.Fields[k]
		if !validKey(k) || k == "time" || k == "actor" || k == "action" || k == "subject" {
			return nil, fmt.Errorf("ledger entry field name %q is not allowed", k)
		}
		if !validValue(v) {
			return nil, fmt.Errorf("ledger entry field %s value %q is empty or has spaces or non-ASCII characters", k, v)
		}
		b = append(append(append(append(b, k...), ' '), v...), '\n')
	}
	return b, nil
}

// Parse decodes an encoded entry. It accepts only the canonical encoding:
// Encode(Parse(b)) == b.
func Parse(b []byte) (*Entry, error) {
	if !bytes.HasSuffix(b, []byte("\n")) {
		return nil, fmt.Errorf("entry does not end in a newline")
	}
	lines := strings.Split(string(b[:len(b)-1]), "\n")
	if len(lines) < 5 || lines[0] != header {
		return nil, fmt.Errorf("entry does not start with %q", header)
	}
	e := &Entry{Fields: map[string]string{}}
	get := func(i int, key string) (string, error) {
		k, v, ok := strings.Cut(lines[i], " ")
		if !ok || k != key {
			return "", fmt.Errorf("entry line %d: want %q", i+1, key)
		}
		return v, nil
	}
	ts, err := get(1, "time")
	if err != nil {
		return nil, err
	}
	if e.Time, err = time.Parse(time.RFC3339Nano, ts); err != nil {
		return nil, fmt.Errorf("entry time %q: %v", ts, err)
	}
	if e.Actor, err = get(2, "actor"); err != nil {
		return nil, err
	}
	if e.Action, err = get(3, "action"); err != nil {
		return nil, err
	}
	if e.Subject, err = get(4, "subject"); err != nil {
		return nil, err
	}
	for i := 5; i < len(lines); i++ {
		k, v, ok := strings.Cut(lines[i], " ")
		if !ok {
			return nil, fmt.Errorf("entry line %d has no value", i+1)
		}
		if _, dup := e.Fields[k]; dup {
			return nil, fmt.Errorf("entry field %q appears twice", k)
		}
		e.Fields[k] = v
	}
	// Canonical only.
	again, err := e.Encode()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, b) {
		return nil, fmt.Errorf("entry is not in canonical form")
	}
	return e, nil
}
