package read

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/mark"
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
			if leak, _, err = Extract(raw); err != nil {
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
