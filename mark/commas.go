package mark

// Optional commas: serial commas, commas between clauses, commas after an
// introductory phrase.

import (
	"regexp"
	"slices"
	"strings"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

// findSerialCommas: "a, b, and c" ↔ "a, b and c". Removing the comma is
// only done in a plain list: two or more short items (up to four words,
// no numbers) separated by commas, one conjunction in the sentence, and an
// item — not a verb — after it. Adding one is only done in lists of
// capitalised single words ("Houston, Dallas and Austin"), where a comma
// cannot join two clauses.
func findSerialCommas(b *block) []found {
	var out []found
	toks := b.toks
	for i := 1; i+2 < len(toks); i++ {
		t := toks[i]
		conj := strings.ToLower(toks[i+1].Text)
		if conj != "and" && conj != "or" || !toks[i+1].Joined {
			continue
		}
		if t.Text == "," {
			if plainList(toks, i) {
				out = append(out, found{t.Start, t.End, []string{",", ""}, 0})
			}
			continue
		}
		if t.Kind == lexicon.Word && (capitalList(toks, i) || plainListWithout(toks, i)) {
			out = append(out, found{t.End, t.End, []string{",", ""}, 0})
		}
	}
	return out
}

// plainListWithout reports whether toks[i], before "and"/"or", ends the
// last item but one of a list "a, b and c" written without the serial
// comma, to which one may be added. The list must pass the checks of
// plainList, have lower-case items only (a capitalised item may be a name
// with an appositive: "the chair, Dame Olwen and the chief executive"), and
// start well after the start of its sentence: "On Sunday, agents and
// officers met" and "According to police, staff and visitors…" open with
// a phrase, not a list.
func plainListWithout(toks []lexicon.Token, i int) bool {
	after := toks[i+2]
	if after.Kind != lexicon.Word || verbLike[strings.ToLower(after.Text)] || !isLowerWord(after.Text) {
		return false
	}
	last, _, ok := itemBefore(toks, i)
	if !ok || last < 2 || toks[last-1].Text != "," {
		return false
	}
	starts, opener, ok := itemsBefore(toks, last-1, append(make([]int, 0, 8), last))
	if !ok || len(starts) < 2 || lastItemHasConjunction(toks, i) {
		return false
	}
	first := starts[len(starts)-1]
	if opener != "" && !parallelAfterOpener(toks, i, starts, opener) || len(starts) == 2 && mayBeAppositive(toks, starts) {
		return false
	}
	for k := first; k <= i; k++ {
		if toks[k].Kind == lexicon.Word && !isLowerWord(toks[k].Text) || introIdioms[strings.ToLower(toks[k].Text)] {
			return false
		}
	}
	if sentenceOffset(toks, first) < 4 {
		return false
	}
	return !laterSerialConjunction(toks, i)
}

// sentenceOffset returns how many tokens toks[i] stands after the start of
// its sentence.
func sentenceOffset(toks []lexicon.Token, i int) int {
	for k := i; k >= 0; k-- {
		if toks[k].SentenceStart {
			return i - k
		}
	}
	return i
}

// Words that start a parenthetical or a predicate rather than a list item.
var (
	notItemStart = set("such subject as which who whose where when while and or but")
	verbLike     = set("will would is are was were has have had can could may might must shall should does do did then also be been being we they he she it i you there")
	// Words that open the phrase a list sits in ("wanted for homicide,
	// aggravated assault, and …", "confirmed that medical, aviation, and
	// …"): the walk back over the first item ends there.
	listOpeners = set("of for to in on at by from with into through against between among that including excluding especially primarily mainly notably particularly")
	// Words that mark a clause or a comment rather than a list item.
	clauseWords     = set("though however too instead therefore thus also then still not")
	determinerWords = set("the a an this that these those our their its his her my your each every any some")
)

// plainList reports whether the comma at toks[i] (before and/or) ends a
// list "A, B, and C" of short items in one sentence with no other
// conjunction after a comma.
func plainList(toks []lexicon.Token, i int) bool {
	after := toks[i+2]
	if after.Kind != lexicon.Word || verbLike[strings.ToLower(after.Text)] {
		return false
	}
	starts, opener, ok := itemsBefore(toks, i, make([]int, 0, 8)) // on the stack
	if !ok || len(starts) < 2 || lastItemHasConjunction(toks, i) {
		return false
	}
	if opener != "" && !parallelAfterOpener(toks, i, starts, opener) {
		return false
	}
	if len(starts) == 2 && mayBeAppositive(toks, starts) {
		return false
	}
	return !laterSerialConjunction(toks, i)
}

// itemsBefore walks back from the comma at toks[i] over "item ," groups.
// The first item starts at the sentence start, after punctuation, or after
// a word that opens the phrase the list sits in ("wanted for A, B, and
// C"). It returns the first token of each item, last item first, and the
// opening word if there is one; ok is false if some item cannot be a short
// list item. The starts are appended to buf.
func itemsBefore(toks []lexicon.Token, i int, buf []int) (starts []int, opener string, ok bool) {
	starts = buf
	k := i - 1
	for {
		start, opener, ok := itemBefore(toks, k)
		if !ok {
			return nil, "", false
		}
		starts = append(starts, start)
		k = start - 1
		if opener != "" || k < 0 || toks[k].Text != "," {
			return starts, opener, true
		}
		k-- // skip the comma
	}
}

// itemBefore walks back over one list item, the words ending at toks[k].
// It returns the item's first token and, if the walk stopped at a word
// that opens the phrase the list sits in, that word. An item is one to
// four words (three after an opening word), none of which may start a
// clause or a parenthetical.
func itemBefore(toks []lexicon.Token, k int) (start int, opener string, ok bool) {
	n := 0
	for ; k >= 0 && toks[k].Kind == lexicon.Word && n < 5; k, n = k-1, n+1 {
		w := strings.ToLower(toks[k].Text)
		if n > 0 && listOpeners[w] {
			return k + 1, w, n <= 3
		}
		if !itemWord(w) || monthIndex(toks[k].Text) >= 0 {
			return 0, "", false // a month: a date's comma is not a list's
		}
	}
	return k + 1, "", n > 0 && n <= 4
}

// itemWord reports whether a lower-cased word may be part of a list item:
// not a word that starts a parenthetical, a clause or a predicate, not a
// negated verb.
func itemWord(w string) bool {
	return !notItemStart[w] && !clauseWords[w] && !verbLike[w] && !strings.HasSuffix(w, "n't")
}

// lastItemHasConjunction reports whether the item after the conjunction at
// toks[i+1] holds a conjunction of its own ("writable, readable, and both
// readable and writable"); one that joins a predicate ("…and legal
// sections and is approved") is fine.
func lastItemHasConjunction(toks []lexicon.Token, i int) bool {
	for j := i + 3; j+1 < len(toks) && j <= i+8 && toks[j].Kind != lexicon.Punct; j++ {
		if w := strings.ToLower(toks[j].Text); (w == "and" || w == "or") && !verbLike[strings.ToLower(toks[j+1].Text)] {
			return true
		}
	}
	return false
}

// parallelAfterOpener reports whether a list anchored on a preposition or
// "that" has short, parallel items: "…in the RE, though, and the > can't
// match" is two clauses.
func parallelAfterOpener(toks []lexicon.Token, i int, starts []int, opener string) bool {
	// Parallel items: a determiner after the conjunction needs one in
	// the items too, else "…of mathematics, science, engineering, and
	// the addition of @ allows…" is a second clause.
	if determinerWords[strings.ToLower(toks[i+2].Text)] && !slices.ContainsFunc(starts, func(st int) bool {
		return determinerWords[strings.ToLower(toks[st].Text)]
	}) {
		return false
	}
	// After a preposition the items are objects, so a verb right after
	// the conjunction starts a clause. After "that" they are subjects
	// ("confirmed that medical, aviation, and communications support are
	// in place"), and a verb is expected.
	return opener == "that" || !verbAfterConjunction(toks, i)
}

// verbAfterConjunction reports whether a verb follows the conjunction at
// toks[i+1] within four words, before any punctuation or second
// conjunction ("…and legal sections and is approved": a second predicate).
func verbAfterConjunction(toks []lexicon.Token, i int) bool {
	for j := i + 2; j < len(toks) && j <= i+5 && toks[j].Kind != lexicon.Punct; j++ {
		w := strings.ToLower(toks[j].Text)
		if w == "and" || w == "or" {
			return false
		}
		if verbLike[w] || strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t") {
			return true
		}
	}
	return false
}

// mayBeAppositive reports whether a list of two items before the
// conjunction could be read as a name and an appositive once the comma
// goes: "Smith, the auditor, and the board", where the second item starts
// with a determiner and the first does not.
func mayBeAppositive(toks []lexicon.Token, starts []int) bool {
	first, second := strings.ToLower(toks[starts[1]].Text), strings.ToLower(toks[starts[0]].Text)
	return determinerWords[second] && !determinerWords[first]
}

// laterSerialConjunction reports whether the sentence has another serial
// conjunction after toks[i]: nested lists are ambiguous. A later ", and"
// that joins a predicate or an infinitive (", and will issue", ", and to
// refer") cannot be read as another list item.
func laterSerialConjunction(toks []lexicon.Token, i int) bool {
	for j := i + 2; j+2 < len(toks) && !strings.Contains(".!?;:", toks[j].Text); j++ {
		if toks[j].Text == "," && (strings.EqualFold(toks[j+1].Text, "and") || strings.EqualFold(toks[j+1].Text, "or")) {
			if w := strings.ToLower(toks[j+2].Text); w != "to" && !verbLike[w] {
				return true
			}
		}
	}
	return false
}

// commaBefore reports whether a comma precedes toks[i] within n tokens, with
// no sentence end in between.
func commaBefore(toks []lexicon.Token, i, n int) bool {
	for k := i - 1; k >= 0 && k >= i-n; k-- {
		switch toks[k].Text {
		case ",":
			return k < i-1
		case ".", "!", "?", ";", ":":
			return false
		}
	}
	return false
}

// capitalList reports whether toks[i] ends a list "A, B[, C…] X and Y" of
// capitalised single words, none at the start of a sentence, followed by
// "and"/"or" and one more capitalised word.
func capitalList(toks []lexicon.Token, i int) bool {
	if i+2 >= len(toks) || !isCapWord(toks[i+2].Text) || toks[i+2].Kind != lexicon.Word {
		return false
	}
	if !isCapWord(toks[i].Text) || toks[i].SentenceStart {
		return false
	}
	// Walk back over ", Word" pairs.
	items := 1
	k := i - 1
	for k >= 1 && toks[k].Text == "," && toks[k-1].Kind == lexicon.Word && isCapWord(toks[k-1].Text) && !toks[k-1].SentenceStart {
		items++
		k -= 2
	}
	if items < 2 {
		return false
	}
	// The word before the list must not be capitalised too ("New Orleans").
	if k >= 0 && toks[k].Kind == lexicon.Word && isCapWord(toks[k].Text) {
		return false
	}
	return true
}

var (
	// Words after an introductory phrase's comma that cannot fuse with
	// the phrase's last word when the comma goes: "For the first time,
	// renters" would become "first time renters"; "For the first time, the
	// renters" cannot.
	introFollowers    = set("the a an this these those that each every all most some many our their its his her we they he she it there")
	introPrepositions = set("In On At By During After Before Within From Until Since Throughout Upon Over Under For Following")
	// Phrases that are connectives or idioms, where the comma stays.
	introIdioms = set("addition general particular short fact contrast turn summary total practice principle conclusion brief sum effect other words example instance case order all any course result meantime event light theory essence reality retrospect hindsight comparison response return view spite accordance respect regard line terms sum particular doing so this that these those which")
)

// introCommas makes a slot of the comma after a short introductory phrase
// that starts a sentence ("On Sunday, agents …" ↔ "On Sunday agents …").
// Dropping such a comma is a matter of taste, so each one is its own slot.
func (m *marker) introCommas() {
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind == parse.Heading {
			continue
		}
		for i, t := range b.toks {
			if !t.SentenceStart || m.introAdverb(b, b.toks, i) {
				continue
			}
			if k := introComma(b.toks, i); k >= 0 {
				m.introCommaSlot(b, b.toks[k])
			} else if !m.introTimeComma(b, i) {
				m.introInsert(b, i)
			}
		}
	}
}

// introTime matches, after a sentence-opening preposition, a point or
// span of time that cannot absorb the word after it: a date, a month and
// year, a year, a weekday or a clock time ("In October 2023", "On 27
// June", "At 06:00", "By Friday").
var introTime = regexp.MustCompile(`^ (?:(?:\d{1,2} (?:` + monthAlt + `)|(?:` + monthAlt + `) \d{1,2})(?:,? (?:19|20)\d\d)?|(?:` + monthAlt + `) (?:19|20)\d\d|(?:19|20)\d\d|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|(?:[01]?\d|2[0-3]):[0-5]\d(?: ?(?:a\.m\.|p\.m\.|AM|PM))?)(,?) `)

// introTimeComma makes a slot of the comma after a sentence-opening
// prepositional phrase of time ("In October 2023, a printer station was
// moved" ↔ "In October 2023 a printer station was moved"), whether the
// author wrote it or not, when a determiner, a subject pronoun or a
// capitalised word follows: a time cannot be read as running on into
// any of these. After a date written "March 18, 2024" the comma closes the
// year as well and stays. It reports whether it made a slot.
func (m *marker) introTimeComma(b *block, i int) bool {
	t := b.toks[i]
	if !introPrepositions[t.Text] {
		return false
	}
	loc := introTime.FindStringSubmatchIndex(b.Text[t.End:])
	if loc == nil || strings.Contains(b.Text[t.End:t.End+loc[2]], ", ") {
		return false // "On March 18, 2024, a manager…": the year's comma is not optional
	}
	after := wordAfter(b.Text, t.End+loc[1]-1)
	if after == "" || !(introFollowers[after] || nominative[after] || isCapWord(after) && monthIndex(after) < 0 && !weekdays[strings.ToLower(after)]) {
		return false
	}
	at := t.End + loc[2]
	alts := []string{",", ""}
	if loc[2] == loc[3] {
		alts = []string{"", ","}
	}
	if s, ok := m.source(b, at, t.End+loc[3]); ok {
		m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:intro-comma", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: alts}}})
		m.take(s)
		if s.Start == s.End {
			m.taken[s.Start] = true
		}
		return true
	}
	return false
}

// introComma returns the index of the comma after an introductory phrase
// or clause that opens at toks[i], if the comma may go, or -1. It may go
// before a nominative pronoun, which cannot be misread as the phrase's
// object, or after a prepositional phrase of up to three words with no
// verb form, before a determiner or pronoun.
func introComma(toks []lexicon.Token, i int) int {
	opener := toks[i].Text
	if !introPrepositions[opener] && !introClauses[opener] {
		return -1
	}
	k := phraseComma(toks, i)
	if k < 0 {
		return -1
	}
	after := toks[k+1]
	switch {
	case nominative[after.Text]:
		return k
	case introPrepositions[opener] && k <= i+4 && !verbal(toks[i+1:k]) && after.Kind == lexicon.Word && introFollowers[after.Text]:
		return k
	}
	return -1
}

// phraseComma returns the index of the comma that ends the phrase opening
// at toks[i]: one to twelve words with no markup, other punctuation or
// idiom ("In addition,") among them, and more words after the comma. It
// returns -1 if there is no such comma.
func phraseComma(toks []lexicon.Token, i int) int {
	for k := i + 1; k < len(toks) && k <= i+13; k++ {
		if toks[k].Text == "," {
			if k == i+1 || k >= len(toks)-1 {
				return -1
			}
			return k
		}
		if toks[k].Kind == lexicon.Punct || !toks[k].Joined || introIdioms[strings.ToLower(toks[k].Text)] {
			return -1
		}
	}
	return -1
}

// introCommaSlot makes a slot of an introductory comma, if it may become
// one, and reports whether it did.
func (m *marker) introCommaSlot(b *block, comma lexicon.Token) bool {
	s, ok := m.source(b, comma.Start, comma.End)
	if !ok {
		return false
	}
	m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:intro-comma", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{",", ""}}}})
	m.take(s)
	return true
}

// verbal reports whether a phrase contains a word that may be a verb form
// (-ing, -ed), after which dropping the comma invites a misreading.
func verbal(toks []lexicon.Token) bool {
	for _, t := range toks {
		w := strings.ToLower(t.Text)
		if strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ed") {
			return true
		}
	}
	return false
}

// introAdverb makes a slot of the comma after a sentence-opening -ly adverb
// ("Initially, teams …" ↔ "Initially teams …") and reports whether it did.
func (m *marker) introAdverb(b *block, toks []lexicon.Token, i int) bool {
	t := toks[i]
	w := strings.ToLower(t.Text)
	if t.Kind != lexicon.Word || len(w) < 6 || !strings.HasSuffix(w, "ly") || slices.Contains(notIntroAdverbs, w) {
		return false
	}
	if i+2 >= len(toks) || toks[i+1].Text != "," || toks[i+2].Kind != lexicon.Word || !isLowerWord(toks[i+2].Text) {
		return false
	}
	if slices.Contains([]string{"and", "but", "or", "which", "who", "that", "if"}, toks[i+2].Text) {
		return false
	}
	return m.introCommaSlot(b, toks[i+1])
}

// Sentence adverbs whose comma carries meaning or is required.
var notIntroAdverbs = []string{"only", "early", "likely", "daily", "weekly", "monthly", "yearly", "quarterly", "family", "italy", "july", "apply", "supply", "reply", "fly", "rally", "ally", "holy", "ugly", "frankly", "honestly", "hopefully", "clearly", "obviously", "seriously", "thankfully", "sadly", "unfortunately", "fortunately", "ironically", "curiously", "interestingly", "surprisingly", "naturally", "literally", "basically", "technically", "personally", "really", "actually", "certainly", "surely"}

var (
	clausePronouns = set("we they it he she i you")
	// Subject pronouns that cannot be read as an object.
	nominative = set("we they he she I We They He She")
	// Words that open an introductory clause.
	introClauses = set("When If Once After Before Because Although Though While Unless Until Since Where Whenever Wherever")
)

// findClauseCommas: the comma before "and" or "but" joining two clauses
// whose second starts with a pronoun ("…at 4:00 a.m., and they will …").
// With the comma or without, the sentence reads the same; with a noun
// subject it could be misread as a list, so only pronouns qualify. A comma
// is removed before any subject pronoun, and added only before a
// nominative one (we, they, he, she, I), which cannot be an object ("…
// checked the lock and it…" might be), after a clause of at least four
// words.
func findClauseCommas(b *block) []found {
	var out []found
	toks := b.toks
	for i := 4; i+3 < len(toks); i++ {
		t := toks[i]
		conj := strings.ToLower(toks[i+1].Text)
		if conj != "and" && conj != "but" || !toks[i+1].Joined || !toks[i+2].Joined {
			continue
		}
		if commaBefore(toks, i, 64) || toks[i-1].Kind == lexicon.Punct {
			continue // part of a list, or after other punctuation
		}
		switch {
		case t.Text == "," && clausePronouns[strings.ToLower(toks[i+2].Text)]:
			out = append(out, found{t.Start, t.End, []string{",", ""}, 0})
		case t.Kind != lexicon.Punct && nominative[toks[i+2].Text] && toks[i+3].Kind == lexicon.Word && isLowerWord(toks[i+3].Text) && sentenceOffset(toks, i) >= 4:
			out = append(out, found{t.End, t.End, []string{",", ""}, 0})
		case t.Kind != lexicon.Punct && nounClauseComma(toks, i):
			out = append(out, found{t.End, t.End, []string{",", ""}, 0})
		}
	}
	return out
}
