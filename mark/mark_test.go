package mark

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

func markString(t testing.TB, src string) *Template {
	t.Helper()
	doc, err := parse.Parse("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := Mark(doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// slotTexts lists every occurrence's canonical text with its slot name.
func slotTexts(tpl *Template) map[string][]string {
	out := map[string][]string{}
	for _, s := range tpl.Slots {
		for _, o := range s.Occurrences {
			out[s.Name] = append(out[s.Name], strings.Join(o.Alts, "|"))
		}
	}
	return out
}

func TestTypographic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		slot string
		want string // alternatives joined with |; "" means no such slot
	}{
		{"The team seized 2,400 rounds.", "typographic:thousands", "2,400|2400"},
		{"The fund holds $12,500 today.", "typographic:thousands", ""},
		{"The fund holds $2,500 today.", "typographic:thousands", "2,500|2500"},
		{"Based on 57,940,000 shares.", "typographic:thousands", ""},
		{"Case 123456 was closed.", "typographic:thousands", ""},
		{"The year 2026 was long.", "typographic:thousands", ""},
		{"We sent three teams north.", "typographic:small-numbers", "three|3"},
		{"We sent 3 teams north.", "typographic:small-numbers", "3|three"},
		{"Three teams went north.", "typographic:small-numbers", ""},
		{"Phase 3 teams went north.", "typographic:small-numbers", ""},
		{"It starts at 3 p.m. sharp.", "typographic:small-numbers", ""},
		{"We expect 3 percent growth.", "typographic:small-numbers", ""},
		// A date written month first makes the document American: its
		// copies never show "8 March 2026", and AP style writes March
		// in full.
		{"It begins on March 8, 2026, at dawn.", "typographic:dates", ""},
		{"It begins on August 8, 2026, at dawn.", "typographic:dates", "August 8, 2026|Aug. 8, 2026"},
		{"It begins on 8 August 2026 at dawn.", "typographic:dates", ""},
		{"The organisation begins on August 8, 2026, at dawn.", "typographic:dates", ""},
		{"It begins on Aug. 8, 2026, and ends on 9 Aug 2026.", "typographic:dates", ""},
		{"It begins on March 8th at dawn.", "typographic:dates", ""},
		{"Report at 6:00 a.m. daily.", "typographic:times", ":00|"},
		{"Report at 6 a.m. daily.", "typographic:times", "|:00"},
		{"Report at 6:30 a.m. daily.", "typographic:times", ""},
		{"Report at 2:10 a.m. or 3 a.m. daily.", "typographic:times", "|:00"},
		{"Report at 6:30 a.m. daily.", "typographic:meridiem", "a.m.|AM"},
		{"Report at 6 PM daily.", "typographic:meridiem", "PM|p.m."},
		{"It starts at 4:00 a.m. Teams leave at five.", "typographic:meridiem", "a.m.|AM."},
		{"It starts at 4 AM. Teams leave at five.", "typographic:meridiem", "AM.|a.m."},
		{"Comments are due by 10:00 a.m. Eastern on Tuesday.", "typographic:meridiem", "a.m.|AM"},
		{"It starts at 4 a.m. and ends at 6 am.", "typographic:meridiem", ""},
		{"It starts at 4 a.m.; he said \"at 6 a.m. sharp\".", "typographic:meridiem", ""},
		{"Houston, Dallas, and Austin joined.", "typographic:serial-comma", ",|"},
		{"It reserved 96 vehicles, including 7 vans, and will issue cards.", "typographic:serial-comma", ""},
		{"It begins on Sunday, March 8, 2026, and is planned to last.", "typographic:serial-comma", ""},
		{"Savings come from energy, refrigerants, and trailers, and the remainder from payroll.", "typographic:serial-comma", ""},
		{"He would help two thirds of applicants.", "typographic:small-numbers", ""},
		{"We met in Houston, Dallas and Austin today.", "typographic:serial-comma", "|,"},
		{"In Houston, agents and officers met.", "typographic:serial-comma", ""},
		{"The raid—planned for weeks—began.", "typographic:dashes", "—| — | – |—| — | – "},
		{"Shifts run 10–12 hours.", "typographic:range-words", "–| to "},
		{"Shifts run between 10–12 hours.", "typographic:range-words", ""},
		{"The fee is $5–7 a day.", "typographic:range-words", ""},
		{"See pages 10–12 for details.", "typographic:ranges", "–|-"},
		{"It will cost $62,000,000 in all.", "typographic:millions", "62,000,000|62 million"},
		{"Based on 57,940,000 shares.", "typographic:millions", "57,940,000|57.94 million"},
		{"A pool of $14,500,000 was set.", "typographic:millions", "14,500,000|14.5 million"},
		{"It holds $3,200,000,000 in cash.", "typographic:millions", "3,200,000,000|3.2 billion"},
		{"It holds $1,234,567 in cash.", "typographic:millions", ""},
		{"Subjects are wanted for homicide, armed robbery, and arson in Texas.", "typographic:serial-comma", ",|"},
		{"It matches in the RE, though, and the parser can't go on.", "typographic:serial-comma", ""},
		{"It is common in mathematics, science, engineering, and the addition of it helps.", "typographic:serial-comma", ""},
		{"It was reviewed by the operations, intelligence, and legal sections and is approved.", "typographic:serial-comma", ",|"},
		{"It takes one argument, the module spec, and returns the module.", "typographic:serial-comma", ""},
		{"They are supported by three tactical teams, two K-9 units, and one aviation unit.", "typographic:small-numbers", ""},
		{"They overlap in four areas and may sell up to two warehouses.", "typographic:small-numbers", "four|4|two|2"},
		{"Employees at 6 of the 41 sites are unionized, and two contracts expire.", "typographic:small-numbers", "two|2"},
		{"We spent six weeks on 12 site visits.", "typographic:small-numbers", "six|six|6|12|twelve|12"},
		{"The pp.bz2 extension stands for a package.", "typographic:small-numbers", ""},
		{"The Commander has determined that a raid is best.", "lexical:determined that", "determined that|concluded that"},
		{"She was determined that he would lose.", "lexical:determined that", ""},
		{"Costs rose primarily due to the number of cases.", "lexical:due to", "due to|owing to|because of"},
		{"The amount due to the vendor is late.", "lexical:due to", ""},
		{"They must pay the full cost now.", "lexical:full", "full|entire"},
		{"Write the full name here.", "lexical:full", ""},
		{"Land near major cities is scarce.", "lexical:near", "near|close to"},
		{"We will act in the near future.", "lexical:near", ""},
		{"It was a near miss for us.", "lexical:near", ""},
		{"Teams will work at the same time in each city.", "lexical:at the same time", "at the same time|simultaneously"},
		{"It is cheap, but at the same time it is slow.", "lexical:at the same time", ""},
		{"The terms described in this memorandum apply.", "lexical:described in", "described in|set out in"},
		{"The case was described in the press as odd.", "lexical:described in", ""},
		{"Phase 3 runs March 8 – March 11 in all cities.", "typographic:dashes", ""},
		{"Call 555-1234 now.", "typographic:ranges", ""},
		{"Growth was 12 percent this year.", "typographic:percent", " percent|%"},
		{"Growth was 12 per cent this year.", "typographic:percent", " per cent|%"},
		{"Growth was 12% this year.", "typographic:percent", ""},
		{"Growth was 12% this year, in colour.", "typographic:percent", "%| per cent"},
		{"The U.S. government agreed.", "typographic:initialisms", "U.S.|US"},
		{"They flew to the U.S. The next day they left.", "typographic:initialisms", ""},
		{"The U.S. Marshals Service led.", "typographic:initialisms", "U.S.|US"},
		{"On Sunday, the agents will move.", "typographic:intro-comma", ",|"},
		{"For the first time, renters qualify.", "typographic:intro-comma", ""},
		{"It needs one or two teams.", "typographic:small-numbers", ""},
		{"Open 9:00 a.m. – 5:00 p.m. daily.", "typographic:dashes", ""},
		{"Open Monday – Friday only.", "typographic:dashes", ""},
		{"They met at the U.S. Courthouse and left the U.S. The rest stayed.", "typographic:initialisms", ""},
		{"Around 2015, the team was formed.", "lexical:about", ""},
		{"Around 2,015 agents came.", "lexical:about", "Around|About|Approximately|Roughly"},
		{"After eating, the team left.", "typographic:intro-comma", ""},
		{"In Houston, Dallas and Austin agents met.", "typographic:intro-comma", ""},
		{"Initially, teams will stage.", "typographic:intro-comma", ",|"},
		{"If the subject runs, they will pursue.", "typographic:intro-comma", ",|"},
		{"If the subject runs, officers will pursue.", "typographic:intro-comma", ""},
		{"It was a multi-agency effort in color.", "typographic:prefix-hyphen", "-|"},
		{"It was a multi-agency effort in colour.", "typographic:prefix-hyphen", ""},
		{"A non-voting member and a non-voting chair, in color.", "typographic:prefix-hyphen", "-||-|"},
		{"It was an anti-inflation plan.", "typographic:prefix-hyphen", ""},
		{"We will search the house at dawn, and they will wait.", "typographic:clause-comma", ",|"},
		{"We will search the house at dawn, and the car will wait.", "typographic:clause-comma", ""},
	}
	tests = append(tests, []struct {
		text string
		slot string
		want string
	}{
		{"These are the targets that we identified.", "lexical:optional-that", "that |"},
		{"Now that we know, we act.", "lexical:optional-that", ""},
		{"We met so that they could rest.", "lexical:optional-that", ""},
		{"The risk is that they flee.", "lexical:optional-that", ""},
		{"The commander noted that it was late.", "lexical:optional-that", "that |"},
		{"The commander noted that the team was late.", "lexical:optional-that", ""},
		// Contractions only where the author writes them.
		{"I'm sure we've got it. Please don't forward this.", "lexical:contraction", "I'm|I am|we've|we have|don't|do not"},
		{"I'm sure we've got it. Why didn't it stop?", "lexical:contraction", "I'm|I am|we've|we have"},
		{"I'm sure we've got it. It's been a week.", "lexical:contraction", "I'm|I am|we've|we have"},
		{"I'm sure we've got it. We do not know more.", "lexical:contraction", "I'm|I am|we've|we have|do not|don't"},
		{"I'm sure we've got it. The more likely it is to leak.", "lexical:contraction", "I'm|I am|we've|we have"},
		{"We do not know more. It is late.", "lexical:contraction", ""},
		{"He said \"don't, won't\" twice. We do not know.", "lexical:contraction", ""},
		// Restrictive relatives: "which" → "that" always, "that" →
		// "which" in British documents only.
		{"The report which was delayed is here.", "lexical:relative", "which|that"},
		{"The report, which was delayed, is here.", "lexical:relative", ""},
		{"We must decide which option is best.", "lexical:relative", ""},
		{"The colour of the boxes that were delayed.", "lexical:relative", "that|which"},
		{"The color of the report that was delayed.", "lexical:relative", ""},
		{"The colour report said that was fine.", "lexical:relative", ""},
		// Deadlines.
		{"Report by 08:00 and leave before noon.", "lexical:deadline", "by|no later than|not later than|before|prior to"},
		{"Cash is counted by two officers.", "lexical:deadline", ""},
		{"It was delayed by two weeks, on or before 1 May.", "lexical:deadline", ""},
		{"Change gloves before going off duty.", "lexical:deadline", "before|prior to"},
	}...)
	tests = append(tests, []struct {
		text string
		slot string
		want string
	}{
		{"The shift ran 35 to 45 minutes late.", "typographic:to-ranges", " to |–"},
		{"Sales rose from 35 to 45 units.", "typographic:to-ranges", ""},
		{"Sales rose 35 to 45 units.", "typographic:to-ranges", ""},
		{"A ratio of 1 to 3 was used.", "typographic:to-ranges", ""},
		{"Growth was 9.25% to 10.25% a year.", "typographic:to-ranges", ""},
		{"It fell 6.1 to 3.9 in a year.", "typographic:to-ranges", ""},
		{"The team found evidence of fraud, bribery and theft at the site.", "typographic:serial-comma", "|,"},
		{"On Sunday, agents and officers met.", "typographic:serial-comma", ""},
		{"According to police, staff and visitors met.", "typographic:serial-comma", ""},
		{"The team will search the house at dawn and they will wait.", "typographic:clause-comma", "|,"},
		{"The team will search the house and it will wait.", "typographic:clause-comma", ""},
		{"In October 2023 a printer was moved.", "typographic:intro-comma", "|,"},
		{"On 27 June, one of our teams was held.", "typographic:intro-comma", ""},
		{"On 27 June, the team was held.", "typographic:intro-comma", ",|"},
		{"On March 18, 2024, a manager filed a complaint.", "typographic:intro-comma", ""},
		{"At 06:00 hours teams enter.", "typographic:intro-comma", ""},
	}...)
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := strings.Join(slotTexts(markString(t, tt.text))[tt.slot], "|")
			if got != tt.want {
				t.Errorf("%s = %q, want %q", tt.slot, got, tt.want)
			}
		})
	}
}

// TestNeverTouched: nothing in code, quotations, URLs, block quotes,
// headings (for words) or off regions becomes a slot, though the same
// words in plain prose do.
func TestNeverTouched(t *testing.T) {
	t.Parallel()
	protected := "# Approximately 2,000 agents\n\n" +
		"He said \"approximately 2,000 agents will begin\" yesterday.\n\n" +
		"See https://example.org/approximately-2,000 and `approximately 2,000`.\n\n" +
		"> Approximately 2,000 agents will begin.\n\n" +
		"```\napproximately 2,000\n```\n\n" +
		"<!-- telltale:off -->\nApproximately 2,000 agents will begin.\n<!-- telltale:on -->\n"
	control := "\nApproximately 2,000 agents will begin.\n"
	tpl := markString(t, protected+control)
	inControl := map[string]bool{}
	for _, s := range tpl.Slots {
		for _, o := range s.Occurrences {
			if o.Start >= len(protected) {
				inControl[s.Name] = true
				continue
			}
			if s.Kind == Lexical {
				t.Errorf("lexical slot %s at %d (%q) in a protected region", s.Name, o.Start, o.Alts[0])
			}
			// Only the heading's number may vary: document-wide styles
			// apply to headings too.
			if s.Kind == Typographic && o.Start > len("# Approximately 2,000 agents") {
				t.Errorf("typographic slot %s at %d (%q) in a protected region", s.Name, o.Start, o.Alts[0])
			}
		}
	}
	if !inControl["lexical:approximately"] || !inControl["typographic:thousands"] {
		t.Errorf("the same words in plain prose gave slots %v, want lexical:approximately and typographic:thousands", inControl)
	}
}

// TestProperNames: capitalised words inside a sentence are names.
func TestProperNames(t *testing.T) {
	t.Parallel()
	tpl := markString(t, "They met on Main Street near Prior Lake. About 40 came.")
	for _, s := range tpl.Slots {
		for _, o := range s.Occurrences {
			if o.Alts[0] == "Main" || o.Alts[0] == "Prior" {
				t.Errorf("name %q became slot %s", o.Alts[0], s.Name)
			}
		}
	}
	if len(slotTexts(tpl)["lexical:about"]) != 1 {
		t.Errorf("sentence-initial About 40 not found: %v", slotTexts(tpl))
	}
}

func TestOrderSlot(t *testing.T) {
	t.Parallel()
	// A list of k items is k−1 slots of 2, 3, …, k symbols, the first
	// holding the items.
	for _, k := range []int{2, 3, 10, MaxInsertionItems} {
		src := "<!-- telltale:shuffle -->\n"
		for i := range k {
			src += fmt.Sprintf("- item%02d\n", i)
		}
		tpl := markString(t, src)
		var orders []Slot
		for _, s := range tpl.Slots {
			if s.Kind == Order {
				orders = append(orders, s)
			}
		}
		if len(orders) != k-1 || len(orders[0].Items) != k {
			t.Fatalf("%d items: %d order slots, the first with %d items", k, len(orders), len(orders[0].Items))
		}
		for i, s := range orders {
			if s.Insert != i+1 || s.Q != i+2 || len(s.Perms) != 0 || i > 0 && (len(s.Items) != 0 || s.At != orders[0].Items[0].Start) {
				t.Errorf("%d items: slot %d = %+v", k, i, s)
			}
		}
	}
	// Longer lists keep one slot of 16 orders.
	src := "<!-- telltale:shuffle -->\n"
	for i := range MaxInsertionItems + 1 {
		src += fmt.Sprintf("- item%02d\n", i)
	}
	orders := 0
	for _, s := range markString(t, src).Slots {
		if s.Kind == Order {
			orders++
			if s.Q != 16 || s.Insert != 0 || !slices.Equal(s.Perms[0][:3], []int{0, 1, 2}) {
				t.Errorf("long list: q=%d insert=%d; want 16 orders, canonical first", s.Q, s.Insert)
			}
		}
	}
	if orders != 1 {
		t.Errorf("long list gave %d order slots, want 1", orders)
	}
}

// TestInsertionOrder: symbol 0 everywhere is the canonical order; every
// combination of symbols gives a different order, so a list of k items
// shows all k! orders.
func TestInsertionOrder(t *testing.T) {
	t.Parallel()
	if got := InsertionOrder(nil, []uint8{0, 0, 0}); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("all zero: %v", got)
	}
	if got := InsertionOrder(nil, []uint8{1, 2, 0}); !slices.Equal(got, []int{2, 1, 0, 3}) {
		t.Errorf("1 2 0: %v, want [2 1 0 3]", got)
	}
	seen := map[string]bool{}
	syms := make([]uint8, 4) // a list of 5 items: 2·3·4·5 = 120 orders
	var walk func(i int)
	walk = func(i int) {
		if i == len(syms) {
			o := InsertionOrder(nil, syms)
			seen[fmt.Sprint(o)] = true
			return
		}
		for s := range i + 2 {
			syms[i] = uint8(s)
			walk(i + 1)
		}
	}
	walk(0)
	if len(seen) != 120 {
		t.Errorf("%d distinct orders of 5 items, want 120", len(seen))
	}
}

func TestInvisiblePoints(t *testing.T) {
	t.Parallel()
	tpl := markString(t, "---\ninvisible: true\n---\nFirst sentence. Second one! Third? Yes.\n")
	if len(tpl.Invisible) != 3 {
		t.Errorf("invisible points %v, want 3 sentence ends", tpl.Invisible)
	}
	if len(markString(t, "First sentence. Second one.").Invisible) != 0 {
		t.Error("invisible points without opting in")
	}
}

func TestUnmarshalChecks(t *testing.T) {
	t.Parallel()
	tpl := markString(t, "About 40 agents will begin on March 8.")
	b, _ := tpl.Marshal()
	back, err := Unmarshal(b)
	if err != nil || len(back.Slots) != len(tpl.Slots) {
		t.Fatalf("round trip: %v", err)
	}
	bad := strings.Replace(string(b), `"alts":["About"`, `"alts":["Abut"`, 1)
	if _, err := Unmarshal([]byte(bad)); err == nil {
		t.Error("damaged template accepted")
	}
}

// FuzzMark: any document that parses can be marked, and its template is
// consistent.
func FuzzMark(f *testing.F) {
	for _, n := range samples.Names() {
		b, _ := samples.Get(n)
		f.Add(b)
	}
	arts, _ := filepath.Glob("../testdata/articles/*")
	for _, a := range arts {
		b, _ := os.ReadFile(a)
		f.Add(b)
	}
	f.Add([]byte("On Sunday, about 3 teams—with 2,000 agents—met at 6:00 a.m. in Houston, Dallas and Austin."))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := parse.Parse("fuzz.md", src)
		if err != nil {
			return
		}
		tpl, err := Mark(doc, Options{})
		if err != nil {
			t.Fatalf("Mark failed on a parsed document: %v", err)
		}
		if err := tpl.Check(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDeclaredFollowsStyles: a declared fact that contains a time, date or
// number follows the document-wide style, so "5:30 a.m." never stands
// beside "3:30 AM" in one copy.
func TestDeclaredFollowsStyles(t *testing.T) {
	t.Parallel()
	tpl := markString(t, "Teams assemble at 3:30 a.m. and move at {{5:30 a.m.|5:45 a.m.}} on {{September 8, 2026|September 9, 2026}}, after the briefing on September 1, 2026.\n")
	var declared []Occurrence
	for _, s := range tpl.Slots {
		if s.Kind == Declared {
			declared = append(declared, s.Occurrences[0])
		}
	}
	if len(declared) != 2 {
		t.Fatalf("%d declared slots", len(declared))
	}
	for _, tt := range []struct {
		occ   Occurrence
		style string
		want  []string // alternative 1 in each style
	}{
		{declared[0], "typographic:meridiem", []string{"5:45 a.m.", "5:45 AM"}},
		{declared[1], "typographic:dates", []string{"September 9, 2026", "Sept. 9, 2026"}},
	} {
		o := tt.occ
		if o.Style != tt.style || tpl.StyleSlot(&o) < 0 || !slices.Equal(o.Styled[1], tt.want) {
			t.Errorf("%q: style %q %v, want %q %v", o.Alts, o.Style, o.Styled, tt.style, tt.want)
		}
	}
	// Alternatives that differ only in style stay unstyled.
	tpl = markString(t, "We start at 3:30 a.m. and end at {{5:30 a.m.|5:30 AM}} sharp.\n")
	for _, s := range tpl.Slots {
		if s.Kind == Declared && s.Occurrences[0].Style != "" {
			t.Errorf("alternatives differing in style only were styled: %v", s.Occurrences[0].Styled)
		}
	}
}

// TestRepeatedFacts: the mentions of one declared fact are one slot with
// an occurrence at each, in prose and in tables, and each mention follows
// the copy's styles.
func TestRepeatedFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want []string // per declared slot: its occurrences' canonical texts
	}{
		{"once each", "We send {{140|138}} officers at {{06:00|05:45}}.\n", []string{"140", "06:00"}},
		{"twice", "We send {{140|138}} officers.\n\nAll {{140|138}} officers report.\n", []string{"140 140"}},
		{"in a table", "Entry is at {{06:00|05:45}} with {{36|35}} officers.\n\n| Phase | Time | Officers |\n|---|---|---|\n| Entry | {{06:00|05:45}} | {{36|35}} |\n| Search | 06:30 | 24 |\n",
			[]string{"06:00 06:00", "36 36"}},
		{"named spellings", "We send {{#officers: 140|138}} officers; {{#officers: one hundred and forty|one hundred and thirty-eight}} will report.\n",
			[]string{"140 one hundred and forty"}},
		{"another order", "{{140|138|142}} officers and {{140|142|138}} vehicles\n", []string{"140", "140"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl := markString(t, tt.src)
			var got []string
			for _, s := range tpl.Slots {
				if s.Kind != Declared {
					continue
				}
				var texts []string
				for _, o := range s.Occurrences {
					texts = append(texts, tpl.Source[o.Start:o.End])
					if len(o.Alts) != s.Q {
						t.Errorf("occurrence %q has %d alternatives, slot %d", o.Alts, len(o.Alts), s.Q)
					}
				}
				got = append(got, strings.Join(texts, " "))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("declared slots %q, want %q", got, tt.want)
			}
		})
	}
	// Each mention follows the style: "5:30 a.m." in prose and in a
	// table both become "5:30 AM" in a copy that writes AM.
	tpl := markString(t, "Teams assemble at 3:30 a.m. and move at {{5:30 a.m.|5:45 a.m.}}.\n\n| Step | Time |\n|---|---|\n| Move | {{5:30 a.m.|5:45 a.m.}} |\n")
	j := slices.IndexFunc(tpl.Slots, func(s Slot) bool { return s.Kind == Declared })
	if j < 0 || len(tpl.Slots[j].Occurrences) != 2 {
		t.Fatalf("slots %+v", tpl.Slots)
	}
	for _, o := range tpl.Slots[j].Occurrences {
		if o.Style != "typographic:meridiem" || !slices.Equal(o.Styled[1], []string{"5:45 a.m.", "5:45 AM"}) {
			t.Errorf("mention at %d: style %q %q", o.Start, o.Style, o.Styled)
		}
	}
}
