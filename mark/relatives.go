package mark

// Relative pronouns and deadlines: "the report which was delayed" ↔ "the
// report that was delayed"; "by 08:00" ↔ "no later than 08:00"; "before
// 14:00" ↔ "prior to 14:00".

import (
	"regexp"
	"strings"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

var (
	// Words after which "which" or "that" is not a relative pronoun, or
	// does not open a restrictive clause: prepositions ("on which"),
	// conjunctions, verbs and adjectives that take a question or a
	// complement clause ("decide which", "said that", "so that", "now
	// that"), and words after which "which" reads badly ("all that is
	// needed", "the only one that is").
	notRelativeBefore = set(`of in on at by for to from with into onto upon about over under through during within without between among after before since until than as like and or but nor so now such given provided that which this these those it is are was were be been being
	all everything anything nothing something much little only first last same best least most next any every each some none both either neither
	ask asks asked asking know knows knew known decide decides decided deciding determine determines determined choose chooses chose chosen show shows showed shown see sees saw seen tell tells told explain explains explained consider considers considered identify identifies identified indicate indicates indicated confirm confirms confirmed specify specifies specified understand understands understood wonder wondered clear unclear sure certain regardless irrespective`)
	// Verbs, adjectives and nouns that take a complement clause in "that"
	// ("said that was fine", "the fact that is"): a "that" after them is
	// left alone.
	complementBefore = set(`say says said state states stated believe believes believed think thinks thought expect expects expected ensure ensures ensured note notes noted agree agrees agreed find finds found report reports reported mean means meant suggest suggests suggested accept accepts accepted recognise recognises recognised recognize recognizes recognized hope hopes hoped claim claims claimed argue argues argued recommend recommends recommended propose proposes proposed request requests requested assume assumes assumed realise realised realize realized feel feels felt learn learns learned learnt warn warns warned remind reminds reminded inform informs informed assure assures assured satisfied aware concerned confident likely possible important essential necessary true fact`)
	// What may follow a relative pronoun that is the subject of its
	// clause: an auxiliary or a modal.
	relativeSubjectVerbs = set("is was are were has have had will would can could may might must should shall does do did")
)

// relatives makes a slot of "which" opening a restrictive relative clause
// (no comma before it), which may always read "that", and, in British
// documents, of a subject "that" opening one, which may read "which".
// American usage keeps "that" for restrictive clauses, so an American
// document never gains a "which".
func (m *marker) relatives() {
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind == parse.Heading {
			continue
		}
		for i := 1; i+1 < len(b.toks); i++ {
			t := b.toks[i]
			var alt string
			switch t.Text {
			case "which":
				if restrictiveWhich(b.toks, i) {
					alt = "that"
				}
			case "that":
				if m.spelling == lexicon.British && subjectThat(b.toks, i) {
					alt = "which"
				}
			}
			if alt == "" {
				continue
			}
			if s, ok := m.source(b, t.Start, t.End); ok {
				m.slots = append(m.slots, Slot{Kind: Lexical, Name: "lexical:relative", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{t.Text, alt}}}})
				m.take(s)
			}
		}
	}
}

// relativeAfter reports whether toks[i] follows a word that may be the
// noun a restrictive relative clause qualifies: a lower-case word, joined,
// not a function word, verb or adjective listed in notRelativeBefore, and
// not an adverb or past participle.
func relativeAfter(toks []lexicon.Token, i int) bool {
	prev := toks[i-1]
	w := strings.ToLower(prev.Text)
	return prev.Kind == lexicon.Word && toks[i].Joined && isLowerWord(prev.Text) && !notRelativeBefore[w] &&
		!strings.HasSuffix(w, "ly") && !strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "est") && !strings.HasSuffix(w, "n't")
}

// restrictiveWhich reports whether "which" at toks[i] opens a restrictive
// relative clause: after a noun with no comma, before an auxiliary, a
// pronoun or a determiner ("the policy which is", "the stories which we
// published", "the data which the team holds"). "decide which option"
// (a determiner) and "on which" are not.
func restrictiveWhich(toks []lexicon.Token, i int) bool {
	if !relativeAfter(toks, i) || !toks[i+1].Joined || toks[i+1].Kind != lexicon.Word {
		return false
	}
	next := strings.ToLower(toks[i+1].Text)
	return relativeSubjectVerbs[next] || clausePronouns[next] || next == "the" || next == "a" || next == "an" || next == "our" || next == "their" || next == "its" || next == "this"
}

// subjectThat reports whether "that" at toks[i] is the subject of a
// restrictive relative clause: after a noun, before an auxiliary ("the
// contribution that is subject to appeal"). A "that" before a subject
// ("the plan that we adopted") is left alone: after a noun it may also
// open a complement ("the risk that we are seen").
func subjectThat(toks []lexicon.Token, i int) bool {
	if !relativeAfter(toks, i) || complementBefore[strings.ToLower(toks[i-1].Text)] || !toks[i+1].Joined || toks[i+1].Kind != lexicon.Word {
		return false
	}
	return relativeSubjectVerbs[toks[i+1].Text]
}

// isGerund reports whether a token is a lower-case -ing form that
// "before" may take as "prior to" does ("before going off duty").
func isGerund(t lexicon.Token) bool {
	w := t.Text
	return t.Kind == lexicon.Word && isLowerWord(w) && len(w) >= 5 && strings.HasSuffix(w, "ing") && !notGerunds[w]
}

var notGerunds = set("morning mornings evening evenings spring nothing something anything everything thing things during string building buildings meeting meetings briefing briefings hearing hearings ceiling ceilings funding ruling rulings setting settings offering offerings opening openings")

// deadlineTime matches the start of a clock time, a weekday, a date or
// noon/midnight: what "by" and "before" take as a deadline.
var deadlineTime = regexp.MustCompile(`^(?:(?:[01]?\d|2[0-3]):[0-5]\d\b|(?:1[0-2]|[1-9]) ?(?:a\.m\.|p\.m\.|AM|PM|am|pm)|(?:noon|midnight|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\d{1,2} (?:` + monthAlt + `)|(?:` + monthAlt + `) \d{1,2}\b)`)

// deadlines makes a slot of "by" before a deadline ("by 08:00", "by Friday",
// "by 19 April"), which may read "no later than" or "not later than", and
// of "before" before one, which may read "prior to". "by" with any other
// object ("by two officers", "delayed by two weeks") is left alone.
func (m *marker) deadlines() {
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind == parse.Heading || !strings.ContainsAny(b.Text, "0123456789ynt") {
			continue
		}
		for i := 0; i+1 < len(b.toks); i++ {
			t := b.toks[i]
			var alts []string
			switch t.Text {
			case "by", "By":
				alts = []string{t.Text, matchCase("no later than", t.Text), matchCase("not later than", t.Text)}
			case "before", "Before":
				alts = []string{t.Text, matchCase("prior to", t.Text)}
			case "after", "After":
				if eventAfter(b.toks, i) {
					m.eventSlot(b, i, "following")
				}
				continue
			default:
				continue
			}
			next := b.toks[i+1]
			if !next.Joined || b.Text[t.End] != ' ' {
				continue
			}
			gerund := len(alts) == 2 && isGerund(next)
			if !gerund && !deadlineTime.MatchString(b.Text[next.Start:]) {
				if len(alts) == 2 && eventAfter(b.toks, i) {
					m.eventSlot(b, i, "prior to")
				}
				continue
			}
			if i > 0 && (b.toks[i-1].Text == "and" || b.toks[i-1].Text == "or" || strings.EqualFold(b.toks[i-1].Text, "just")) {
				continue // "on or before 1 May", "just before noon"
			}
			if s, ok := m.source(b, t.Start, t.End); ok {
				m.slots = append(m.slots, Slot{Kind: Lexical, Name: "lexical:deadline", Q: len(alts), Occurrences: []Occurrence{{Span: s, Alts: alts}}})
				m.take(s)
			}
		}
	}
}

var (
	// Words before "before"/"after" that make it something else: a
	// place ("appear before the court"), a phrasal verb ("look after
	// the children"), or a degree ("shortly after the match" would read
	// "shortly following").
	notEventBefore = set("appear appears appeared appearing brought bring brings come comes came go goes went stand stands stood placed put laid lay look looks looked looking named take takes took taken ask asks asked asking inquire inquires inquired run runs ran chase chased seek sought shortly just long soon right well immediately directly straight only even never ever day days week weeks year years hour hours minute minutes month months and or")
	// Nouns before which "before" is a place or an audience ("before the
	// court", "before the committee").
	notEventNouns = set("court courts judge judges magistrates magistrate tribunal committee committees panel board jury parliament house senate council public cameras bench inquiry")
	// Irregular past forms: "before the team left" is a clause.
	irregularPasts = set("left went came saw began ran met got took made said found held kept sent told gave fell rose broke stood brought bought built caught chose drew drove flew forgot grew heard hid hit knew led lost meant paid put read rode rang sold sat shot shut slept spoke spent stole struck swore taught thought threw understood woke won wore wrote arrived ended started")
)

// eventAfter reports whether "before" or "after" at toks[i] takes a
// short noun phrase naming an event ("after the final whistle.", "before
// the match,"), which "following" or "prior to" may take as well: a
// determiner, one or two lower-case words that cannot be a verb, then
// punctuation or the end. "before the team leaves", "after the team left"
// are clauses and are left alone.
func eventAfter(toks []lexicon.Token, i int) bool {
	if i+3 >= len(toks) || i > 0 && notEventBefore[strings.ToLower(toks[i-1].Text)] {
		return false
	}
	det := toks[i+1]
	if !det.Joined || !eventDeterminers[det.Text] {
		return false
	}
	k := i + 2
	for ; k < len(toks) && k <= i+3; k++ {
		t := toks[k]
		w := t.Text
		if !t.Joined || t.Kind != lexicon.Word || !isLowerWord(w) {
			break
		}
		if eventBoundary[w] && k > i+2 {
			break
		}
		if verbLike[w] || finiteVerbs[w] || notModifier[w] || strings.HasSuffix(w, "ly") || strings.HasSuffix(w, "n't") || irregularPasts[w] || notEventNouns[w] ||
			k > i+2 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ed")) {
			return false
		}
	}
	if k == i+2 {
		return false
	}
	if k >= len(toks) {
		return true
	}
	// Only punctuation may close the phrase: "before any search or
	// inspection begins" (the held-out review) and "before the team at
	// the gate leaves" are clauses that a conjunction or a preposition
	// hides.
	end := toks[k]
	return end.Kind == lexicon.Punct && strings.Contains(".,;:)", end.Text)
}

var (
	eventDeterminers = set("the a an this these those each every its their our his her any")
	eventBoundary    = set("and or in on at with for to by of from until during")
)

// eventSlot makes a slot of "before"/"after" at toks[i] before an event,
// which may read alt ("prior to", "following").
func (m *marker) eventSlot(b *block, i int, alt string) {
	t := b.toks[i]
	if s, ok := m.source(b, t.Start, t.End); ok {
		m.slots = append(m.slots, Slot{Kind: Lexical, Name: "lexical:before-after", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{t.Text, matchCase(alt, t.Text)}}}})
		m.take(s)
	}
}
