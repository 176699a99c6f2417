package read

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// format2Leaks are leaks of the pinned format-2 copy (see
// TestFormat2Reading): the copy in each format, and a reporter's
// paraphrase of it.
var format2Leaks = []struct{ name, file, text string }{
	{"md", "repeated-facts.copy.md", ""},
	{"html", "repeated-facts.copy.html", ""},
	{"txt", "repeated-facts.copy.txt", ""},
	{"paraphrase", "", "A raid on a Harbour Road warehouse was planned for 05:45, with 37 officers briefed at the depot. " +
		"The warehouse was thought to hold 4,250 cartons of tobacco; overtime was budgeted at $18,400.\n"},
}

// TestFormat2Reading: a template made before repeated facts were one
// slot (render/testdata/format2: every {{…}} its own declared slot, so
// the pinned copy says 36 officers in one place and 37 in another) is
// read exactly as it was then: the same slots, the same symbols seen, the
// same way. The golden file was written by that release.
func TestFormat2Reading(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "render", "testdata", "format2")
	b, err := os.ReadFile(filepath.Join(dir, "repeated-facts.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := New(tpl)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, l := range format2Leaks {
		leak := l.text
		if l.file != "" {
			raw, err := os.ReadFile(filepath.Join(dir, l.file))
			if err != nil {
				t.Fatal(err)
			}
			if leak, _, err = extract.Text(raw); err != nil {
				t.Fatal(err)
			}
		}
		obs := rd.Read(leak)
		fmt.Fprintf(&got, "%s: %d readings\n", l.name, len(obs.Readings))
		for _, r := range obs.Readings {
			s := tpl.Slots[r.Slot]
			var spans []string
			for _, sp := range r.Spans {
				spans = append(spans, fmt.Sprintf("%q", sp.Text))
			}
			fmt.Fprintf(&got, "  slot %d %s seen %b %s %s\n", r.Slot, s.Name, r.Seen, r.How, strings.Join(spans, " "))
		}
	}
	golden := filepath.Join("testdata", "format2.readings.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("a format-2 template reads differently now:\n%s\nwant:\n%s", got.String(), want)
	}
}

// TestRepeatedFacts: a declared fact stated in several places is one slot;
// a leak showing any of its mentions reads it, and mentions that disagree
// (a leak combining two copies, or a story quoting both) count every
// symbol they show, as disagreeing occurrences of any slot do. (As for a
// fact stated once, a mention read in place is not combined with mentions
// found elsewhere in the leak.)
func TestRepeatedFacts(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join("..", "render", "testdata", "format2", "repeated-facts.md"))
	if err != nil {
		t.Fatal(err)
	}
	f := fixtureFrom(t, "repeated-facts.md", src)
	tpl, rend, rd := f.tpl, f.rend, f.reader
	slotOf := func(canonical string) int {
		for j, s := range tpl.Slots {
			if s.Kind == mark.Declared && s.Occurrences[0].Alts[0] == canonical {
				return j
			}
		}
		t.Fatalf("no declared slot %q", canonical)
		return -1
	}
	officers, entry := slotOf("36"), slotOf("06:00")
	if n := len(tpl.Slots[officers].Occurrences); n != 3 {
		t.Fatalf("the officers are mentioned %d times, want 3", n)
	}
	copyText := func(sym uint8) string {
		cw := make([]uint8, len(tpl.Slots))
		cw[officers], cw[entry] = sym, sym
		body, err := rend.Body(render.Text, cw, 0)
		if err != nil {
			t.Fatal(err)
		}
		return string(body)
	}
	two, one := copyText(2), copyText(1) // 37 officers at 06:15; 35 at 05:45
	half := strings.Index(two, "Execution")
	tests := []struct {
		name     string
		leak     string
		officers fingerprint.Mask // what the officers' slot reads as; 0: not read
		entry    fingerprint.Mask
	}{
		{"whole copy", two, 1 << 2, 1 << 2},
		{"table only", two[strings.Index(two, "Phase"):], 1 << 2, 1 << 2},
		{"two copies combined", two[:half] + one[strings.Index(one, "Execution"):], 1<<1 | 1<<2, 1<<1 | 1<<2},
		{"a story", "A raid on a Harbour Road warehouse is planned for 06:15, when 37 officers will enter.\n", 1 << 2, 1 << 2},
		{"a story quoting two copies", "The paper reports 37 officers at the Harbour Road warehouse; a second version of the order gives 35 officers.\n", 1<<1 | 1<<2, 0},
	}
	for _, tt := range tests {
		obs := rd.Read(tt.leak)
		for _, c := range []struct {
			slot int
			want fingerprint.Mask
		}{{officers, tt.officers}, {entry, tt.entry}} {
			got := obs.Masks[c.slot]
			if c.want == 0 {
				c.want = fingerprint.All(tpl.Slots[c.slot].Q)
			}
			if got != c.want {
				t.Errorf("%s: slot %d (%s) read as %b, want %b", tt.name, c.slot, tpl.Slots[c.slot].Occurrences[0].Alts[0], got, c.want)
			}
		}
	}
}
