package read

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/render"
)

// secondRoundDoc exercises every slot kind of issue 14's second round in
// a British document: semicolons, added "that", opening commas, clause
// commas, weekday commas, 24-hour time stops, list stops, "before"/"after"
// an event and the new lexicon sets.
const secondRoundDoc = `# Operation Kestrel

The organisation of the operation is summarised below. The match is on Saturday 28 September 2024 and kick-off is at 17:30; the gates will open at 16:00 for all supporters.

The Superintendent said he would brief the teams at 12:15 in the Drill Hall. Today the board meets in private to agree the budget. By default this is the duty inspector for the whole of the weekend.

The escort will leave the stadium at 19:50 and the dog unit will wait at the station. Supporters can drink in the town centre before the match, and officers will patrol after the final whistle.

Objectives:

1. To protect the public, supporters and staff from harm.
2. To prevent disorder in the town centre and at the station.
3. To keep the two groups of supporters apart at all times.

The review raised a number of concerns about the plan. Licensees have been asked to use plastic glasses from 12:00. The match will finish at about 19:25 on the day.
`

var secondRoundKinds = []string{"typographic:semicolon", "lexical:optional-that", "typographic:intro-comma", "typographic:clause-comma", "typographic:weekday-comma", "typographic:clock-stops", "typographic:list-stops", "lexical:before-after", "lexical:a number of", "lexical:asked to", "lexical:end"}

// TestReadSecondRoundKinds: every new slot kind is read back from a
// verbatim copy as the copy's symbol, and never misread from a retyped
// or OCR'd one.
func TestReadSecondRoundKinds(t *testing.T) {
	t.Parallel()
	f := fixtureFrom(t, "kestrel.md", []byte(secondRoundDoc))
	tpl, rend, rd := f.tpl, f.rend, f.reader
	kindOf := map[int]string{}
	for i, s := range tpl.Slots {
		for _, k := range secondRoundKinds {
			if s.Name == k {
				kindOf[i] = k
			}
		}
	}
	for _, k := range secondRoundKinds {
		found := false
		for _, n := range kindOf {
			found = found || n == k
		}
		if !found {
			t.Errorf("the document has no %s slot", k)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for c := 0; c < 4; c++ {
		cw := make(fingerprint.Codeword, len(tpl.Slots))
		for i, s := range tpl.Slots {
			cw[i] = uint8((i + c) % s.Q)
		}
		txt, err := rend.Render(render.Text, render.Copy{Codeword: cw, Number: c, Of: 4, Recipient: "R"})
		if err != nil {
			t.Fatal(err)
		}
		verbatim := map[int]bool{}
		for _, r := range rd.Read(string(txt)).Readings {
			if _, ok := kindOf[r.Slot]; ok {
				if r.Seen != 1<<cw[r.Slot] {
					t.Errorf("copy %d verbatim: %s (slot %d) read as %b, the copy shows %d", c, kindOf[r.Slot], r.Slot, r.Seen, cw[r.Slot])
				}
				verbatim[r.Slot] = true
			}
		}
		for i, k := range kindOf {
			if !verbatim[i] {
				t.Errorf("copy %d verbatim: %s (slot %d) not read", c, k, i)
			}
		}
		for name, leak := range map[string]string{
			"retyped": leaktest.Retype(leaktest.Reflow(string(txt), 72)),
			"OCR 1%":  leaktest.OCR(rng, leaktest.Reflow(string(txt), 70), 0.01),
		} {
			text, _, err := extract.Text([]byte(leak))
			if err != nil {
				t.Fatal(err)
			}
			read := 0
			for _, r := range rd.Read(text).Readings {
				k, ok := kindOf[r.Slot]
				if !ok {
					continue
				}
				read++
				if !r.Seen.Has(cw[r.Slot]) {
					t.Errorf("copy %d %s: %s (slot %d) misread as %b, the copy shows %d", c, name, k, r.Slot, r.Seen, cw[r.Slot])
				}
			}
			if name == "retyped" && read < len(kindOf)*3/4 {
				t.Errorf("copy %d retyped: read %d of %d new slots", c, read, len(kindOf))
			}
		}
	}
	if t.Failed() {
		t.Log(strings.Join(secondRoundKinds, " "))
	}
}
