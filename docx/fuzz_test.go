package docx

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/render"
)

// smallFixtures are the fixtures small enough to fuzz from: the fuzzer
// minimises every new input it finds, and marking a long plan in the
// instrumented build takes a good part of a second.
func smallFixtures() [][]byte {
	var out [][]byte
	seeds, _ := filepath.Glob("testdata/*.docx")
	for _, name := range seeds {
		if b, err := os.ReadFile(name); err == nil && len(b) < 8<<10 {
			out = append(out, b)
		}
	}
	return out
}

// FuzzOpen: no file makes the reader panic or hang, and a document it
// marks gives copies it can read again. Seeds: the small fixtures in
// testdata.
func FuzzOpen(f *testing.F) {
	for _, b := range smallFixtures() {
		f.Add(b)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Add(append([]byte(nil), oleMagic...))
	f.Fuzz(func(t *testing.T, file []byte) {
		checkDocument(t, file)
	})
}

// FuzzDocumentXML varies the body of a valid package, where the reader
// does most of its work. Seeds: the bodies of the fixtures.
func FuzzDocumentXML(f *testing.F) {
	for _, b := range smallFixtures() {
		_, files := unzipAll(&testing.T{}, b)
		if doc := files["word/document.xml"]; doc != nil {
			f.Add(doc)
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, files := unzipAll(t, pkgWith("", nil))
		files["word/document.xml"] = doc
		checkDocument(t, zipAll([]string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/numbering.xml"}, files))
	})
}

func checkDocument(t *testing.T, file []byte) {
	d, err := Open(file)
	if err != nil {
		return
	}
	_ = d.Text()
	src, err := d.Markdown()
	if err != nil || len(src.Markdown) > 8<<10 {
		return // marking a long text is slow, and not what is fuzzed here
	}
	tpl, r, err := Mark("fuzz.docx", file, mark.Options{})
	if err != nil {
		return
	}
	cw := make([]uint8, len(tpl.Slots))
	for i, s := range tpl.Slots {
		cw[i] = uint8(s.Q - 1)
	}
	out, err := r.Render(render.Copy{Codeword: cw, Number: 1, Of: 1, Recipient: "R"}, Options{})
	if err != nil {
		t.Fatalf("a marked document's copy failed: %v", err)
	}
	if _, err := Open(out); err != nil {
		t.Fatalf("a copy does not open: %v", err)
	}
	if bytes.Equal(out, file) {
		t.Fatal("the copy is the original")
	}
}
