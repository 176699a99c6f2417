package suggest

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/parse"
)

func suggestIn(t *testing.T, src string) (*parse.Document, []Suggestion) {
	t.Helper()
	doc, err := parse.Parse("test.md", []byte(src))
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return doc, Suggest(doc, Options{})
}

// TestRules: what is suggested, with which alternatives.
func TestRules(t *testing.T) {
	tests := []struct {
		name string
		src  string
		kind Kind
		text string   // the fact as written
		alts []string // the alternatives, canonical first; nil: only check it is there
	}{
		{"count", "The task force will deploy 140 officers to the port.", Count, "140", []string{"140", "139", "141", "138", "142", "137", "143", "136", "144"}},
		{"count beside a clock time of the same digits", "Arriving are 11 official coaches.\n\nThe briefing is at 11:00 in the suite.", Count, "11", []string{"11", "10", "12"}},
		{"count as precise as written", "The Embassy counts 1,140 citizens on its register.", Count, "1,140", []string{"1,140", "1,130", "1,150", "1,120", "1,160", "1,110", "1,170"}},
		{"small count of things", "Greenmantle made two site visits to the plant.", Count, "two", []string{"two", "three"}},
		{"count in words", "Eleven pool vehicles have been booked.", Count, "Eleven", []string{"Eleven", "Ten", "Twelve"}},
		{"count with decimals", "Between them they held 11.6 tonnes of tobacco.", Count, "11.6", []string{"11.6", "11.5", "11.7", "11.4", "11.8", "11.3", "11.9", "11.2", "12.0", "11.1", "12.1"}},
		{"approximate count stays round", "Planning assumes approximately 2,300 evacuees in total.", Count, "2,300", []string{"2,300", "2,250", "2,350", "2,200", "2,400"}},
		{"approximate count in bold", "We shipped about **18,400 cases** last week.", Count, "18,400", nil},
		{"money", "The budget is $1,250,000 for overtime and fuel.", Amount, "$1,250,000", []string{"$1,250,000", "$1,240,000", "$1,260,000"}},
		{"money with a scale", "The estimated cost of the operation is $4.2 million in all.", Amount, "$4.2 million", []string{"$4.2 million", "$4.19 million", "$4.21 million", "$4.18 million", "$4.22 million", "$4.17 million", "$4.23 million", "$4.16 million", "$4.24 million"}},
		{"money in pounds", "Evaded duty of approximately £3.4 million was found.", Amount, "£3.4 million", []string{"£3.4 million", "£3.3 million", "£3.5 million"}},
		{"money in euros", "P2 transferred €61,400 to the forwarder.", Amount, "€61,400", nil},
		{"approximate share", "Sales data suggest about 61% has already been sold.", Amount, "61", []string{"61", "60", "62", "59", "63"}},
		{"share", "The semiconductor business fell 19% in one year.", Amount, "19", []string{"19", "18", "20"}},
		{"share as precise as written", "Revenue grew 13.2% last year.", Amount, "13.2", []string{"13.2", "13.1", "13.3", "13.0", "13.4", "12.9", "13.5", "12.8", "13.6", "12.7", "13.7"}},
		{"time", "The raid starts at 4:00 a.m. sharp.", Time, "4:00 a.m.", []string{"4:00 a.m.", "3:45 a.m.", "4:15 a.m."}},
		{"twelve-hour time without a leading zero", "The call starts at 10:00 a.m. sharp.", Time, "10:00 a.m.", []string{"10:00 a.m.", "9:45 a.m.", "10:15 a.m."}},
		{"24-hour time", "The exhibits officer works at Unit 9 from 09:00.", Time, "09:00", []string{"09:00", "08:45", "09:15"}},
		{"military time", "Situation reports are sent every evening at 1800Z to the centre.", Time, "1800Z", []string{"1800Z", "1745Z", "1815Z"}},
		{"deadline only earlier", "Packed lunches will be delivered to each address by 12:30.", Time, "12:30", []string{"12:30", "12:15", "12:00"}},
		{"code name", "A rehearsal, exercise SILENT PELICAN, will be held at the base.", CodeName, "SILENT PELICAN", nil},
		{"code name in title case", "The drill is called Exercise Granite Heron this year.", CodeName, "Granite Heron", nil},
		{"ordinal", "This would be our third acquisition in 24 months.", Ordinal, "third", []string{"third", "second", "fourth"}},
		{"optional detail", "Processing includes a basic medical screen (for example, blood pressure and temperature) and manifesting.", Detail, "screen (for example, blood pressure and temperature)", []string{"screen (for example, blood pressure and temperature)", "screen"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, sugs := suggestIn(t, tt.src)
			i := slices.IndexFunc(sugs, func(s Suggestion) bool { return s.Text() == tt.text })
			if i < 0 {
				t.Fatalf("no suggestion for %q in %q; got %v", tt.text, tt.src, texts(sugs))
			}
			s := sugs[i]
			if s.Kind != tt.kind {
				t.Errorf("%q suggested as %s, want %s", tt.text, s.Kind, tt.kind)
			}
			if tt.alts != nil && !slices.Equal(s.Alternatives, tt.alts) {
				t.Errorf("alternatives of %q = %q, want %q", tt.text, s.Alternatives, tt.alts)
			}
			if s.Why == "" || s.Context == "" || s.Line != 1 {
				t.Errorf("suggestion lacks a reason, context or line: %+v", s)
			}
			if string(doc.Source[s.Span.Start:s.Span.End]) != tt.text {
				t.Errorf("span holds %q", doc.Source[s.Span.Start:s.Span.End])
			}
		})
	}
}

// TestNever: what is never suggested. Each source holds one fact that
// would be suggested in another place (the marked one); nothing in it may
// be.
func TestNever(t *testing.T) {
	tests := []struct{ name, src string }{
		{"date", "The operation starts on 14 August with 140 officers.\n\nOn Friday, October 18, bids close."},
		{"date after month", "Bids are due October 18 at the bank."},
		{"year", "In 2023 the team grew."},
		{"day of operation", "Day 0: Wednesday 17 April 2024"},
		{"address", "Officers enter 14 Curlew Rise at dawn."},
		{"street address", "The office is at 1200 Main Street downtown."},
		{"suite", "Meet in Suite 400 of the tower."},
		{"legal citation", "This is an offence under section 12 of the Act."},
		{"US code", "Charges under 18 U.S.C. 1030 are likely."},
		{"section sign", "See § 4 of the agreement."},
		{"article", "Under Article 5 members must respond."},
		{"phone", "Call 555-0142 for the duty officer."},
		{"phone in brackets", "Call (555) 123-4567 for the duty officer."},
		{"extension", "Questions to Nadia Okereke, ext. 4417."},
		{"reference number", "Refund reason code 41 applies to recalls."},
		{"label", "The Department has issued a Level 4 travel advisory."},
		{"copy of", "Operation Order 03/24 — Copy 7 of 18"},
		{"plan number", "Plan number: CONPLAN 24-117 (Draft 4)"},
		{"unit label", "P3 drove to Unit 9, Fallowfield Industrial Estate."},
		{"identifier", "Container HQCU 448120-3 is due on the quay."},
		{"lot code", "Lots SF24227A through SF24231C are affected."},
		{"compound", "Goods arrive in 40-foot containers from the port."},
		{"range", "The journey takes 35 to 45 minutes by road."},
		{"money range", "The DCF gives $371 million to $418 million on a standalone basis."},
		{"between", "The count was between 140 and 160 people."},
		{"time range", "Collection is booked for 08:30 to 09:30 on the day."},
		{"time range dash", "Collection is booked for 08:30–09:30 on the day."},
		{"rule within", "The drill is held within 48 hours of arrival."},
		{"rule at least", "Each area is staffed by at least 12 officers."},
		{"rule up to", "Overtime is authorised up to 12 hours on the day."},
		{"rule above", "Cash above £1,000 is to be counted on scene."},
		{"rule no more than", "Raise it to no more than $425 million if needed."},
		{"age", "The children are aged 9 and 13 at present."},
		{"age in a table column", "| Name | Age |\n|---|---|\n| Dariusz | 46 |\n"},
		{"known set", "The two police vehicles will park out of sight."},
		{"partitive", "Two of the four commercial carriers have cancelled flights."},
		{"count then list", "The team searches ten sites today.\n\n- a\n- b\n- c\n- d\n- e\n- f\n- g\n- h\n- i\n- j\n"},
		{"count then its items", "It has two plants (Marlow Falls and Greystone Junction) in all."},
		{"labelled set", "The operation runs in four phases.\n\n**Phase I.** Preparation."},
		{"small duration", "Supplies last for five days at the base."},
		{"whole", "We acquire 100% of the equity."},
		{"computed share", "Capital spend is £186.3m against a budget of £211.0m, an underspend of 11.7%."},
		{"confidence level", "Changes are not significant at the 95% confidence level."},
		{"shares of a whole", "Revenue by market: medical 46%, instruments 29%, chips 17%, other 8%."},
		{"repeated in other words", "The plan sends 140 officers.\n\nOne hundred and forty officers report at dawn."},
		{"repeated with another scale", "The price is $412 million in cash.\n\nWe pay $412,000,000 at closing."},
		{"repeated as a rule", "The plan sends 140 officers.\n\nAt least 140 officers must report at dawn."},
		{"repeated as an estimate", "The plan sends 140 officers.\n\nAbout 140 officers report at dawn."},
		{"repeated in a heading", "## The 140 officers\n\nThe plan sends 140 officers."},
		{"repeated in a quotation", "The plan sends 140 officers. The chief said \"140 officers is enough\" today."},
		{"repeated time in other words", "Entry is at 06:00 at every address.\n\nNobody moves before 6 a.m. on the day."},
		{"repeated in a total", "We deploy 36 officers to the port.\n\n| Unit | Officers |\n|---|---|\n| North | 36 |\n| South | 24 |\n| Total | 60 |\n"},
		{"repeated in a column that adds up", "We deploy 36 officers to the port.\n\n| Unit | Officers |\n|---|---|\n| North | 36 |\n| South | 24 |\n| All units | 60 |\n"},
		{"repeated in a sum across a row", "We deploy 36 officers to the port.\n\n| Day | North | South | Both |\n|---|---|---|---|\n| Friday | 36 | 24 | 60 |\n"},
		{"repeated in a range in a table", "Entry is at 06:00 at every address.\n\n| Phase | Window |\n|---|---|\n| Entry | 06:00–06:30 |\n"},
		{"repeated in tables only", "| Phase | Time |\n|---|---|\n| Entry | 06:00 |\n\n| Phase | Time |\n|---|---|\n| Entry | 06:00 |\n"},
		{"repeated code name, last word alone", "Exercise SILENT PELICAN starts Monday.\n\nPELICAN ends Friday."},
		{"embargo", "Embargoed until 10:00 a.m. Eastern on the day."},
		{"until", "The line stays open until 19:30 for callers."},
		{"to the minute", "Sales stop at 11:59 p.m. tonight."},
		{"count then dash list", "The companies overlap in four areas—Chicago, Denver, Kansas City and Columbus—and more."},
		{"timestamp", "Plan version 1.2, issued Thursday, August 22, 2024, 6:40 p.m. CT"},
		{"off region", "Intro.\n\n<!-- telltale:off -->\nThe task force will deploy 140 officers.\n<!-- telltale:on -->\n"},
		{"code span", "Run `deploy 140 officers` from the console."},
		{"code block", "```\nThe task force will deploy 140 officers.\n```\n"},
		{"quotation", `The order reads "deploy 140 officers at once" in full.`},
		{"curly quotation", "The order reads “deploy 140 officers at once” in full."},
		{"block quote", "> The task force will deploy 140 officers.\n"},
		{"heading", "# The task force will deploy 140 officers\n"},
		{"link text", "See [140 officers](https://example.org/plan) for details."},
		{"link target", "See [the plan](https://example.org/140-officers) for details."},
		{"bare address", "The list is at example.org/140 for now."},
		{"email", "Write to ops140@example.org today."},
		{"existing declared", "The task force will deploy {{140|138|142}} officers to the port."},
		{"existing declared amount", "The cost is {{$4.2|$4.1}} million in all."},
		{"table", "| Team | Strength |\n|---|---|\n| Alpha | 140 officers |\n"},
		{"person after trigger", "The project lead is Dana Ortiz, for the exercise Harold Finch."},
		{"single figure", "The figure is 312."},
		{"one", "One officer stays behind."},
		{"person count one", "a single analyst and 1 driver"},
		{"multiplier", "The price is 9.8x trailing earnings."},
		{"tiny money", "EPS accretion is about $0.09 in the first year."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sugs := suggestIn(t, tt.src)
			if len(sugs) > 0 {
				t.Errorf("%q: suggested %v", tt.src, texts(sugs))
			}
		})
	}
}

// TestRepeated: a fact stated more than once is proposed once, with every
// mention (in prose and in table cells), when all of them may vary alike.
func TestRepeated(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		text  string // the fact as written
		lines []int  // the lines of its mentions
		kind  Kind
	}{
		{"count twice", "The plan sends 140 officers.\n\nAll 140 officers report at dawn.\n", "140", []int{1, 3}, Count},
		{"time in prose and a table", "Entry is at 06:00 at every address.\n\n| Time | What |\n|---|---|\n| 06:00 | Strike |\n| 07:30 | Search |\n", "06:00", []int{1, 5}, Time},
		{"count in prose and a table", "We deploy 36 officers to the port at dawn.\n\n| Unit | Officers | Vans |\n|---|---|---|\n| North | 36 | 4 |\n| South | 20 | 3 |\n", "36", []int{1, 5}, Count},
		{"money three times", "The price is $412 million in cash.\n\nWe pay $412 million at closing.\n\nAt $412 million the deal is accretive in year two.\n", "$412 million", []int{1, 3, 5}, Amount},
		{"code name", "Exercise SILENT PELICAN starts Monday.\n\nSILENT PELICAN ends Friday.\n", "SILENT PELICAN", []int{1, 3}, CodeName},
		{"code word in prose and a table", "Teams wait for the code word SANDPIPER before moving.\n\n| Code word | Meaning |\n|---|---|\n| SANDPIPER | P3 in custody |\n", "SANDPIPER", []int{1, 5}, CodeName},
		{"time once a deadline", "Teams enter at 08:00 at every address.\n\nBravo must be inside by 08:00.\n", "08:00", []int{1, 3}, Time},
		{"small count twice", "Greenmantle made two site visits to the plant.\n\nBoth of the two site visits were announced.\n\nThen two site visits followed in May.\n", "", nil, Count},
		{"words twice", "We have booked eleven pool vehicles for the day.\n\nKeys for eleven pool vehicles are held at the desk.\n", "eleven", []int{1, 3}, Count},
		{"words twice, once capitalised", "Eleven pool vehicles are booked for the day.\n\nKeys for eleven pool vehicles are held at the desk.\n", "", nil, Count},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, sugs := suggestIn(t, tt.src)
			i := slices.IndexFunc(sugs, func(s Suggestion) bool { return strings.EqualFold(s.Text(), tt.text) })
			if tt.text == "" {
				if len(sugs) > 0 {
					t.Fatalf("suggested %v", texts(sugs))
				}
				return
			}
			if i < 0 {
				t.Fatalf("no suggestion for %q; got %v", tt.text, texts(sugs))
			}
			s := sugs[i]
			var lines []int
			for _, m := range s.Mentions {
				lines = append(lines, m.Line)
			}
			if tt.kind == Time && strings.Contains(tt.src, "by "+tt.text) && !slices.Equal(s.Alternatives, []string{"08:00", "07:45"}) {
				t.Errorf("a time that is a deadline in one place moves %q", s.Alternatives)
			}
			if !slices.Equal(lines, tt.lines) || s.Kind != tt.kind || s.Span != s.Mentions[0].Span {
				t.Errorf("%q (%s) mentioned on lines %v, want %s on %v", s.Text(), s.Kind, lines, tt.kind, tt.lines)
			}
			for _, m := range s.Mentions {
				if m.Context == "" || m.Table != strings.Contains(m.Context, "|") {
					t.Errorf("mention on line %d: context %q, table %v", m.Line, m.Context, m.Table)
				}
			}
			out, err := Apply([]byte(tt.src), doc, sugs)
			if err != nil {
				t.Fatal(err)
			}
			checkApplied(t, []byte(tt.src), doc, sugs, out)
			if n := strings.Count(string(out), s.Markup()); n != len(tt.lines) {
				t.Errorf("%s written %d times:\n%s", s.Markup(), n, out)
			}
		})
	}
}

// TestSameAlternatives: two facts whose alternatives are the same would
// become one slot, so each is named; a fact with the alternatives of a
// declared variant already in the document is not proposed.
func TestSameAlternatives(t *testing.T) {
	src := "Greenmantle made two site visits to the plant, and two analysts reviewed them.\n\nWe keep {{#analysts: 4|5}} vans.\n"
	doc, sugs := suggestIn(t, src)
	var got []string
	for _, s := range sugs {
		got = append(got, s.Markup())
	}
	if !slices.Equal(got, []string{"{{#site-visits: two|three}}", "{{#analysts-2: two|three}}"}) {
		t.Errorf("suggested %q, want both named", got)
	}
	out, err := Apply([]byte(src), doc, sugs)
	if err != nil {
		t.Fatal(err)
	}
	checkApplied(t, []byte(src), doc, sugs, out)
	_, sugs = suggestIn(t, "Greenmantle made {{two|three}} site visits to the plant, and two analysts reviewed them.\n")
	if len(sugs) > 0 {
		t.Errorf("suggested %v beside the declared {{two|three}}", texts(sugs))
	}
	doc, _ = suggestIn(t, "We send 140 officers and 140 vans.\n")
	twice := []Suggestion{{ID: 1, Alternatives: []string{"140", "139"}, Span: parse.Span{Start: 8, End: 11}}, {ID: 2, Alternatives: []string{"140", "139"}, Span: parse.Span{Start: 25, End: 28}}}
	if _, err := Apply([]byte("We send 140 officers and 140 vans.\n"), doc, twice); err == nil || !strings.Contains(err.Error(), "one fact") {
		t.Errorf("Apply wrote two suggestions with the same alternatives: %v", err)
	}
}

// TestScheduleKeepsOrder: times close together may both vary, but no
// choice of their alternatives reorders them or brings two within a
// quarter of an hour.
func TestScheduleKeepsOrder(t *testing.T) {
	src := "Phones are checked at 03:59. Teams assemble at 04:15 at the depot.\n\nThey move off at 05:00 and enter at 06:00.\n\n| Time | Step |\n|---|---|\n| 04:15 | Assemble |\n| 05:00 | Move off |\n| 06:00 | Entry |\n"
	_, sugs := suggestIn(t, src)
	if len(sugs) < 2 {
		t.Fatalf("suggested %v", texts(sugs))
	}
	var ranges [][2]int
	for _, s := range sugs {
		lo, hi := 24*60, 0
		for _, a := range s.Alternatives {
			ts := findTimes(a)
			lo, hi = min(lo, ts[0].minutes), max(hi, ts[0].minutes)
		}
		ranges = append(ranges, [2]int{lo, hi})
	}
	for i := 1; i < len(ranges); i++ {
		if ranges[i][0]-ranges[i-1][1] < 15 {
			t.Errorf("%v and %v may come closer than 15 minutes or cross: %v", sugs[i-1].Alternatives, sugs[i].Alternatives, ranges)
		}
	}
}

// TestCodeNamesApart: two code names never read the same in a copy:
// their alternatives share no name.
func TestCodeNamesApart(t *testing.T) {
	_, sugs := suggestIn(t, "Give the code word LAPWING when the vehicle moves and the code word SANDPIPER once P3 is in custody.\n")
	if len(sugs) != 2 {
		t.Fatalf("suggested %v", texts(sugs))
	}
	for _, a := range sugs[0].Alternatives {
		if slices.Contains(sugs[1].Alternatives, a) {
			t.Errorf("%q is an alternative of both %q and %q", a, sugs[0].Text(), sugs[1].Text())
		}
	}
}

func texts(sugs []Suggestion) []string {
	var out []string
	for _, s := range sugs {
		out = append(out, s.Kind.String()+": "+strings.Join(s.Alternatives, "|"))
	}
	return out
}

// TestApply: the rewritten file parses to the same canonical text with a
// declared variant for each accepted suggestion, keeps the front matter
// and existing variants, and is byte for byte the original outside the
// suggestions.
func TestApply(t *testing.T) {
	src := "---\ntitle: Test\n---\n\n# Plan\n\nWe send {{14|15}} teams and 140 officers at 4:00 a.m. with a budget of $1,250,000.\n\nThe drill, exercise SILENT PELICAN, is held once.\n"
	doc, sugs := suggestIn(t, src)
	if len(sugs) != 4 {
		t.Fatalf("suggestions %v, want 140, 4:00 a.m., $1,250,000 and SILENT PELICAN", texts(sugs))
	}
	out, err := Apply([]byte(src), doc, sugs)
	if err != nil {
		t.Fatal(err)
	}
	checkApplied(t, []byte(src), doc, sugs, out)
	if !strings.Contains(string(out), "{{140|139|141|138|142|137|143|136|144}} officers") || !strings.HasPrefix(string(out), "---\ntitle: Test\n---\n") || !strings.Contains(string(out), "{{14|15}} teams") {
		t.Errorf("rewritten:\n%s", out)
	}
	// Accepting some: only those change.
	some, err := Select(sugs, []int{2, 4})
	if err != nil {
		t.Fatal(err)
	}
	out, err = Apply([]byte(src), doc, some)
	if err != nil {
		t.Fatal(err)
	}
	checkApplied(t, []byte(src), doc, some, out)
	if strings.Contains(string(out), "{{140") || !strings.Contains(string(out), "{{4:00 a.m.|") {
		t.Errorf("accepting 2 and 4 wrote:\n%s", out)
	}
	if _, err := Select(sugs, []int{0}); err == nil {
		t.Error("Select accepted suggestion 0")
	}
	if _, err := Select(sugs, []int{9}); err == nil {
		t.Error("Select accepted an unknown suggestion")
	}
	if _, err := Select(sugs, []int{1, 1}); err == nil {
		t.Error("Select accepted a suggestion twice")
	}
	// A suggestion made for another text is refused.
	other := []byte(strings.Replace(src, "140 officers", "150 officers", 1))
	if _, err := Apply(other, doc, sugs[0:1]); err == nil {
		t.Error("Apply wrote a suggestion into a file it does not match")
	}
}

// checkApplied checks the invariants of a rewritten file: it parses; its
// canonical text is the original's; it has one more declared variant per
// suggestion, each the suggestion's; and removing the markup gives back
// the original file.
func checkApplied(t *testing.T, src []byte, doc *parse.Document, chosen []Suggestion, out []byte) {
	t.Helper()
	re, err := parse.Parse("rewritten.md", out)
	if err != nil {
		t.Fatalf("rewritten file does not parse: %v\n%s", err, out)
	}
	if !bytes.Equal(re.Source, doc.Source) {
		t.Fatalf("canonical text changed:\n%q\n%q", doc.Source, re.Source)
	}
	mentions := 0
	type mention struct {
		span parse.Span
		s    Suggestion
	}
	var all []mention
	for _, s := range chosen {
		mentions += len(s.Mentions)
		fact := -1
		for _, m := range s.Mentions {
			i := slices.IndexFunc(re.Declared, func(d parse.Declared) bool { return d.Span == m.Span })
			if i < 0 || !slices.Equal(re.Declared[i].Alternatives, s.Alternatives) {
				t.Fatalf("mention of suggestion %q at line %d is not a declared variant of the rewritten file", s.Text(), m.Line)
			}
			if fact >= 0 && re.Declared[i].Fact != fact {
				t.Fatalf("the mentions of suggestion %q are facts %d and %d of the rewritten file", s.Text(), fact, re.Declared[i].Fact)
			}
			fact = re.Declared[i].Fact
			all = append(all, mention{m.Span, s})
		}
		for _, d := range re.Declared {
			if d.Fact == fact && !slices.ContainsFunc(s.Mentions, func(m Mention) bool { return m.Span == d.Span }) {
				t.Fatalf("suggestion %q is linked to another declared variant at %d", s.Text(), d.Start)
			}
		}
	}
	if len(re.Declared) != len(doc.Declared)+mentions {
		t.Fatalf("%d declared variants, want %d + %d", len(re.Declared), len(doc.Declared), mentions)
	}
	back := out
	cursor := len(back)
	slices.SortFunc(all, func(a, b mention) int { return b.span.Start - a.span.Start })
	for _, m := range all {
		k := bytes.LastIndex(back[:cursor], []byte(m.s.Markup()))
		if k < 0 {
			t.Fatalf("markup %s not in output", m.s.Markup())
		}
		back = append(append(slices.Clone(back[:k]), m.s.Text()...), back[k+len(m.s.Markup()):]...)
		cursor = k
	}
	if !bytes.Equal(back, src) {
		t.Fatalf("text outside the suggestions changed:\n%q\n%q", src, back)
	}
}

// FuzzSuggest: on any Markdown, accepting every suggestion gives a file
// that parses to the same canonical text, with the suggestions as its new
// declared variants and nothing else changed.
func FuzzSuggest(f *testing.F) {
	for _, pattern := range []string{"../samples/*.md", "../testdata/corpus/dev/*.md", "../testdata/plans/dev/*.md"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			b, _ := os.ReadFile(name)
			f.Add(b)
		}
	}
	f.Add([]byte("We send 140 officers at 4:00 a.m.\n-|-\n"))
	f.Add([]byte("{140 officers} and {{14|15}}0 teams, $4.2 million\\"))
	f.Add([]byte("| a | b |\n|---|---|\n| 140 officers | 2 |\n\nText 140 officers `x|y` 31 consignments"))
	f.Add([]byte("exercise SILENT PELICAN (for example, the red team) at 06:00 and about 2,300 people"))
	f.Add([]byte("We send 140 officers at 06:00.\n\nAll 140 officers enter at 06:00; SILENT PELICAN, exercise SILENT PELICAN.\n\n| Time | Officers |\n|---|---|\n| 06:00 | 140 |\n| 06:30 | 24 |\n| Total | 164 |\n"))
	f.Add([]byte("two site visits and two analysts, {{two|three}} vans; $4.2 million and $4,200,000 and four point two million\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := parse.Parse("fuzz.md", src)
		if err != nil {
			return
		}
		sugs := Suggest(doc, Options{})
		for i, s := range sugs {
			if s.ID != i+1 || len(s.Alternatives) < 2 || string(doc.Source[s.Span.Start:s.Span.End]) != s.Text() || len(s.Mentions) == 0 || s.Mentions[0].Span != s.Span {
				t.Fatalf("malformed suggestion %+v", s)
			}
			for _, m := range s.Mentions {
				if string(doc.Source[m.Span.Start:m.Span.End]) != s.Text() {
					t.Fatalf("suggestion %q mentioned as %q", s.Text(), doc.Source[m.Span.Start:m.Span.End])
				}
			}
		}
		out, err := Apply(src, doc, sugs)
		if err != nil {
			t.Fatal(err)
		}
		checkApplied(t, src, doc, sugs, out)
	})
}

// TestCorpusRate reports suggestions (facts) and their mentions per 100
// prose words on the development corpus, plans and samples (the held-out
// corpus is measured once, with the command in docs/benchmarks.md), and
// guards the rate on the development operations plans and deal memo
// against regressions.
func TestCorpusRate(t *testing.T) {
	files, _ := filepath.Glob("../testdata/corpus/dev/*.md")
	plans, _ := filepath.Glob("../testdata/plans/dev/*.md")
	samples, _ := filepath.Glob("../samples/*.md")
	files = append(append(files, plans...), samples...)
	var ops Rate
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parse.Parse(filepath.Base(name), src)
		if err != nil {
			t.Fatal(err)
		}
		sugs := Suggest(doc, Options{})
		r := Measure(doc, sugs)
		t.Logf("%-60s %5d prose words %3d suggestions %.2f per 100, %3d mentions %.2f per 100 (%s)", name, r.Words, len(sugs), r.PerHundred(), r.Mentions, r.MentionsPerHundred(), Summary(sugs))
		switch filepath.Base(name) {
		case "customs-enforcement-operation-order.md", "football-match-policing-operation-order.md", "product-recall-logistics-plan.md", "project-heron-acquisition-memo.md":
			ops.Words += r.Words
			ops.Suggestions += r.Suggestions
			ops.Mentions += r.Mentions
		}
	}
	t.Logf("development operations plans and deal memo: %d suggestions (%d mentions) in %d prose words, %.2f per 100 (%.2f)", ops.Suggestions, ops.Mentions, ops.Words, ops.PerHundred(), ops.MentionsPerHundred())
	if rate := ops.PerHundred(); rate < 0.9 {
		t.Errorf("%.2f suggestions per 100 words on the development operations plans and deal memo, down from 0.92", rate)
	}
}
