package keys

import (
	"bytes"
	"crypto/sha256"
	"strconv"
	"testing"

	"github.com/telltale-dev/telltale"
)

// TestKeyringOpensStoredFormats pins the associated data of every sealed
// value: values sealed the way earlier releases sealed them (the literal
// strings below) must still open, or stored rows become unreadable.
func TestKeyringOpensStoredFormats(t *testing.T) {
	m, err := FromBytes(bytes.Repeat([]byte{7}, Size))
	if err != nil {
		t.Fatal(err)
	}
	k := m.Keyring()
	v := &telltale.Version{DocumentID: 3, Number: 2, Nonce: []byte("version nonce")}
	c := &telltale.Case{ID: 9, Nonce: []byte("case nonce")}
	e := &telltale.Evidence{SHA256: sha256.Sum256([]byte("leak"))}
	fa := &telltale.FlaggedArticle{Nonce: []byte("flag nonce")}
	plain := []byte("secret text")
	open := func(name string, got []byte, err error) {
		t.Helper()
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%s: opened %q, %v; want the plaintext", name, got, err)
		}
	}
	vs := m.atRest(v.Nonce)
	got, err := k.OpenVersion(v, VersionSource, vs.Seal(plain, "telltale document 3 version 2 source"))
	open("version source", got, err)
	got, err = k.OpenVersion(v, VersionTemplate, vs.Seal(plain, "telltale document 3 version 2 template"))
	open("version template", got, err)
	got, err = k.OpenCopy(v, &telltale.CopyFile{CopyID: 5, Format: "html", Sealed: vs.Seal(plain, "telltale copy 5 html")})
	open("copy file", got, err)

	cs := m.atRest(c.Nonce)
	hash := "[" // fmt.Sprint of a [32]byte, as the first evidence was sealed
	for i, b := range e.SHA256 {
		if i > 0 {
			hash += " "
		}
		hash += strconv.Itoa(int(b))
	}
	hash += "]"
	got, err = k.OpenEvidence(c, e, EvidenceContent, cs.Seal(plain, "case/9/evidence/"+hash))
	open("evidence", got, err)
	got, err = k.OpenEvidence(c, e, EvidenceVerdict, cs.Seal(plain, "case/9/verdict/"+hash))
	open("verdict", got, err)
	text, err := k.OpenCaseEvent(c, cs.Seal(plain, "case/9/event"))
	open("case event", []byte(text), err)

	fs := m.atRest(fa.Nonce)
	got, err = k.OpenFlag(fa, FlagSnapshot, fs.Seal(plain, "flag/snapshot"))
	open("flag snapshot", got, err)
	got, err = k.OpenFlag(fa, FlagReport, fs.Seal(plain, "flag/report"))
	open("flag report", got, err)
}

// TestKeyringBindsRows: a value sealed for one row does not open as
// another's.
func TestKeyringBindsRows(t *testing.T) {
	m, _ := FromBytes(bytes.Repeat([]byte{7}, Size))
	k := m.Keyring()
	v := &telltale.Version{DocumentID: 3, Number: 2, Nonce: []byte("n")}
	sealed := k.SealCopy(v, 5, "html", []byte("body"))
	if _, err := k.OpenCopy(v, &telltale.CopyFile{CopyID: 6, Format: "html", Sealed: sealed}); err == nil {
		t.Error("copy 5's file opened as copy 6's")
	}
	if _, err := k.OpenCopy(v, &telltale.CopyFile{CopyID: 5, Format: "txt", Sealed: sealed}); err == nil {
		t.Error("an html file opened as txt")
	}
	src := k.SealVersion(v, VersionSource, []byte("src"))
	if _, err := k.OpenVersion(v, VersionTemplate, src); err == nil {
		t.Error("a source opened as a template")
	}
	if _, err := k.OpenVersion(&telltale.Version{DocumentID: 3, Number: 3, Nonce: []byte("n")}, VersionSource, src); err == nil {
		t.Error("version 2's source opened as version 3's")
	}
	keys := map[[Size]byte]string{}
	for name, key := range map[string][Size]byte{
		"bias": k.BiasKey(v), "codeword": k.CodewordKey(&telltale.Copy{Nonce: []byte("n")}),
		"index": k.IndexKey(), "webhook": k.WebhookKey(),
	} {
		if other, dup := keys[key]; dup {
			t.Errorf("%s and %s keys coincide", name, other)
		}
		keys[key] = name
	}
}

// TestCopyKeys: the codeword key and tag derived together are those
// derived apart.
func TestCopyKeys(t *testing.T) {
	m, _ := FromBytes(bytes.Repeat([]byte{3}, Size))
	k := m.Keyring()
	for _, nonce := range [][]byte{[]byte("0123456789abcdef"), bytes.Repeat([]byte{9}, 32)} {
		c := &telltale.Copy{Nonce: nonce}
		key, tag := k.CopyKeys(c)
		if key != k.CodewordKey(c) || tag != k.CopyTag(c) {
			t.Errorf("nonce %x: CopyKeys differs from CodewordKey and CopyTag", nonce)
		}
	}
}
