package mark

// Clause boundaries (issue 14, second round): a semicolon between two
// independent clauses or a full stop; "that" added after a verb of saying
// or knowing; the comma after a short opening phrase or sentence adverb
// added where the author left it out; the comma before "and"/"but"
// joining two clauses with a noun subject, added. Each is a choice
// careful writers make either way, so each place is its own slot.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

var (
	// Words that open the second clause after a semicolon: a subject
	// pronoun or a determiner.
	clauseOpeners = set("we they he she it i this these those there the a an our their its his her no each every all some any most many both")
	// Finite auxiliaries, modals and forms of "be": a clause that has
	// one has a verb.
	finiteVerbs = set("is was are were has have had will would can could may might must should shall does do did am cannot")
	// Words that make a part of a sentence subordinate or reported, so a
	// new comma or full stop could change what belongs to what.
	subordinators = set("if when whenever that because although though while whilst whether unless until since as so where wherever which who whom whose before after once than both either neither between nor how what why")
)

// findSemicolons: "…bring the product back; a photograph of the label is
// enough" ↔ "…bring the product back. A photograph of the label is
// enough". Only a semicolon joining two clauses: the only one in its
// sentence (lists use several), not after a colon (a list of risks), both
// parts of at least four words with a finite verb and no subordinating
// word before the semicolon, the second part opening with a pronoun or a
// determiner and the sentence ending with a full stop. The occurrence is
// the semicolon and the next word, which the full stop capitalises.
func findSemicolons(b *block) []found {
	if b.Kind != parse.Paragraph && b.Kind != parse.ListText {
		return nil
	}
	var out []found
	toks := b.toks
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].Text != ";" {
			continue
		}
		start := sentenceStartBefore(toks, i)
		if start < 0 || start > 0 && toks[start-1].Text == ":" {
			continue
		}
		end := i + 1
		for end < len(toks) && !strings.Contains(".!?;:", toks[end].Text) {
			end++
		}
		if end >= len(toks) || toks[end].Text != "." {
			continue // a question, a second semicolon, a colon, or no full stop
		}
		first, second := toks[start:i], toks[i+1:end]
		next := toks[i+1]
		w := strings.ToLower(next.Text)
		if !next.Joined || next.Kind != lexicon.Word || !clauseOpeners[w] || !(isLowerWord(next.Text) || next.Text == "I") {
			continue
		}
		if b.Text[toks[i].End:next.Start] != " " || !independentClause(first, true) || !independentClause(second, false) {
			continue
		}
		alt := ". " + strings.ToUpper(next.Text[:1]) + next.Text[1:]
		out = append(out, found{toks[i].Start, next.End, []string{alt}, 0})
	}
	return out
}

// sentenceStartBefore returns the index of the first token of the sentence
// holding toks[i], or -1 if markup or a line of its own breaks it.
func sentenceStartBefore(toks []lexicon.Token, i int) int {
	for k := i; k >= 0; k-- {
		if k < i && !toks[k+1].Joined {
			return -1
		}
		if toks[k].SentenceStart {
			return k
		}
	}
	return 0
}

// independentClause reports whether tokens look like a clause that can
// stand as a sentence: four words or more, a finite verb, no subordinating
// word, and only words, numbers, commas, hyphens and apostrophes. The first
// part of a sentence must also start with a capital.
func independentClause(toks []lexicon.Token, first bool) bool {
	words, verb := 0, false
	for k, t := range toks {
		if t.Kind == lexicon.Punct {
			if t.Text != "," && t.Text != "-" && t.Text != "'" && t.Text != "’" && t.Text != "%" {
				return false
			}
			continue
		}
		w := strings.ToLower(t.Text)
		if subordinators[w] || k == 0 && w == "and" {
			return false
		}
		words++
		verb = verb || finiteVerbs[w] || strings.HasSuffix(w, "n't")
	}
	if first && (len(toks) == 0 || !isCapWord(toks[0].Text)) {
		return false
	}
	return words >= 4 && verb
}

// Verbs of saying and knowing that take a clause with or without "that":
// "said he would" ↔ "said that he would".
var thatVerbs = set(`said says say stated states confirmed confirms confirm accepted accepts accept believed believes believe noted notes agreed agrees agree found finds reported reports explained explains indicated indicates thought thinks think knew knows know understood understands understand recognised recognises recognized recognizes estimated estimates estimate assumed assumes assume concluded concludes acknowledged acknowledges felt feels feel argued argues claimed claims suggested suggests hoped hopes decided decides realised realises realized realizes learned learnt heard hear announced announces admitted admits insisted insists added adds warned warns considered considers expects expected`)

// Nominative pronouns that cannot be an object: after a verb of saying
// they must start a clause.
var clauseSubjects = set("we they he she I")

// addThat makes a slot of the place where "that" may be added after a
// verb of saying or knowing, before a clause whose start is certain: a
// nominative pronoun ("said he would" → "said that he would") or a noun
// phrase followed directly by a finite verb ("found the door was locked").
// Not after "as", "than", "what" or "how" ("as we expected they would"),
// nor after a determiner ("the said agreement").
func (m *marker) addThat() {
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind == parse.Heading {
			continue
		}
		toks := b.toks
		for i := 1; i+2 < len(toks); i++ {
			t, next := toks[i], toks[i+1]
			if t.Kind != lexicon.Word || !thatVerbs[t.Text] || !next.Joined || next.Kind != lexicon.Word || b.Text[t.End:next.Start] != " " {
				continue
			}
			if determinerWords[strings.ToLower(toks[i-1].Text)] || comparativeBefore(toks, i) {
				continue
			}
			if !(clauseSubjects[next.Text] && lowerWord(toks[i+2]) && !toks[i+2].SentenceStart) && !nounClauseAt(toks, i+1) {
				continue
			}
			s, ok := m.source(b, next.Start, next.Start)
			if !ok {
				continue
			}
			m.slots = append(m.slots, Slot{Kind: Lexical, Name: "lexical:optional-that", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{"", "that "}}}})
			m.take(s)
			m.taken[s.Start] = true
		}
	}
}

// comparativeBefore reports whether "as", "than", "what" or "how" stands
// within three words before toks[i] in its sentence.
func comparativeBefore(toks []lexicon.Token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		switch strings.ToLower(toks[k].Text) {
		case "as", "than", "what", "how", "so":
			return true
		}
		if toks[k].Kind == lexicon.Punct || toks[k].SentenceStart {
			return false
		}
	}
	return false
}

// Determiners that open a noun phrase subject.
var subjectDeterminers = set("the a an this these those our their its his her each every no all some any")

// nounClauseAt reports whether toks[j] starts a clause with a noun phrase
// subject: a determiner, at most two modifiers and a noun, then directly
// a finite verb ("the door was", "the two clubs have", "our largest
// customer will").
func nounClauseAt(toks []lexicon.Token, j int) bool {
	if j >= len(toks) || !toks[j].Joined || !subjectDeterminers[toks[j].Text] {
		return false
	}
	for k := j + 1; k < len(toks) && k <= j+4; k++ {
		t := toks[k]
		if !t.Joined || t.Kind == lexicon.Punct {
			return false
		}
		w := strings.ToLower(t.Text)
		if finiteVerbs[w] {
			return k >= j+2 && isLowerWord(t.Text)
		}
		if t.Kind == lexicon.Word && !isLowerWord(t.Text) && !isCapWord(t.Text) || notModifier[w] && !smallWordOrNumber(t) || verbLike[w] || strings.HasSuffix(w, "ly") || subordinators[w] || listOpeners[w] || timeNouns[w] {
			return false
		}
	}
	return false
}

// smallWordOrNumber reports a number or a number word, which may stand in
// a noun phrase ("the two clubs").
func smallWordOrNumber(t lexicon.Token) bool {
	return t.Kind == lexicon.Number || smallCount(t) > 0
}

var (
	// Sentence adverbs whose comma is optional either way: "Today the
	// board meets" ↔ "Today, the board meets". Not "Still" (also
	// "continuing"), "Hence" (verbless "Hence the delay"), "Now" ("Now
	// that"), "However" (its comma is required).
	introAdverbs = set("Today Tomorrow Yesterday Tonight Then Afterwards Afterward Instead Otherwise Thus Again Initially Finally Additionally Consequently Accordingly Subsequently Currently Previously Historically Separately Similarly Alternatively Ultimately Traditionally Typically Generally Usually Occasionally Recently Originally Importantly Specifically Overall Meanwhile Nevertheless Nonetheless Therefore Furthermore Moreover")
	// Prepositions that open a phrase, never a clause: "After the team
	// left the building…" could be either, so "After", "Before",
	// "Until", "Since" and "For" are not listed.
	phrasePrepositions = set("In On At By During Within Throughout Despite Without Under Over From Across Through Among Upon")
	// Last words of an opening phrase after which a comma could change
	// the reading: conjunction-like phrases ("In case the…", "In the
	// event the…", "By the time the…"), quantifiers ("At least the
	// first three…", "In all the years…") and nouns of time, way and
	// degree, which take a clause without "that" ("On the day the plan
	// was approved…").
	notPhraseEnds = set("case event order least most all both half some any each many few several more less much such time times day days week weeks month months year years moment moments point way ways extent place hour hours minute minutes night morning evening afternoon period date stage occasion instant second reason degree hope belief expectation fact knowledge view terms respect regard light spite basis condition conditions assumption understanding grounds premise chance risk to of and or but that which who where when than as if the a an")
)

// introInsert makes a slot of the missing comma after a sentence adverb
// ("Today the board meets" → "Today, the board meets") or a short opening
// prepositional phrase ("By default this is the PI" → "By default, this
// is the PI"), before a determiner or a nominative pronoun, and of the
// written comma after such an adverb (removed). After a phrase, no other
// comma may follow in the sentence: "After the report the board
// accepted, the chair resigned" has a clause inside, not a phrase. It
// reports whether it made a slot.
func (m *marker) introInsert(b *block, i int) bool {
	toks := b.toks
	t := toks[i]
	if t.Kind != lexicon.Word || i+2 >= len(toks) {
		return false
	}
	if introAdverbs[t.Text] {
		next := toks[i+1]
		if next.Text == "," && i+3 < len(toks) && followsIntro(toks, i+2) {
			return m.introCommaSlot(b, next)
		}
		if next.Joined && b.Text[t.End:next.Start] == " " && followsIntro(toks, i+1) {
			return m.introCommaInsert(b, t.End)
		}
		return false
	}
	if !phrasePrepositions[t.Text] {
		return false
	}
	// The phrase: one to five words, no punctuation, no verb form.
	k := i + 1
	for ; k < len(toks) && k <= i+6; k++ {
		u := toks[k]
		w := strings.ToLower(u.Text)
		if k > i+1 && followsIntro(toks, k) && u.Kind == lexicon.Word && isLowerWord(u.Text) {
			break
		}
		if !u.Joined || u.Kind == lexicon.Punct || u.Kind == lexicon.Word && (verbal([]lexicon.Token{u}) || verbLike[w] || subordinators[w] || strings.HasSuffix(w, "ly")) {
			return false
		}
	}
	if k > i+6 || k >= len(toks) || k+1 >= len(toks) {
		return false
	}
	last := strings.ToLower(toks[k-1].Text)
	if notPhraseEnds[last] && !(k == i+2 && (last == "this" || last == "that")) || determinerWords[last] && k > i+2 {
		return false
	}
	if b.Text[toks[k-1].End:toks[k].Start] != " " || laterComma(toks, k) {
		return false
	}
	return m.introCommaInsert(b, toks[k-1].End)
}

// followsIntro reports whether toks[j] may follow an opening phrase's
// comma: a nominative pronoun or a determiner, then a word.
func followsIntro(toks []lexicon.Token, j int) bool {
	if j+1 >= len(toks) || toks[j].Kind != lexicon.Word || toks[j+1].Kind == lexicon.Punct {
		return false
	}
	w := toks[j].Text
	return nominative[w] || introFollowers[w] && w != "that"
}

// laterComma reports whether a comma, semicolon or colon follows toks[k]
// in its sentence.
func laterComma(toks []lexicon.Token, k int) bool {
	for j := k; j < len(toks); j++ {
		switch toks[j].Text {
		case ",", ";", ":", "—", "–":
			return true
		case ".", "!", "?":
			return false
		}
	}
	return false
}

// introCommaInsert makes a slot of the place after an opening phrase at
// text offset at, where a comma may be added.
func (m *marker) introCommaInsert(b *block, at int) bool {
	s, ok := m.source(b, at, at)
	if !ok {
		return false
	}
	m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:intro-comma", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{"", ","}}}})
	m.take(s)
	m.taken[s.Start] = true
	return true
}

// nounClauseComma reports whether a comma may be added before the "and"
// or "but" at toks[i+1] joining two clauses, the second with a noun
// subject ("The team will search the house and the dog unit will wait"):
// the second part is a noun phrase followed directly by a finite verb,
// and the first, from the start of its sentence, has a finite verb of its
// own, no other conjunction, no subordinating or reporting word ("He said
// the plan was sound and the team would proceed" keeps both in what he
// said) and no comma.
func nounClauseComma(toks []lexicon.Token, i int) bool {
	if !nounClauseAt(toks, i+2) {
		return false
	}
	start := sentenceStartBefore(toks, i)
	if start < 0 || i-start < 4 || !isCapWord(toks[start].Text) {
		return false
	}
	verb := false
	for k := start; k <= i; k++ {
		w := strings.ToLower(toks[k].Text)
		if toks[k].Kind == lexicon.Punct || subordinators[w] || w == "and" || w == "or" || w == "but" || thatVerbs[w] || complementBefore[w] {
			return false
		}
		verb = verb || finiteVerbs[w]
	}
	return verb && sentenceEndsWithStop(toks, i)
}

// sentenceEndsWithStop reports whether the sentence holding toks[i] ends
// with a full stop (or the paragraph's end), not a question mark or colon.
func sentenceEndsWithStop(toks []lexicon.Token, i int) bool {
	for j := i; j < len(toks); j++ {
		switch toks[j].Text {
		case ".":
			return true
		case "?", "!", ":", ";":
			return false
		}
	}
	return true
}

var (
	weekdayDate = regexp.MustCompile(`\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(,?) (\d{1,2}) (` + monthAlt + `)\b`)
	// A 24-hour time, "17:30" or "09:00", not part of a longer number or
	// a 12-hour time with a.m. or p.m.
	clock24 = regexp.MustCompile(`\b([01]\d|2[0-3]):([0-5]\d)\b`)
	// A time already written with a full stop ("17.30"): the colon is
	// then not the document's only style.
	clockDotted = regexp.MustCompile(`\b(?:[01]\d|2[0-3])\.[0-5]\d\b`)
	anyClock    = regexp.MustCompile(`\b\d{1,2}:\d\d`)
	// Nouns of time, which a noun phrase after a participle may be
	// ("the items found the next morning were…"), not a subject.
	timeNouns = set("day days week weeks month months year years morning mornings evening evenings night nights afternoon afternoons weekend weekends time times hour hours minute minutes moment period date")
)

// findWeekdayCommas: "Saturday 28 September 2024" ↔ "Saturday, 28
// September 2024", a British style either way. American usage always
// writes the comma ("Thursday, August 22"), so the family is British only.
func findWeekdayCommas(b *block) []found {
	var out []found
	for _, m := range weekdayDate.FindAllStringSubmatchIndex(b.Text, -1) {
		out = append(out, found{m[4], m[5], []string{"", ","}, 0})
	}
	return out
}

// findClockStops: "17:30" ↔ "17.30" for 24-hour times, British only (an
// American reader takes "17.30" for a number).
func findClockStops(b *block) []found {
	var out []found
	for _, m := range clock24.FindAllStringSubmatchIndex(b.Text, -1) {
		if m[0] > 0 && strings.ContainsAny(b.Text[m[0]-1:m[0]], ":.,/$£€") || m[1] < len(b.Text) && (b.Text[m[1]] == ':' || b.Text[m[1]] == '.' && m[1]+1 < len(b.Text) && unicode.IsDigit(rune(b.Text[m[1]+1]))) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(b.Text[m[1]:]); r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue
		}
		if meridiemAfter(b.Text[m[1]:]) {
			continue
		}
		// The whole time is the occurrence: the reader reads words, and
		// "17.30" is one.
		t := b.Text[m[0]:m[1]]
		out = append(out, found{m[0], m[1], []string{t, strings.Replace(t, ":", ".", 1)}, 0})
	}
	return out
}

// meridiemAfter reports whether a time is followed by a.m./p.m./AM/PM.
func meridiemAfter(rest string) bool {
	rest = strings.TrimPrefix(rest, " ")
	for _, s := range []string{"a.m.", "p.m.", "AM", "PM", "am", "pm"} {
		if strings.HasPrefix(rest, s) {
			return true
		}
	}
	return false
}

// fixedClock reports a time the clock family cannot restyle: one written
// "17.30" already, or a 12-hour time with a colon ("9:30 a.m."), which
// would keep its colon beside "17.30".
func fixedClock(b *block) bool {
	for _, m := range clockDotted.FindAllStringIndex(b.Text, -1) {
		// "17.30" after a word of time or before a dash or "hrs" is a
		// time; "10.25%" or "£12.50" is not.
		switch strings.ToLower(wordBefore(b.Text, m[0])) {
		case "at", "from", "until", "till", "by", "to", "between", "and", "before", "after", "since", "around", "about":
			return true
		}
		if rest := b.Text[m[1]:]; strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, " hrs") || strings.HasPrefix(rest, "hrs") {
			return true
		}
	}
	for _, m := range anyClock.FindAllStringIndex(b.Text, -1) {
		if meridiemAfter(b.Text[m[1]:]) {
			return true
		}
	}
	return false
}
