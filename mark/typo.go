package mark

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

// A family is a document-wide typographic style: a reader would find it odd
// if one copy mixed styles, so the whole document switches style at once and
// the family is a single slot. Symbol 0 shows the text as the author wrote
// it; symbol s ≥ 1 applies styles[s−1] everywhere.
type family struct {
	name   string
	styles []string // names of the styles, for reports
	// perOccurrence families vary each occurrence on its own: styles
	// writers mix freely (optional commas, number words) so a reader does
	// not notice a mix.
	perOccurrence bool
	// find returns the family's occurrences in one block, as text ranges
	// with one replacement per style.
	find func(b *block) []found
	// needs lists characters one of which a block must contain for find
	// to be worth running; empty means always run.
	needs string
	// veto, if set, reports a block with an occurrence of the style that
	// cannot be varied; the family is then left alone everywhere, since
	// the fixed occurrence would clash with the others.
	veto func(b *block) bool
}

type found struct {
	start, end int      // range of the block's Text
	alts       []string // one per style
}

var families = []family{
	{name: "thousands", styles: []string{"2,000", "2000"}, find: findThousands, needs: "0123456789"},
	{name: "small-numbers", styles: []string{"words", "digits"}, find: findSmallNumbers, perOccurrence: true},
	{name: "dates", styles: []string{"March 8, 2026", "8 March 2026", "Mar. 8, 2026"}, find: findDates, needs: "0123456789"},
	{name: "times", styles: []string{"6:00 a.m.", "6 a.m."}, find: findTimes, needs: "mM"},
	{name: "serial-comma", styles: []string{"a, b, and c", "a, b and c"}, find: findSerialCommas, perOccurrence: true},
	{name: "clause-comma", styles: []string{", and they", " and they"}, find: findClauseCommas, perOccurrence: true},
	{name: "prefix-hyphen", styles: []string{"non-violent", "nonviolent"}, find: findPrefixHyphens, perOccurrence: true, needs: "-"},
	{name: "dashes", styles: []string{"a—b", "a — b", "a – b"}, find: findDashes, needs: "—–-"},
	{name: "ranges", styles: []string{"10–12", "10-12"}, find: findRanges, needs: "–-"},
	{name: "percent", styles: []string{"12%", "12 percent", "12 per cent"}, find: findPercents, needs: "%p"},
	{name: "initialisms", styles: []string{"U.S.", "US"}, find: findInitialisms, needs: "UE", veto: fixedInitialism},
}

// family adds the family's slot if the document has at least one occurrence
// whose text some style changes. Styles that change nothing, or show the
// same text as an earlier style everywhere, are dropped.
func (m *marker) family(f family) {
	if f.veto != nil {
		for bi := range m.blocks {
			if b := &m.blocks[bi]; (f.needs == "" || strings.ContainsAny(b.Text, f.needs)) && f.veto(b) {
				return
			}
		}
	}
	var occs []Occurrence
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if f.needs != "" && !strings.ContainsAny(b.Text, f.needs) {
			continue
		}
		for _, fd := range f.find(b) {
			s, ok := m.source(b, fd.start, fd.end)
			if !ok {
				continue
			}
			alts := append([]string{m.src[s.Start:s.End]}, fd.alts...)
			occs = append(occs, Occurrence{Span: s, Alts: alts})
			m.take(s)
			if s.Start == s.End {
				m.taken[s.Start] = true // no second insertion here
			}
		}
	}
	if len(occs) == 0 {
		return
	}
	if f.perOccurrence {
		for _, o := range occs {
			alts := []string{o.Alts[0]}
			for _, a := range o.Alts[1:] {
				if !slices.Contains(alts, a) {
					alts = append(alts, a)
				}
			}
			if len(alts) < 2 {
				m.untake(o.Span)
				continue
			}
			o.Alts = alts
			m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:" + f.name, Q: len(alts), Occurrences: []Occurrence{o}})
		}
		return
	}
	// Keep symbol 0 and every style that differs from all kept symbols
	// somewhere.
	keep := []int{0}
	for st := 1; st <= len(f.styles); st++ {
		distinct := true
		for _, k := range keep {
			same := true
			for _, o := range occs {
				if o.Alts[st] != o.Alts[k] {
					same = false
					break
				}
			}
			if same {
				distinct = false
				break
			}
		}
		if distinct {
			keep = append(keep, st)
		}
	}
	if len(keep) < 2 {
		for _, o := range occs {
			m.untake(o.Span)
		}
		return
	}
	for i := range occs {
		alts := make([]string, len(keep))
		for j, k := range keep {
			alts[j] = occs[i].Alts[k]
		}
		occs[i].Alts = alts
	}
	m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:" + f.name, Q: len(keep), Occurrences: occs})
}

func (m *marker) untake(s Span) {
	for i := s.Start; i < s.End; i++ {
		m.taken[i] = false
	}
	if s.Start == s.End {
		m.taken[s.Start] = false
	}
}

// boundary reports whether s[i:j] stands alone: the text before i and the
// text from j on are not part of the same word or number.
func boundary(s string, i, j int) bool { return leftBoundary(s, i) && rightBoundary(s, j) }

func leftBoundary(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == ',' || r == '-' || r == '–' || r == '/' || r == '$' || r == '#')
}

func rightBoundary(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' {
		return false
	}
	if (r == ',' || r == '.' || r == ':') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
		return false
	}
	return true
}

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
		out = append(out, found{i, j, []string{n, strings.ReplaceAll(n, ",", "")}})
	}
	return out
}

// wordAfter returns the word after text[j], skipping one space.
func wordAfter(text string, j int) string {
	if j >= len(text) || text[j] != ' ' {
		return ""
	}
	k := j + 1
	for k < len(text) {
		r, size := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsLetter(r) && r != '\'' && r != '’' {
			break
		}
		k += size
	}
	return text[j+1 : k]
}

// wordBefore returns the word before text[i], skipping one space.
func wordBefore(text string, i int) string {
	if i == 0 || text[i-1] != ' ' {
		return ""
	}
	k := i - 1
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:k])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		k -= size
	}
	return text[k : i-1]
}

func isLowerWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return w != "" && unicode.IsLower(r)
}

func isCapWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return w != "" && unicode.IsUpper(r)
}

var (
	smallWords = []string{"", "", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	// Words after a small number that show it is not a count of things.
	notCounted = set("was has is does goes says gets makes percent per plus times less minus pm am hours' days' its thirds quarters halves fourths fifths sixths sevenths eighths ninths tenths twelfths")
	// Words before a number that make it a label: "phase 3 teams".
	labelWords = set("no no. number phase step section chapter page item level tier grade room floor gate route zone sector unit team group squad stage option appendix annex figure table part version lane pier dock bay building exhibit tab line district ward precinct car truck vehicle channel at by until till from to before after around about approximately")
)

func set(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}

// findSmallNumbers: "three teams" ↔ "3 teams", for counts from two to nine
// followed by a plural noun, not at the start of a sentence and not as a
// label ("phase 3").
func findSmallNumbers(b *block) []found {
	var out []found
	toks := b.toks
	for i, t := range toks {
		if t.SentenceStart || i+1 >= len(toks) || i == 0 {
			continue
		}
		n := 0
		switch {
		case t.Kind == lexicon.Number:
			if v, err := strconv.Atoi(t.Text); err == nil && v >= 2 && v <= 12 && t.Text[0] != '0' {
				n = v
			}
		case t.Kind == lexicon.Word:
			n = slices.Index(smallWords, t.Text)
		}
		if n < 2 {
			continue
		}
		next, prev := toks[i+1], toks[i-1]
		if !next.Joined || !t.Joined || next.Kind != lexicon.Word || !isLowerWord(next.Text) {
			continue
		}
		nw := strings.ToLower(next.Text)
		if len(nw) < 3 || !strings.HasSuffix(nw, "s") || strings.HasSuffix(nw, "ss") || notCounted[nw] {
			continue
		}
		if prev.Kind == lexicon.Number || (prev.Kind == lexicon.Word && (isCapWord(prev.Text) || labelWords[strings.ToLower(prev.Text)])) {
			continue
		}
		if prev.Kind == lexicon.Punct && strings.ContainsAny(prev.Text, "#$-–/") {
			continue
		}
		if i >= 2 && (prev.Text == "or" || prev.Text == "and" || prev.Text == "to") && (toks[i-2].Kind == lexicon.Number || slices.Contains(smallWords, toks[i-2].Text) || toks[i-2].Text == "one") {
			continue // "one or two": change both or neither
		}
		out = append(out, found{t.Start, t.End, []string{smallWords[n], strconv.Itoa(n)}})
	}
	return out
}

var (
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	// AP style abbreviates these months before a day: Jan., Feb., Aug.,
	// Sept., Oct., Nov., Dec.
	monthAP   = []string{"Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."}
	monthAlt  = `January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.`
	usDate    = regexp.MustCompile(`\b(` + monthAlt + `) (\d{1,2})(?:, (\d{4}))?`)
	worldDate = regexp.MustCompile(`\b(\d{1,2}) (` + monthAlt + `)(?: (\d{4}))?`)
)

func monthIndex(name string) int {
	for i := range monthNames {
		if name == monthNames[i] || name == monthAP[i] {
			return i
		}
	}
	return -1
}

// findDates: "March 8, 2026" ↔ "8 March 2026" ↔ "Mar. 8, 2026" (AP).
func findDates(b *block) []found {
	var out []found
	add := func(i, j int, month, day, year string) {
		mi := monthIndex(month)
		d, err := strconv.Atoi(day)
		if mi < 0 || err != nil || d < 1 || d > 31 || !rightBoundary(b.Text, j) {
			return
		}
		yr := ""
		if year != "" {
			yr = year
		}
		us := monthNames[mi] + " " + day
		world := day + " " + monthNames[mi]
		ap := monthAP[mi] + " " + day
		if yr != "" {
			us += ", " + yr
			world += " " + yr
			ap += ", " + yr
		}
		out = append(out, found{i, j, []string{us, world, ap}})
	}
	for _, m := range usDate.FindAllStringSubmatchIndex(b.Text, -1) {
		year := ""
		if m[6] >= 0 {
			year = b.Text[m[6]:m[7]]
		}
		add(m[0], m[1], b.Text[m[2]:m[3]], b.Text[m[4]:m[5]], year)
	}
	for _, m := range worldDate.FindAllStringSubmatchIndex(b.Text, -1) {
		if !leftBoundary(b.Text, m[0]) {
			continue
		}
		year := ""
		if m[6] >= 0 {
			year = b.Text[m[6]:m[7]]
		}
		add(m[0], m[1], b.Text[m[4]:m[5]], b.Text[m[2]:m[3]], year)
	}
	return out
}

var clockTime = regexp.MustCompile(`\b(1[0-2]|[1-9])(:00)?( ?)(a\.m\.|p\.m\.|AM|PM|am|pm)`)

// findTimes: "6:00 a.m." ↔ "6 a.m." for whole hours; the meridiem is kept as
// written.
func findTimes(b *block) []found {
	var out []found
	for _, m := range clockTime.FindAllStringSubmatchIndex(b.Text, -1) {
		i, j := m[0], m[1]
		if !leftBoundary(b.Text, i) || (j < len(b.Text) && unicode.IsLetter(rune(b.Text[j]))) {
			continue
		}
		hour, space, mer := b.Text[m[2]:m[3]], b.Text[m[6]:m[7]], b.Text[m[8]:m[9]]
		out = append(out, found{i, j, []string{hour + ":00" + space + mer, hour + space + mer}})
	}
	return out
}

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
				out = append(out, found{t.Start, t.End, []string{",", ""}})
			}
			continue
		}
		if t.Kind == lexicon.Word && capitalList(toks, i) {
			out = append(out, found{t.End, t.End, []string{",", ""}})
		}
	}
	return out
}

// Words that start a parenthetical or a predicate rather than a list item.
var (
	notItemStart = set("including excluding especially primarily mainly notably particularly such subject as which who whose where when while and or but")
	verbLike     = set("will would is are was were has have had can could may might must shall should does do did then also be been being")
)

// plainList reports whether the comma at toks[i] (before and/or) ends a
// list "A, B, and C" of short items in one sentence with no other
// conjunction after a comma.
func plainList(toks []lexicon.Token, i int) bool {
	after := toks[i+2]
	if after.Kind != lexicon.Word || verbLike[strings.ToLower(after.Text)] {
		return false
	}
	// Items before the comma: walk back over "item ," groups.
	items := 0
	k := i - 1
	for {
		n := 0
		for k >= 0 && toks[k].Kind == lexicon.Word && n < 5 {
			if notItemStart[strings.ToLower(toks[k].Text)] || monthIndex(toks[k].Text) >= 0 {
				return false
			}
			k--
			n++
		}
		if n == 0 || n > 4 {
			return false
		}
		items++
		if k < 0 || toks[k].Text != "," {
			break
		}
		k-- // skip the comma
	}
	if items < 2 {
		return false
	}
	// One serial conjunction per sentence: nested lists are ambiguous.
	for j := i + 2; j+1 < len(toks) && !strings.Contains(".!?;:", toks[j].Text); j++ {
		if toks[j].Text == "," && (strings.EqualFold(toks[j+1].Text, "and") || strings.EqualFold(toks[j+1].Text, "or")) {
			return false
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

var dash = regexp.MustCompile(`[\p{L}\p{N}.,)”"'](\s?—\s?|\s–\s|\s--\s)[\p{L}\p{N}(“"']`)

// findDashes: "a—b" ↔ "a — b" ↔ "a – b" for dashes between words.
func findDashes(b *block) []found {
	var out []found
	for i := 0; i < len(b.Text); {
		m := dash.FindStringSubmatchIndex(b.Text[i:])
		if m == nil {
			break
		}
		s, e := i+m[2], i+m[3]
		i = e
		if isRange(b.Text, s, e) {
			continue // "March 8 – March 11" is a range, not a dash
		}
		out = append(out, found{s, e, []string{"—", " — ", " – "}})
	}
	return out
}

// isRange reports whether the dash at text[s:e] joins two numbers, times,
// dates, days or months: a range, which keeps its en dash.
func isRange(text string, s, e int) bool {
	before := strings.TrimRight(text[:s], " ")
	after := strings.TrimLeft(text[e:], " ")
	prevWord := before[strings.LastIndexAny(before, " \n(")+1:]
	nextWord := after
	if k := strings.IndexAny(after, " ,;)\n"); k >= 0 {
		nextWord = after[:k]
	}
	nextWord = strings.TrimRight(nextWord, ".")
	rangeEnd := func(w string) bool {
		r, _ := utf8.DecodeRuneInString(w)
		lw := strings.ToLower(strings.TrimRight(w, "."))
		return unicode.IsDigit(r) || monthIndex(w) >= 0 || monthIndex(w+".") >= 0 || weekdays[lw] || lw == "a.m" || lw == "p.m" || lw == "am" || lw == "pm"
	}
	return rangeEnd(prevWord) && (rangeEnd(nextWord) || nextWord == "present" || nextWord == "today" || nextWord == "now")
}

var weekdays = set("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun")

var numberRange = regexp.MustCompile(`\b(\d{1,4})([–-])(\d{1,4})\b`)

// findRanges: "10–12" ↔ "10-12".
func findRanges(b *block) []found {
	var out []found
	for _, m := range numberRange.FindAllStringSubmatchIndex(b.Text, -1) {
		if !boundary(b.Text, m[0], m[1]) {
			continue
		}
		lo, _ := strconv.Atoi(b.Text[m[2]:m[3]])
		hi, _ := strconv.Atoi(b.Text[m[6]:m[7]])
		if lo >= hi {
			continue // not a range: "3-1", "2026-03"
		}
		if b.Text[m[4]:m[5]] == "-" && (m[3]-m[2] > 3 || m[7]-m[6] > 3) {
			continue // "555-1234" is a telephone number, not a range
		}
		out = append(out, found{m[4], m[5], []string{"–", "-"}})
	}
	return out
}

var percent = regexp.MustCompile(`\d(%| percent\b| per cent\b)`)

// findPercents: "12%" ↔ "12 percent" ↔ "12 per cent".
func findPercents(b *block) []found {
	var out []found
	for _, m := range percent.FindAllStringSubmatchIndex(b.Text, -1) {
		out = append(out, found{m[2], m[3], []string{"%", " percent", " per cent"}})
	}
	return out
}

var (
	initialism = regexp.MustCompile(`\b(U\.S\.|U\.K\.|U\.N\.|E\.U\.|US|UK|UN|EU)`)
	// Capitalised words that continue a name after "U.S.", so its final
	// period is not a sentence end.
	initialismNames = set("Courthouse Marshals Marshal Attorney Attorney's Attorneys Department Government Army Navy Air Coast Customs Border Postal Secret Treasury Congress Senate House Census Embassy Embassies District Court Courts Supreme Immigration Forest Park Capitol Mint Geological Space Fish Marine Marines Citizenship Agency Agencies Trade Federal Central Chamber Constitution Treasuries Dollar Security Council Commission Parliament Ambassador Ambassadors Representative")
)

// findInitialisms: "U.S." ↔ "US", likewise U.K., U.N. and E.U. The dotted
// form is only changed where its final period cannot be a sentence end.
func findInitialisms(b *block) []found {
	var out []found
	for _, m := range initialism.FindAllStringSubmatchIndex(b.Text, -1) {
		i, j := m[0], m[1]
		w := b.Text[i:j]
		dotted := strings.Contains(w, ".")
		if !dotted && !boundary(b.Text, i, j) {
			continue
		}
		if dotted && j < len(b.Text) && (unicode.IsLetter(rune(b.Text[j])) || b.Text[j] == '.') {
			continue
		}
		// What follows must show the sentence goes on.
		next := ""
		if j < len(b.Text) {
			next = b.Text[j:]
		}
		if !continues(next) {
			continue
		}
		plain := strings.ReplaceAll(w, ".", "")
		dots := ""
		for _, c := range plain {
			dots += string(c) + "."
		}
		out = append(out, found{i, j, []string{dots, plain}})
	}
	return out
}

// fixedInitialism reports a dotted initialism that findInitialisms must
// leave alone (its period may end the sentence), or one inside a
// quotation or address, which the marker never changes.
func fixedInitialism(b *block) bool {
	found := findInitialisms(b)
	for _, m := range initialism.FindAllStringIndex(b.Text, -1) {
		w := b.Text[m[0]:m[1]]
		if !strings.Contains(w, ".") {
			continue
		}
		varied := false
		for _, f := range found {
			if f.start == m[0] {
				varied = true
			}
		}
		inside := false
		for _, x := range b.excluded {
			inside = inside || m[0] >= x.Start && m[0] < x.End
		}
		if !varied || inside {
			return true
		}
	}
	return false
}

// continues reports whether text after an initialism continues the
// sentence: a lower-case word, a name-continuing capitalised word, or
// mid-sentence punctuation.
func continues(next string) bool {
	if next == "" {
		return false
	}
	if strings.HasPrefix(next, "’") {
		return true
	}
	switch next[0] {
	case ',', ';', ')', ':', '\'':
		return true
	case ' ':
		w := wordAfter(next, 0)
		return isLowerWord(w) || initialismNames[w]
	}
	return false
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
		out = append(out, found{t.Start, t.End, []string{",", ""}})
	}
	return out
}

var hyphenPrefix = regexp.MustCompile(`\b(non|multi|pre|post|anti|semi|inter|intra|counter|cross|sub)-([a-z]{4,})\b`)

// findPrefixHyphens: "multi-agency" ↔ "multiagency". Only written hyphens are
// closed up: whether a closed word may take a hyphen needs a dictionary.
// Prefixes whose closed form makes another word (re-sign, co-op) are not
// listed; a doubled letter at the joint keeps its hyphen (anti-inflation).
func findPrefixHyphens(b *block) []found {
	var out []found
	for _, m := range hyphenPrefix.FindAllStringSubmatchIndex(b.Text, -1) {
		prefix, word := b.Text[m[2]:m[3]], b.Text[m[4]:m[5]]
		if !leftBoundary(b.Text, m[0]) || (m[1] < len(b.Text) && b.Text[m[1]] == '-') {
			continue
		}
		if prefix[len(prefix)-1] == word[0] {
			continue
		}
		out = append(out, found{m[3], m[3] + 1, []string{"-", ""}})
	}
	return out
}
