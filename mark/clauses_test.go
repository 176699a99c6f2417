package mark

import (
	"strings"
	"testing"
)

// TestClauseSlots: the second round of issue 14's rules, each case with
// the slot it must make (alternatives joined with |) or must not ("").
func TestClauseSlots(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		slot string
		want string
	}{
		// A semicolon between two clauses may be a full stop.
		{"Customers do not need to bring the product back; a photograph of the label is enough.", "typographic:semicolon", "; a|. A"},
		{"The principal risks are: firearms at Address C; the presence of children at Address A.", "typographic:semicolon", ""},
		{"Test in five pilot stores first; full rollout by 8:30 p.m. is planned.", "typographic:semicolon", ""},
		{"We will check the locks; we will check the doors; we will leave.", "typographic:semicolon", ""},
		{"If the keys are lost, we will wait; the team will call the police.", "typographic:semicolon", ""},
		{"The team will wait outside the house; will it be long?", "typographic:semicolon", ""},
		{"The team has checked the house; I am satisfied it is empty.", "typographic:semicolon", "; I|. I"},
		// "that" added after a verb of saying or knowing.
		{"The Respondent accepted he had used the phrase.", "lexical:optional-that", "|that "},
		{"The inspector found the door was locked.", "lexical:optional-that", "|that "},
		{"The inspector found the door in the yard.", "lexical:optional-that", ""},
		{"The inspector said it was late.", "lexical:optional-that", ""},
		{"It went as we expected they would.", "lexical:optional-that", ""},
		{"The items found the next morning were kept.", "lexical:optional-that", ""},
		{"The items found the day before were kept.", "lexical:optional-that", ""},
		{"The terms of the said agreement were kept.", "lexical:optional-that", ""},
		// The comma after an opening adverb or short phrase.
		{"Today the board meets in private.", "typographic:intro-comma", "|,"},
		{"Then, the team will leave.", "typographic:intro-comma", ",|"},
		{"Still the team waits outside.", "typographic:intro-comma", ""},
		{"By default this is the Principal Investigator.", "typographic:intro-comma", "|,"},
		{"In practice we keep everything.", "typographic:intro-comma", "|,"},
		{"Under the plan the team leaves at dawn.", "typographic:intro-comma", "|,"},
		{"In case the power fails the doors open.", "typographic:intro-comma", ""},
		{"In the event the court rules against us we appeal.", "typographic:intro-comma", ""},
		{"At least the first three teams will attend.", "typographic:intro-comma", ""},
		{"In all the years we met there was no issue.", "typographic:intro-comma", ""},
		{"On the day the plan was approved we left.", "typographic:intro-comma", ""},
		{"On the basis the plan is approved the team will go.", "typographic:intro-comma", ""},
		{"In the report the board accepted, the chair resigned.", "typographic:intro-comma", ""},
		{"In the annex are the maps for each team.", "typographic:intro-comma", ""},
		{"Despite this the plan went ahead.", "typographic:intro-comma", "|,"},
		// The comma before "and" joining clauses with a noun subject is
		// added, never removed.
		{"The team will search the house at dawn and the dog unit will wait outside.", "typographic:clause-comma", "|,"},
		{"The team will search the house at dawn, and the dog unit will wait outside.", "typographic:clause-comma", ""},
		{"The officers and the staff will attend the briefing.", "typographic:clause-comma", ""},
		{"He said the plan was sound and the team would proceed.", "typographic:clause-comma", ""},
		{"We will leave after the team arrives and the area is secured.", "typographic:clause-comma", ""},
		{"The team will brief the officers and the staff who will attend.", "typographic:clause-comma", ""},
		// British styles of dates and 24-hour times, document-wide.
		{"The match is on Saturday 28 September at 17:30 in the centre.", "typographic:weekday-comma", "|,"},
		{"The match is on Saturday 28 September at 17:30 in the centre.", "typographic:clock-stops", "17:30|17.30"},
		{"The match is on Saturday, September 28 at 17:30 in the center.", "typographic:weekday-comma", ""},
		{"The match is at 17:30 in the center.", "typographic:clock-stops", ""},
		{"Phases run 12:00–15:30 and 15:30–17:30 in the centre.", "typographic:clock-stops", "12:00|12.00|15:30|15.30|15:30|15.30|17:30|17.30"},
		{"The shops open at 9:30 a.m. and close at 17:30 in the centre.", "typographic:clock-stops", ""},
		{"The shops open at 09.30 and close at 17:30 in the centre.", "typographic:clock-stops", ""},
		// "before"/"after" an event.
		{"Teams will brief after the main briefing.", "lexical:before-after", "after|following"},
		{"Supporters can drink before the match, in town.", "lexical:before-after", "before|prior to"},
		{"Nobody may leave before the team leaves.", "lexical:before-after", ""},
		{"Nobody may leave after the team left.", "lexical:before-after", ""},
		{"The chief will appear before the committee.", "lexical:before-after", ""},
		{"Photograph the site before any search or inspection begins.", "lexical:before-after", ""},
		{"Staff must look after the children.", "lexical:before-after", ""},
		{"The team left shortly after the match.", "lexical:before-after", ""},
		// Lexicon sets of the second round.
		{"The review raised a number of concerns.", "lexical:a number of", "a number of|several"},
		{"A number of the staff left.", "lexical:a number of", ""},
		{"We will need a full review.", "lexical:need", "need|require"},
		{"Staff are needed to cover the shift.", "lexical:need", ""},
		{"The match will finish at 19:25.", "lexical:end", "finish|end"},
		{"Licensees have been asked to use plastic glasses.", "lexical:asked to", "asked to|requested to"},
		{"I asked to see the file.", "lexical:asked to", ""},
		{"The charge is £14 per box from August.", "lexical:per box", "per box|a box"},
		{"Should the £14 per box charge be met centrally?", "lexical:per box", ""},
		{"Point-of-sale data suggests about 61% has been sold.", "lexical:suggests", "suggests|indicates"},
		{"I suggest we wait.", "lexical:suggests", ""},
		// List by list, items lose or gain their full stops together.
		{"Objectives:\n\n1. To protect the public from harm.\n2. To prevent disorder in the town centre.\n", "typographic:list-stops", ".||.|"},
		{"Objectives:\n\n- We will protect the public from harm\n- Officers are to prevent disorder in the town\n", "typographic:list-stops", "|.||."},
		{"Annexes:\n\n- A: Site map and assembly areas\n- B: Chemical inventory and release scenarios\n", "typographic:list-stops", ""},
		{"Present:\n\n- Dame Olwen Hartigan (Chair)\n- Marcus Teale (Chief Executive)\n", "typographic:list-stops", ""},
		{"Teams:\n\n- Finance\n- Legal\n", "typographic:list-stops", ""},
		{"Steps:\n\n- Protect the public from harm.\n- Prevent disorder in the town centre\n", "typographic:list-stops", ""},
		{"Steps:\n\n- Keep the record. Send it to Legal.\n- Destroy the product in store.\n", "typographic:list-stops", ""},
		{"Steps:\n\n- Call the store at 9:00 a.m.\n- Destroy the product in store.\n", "typographic:list-stops", ""},
		{"Steps:\n\n- Quarantine all product by **noon Friday**.\n- Destroy the product in store by 5 p.m. Monday.\n", "typographic:list-stops", ".||.|"},
		{"Steps:\n\n- Quarantine all product by **noon Friday**.\n- Destroy the product in store by Monday.\n", "typographic:list-stops", ".||.|"},
		{"Steps:\n\n- Quarantine all product by **noon Friday**\n- Destroy the product in store by Monday\n", "typographic:list-stops", ""},
		{"Steps:\n\n- record a reason for extending retention; or\n- confirm the data can be disposed of\n", "typographic:list-stops", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := strings.Join(slotTexts(markString(t, tt.text))[tt.slot], "|")
			if got != tt.want {
				t.Errorf("%s = %q, want %q", tt.slot, got, tt.want)
			}
		})
	}
}
