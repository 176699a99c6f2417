package mark

// Number styles: thousands separators, millions in words, small counts in
// words or digits.

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

var groupedNumber = regexp.MustCompile(`\d,\d{3}`)

// findThousands: 2,400 ↔ 2400, for numbers from 1,000 to 9,999 only:
// larger numbers are grouped in every style, and four-digit numbers written
// without a separator are often years.
func findThousands(b *block) []found {
	var out []found
	for _, loc := range groupedNumber.FindAllStringIndex(b.Text, -1) {
		i, j := loc[0], loc[1]
		if !(i > 0 && b.Text[i-1] == '$') && !leftBoundary(b.Text, i) || !rightBoundary(b.Text, j) {
			continue // $2,000 is fine; only the digits change
		}
		n := b.Text[i:j]
		out = append(out, found{i, j, []string{n, strings.ReplaceAll(n, ",", "")}, 0})
	}
	return out
}

var (
	smallWords = []string{"", "", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	// Words after a small number that show it is not a count of things.
	notCounted = set("was has is does goes says gets makes percent per plus times less minus pm am hours' days' its thirds quarters halves fourths fifths sixths sevenths eighths ninths tenths twelfths")
	// Words before a number that make it a label: "phase 3 teams".
	labelWords = set("no no. number phase step section chapter page item level tier grade room floor gate route zone sector unit team group squad stage option appendix annex figure table part version lane pier dock bay building exhibit tab line district ward precinct car truck vehicle channel until till from before after paragraph clause article rule subsection schedule title volume issue box form question problem example case test entry note footnote release week day year round season episode book act scene verse category type model series size priority position rank seat lot apartment suite slot port bit index argument parameter field column row window class layer protocol revision draft quarter term session period shift wave batch cohort region site camp mile exit highway interstate amendment count tranche fund account chart map photo plate python ipv http")
	// Capitalised sentence openers before a count ("The three largest
	// customers"); any other capitalised word may be a name ("Windows 10").
	countOpeners = set("the these those all its their our his her my your about over nearly approximately roughly only just another at for in of after within with some")
	// Words that may stand between a count and its plural noun ("three
	// tactical teams", "two collective bargaining agreements") must be
	// modifiers: none of these.
	notModifier = set("of and or to in on at for by with from that which who whom whose is are was were be been has have had will would can could may might must shall should do does did not the a an per times percent hundred thousand million billion trillion dozen than as so too very each every other's also only just such its their our his her my your this these those there here then more less fewer most least")
)

// findSmallNumbers: "three teams" ↔ "3 teams", for counts from two to
// twelve followed by a plural noun (after at most two modifiers: "three
// tactical teams"), not at the start of a sentence and not as a label
// ("phase 3"). Each found carries its sentence: the counts of a sentence
// form one slot.
func findSmallNumbers(b *block) []found {
	var out []found
	sentence := sentenceNumbers(b.toks)
	counted := make([]bool, len(b.toks))
	for i := 1; i+1 < len(b.toks); i++ {
		if n := smallCountAt(b, i); n != 0 {
			t := b.toks[i]
			out = append(out, found{t.Start, t.End, []string{smallWords[n], strconv.Itoa(n)}, sentence[i]})
			counted[i] = true
		}
	}
	keepSentenceStyles(b, out, counted, sentence)
	return out
}

// sentenceNumbers returns the sentence of each token: sentence[i] counts
// the sentence starts up to toks[i].
func sentenceNumbers(toks []lexicon.Token) []int {
	sentence := make([]int, len(toks))
	for i, t := range toks {
		if i > 0 {
			sentence[i] = sentence[i-1]
		}
		if t.SentenceStart {
			sentence[i]++
		}
	}
	return sentence
}

// smallCountAt returns the value of toks[i] if it is a count from two to
// twelve whose style may change, or 0. A count stands apart ("bz2", "i5",
// "3rd" are not counts), counts a plural noun, does not start a sentence,
// and is not a label ("phase 3") or half of a pair of counts ("one or
// two").
func smallCountAt(b *block, i int) int {
	toks := b.toks
	t := toks[i]
	n := smallCount(t)
	if n == 0 || t.SentenceStart || !t.Joined || !standsApart(b.Text, t) {
		return 0
	}
	if countedNoun(toks, i) < 0 || labelBefore(toks[i-1]) || pairedCount(toks, i) {
		return 0
	}
	return n
}

// smallCount returns the value of a count from two to twelve written in
// digits ("3", not "03") or in words ("three"), or 0.
func smallCount(t lexicon.Token) int {
	switch t.Kind {
	case lexicon.Number:
		if v, err := strconv.Atoi(t.Text); err == nil && v >= 2 && v <= 12 && t.Text[0] != '0' {
			return v
		}
	case lexicon.Word:
		if n := slices.Index(smallWords, t.Text); n >= 2 {
			return n
		}
	}
	return 0
}

// standsApart reports whether a token is a word of its own: after a space
// or an opening parenthesis, before a space or a line break.
func standsApart(text string, t lexicon.Token) bool {
	return t.Start > 0 && t.End < len(text) &&
		(text[t.Start-1] == ' ' || text[t.Start-1] == '(') &&
		(text[t.End] == ' ' || text[t.End] == '\n')
}

// countedNoun returns the index of the plural noun that the count at
// toks[i] counts, after at most two modifiers ("three tactical teams"), or
// -1.
func countedNoun(toks []lexicon.Token, i int) int {
	j := i + 1
	for j < i+3 && modifier(toks, j) {
		j++
	}
	if w := toks[j]; !lowerWord(w) || !plural(strings.ToLower(w.Text)) {
		return -1
	}
	return j
}

// modifier reports whether toks[j] may stand between a count and its
// noun: a lower-case word followed by another, not itself plural, and not
// a function word, a past participle or an adverb.
func modifier(toks []lexicon.Token, j int) bool {
	if !lowerWord(toks[j]) || j+1 >= len(toks) || !lowerWord(toks[j+1]) {
		return false
	}
	w := strings.ToLower(toks[j].Text)
	return (!strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ss")) && !notModifier[w] && !strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "ly")
}

// lowerWord reports whether a token is a lower-case word with no markup
// between it and the token before.
func lowerWord(t lexicon.Token) bool {
	return t.Joined && t.Kind == lexicon.Word && isLowerWord(t.Text)
}

// plural reports whether a lower-case word looks like a plural noun that
// may be counted.
func plural(w string) bool {
	return len(w) >= 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !notCounted[w]
}

// labelBefore reports whether the token before a number makes it a label
// or part of something else: another number, a capitalised word that may
// be a name ("Windows 10"), a label word ("phase 3"), or a symbol ("#3",
// "$3", "3-4").
func labelBefore(prev lexicon.Token) bool {
	switch prev.Kind {
	case lexicon.Number:
		return true
	case lexicon.Word:
		capitalised := isCapWord(prev.Text) && !(prev.SentenceStart && countOpeners[strings.ToLower(prev.Text)])
		return capitalised || labelWords[strings.ToLower(prev.Text)]
	case lexicon.Punct:
		return strings.ContainsAny(prev.Text, "#$-–/")
	}
	return false
}

// pairedCount reports whether the count at toks[i] is the second of a pair
// ("one or two", "3 to 5"): both must change, or neither.
func pairedCount(toks []lexicon.Token, i int) bool {
	if i < 2 {
		return false
	}
	switch toks[i-1].Text {
	case "or", "and", "to":
		first := toks[i-2]
		return first.Kind == lexicon.Number || slices.Contains(smallWords, first.Text) || first.Text == "one"
	}
	return false
}

// keepSentenceStyles lets other counts in a sentence fix its style: "five
// to six members each, supported by three tactical teams, two K-9 units,
// and one aviation unit" cannot show "3 tactical teams". A style is
// dropped for a sentence (its alternatives set to the text as written)
// when a count that is not a slot is written in the other style.
func keepSentenceStyles(b *block, out []found, counted []bool, sentence []int) {
	words, digits := map[int]bool{}, map[int]bool{}
	for i, t := range b.toks {
		if counted[i] || t.SentenceStart {
			continue
		}
		switch w, d := isCount(b, b.toks, i); {
		case w:
			words[sentence[i]] = true
		case d:
			digits[sentence[i]] = true
		}
	}
	for k := range out {
		text := b.Text[out[k].start:out[k].end]
		if digits[out[k].group] {
			out[k].alts[0] = text
		}
		if words[out[k].group] {
			out[k].alts[1] = text
		}
	}
}

// isCount reports whether toks[i] is a small count written in words (one
// to twelve) or in digits (1 to 12), rather than a label, a time, a date,
// a percentage or part of a word.
func isCount(b *block, toks []lexicon.Token, i int) (word, digit bool) {
	t := toks[i]
	lw := strings.ToLower(t.Text)
	if t.Kind == lexicon.Word {
		return lw == "one" || slices.Contains(smallWords[2:], lw), false
	}
	if t.Kind != lexicon.Number {
		return false, false
	}
	v, err := strconv.Atoi(t.Text)
	if err != nil || v < 1 || v > 12 || !boundary(b.Text, t.Start, t.End) {
		return false, false
	}
	if i > 0 {
		p := toks[i-1]
		if p.Kind == lexicon.Word && (isCapWord(p.Text) || labelWords[strings.ToLower(p.Text)] || monthIndex(p.Text) >= 0) || strings.ContainsAny(p.Text, "$#") {
			return false, false
		}
	}
	rest := b.Text[t.End:]
	for _, suffix := range []string{"%", ":", ".", " percent", " per cent", " a.m.", " p.m.", " AM", " PM", " am", " pm", " o'clock"} {
		if strings.HasPrefix(rest, suffix) {
			return false, false
		}
	}
	return false, true
}

var bigNumber = regexp.MustCompile(`\d{1,3}(?:,\d{3}){2,3}`)

// findMillions: "$62,000,000" ↔ "$62 million", "57,940,000" ↔ "57.94
// million", for numbers of a million or more that the word form states
// exactly (at most two decimals). Each is its own slot: memos mix the two
// forms ("$85 million … $14,500,000"). The word form is never turned into
// digits, which would claim a precision the author did not state.
func findMillions(b *block) []found {
	if b.Kind != parse.Paragraph && b.Kind != parse.ListText {
		return nil
	}
	var out []found
	for _, loc := range bigNumber.FindAllStringIndex(b.Text, -1) {
		i, j := loc[0], loc[1]
		if !(i > 0 && b.Text[i-1] == '$') && !leftBoundary(b.Text, i) || !rightBoundary(b.Text, j) {
			continue
		}
		if j < len(b.Text) && (b.Text[j] == '.' && j+1 < len(b.Text) && b.Text[j+1] >= '0' && b.Text[j+1] <= '9') {
			continue
		}
		switch wordAfter(b.Text, j) {
		case "million", "billion", "thousand", "trillion", "percent":
			continue
		}
		v, err := strconv.ParseInt(strings.ReplaceAll(b.Text[i:j], ",", ""), 10, 64)
		if err != nil {
			continue
		}
		unit, name := int64(1_000_000), "million"
		if v >= 1_000_000_000 {
			unit, name = 1_000_000_000, "billion"
		}
		if v%(unit/100) != 0 {
			continue
		}
		whole, frac := v/unit, v%unit/(unit/100)
		word := strconv.FormatInt(whole, 10)
		switch {
		case frac%10 == 0 && frac != 0:
			word += "." + strconv.FormatInt(frac/10, 10)
		case frac != 0:
			word += "." + strconv.FormatInt(frac/10, 10) + strconv.FormatInt(frac%10, 10)
		}
		out = append(out, found{i, j, []string{b.Text[i:j], word + " " + name}, 0})
	}
	return out
}
