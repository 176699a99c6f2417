package parse

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
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
		{"named fact with fewer alternatives", "We send {{#officers: 140|138|142}} officers.\n\nAll {{#officers: one hundred and forty|one hundred and thirty-eight}} report.\n", 3, "has 2 alternatives here and 3 on line 1"},
		{"unnamed mention of a named fact", "We send {{#officers: 140|138}} officers.\n\nAll {{140|138}} report.\n", 3, "has the alternatives of the fact #officers (line 1)"},
		{"named fact with one alternative", "We send {{#officers: 140}} officers.\n", 1, "one alternative"},
		{"named fact with an empty alternative", "We send {{#officers: |138}} officers.\n", 1, "empty alternative"},
		{"bar in a table cell", "| Team | Officers |\n|---|---|\n| A | {{140\\|150|138}} |\n", 3, "would split the cell"},
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
	// Repeated facts: the same alternatives twice, in prose and in a
	// table; a named fact written two ways; names that clash.
	f.Add([]byte("We send {{140|138}} officers at {{06:00|05:45}}.\n\n| Time | Officers |\n|---|---|\n| {{06:00|05:45}} | {{140|138}} |\n"))
	f.Add([]byte("{{#officers: 140|138}} and {{#Officers: one hundred and forty|one hundred and thirty-eight}}, {{#x: 1|2}} {{#x: 1|2|3}}\n"))
	f.Add([]byte("{{#a: 1|2}} {{1|2}} {{#b: 1|2}} {{#1: x|y}} {{#a:|b}}\n"))
	f.Add([]byte("| a | b |\n|---|---|\n| `{{x|y}}` | {{p\\|q|r}} |\n\nText {{u|v}}\n|-|-|\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("fuzz.md", src)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		facts := 0
		for i, dc := range d.Declared {
			if string(d.Source[dc.Start:dc.End]) != dc.Alternatives[0] {
				t.Fatalf("declared span %q != %q", d.Source[dc.Start:dc.End], dc.Alternatives[0])
			}
			switch {
			case dc.Fact == facts:
				facts++ // numbered in the order of first mentions
			case dc.Fact > facts:
				t.Fatalf("mention %d of fact %d, after %d facts", i, dc.Fact, facts)
			}
			for _, o := range d.Declared[:i] {
				same := o.Name == "" && dc.Name == "" && slices.Equal(o.Alternatives, dc.Alternatives) ||
					o.Name != "" && strings.EqualFold(o.Name, dc.Name)
				if same != (o.Fact == dc.Fact) || o.Fact == dc.Fact && len(o.Alternatives) != len(dc.Alternatives) {
					t.Fatalf("mentions %+v and %+v: facts %d and %d", o, dc, o.Fact, dc.Fact)
				}
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

// TestFacts: which declared variants are one fact. The mentions of each
// source are numbered by fact, in the order of their first mention.
func TestFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		src   string
		facts []int  // Declared[i].Fact
		names string // Declared[i].Name, joined by commas
	}{
		{"stated once", "We send {{140|138}} officers at {{06:00|05:45}}.\n", []int{0, 1}, ","},
		{"stated twice", "We send {{140|138}} officers.\n\nAll {{140|138}} report at dawn.\n", []int{0, 0}, ","},
		{"in prose and in a table", "Entry is at {{06:00|05:45}}.\n\n| Phase | Time |\n|---|---|\n| Entry | {{06:00|05:45}} |\n| Search | 06:30 |\n", []int{0, 0}, ","},
		{"another order is another fact", "{{140|138|142}} and {{140|142|138}}\n", []int{0, 1}, ","},
		{"another member is another fact", "{{140|138}} and {{140|138|142}}\n", []int{0, 1}, ","},
		{"a name links spellings", "{{#officers: 140|138}} officers, {{14|15}} vans; {{#officers: one hundred and forty|one hundred and thirty-eight}} officers\n", []int{0, 1, 0}, "officers,,officers"},
		{"names ignore case", "{{#Officers: 140|138}} and {{#officers: 140|138}}\n", []int{0, 0}, "Officers,officers"},
		{"names keep equal alternatives apart", "{{#vans: 2|3}} vans and {{#crews: 2|3}} crews\n", []int{0, 1}, "vans,crews"},
		{"a name needs a letter first", "{{#1: first|second}} and {{#1: first|second}}\n", []int{0, 0}, ","},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("plan.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var facts []int
			var names []string
			for _, dv := range d.Declared {
				facts = append(facts, dv.Fact)
				names = append(names, dv.Name)
				if string(d.Source[dv.Start:dv.End]) != dv.Alternatives[0] {
					t.Errorf("span %q, canonical %q", d.Source[dv.Start:dv.End], dv.Alternatives[0])
				}
			}
			if !slices.Equal(facts, tt.facts) || strings.Join(names, ",") != tt.names {
				t.Errorf("facts %v named %q, want %v named %q", facts, strings.Join(names, ","), tt.facts, tt.names)
			}
		})
	}
}

// TestDeclaredInTables: a declared variant may stand in a table cell; the
// bars of {{…}} neither split the cell nor hide a code span beside it,
// whose own {{…}} stays literal.
func TestDeclaredInTables(t *testing.T) {
	t.Parallel()
	src := "| Phase | Time | Note |\n|---|---|---|\n| Entry | {{06:00|05:45|06:15}} | `{{x|y}}` |\n"
	d, err := Parse("plan.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Declared) != 1 || d.Declared[0].Alternatives[2] != "06:15" {
		t.Fatalf("declared %+v, want the time only (the other is code)", d.Declared)
	}
	if !strings.Contains(string(d.Source), "| Entry | 06:00 | `{{x|y}}` |") {
		t.Errorf("canonical source %q", d.Source)
	}
	cell := slices.IndexFunc(d.Blocks, func(b Block) bool { return b.Kind == TableCell && b.Text == "06:00" })
	if cell < 0 {
		t.Errorf("no table cell holds the fact alone: %+v", d.Blocks)
	}
}

func TestQuotations(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{`no quotes here`, nil},
		{`he said "stand down" twice`, []string{`"stand down"`}},
		{`“Hold the line,” she said, and "go"`, []string{`“Hold the line,”`, `"go"`}},
		{`an unclosed "quote runs on`, []string{`"quote runs on`}},
		{`a stray ” closes nothing`, nil},
	} {
		var got []string
		for _, sp := range Quotations(tc.text) {
			got = append(got, tc.text[sp.Start:sp.End])
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Quotations(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
