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
	// perSentence families make one slot of the occurrences of each
	// sentence, styled together like a document-wide family: counts in one
	// sentence ("four metropolitan areas … up to two warehouses") must
	// not mix styles.
	perSentence bool
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
	group      int      // the sentence, for perSentence families
}

var families = []family{
	{name: "thousands", styles: []string{"2,000", "2000"}, find: findThousands, needs: "0123456789"},
	{name: "millions", styles: []string{"$62,000,000", "$62 million"}, find: findMillions, perOccurrence: true, needs: ","},
	{name: "small-numbers", styles: []string{"words", "digits"}, find: findSmallNumbers, perSentence: true},
	{name: "dates", styles: []string{"March 8, 2026", "8 March 2026", "Mar. 8, 2026"}, find: findDates, needs: "0123456789"},
	{name: "times", styles: []string{"6:00 a.m.", "6 a.m."}, find: findTimes, needs: "mM"},
	{name: "meridiem", styles: []string{"6 a.m.", "6 AM"}, find: findMeridiems, needs: "mM", veto: fixedMeridiem},
	{name: "serial-comma", styles: []string{"a, b, and c", "a, b and c"}, find: findSerialCommas, perOccurrence: true},
	{name: "clause-comma", styles: []string{", and they", " and they"}, find: findClauseCommas, perOccurrence: true},
	{name: "prefix-hyphen", styles: []string{"non-violent", "nonviolent"}, find: findPrefixHyphens, perOccurrence: true, needs: "-"},
	{name: "dashes", styles: []string{"a—b", "a — b", "a – b"}, find: findDashes, needs: "—–-"},
	{name: "range-words", styles: []string{"5–7 months", "5 to 7 months"}, find: findRangeWords, perOccurrence: true, needs: "–-"},
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
	var groups [][2]int // block and sentence of each occurrence
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
			groups = append(groups, [2]int{bi, fd.group})
			m.take(s)
			if s.Start == s.End {
				m.taken[s.Start] = true // no second insertion here
			}
		}
	}
	if len(occs) == 0 {
		return
	}
	if f.perSentence {
		for i := 0; i < len(occs); {
			j := i + 1
			for j < len(occs) && groups[j] == groups[i] {
				j++
			}
			m.styledSlot(f, occs[i:j])
			i = j
		}
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
	m.styledSlot(f, occs)
}

// styledSlot makes one slot of occurrences that change style together.
// Symbol 0 shows them as written; symbol s ≥ 1 applies style s everywhere.
// Styles that change nothing, or show the same text as a kept style, are
// dropped.
func (m *marker) styledSlot(f family, occs []Occurrence) {
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
		out = append(out, found{i, j, []string{n, strings.ReplaceAll(n, ",", "")}, 0})
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
	labelWords = set("no no. number phase step section chapter page item level tier grade room floor gate route zone sector unit team group squad stage option appendix annex figure table part version lane pier dock bay building exhibit tab line district ward precinct car truck vehicle channel until till from before after paragraph clause article rule subsection schedule title volume issue box form question problem example case test entry note footnote release week day year round season episode book act scene verse category type model series size priority position rank seat lot apartment suite slot port bit index argument parameter field column row window class layer protocol revision draft quarter term session period shift wave batch cohort region site camp mile exit highway interstate amendment count tranche fund account chart map photo plate python ipv http")
	// Capitalised sentence openers before a count ("The three largest
	// customers"); any other capitalised word may be a name ("Windows 10").
	countOpeners = set("the these those all its their our his her my your about over nearly approximately roughly only just another at for in of after within with some")
	// Words that may stand between a count and its plural noun ("three
	// tactical teams", "two collective bargaining agreements") must be
	// modifiers: none of these.
	notModifier = set("of and or to in on at for by with from that which who whom whose is are was were be been has have had will would can could may might must shall should do does did not the a an per times percent hundred thousand million billion trillion dozen than as so too very each every other's also only just such its their our his her my your this these those there here then more less fewer most least")
)

func set(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}

// findSmallNumbers: "three teams" ↔ "3 teams", for counts from two to
// twelve followed by a plural noun (after at most two modifiers: "three
// tactical teams"), not at the start of a sentence and not as a label
// ("phase 3"). Each found carries its sentence: the counts of a sentence
// form one slot.
func findSmallNumbers(b *block) []found {
	var out []found
	toks := b.toks
	sentence := make([]int, len(toks))
	candidate := make([]bool, len(toks))
	for i, t := range toks {
		if i > 0 {
			sentence[i] = sentence[i-1]
		}
		if t.SentenceStart {
			sentence[i]++
		}
	}
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
		// A count stands apart: "bz2", "i5", "3rd" are not counts.
		if t.Start == 0 || t.End >= len(b.Text) || b.Text[t.Start-1] != ' ' && b.Text[t.Start-1] != '(' || b.Text[t.End] != ' ' && b.Text[t.End] != '\n' {
			continue
		}
		prev := toks[i-1]
		// The plural noun, after at most two modifiers.
		j := i + 1
		for ; j < len(toks) && j <= i+3; j++ {
			w := toks[j]
			if !w.Joined || w.Kind != lexicon.Word || !isLowerWord(w.Text) {
				break
			}
			lw := strings.ToLower(w.Text)
			if j < i+3 && j+1 < len(toks) && toks[j+1].Joined && toks[j+1].Kind == lexicon.Word && isLowerWord(toks[j+1].Text) && (!strings.HasSuffix(lw, "s") || strings.HasSuffix(lw, "ss")) && !notModifier[lw] && !strings.HasSuffix(lw, "ed") && !strings.HasSuffix(lw, "ly") {
				continue // a modifier: look further
			}
			break
		}
		if j >= len(toks) || j > i+3 {
			continue
		}
		next := toks[j]
		if !next.Joined || !t.Joined || next.Kind != lexicon.Word || !isLowerWord(next.Text) {
			continue
		}
		nw := strings.ToLower(next.Text)
		if len(nw) < 3 || !strings.HasSuffix(nw, "s") || strings.HasSuffix(nw, "ss") || notCounted[nw] {
			continue
		}
		capPrev := isCapWord(prev.Text) && !(prev.SentenceStart && countOpeners[strings.ToLower(prev.Text)])
		if prev.Kind == lexicon.Number || (prev.Kind == lexicon.Word && (capPrev || labelWords[strings.ToLower(prev.Text)])) {
			continue
		}
		if prev.Kind == lexicon.Punct && strings.ContainsAny(prev.Text, "#$-–/") {
			continue
		}
		if i >= 2 && (prev.Text == "or" || prev.Text == "and" || prev.Text == "to") && (toks[i-2].Kind == lexicon.Number || slices.Contains(smallWords, toks[i-2].Text) || toks[i-2].Text == "one") {
			continue // "one or two": change both or neither
		}
		out = append(out, found{t.Start, t.End, []string{smallWords[n], strconv.Itoa(n)}, sentence[i]})
		candidate[i] = true
	}
	// Other counts in a sentence fix its style: "five to six members
	// each, supported by three tactical teams, two K-9 units, and one
	// aviation unit" cannot show "3 tactical teams". A style is dropped
	// for a sentence (its alternatives set to the text as written) when a
	// count that is not a slot is written in the other style.
	words, digits := map[int]bool{}, map[int]bool{}
	for i, t := range toks {
		if candidate[i] || t.SentenceStart {
			continue
		}
		switch w, d := isCount(b, toks, i); {
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
	return out
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
		out = append(out, found{i, j, []string{us, world, ap}, 0})
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

// findTimes: "6:00 a.m." ↔ "6 a.m." for whole hours. Only the minutes
// change (the occurrence is ":00", or the empty place after the hour), so
// the meridiem family can restyle "a.m." on its own.
func findTimes(b *block) []found {
	if !mayHaveClock(b.Text) {
		return nil
	}
	var out []found
	for _, m := range clockTime.FindAllStringSubmatchIndex(b.Text, -1) {
		i, j := m[0], m[1]
		if !leftBoundary(b.Text, i) || (j < len(b.Text) && unicode.IsLetter(rune(b.Text[j]))) {
			continue
		}
		if m[4] >= 0 {
			out = append(out, found{m[4], m[5], []string{":00", ""}, 0})
		} else {
			out = append(out, found{m[3], m[3], []string{":00", ""}, 0})
		}
	}
	return out
}

// mayHaveClock is a quick filter for the clock regexps: a digit followed,
// after an optional ":MM" and space, by "a." or "am" (either case), or
// the same with p.
func mayHaveClock(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			continue
		}
		j := i + 1
		if j+2 < len(text) && text[j] == ':' {
			j += 3
		}
		if j < len(text) && text[j] == ' ' {
			j++
		}
		if j+1 < len(text) {
			switch text[j] {
			case 'a', 'p', 'A', 'P':
				if c := text[j+1]; c == '.' || c == 'm' || c == 'M' {
					return true
				}
			}
		}
	}
	return false
}

var (
	clockMeridiem = regexp.MustCompile(`\b(?:1[0-2]|[1-9])(?::[0-5]\d)? ?(a\.m\.|p\.m\.|AM|PM|am|pm|A\.M\.|P\.M\.)`)
	// Capitalised words that go on with the sentence after "a.m.": time
	// zones, days, months. Any other capitalised word after "a.m." starts
	// a new sentence, so its period is also the full stop.
	meridiemNext = set("Eastern Central Pacific Mountain Atlantic Alaska Hawaii ET EST EDT CT CST CDT MT MST MDT PT PST PDT AKST HST UTC GMT Z Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December Jan Feb Aug Sept Oct Nov Dec")
)

// findMeridiems: "6 a.m." ↔ "6 AM", document-wide. Where "a.m." ends a
// sentence its period is also the full stop, so the style shows "AM.".
func findMeridiems(b *block) []found {
	if !mayHaveClock(b.Text) {
		return nil
	}
	var out []found
	for _, m := range clockMeridiem.FindAllStringSubmatchIndex(b.Text, -1) {
		i, j := m[2], m[3]
		if !leftBoundary(b.Text, m[0]) {
			continue
		}
		mer := b.Text[i:j]
		dotted := mer == "a.m." || mer == "p.m."
		plain := mer == "AM" || mer == "PM"
		if !dotted && !plain || j < len(b.Text) && unicode.IsLetter(rune(b.Text[j])) {
			continue
		}
		end := sentenceEnds(b.Text, j)
		if plain && j < len(b.Text) && b.Text[j] == '.' {
			end, j = true, j+1
		}
		letter := strings.ToUpper(mer[:1])
		word, caps := strings.ToLower(letter)+".m.", letter+"M"
		if end {
			caps += "."
		}
		out = append(out, found{i, j, []string{word, caps}, 0})
	}
	return out
}

// sentenceEnds reports whether a sentence ends after "a.m." at text[j:].
func sentenceEnds(text string, j int) bool {
	rest := text[j:]
	if strings.TrimSpace(rest) == "" {
		return true
	}
	if rest[0] != ' ' && rest[0] != '\n' {
		return false
	}
	w := wordAfter(" "+strings.TrimLeft(rest, " \n"), 0)
	if w == "" {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(rest, " \n"))
		return r == '*' || r == '#' || unicode.IsUpper(r)
	}
	return isCapWord(w) && !meridiemNext[w]
}

// fixedMeridiem reports a meridiem the family cannot restyle (one inside a
// quotation or an address, or a style such as "am" or "A.M." that the
// family does not handle), which would clash with the others.
func fixedMeridiem(b *block) bool {
	if !mayHaveClock(b.Text) {
		return false
	}
	varied := map[int]bool{}
	for _, f := range findMeridiems(b) {
		varied[f.start] = true
	}
	for _, m := range clockMeridiem.FindAllStringSubmatchIndex(b.Text, -1) {
		if !leftBoundary(b.Text, m[0]) || m[3] < len(b.Text) && unicode.IsLetter(rune(b.Text[m[3]])) {
			continue
		}
		if !varied[m[2]] {
			return true
		}
		for _, x := range b.excluded {
			if m[2] >= x.Start && m[2] < x.End {
				return true
			}
		}
	}
	return false
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
		out = append(out, found{s, e, []string{"—", " — ", " – "}, 0})
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
		out = append(out, found{m[4], m[5], []string{"–", "-"}, 0})
	}
	return out
}

// findRangeWords: "5–7 months" ↔ "5 to 7 months", for a range of counts
// before a plural noun. Each range is its own slot: writers mix the two
// forms freely. Not after "between" or "from" ("between 5 and 7"), and not
// for amounts of money ("$5 to 7").
func findRangeWords(b *block) []found {
	var out []found
	for _, m := range numberRange.FindAllStringSubmatchIndex(b.Text, -1) {
		if !boundary(b.Text, m[0], m[1]) || m[0] > 0 && strings.ContainsAny(b.Text[m[0]-1:m[0]], "$€£") {
			continue
		}
		lo, _ := strconv.Atoi(b.Text[m[2]:m[3]])
		hi, _ := strconv.Atoi(b.Text[m[6]:m[7]])
		if lo >= hi || b.Text[m[4]:m[5]] == "-" && (m[3]-m[2] > 3 || m[7]-m[6] > 3) {
			continue
		}
		nw := wordAfter(b.Text, m[1])
		if len(nw) < 3 || !isLowerWord(nw) || !strings.HasSuffix(nw, "s") || strings.HasSuffix(nw, "ss") || notCounted[nw] {
			continue
		}
		switch strings.ToLower(wordBefore(b.Text, m[0])) {
		case "between", "from":
			continue
		}
		out = append(out, found{m[4], m[5], []string{b.Text[m[4]:m[5]], " to "}, 0})
	}
	return out
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

var percent = regexp.MustCompile(`\d(%| percent\b| per cent\b)`)

// findPercents: "12%" ↔ "12 percent" ↔ "12 per cent".
func findPercents(b *block) []found {
	var out []found
	for _, m := range percent.FindAllStringSubmatchIndex(b.Text, -1) {
		out = append(out, found{m[2], m[3], []string{"%", " percent", " per cent"}, 0})
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
		out = append(out, found{i, j, []string{dots, plain}, 0})
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
		out = append(out, found{t.Start, t.End, []string{",", ""}, 0})
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
		out = append(out, found{m[3], m[3] + 1, []string{"-", ""}, 0})
	}
	return out
}
