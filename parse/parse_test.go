package parse

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
		want string
	}{
		{"empty", "", 1, "no text"},
		{"only front matter", "---\ntitle: x\n---\n\n  \n", 4, "no text"},
		{"unclosed front matter", "---\ntitle: x\nbody\n", 1, "never closed"},
		{"unknown key", "---\ntitle: x\nclasification: SECRET\n---\nbody\n", 3, `unknown key "clasification"`},
		{"wrong type", "---\ninvisible: maybe\n---\nbody\n", 2, `value "maybe" should be true or false`},
		{"bad yaml", "---\ntitle: [x\n---\nbody\n", 0, "front matter"},
		{"bad placeholder", "---\nmarking: \"{name}\"\n---\nbody\n", 0, "unknown placeholder {name}"},
		{"unbalanced", "# Plan\n\nWe send {{140|138 deputies.\n", 3, "not closed"},
		{"one alternative", "We send {{140}} deputies.\n", 1, "one alternative"},
		{"empty alternative", "We send {{140||138}} deputies.\n", 1, "empty alternative"},
		{"duplicate alternative", "We send {{140|140}} deputies.\n", 1, "twice"},
		{"nested", "We send {{140|{{1|2}}}} deputies.\n", 1, "inside a declared"},
		{"stray close", "First line.\n\nWe send 140}} deputies.\n", 3, "without a matching"},
		{"shuffle without list", "Intro.\n\n<!-- telltale:shuffle -->\n\nA paragraph.\n", 3, "not followed by a list"},
		{"shuffle one item", "<!-- telltale:shuffle -->\n- only\n", 1, "one item"},
		{"inline directive", "Text <!-- telltale:shuffle --> more.\n", 1, "line of its own"},
		{"unknown directive", "<!-- telltale:shufle -->\n- a\n- b\n", 1, "unknown telltale directive"},
		{"unclosed off", "a\n\n<!-- telltale:off -->\nsecret\n", 3, "never closed"},
		{"on without off", "a\n\n<!-- telltale:on -->\n", 3, "without a telltale:off"},
		{"nested off", "<!-- telltale:off -->\n\n<!-- telltale:off -->\n\n<!-- telltale:on -->\n", 3, "inside the telltale:off"},
		{"binary", "abc\x00def", 1, "NUL byte"},
		{"invalid utf8", "abc\xff\xfedef", 1, "invalid UTF-8"},
		{"private use", "abc\uE000def", 1, "private-use"},
		{"position after front matter", "---\ntitle: x\n---\n\nline one\nline {{two\n", 6, "not closed"},
		{"position after declared", "{{a|b}} and {{c|d}} then {{e\n", 1, "not closed"},
		{"declared in a link target", "# T\n\nSee [the plan](http://example.org/{{a|b}}) now.\n", 3, "must be in the text"},
		{"declared in an image", "Text.\n\n![map]({{north|south}}.png)\n", 3, "must be in the text"},
		{"quotes too deep", "Intro.\n\n" + strings.Repeat("> ", 40) + "deep\n", 3, "nests quotes or lists 40 deep"},
		{"lists too deep", strings.Repeat("- ", 100) + "x\n", 1, "nests quotes or lists 100 deep"},
		{"indented lists too deep", "- a\n" + strings.Repeat(" ", 60) + "- b\n", 2, "deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("plan.md", []byte(tt.src))
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %v, want *Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if tt.line > 0 && pe.Line != tt.line {
				t.Errorf("error on line %d, want %d: %v", pe.Line, tt.line, err)
			}
			if pe.Hint == "" && !strings.Contains(tt.want, "field") {
				t.Errorf("error %q gives no hint", err)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte("All work and no play makes a plan. "), 50<<20/35)
	_, err := Parse("big.md", big)
	if err == nil || !strings.Contains(err.Error(), "the limit is 4.0 MB") {
		t.Fatalf("Parse(50 MB) = %v, want size error", err)
	}
}

func TestDeclaredColumn(t *testing.T) {
	_, err := Parse("p.md", []byte("ab {{x|y}} cd {{z\n"))
	var pe *Error
	if !errors.As(err, &pe) || pe.Col != 15 {
		t.Fatalf("error %v at column %d, want 15", err, pe.Col)
	}
}

func TestParse(t *testing.T) {
	src := "---\ntitle: Plan\nclassification: SECRET\ninvisible: true\n---\n\n# Heading {{a|b}}\n\nSome *prior* to the\nline `code {{x}}` [link](http://x.org).\n\n<!-- telltale:shuffle -->\n- one\n- two\n  cont\n- three\n\n> quoted {{c\\|d|e}}\n\n<!-- telltale:off -->\nLegal.\n<!-- telltale:on -->\n"
	d, err := Parse("p.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if d.Front.Title != "Plan" || d.Front.Classification != "SECRET" || !d.Front.Invisible {
		t.Errorf("front matter = %+v", d.Front)
	}
	if len(d.Declared) != 2 {
		t.Fatalf("declared = %+v, want 2 (the one in code is literal)", d.Declared)
	}
	if got := d.Declared[1].Alternatives; got[0] != "c|d" || got[1] != "e" {
		t.Errorf("escaped bar: alternatives = %q", got)
	}
	for _, dc := range d.Declared {
		if string(d.Source[dc.Start:dc.End]) != dc.Alternatives[0] {
			t.Errorf("declared span %q != canonical %q", d.Source[dc.Start:dc.End], dc.Alternatives[0])
		}
	}
	if !bytes.Contains(d.Source, []byte("`code {{x}}`")) {
		t.Error("declared markup inside code was resolved")
	}
	if len(d.Lists) != 1 || len(d.Lists[0].Items) != 3 {
		t.Fatalf("lists = %+v", d.Lists)
	}
	if got := string(d.Source[d.Lists[0].Items[1].Start:d.Lists[0].Items[1].End]); got != "two\n  cont" {
		t.Errorf("item 2 = %q", got)
	}
	if len(d.Off) != 1 || !strings.Contains(string(d.Source[d.Off[0].Start:d.Off[0].End]), "Legal.") {
		t.Errorf("off regions = %v", d.Off)
	}
	for _, b := range d.Blocks {
		if strings.Contains(b.Text, "quoted") || strings.Contains(b.Text, "Legal") || strings.Contains(b.Text, "code") {
			t.Errorf("protected text in prose block %q", b.Text)
		}
	}
	if line, _ := d.Line(d.Lists[0].Items[0].Start); line != 13 {
		t.Errorf("first item on line %d, want 13", line)
	}
}

// FuzzParse: arbitrary input never panics, and a parsed document's spans
// are consistent with its source.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../samples/*.md")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	f.Add([]byte("{{a|b}} <!-- telltale:shuffle -->\n- x\n- y\n"))
	f.Add([]byte("---\ntitle: x\n---\n{{"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("fuzz.md", src)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, dc := range d.Declared {
			if string(d.Source[dc.Start:dc.End]) != dc.Alternatives[0] {
				t.Fatalf("declared span %q != %q", d.Source[dc.Start:dc.End], dc.Alternatives[0])
			}
		}
		for _, b := range d.Blocks {
			for _, s := range b.segs {
				if string(d.Source[s.src:s.src+s.n]) != b.Text[s.text:s.text+s.n] {
					t.Fatalf("block text does not map to source")
				}
			}
		}
	})
}

// TestDeclaredInLinkText: a declared variant in a link's text, or inside
// emphasis, is fine; the nesting limit leaves ordinary nesting alone.
func TestDeclaredInLinkText(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		"See [the {{north|south}} annex](http://example.org/annex) now.\n",
		"We send *{{140|138}}* deputies.\n",
		"> quoted\n> > twice\n\n- a\n  - b\n    - c\n      1. d\n",
	} {
		if _, err := Parse("plan.md", []byte(src)); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// TestFileOffset: offsets of the canonical source map back to the file,
// past the front matter and the markup of declared variants.
func TestFileOffset(t *testing.T) {
	file := "---\ntitle: T\n---\n\nWe send {{14|15}} teams and 140 officers, {{a|b}} then 31.\n"
	d, err := Parse("p.md", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"We", "140", "31", "teams"} {
		i := strings.Index(string(d.Source), w)
		if got := file[d.FileOffset(i) : d.FileOffset(i)+len(w)]; got != w {
			t.Errorf("FileOffset of %q points at %q", w, got)
		}
	}
	if got := file[d.FileOffset(d.Declared[0].Start):]; !strings.HasPrefix(got, "{{14|15}}") {
		t.Errorf("a declared variant's start maps to %.12q", got)
	}
	if got := file[d.FileOffset(d.Declared[0].End):]; !strings.HasPrefix(got, " teams") {
		t.Errorf("a declared variant's end maps to %.12q", got)
	}
}
