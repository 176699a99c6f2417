package mark

// Optional commas: serial commas, commas between clauses, commas after an
// introductory phrase.

import (
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
		if t.Kind == lexicon.Word && capitalList(toks, i) {
			out = append(out, found{t.End, t.End, []string{",", ""}, 0})
		}
	}
	return out
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
	// Items before the comma: walk back over "item ," groups. The first
	// item starts at the sentence start, after punctuation, or after a word
	// that opens the phrase the list sits in ("wanted for A, B, and C").
	items := 0
	k := i - 1
	var starts []int // first token of each item, last item first
	opener := ""
	for {
		n := 0
		opened := false
		for k >= 0 && toks[k].Kind == lexicon.Word && n < 5 {
			w := strings.ToLower(toks[k].Text)
			if n > 0 && listOpeners[w] {
				opened = true
				opener = w
				break
			}
			if notItemStart[w] || clauseWords[w] || verbLike[w] || strings.HasSuffix(w, "n't") || monthIndex(toks[k].Text) >= 0 {
				return false
			}
			k--
			n++
		}
		if n == 0 || n > 4 {
			return false
		}
		items++
		starts = append(starts, k+1)
		if opened && n > 3 {
			return false
		}
		if opened || k < 0 || toks[k].Text != "," {
			break
		}
		k-- // skip the comma
	}
	if items < 2 {
		return false
	}
	// The last item must not hold a conjunction of its own ("writable,
	// readable, and both readable and writable"); one that joins a
	// predicate ("…and legal sections and is approved") is fine.
	for j := i + 3; j+1 < len(toks) && j <= i+8 && toks[j].Kind != lexicon.Punct; j++ {
		if w := strings.ToLower(toks[j].Text); (w == "and" || w == "or") && !verbLike[strings.ToLower(toks[j+1].Text)] {
			return false
		}
	}
	// A list anchored on a preposition or "that" has short, parallel
	// items: "…in the RE, though, and the > can't match" is two clauses.
	if opener != "" {
		// Parallel items: a determiner after the conjunction needs one in
		// the items too, else "…of mathematics, science, engineering, and
		// the addition of @ allows…" is a second clause.
		if determinerWords[strings.ToLower(toks[i+2].Text)] {
			det := false
			for _, st := range starts {
				det = det || determinerWords[strings.ToLower(toks[st].Text)]
			}
			if !det {
				return false
			}
		}
		// After a preposition the items are objects, so a verb right
		// after the conjunction starts a clause. After "that" they are
		// subjects ("confirmed that medical, aviation, and communications
		// support are in place"), and a verb is expected.
		for j := i + 2; opener != "that" && j < len(toks) && j <= i+5 && toks[j].Kind != lexicon.Punct; j++ {
			w := strings.ToLower(toks[j].Text)
			if w == "and" || w == "or" {
				break // "…and legal sections and is approved": a second predicate
			}
			if verbLike[w] || strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t") {
				return false
			}
		}
	}
	// "Smith, the auditor, and the board": with two items before the
	// conjunction, a second item that starts with a determiner after a
	// first that does not could be read as an appositive once the comma
	// goes.
	if items == 2 {
		first, second := strings.ToLower(toks[starts[1]].Text), strings.ToLower(toks[starts[0]].Text)
		if determinerWords[second] && !determinerWords[first] {
			return false
		}
	}
	// One serial conjunction per sentence: nested lists are ambiguous. A
	// later ", and" that joins a predicate or an infinitive (", and will
	// issue", ", and to refer") cannot be read as another list item.
	for j := i + 2; j+2 < len(toks) && !strings.Contains(".!?;:", toks[j].Text); j++ {
		if toks[j].Text == "," && (strings.EqualFold(toks[j+1].Text, "and") || strings.EqualFold(toks[j+1].Text, "or")) {
			if w := strings.ToLower(toks[j+2].Text); w != "to" && !verbLike[w] {
				return false
			}
		}
	}
	return true
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
		toks := b.toks
		for i, t := range toks {
			if !t.SentenceStart {
				continue
			}
			if m.introAdverb(b, toks, i) || !introPrepositions[t.Text] && !introClauses[t.Text] {
				continue
			}
			// A short phrase, then a comma. Up to three more words if a
			// lower-case word follows the comma; up to eleven (a clause)
			// if a nominative pronoun does, which cannot be misread as
			// the phrase's object.
			k := i + 1
			ok := true
			for ; k < len(toks) && k <= i+12; k++ {
				if toks[k].Text == "," {
					break
				}
				if toks[k].Kind == lexicon.Punct || !toks[k].Joined || introIdioms[strings.ToLower(toks[k].Text)] {
					ok = false
					break
				}
			}
			if !ok || k >= len(toks)-1 || toks[k].Text != "," || k == i+1 {
				continue
			}
			after := toks[k+1]
			pronoun := nominative[after.Text]
			switch {
			case pronoun && (introPrepositions[t.Text] || introClauses[t.Text]):
			case introPrepositions[t.Text] && k <= i+4 && !verbal(toks[i+1:k]) && after.Kind == lexicon.Word && introFollowers[after.Text]:
			default:
				continue
			}
			s, ok := m.source(b, toks[k].Start, toks[k].End)
			if !ok {
				continue
			}
			m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:intro-comma", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{",", ""}}}})
			m.take(s)
		}
	}
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
	s, ok := m.source(b, toks[i+1].Start, toks[i+1].End)
	if !ok {
		return false
	}
	m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:intro-comma", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{",", ""}}}})
	m.take(s)
	return true
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

// findClauseCommas: the comma before "and" joining two clauses whose second
// starts with a pronoun ("…at 4:00 a.m., and they will …"). Without the
// comma the sentence reads the same; with a noun subject it could be misread
// as a list, so only pronouns qualify.
func findClauseCommas(b *block) []found {
	var out []found
	toks := b.toks
	for i := 4; i+2 < len(toks); i++ {
		t := toks[i]
		if t.Text != "," || strings.ToLower(toks[i+1].Text) != "and" || !clausePronouns[strings.ToLower(toks[i+2].Text)] {
			continue
		}
		if commaBefore(toks, i, 64) || i > 0 && toks[i-1].Kind == lexicon.Punct {
			continue // part of a list, or after other punctuation
		}
		out = append(out, found{t.Start, t.End, []string{",", ""}, 0})
	}
	return out
}
