package suggest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/telltale-dev/telltale/parse"
)

// figure is a number as written: its value times 10^dec, and whether it
// groups thousands with commas.
type figure struct {
	mant   int64
	dec    int
	commas bool
	digits int // digits before the point
}

var figurePattern = regexp.MustCompile(`^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$`)

func parseFigure(s string) (figure, bool) {
	m := figurePattern.FindStringSubmatch(s)
	if m == nil || len(s) > 16 {
		return figure{}, false
	}
	ip := strings.ReplaceAll(m[1], ",", "")
	v, err := strconv.ParseInt(ip+m[2], 10, 64)
	if err != nil {
		return figure{}, false
	}
	return figure{mant: v, dec: len(m[2]), commas: strings.Contains(m[1], ","), digits: len(ip)}, true
}

// format writes mant (in units of 10^-dec) like f: the same separators.
func (f figure) format(mant int64, dec int) string {
	s := strconv.FormatInt(mant, 10)
	for len(s) <= dec {
		s = "0" + s
	}
	ip, fp := s[:len(s)-dec], s[len(s)-dec:]
	if f.commas {
		var b strings.Builder
		for i, c := range ip {
			if i > 0 && (len(ip)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		ip = b.String()
	}
	if dec > 0 {
		return ip + "." + fp
	}
	return ip
}

// grain is the figure's last significant place, in units of 10^-dec: 10
// for 140, 100 for 2,300, 1 for 4.2 or 31.
func (f figure) grain() int64 {
	if f.dec > 0 || f.mant == 0 {
		return 1
	}
	g := int64(1)
	for f.mant%(g*10) == 0 {
		g *= 10
	}
	return g
}

// significant counts the figure's significant digits: 2 for 140 or 4.2,
// 3 for 31.0.
func (f figure) significant() int {
	s := strings.TrimLeft(strconv.FormatInt(f.mant, 10), "0")
	if f.dec == 0 {
		s = strings.TrimRight(s, "0")
	}
	return max(len(s), 1)
}

// significantAt counts the significant digits of the figure's
// alternatives in steps of size (in units of 10^-dec): 3 for 4.2 in steps
// of 0.01.
func significantAt(f figure, size int64, dec int) int {
	m := f.mant
	for d := f.dec; d < dec; d++ {
		m *= 10
	}
	lead := len(strconv.FormatInt(m, 10))
	place := len(strconv.FormatInt(size, 10)) - 1 // zeros of the step
	return lead - place
}

// value is the figure as a float.
func (f figure) value() float64 {
	v := float64(f.mant)
	for range f.dec {
		v /= 10
	}
	return v
}

// fact is a figure found in a block, with what surrounds it.
type fact struct {
	i          int // token of the number
	start, end int // the text to vary: currency sign to scale word
	fig        figure
	word       string // the number word, if written as one
	suffix     string // an attached scale: "m", "bn", "k"
	currency   bool
	percent    bool
	hedged     bool
	unit       int // token of the first word after the figure, or -1
	// id names the fact for the census (see candidate).
	id factID
}

var attachedScale = regexp.MustCompile(`^(\d[\d,]*(?:\.\d+)?)(m|bn|k)$`)

// figures suggests counts and amounts.
func (f *finder) figures(s *blockScan) {
	var clock []parse.Span
	for _, t := range findTimes(s.text) {
		clock = append(clock, parse.Span{Start: t.start, End: t.end})
	}
	var facts []*fact
	for i, t := range s.toks {
		if inSpans(clock, t.start) {
			continue
		}
		var fc fact
		switch {
		case t.isNumber():
			fig, ok := parseFigure(t.text)
			if !ok {
				continue
			}
			fc = fact{i: i, start: t.start, end: t.end, fig: fig}
		case smallWords[t.low] != "":
			fig, _ := parseFigure(smallWords[t.low])
			fc = fact{i: i, start: t.start, end: t.end, fig: fig, word: t.text}
		case attachedScale.MatchString(t.text):
			m := attachedScale.FindStringSubmatch(t.text)
			fig, ok := parseFigure(m[1])
			if !ok {
				continue
			}
			fc = fact{i: i, start: t.start, end: t.end, fig: fig, suffix: m[2]}
		default:
			continue
		}
		if f.describe(s, &fc) {
			facts = append(facts, &fc)
		}
	}
	s.summed = sums(s, facts)
	for _, fc := range facts {
		f.figure(s, fc)
	}
}

// sums marks the figures of a paragraph that add up to another of its
// figures of the same kind (money, shares, counts), and that one: "Of the
// 118 overflows, 64 are on track, 31 at risk and 23 late", "about
// £186,000: salaries (£121,000), rent (£38,000)…". Varying one would
// break the sum.
func sums(s *blockScan, facts []*fact) map[int]bool {
	out := map[int]bool{}
	classes := map[[2]bool][]*fact{}
	for _, fc := range facts {
		c := [2]bool{fc.currency, fc.percent}
		classes[c] = append(classes[c], fc)
	}
	for c, group := range classes {
		if c[1] && len(group) >= 2 && len(group) <= 12 {
			// Shares that make up a whole: "medical devices 46%,
			// instruments 29%, semiconductors 17%, other 8%".
			group = append(group, &fact{i: -1, fig: figure{mant: 100}})
		}
		if len(group) < 3 || len(group) > 16 {
			continue
		}
		for _, total := range group {
			var others []*fact
			for _, o := range group {
				if o != total && o.amount(s) < total.amount(s) {
					others = append(others, o)
				}
			}
			if len(others) > 12 {
				others = others[len(others)-12:]
			}
			t := total.amount(s)
			for mask := 1; mask < 1<<len(others); mask++ {
				if mask&(mask-1) == 0 {
					continue // one figure is not a sum
				}
				sum := 0.0
				for b, o := range others {
					if mask&(1<<b) != 0 {
						sum += o.amount(s)
					}
				}
				if d := sum - t; d > -0.005*t && d < 0.005*t {
					out[total.i] = true
					for b, o := range others {
						if mask&(1<<b) != 0 {
							out[o.i] = true
						}
					}
				}
			}
		}
	}
	return out
}

// amount is a fact's value with its scale: 4.2e6 for "$4.2 million".
func (fc *fact) amount(s *blockScan) float64 {
	v := fc.fig.value()
	switch fc.suffix {
	case "m":
		v *= 1e6
	case "bn":
		v *= 1e9
	case "k":
		v *= 1e3
	}
	if k := fc.i + 1; k < len(s.toks) && s.toks[k].end <= fc.end {
		v *= float64(scales[s.toks[k].low])
	}
	return v
}

// numeric reports whether a token is a figure: digits, a number word or
// digits with an attached scale ("£3.2m").
func numeric(t tok) bool {
	return t.isNumber() || smallWords[t.low] != "" || attachedScale.MatchString(t.text)
}

func inSpans(spans []parse.Span, i int) bool {
	for _, s := range spans {
		if i >= s.Start && i < s.End {
			return true
		}
	}
	return false
}

// describe fills in a fact's currency, scale, percent sign, hedge and
// unit, and reports false if the figure is not a quantity at all: part
// of a word, a code, a reference, a date, a year, a phone number or an
// address.
func (f *finder) describe(s *blockScan, fc *fact) bool {
	toks, i := s.toks, fc.i
	t := toks[i]
	// Glued to what comes before: S-1, v2, 3/4, #12, A.4.
	if t.attached && i > 0 {
		p := toks[i-1]
		switch {
		case p.isPunct("$") || p.isPunct("£") || p.isPunct("€"):
			fc.currency, fc.start = true, p.start
			if i > 1 && toks[i-1].attached && toks[i-2].isWord() && (toks[i-2].text == "US" || toks[i-2].text == "A" || toks[i-2].text == "C") {
				fc.start = toks[i-2].start
			}
		case p.isPunct("(") || p.isPunct("*") || p.isPunct("_"):
		default:
			return false
		}
	}
	if fc.word == "" && fc.fig.dec == 0 && fc.fig.mant > 0 && t.text[0] == '0' {
		return false // a leading zero: a code or phone number
	}
	if fc.suffix != "" && !fc.currency {
		return false // "3m" is metres or minutes as often as millions
	}
	// Glued to what follows: 45-day, 12/3, 18th, 3:30.
	after := i + 1
	if n := next(toks, i); n >= 0 && toks[n].attached {
		switch nt := toks[n]; {
		case nt.isPunct("%"):
			fc.percent = true
			after = n + 1
		case nt.isPunct(",") || nt.isPunct(".") || nt.isPunct(";") || nt.isPunct(")") || nt.isPunct("*") || nt.isPunct("_") || nt.isPunct("!") || nt.isPunct("?"):
		default:
			return false
		}
	}
	// What follows: a scale word (part of the fact: "$4.2 million" reads
	// as 4.2e6), percent, a currency, or the unit counted.
	if after < len(toks) && fc.suffix == "" && !fc.percent {
		if _, ok := scales[toks[after].low]; ok {
			fc.end = toks[after].end
			after++
		}
	}
	if !fc.percent && after < len(toks) {
		switch {
		case toks[after].low == "percent":
			fc.percent = true
			after++
		case toks[after].low == "per" && after+1 < len(toks) && toks[after+1].low == "cent":
			fc.percent = true
			after += 2
		}
	}
	if after < len(toks) && currencyWords[toks[after].low] {
		fc.currency = true
	}
	if p := fc.firstToken(toks) - 1; p >= 0 && currencyWords[toks[p].low] {
		fc.currency = true
	}
	fc.unit = -1
	if after < len(toks) && toks[after].isWord() {
		fc.unit = after
	}
	if f.dateOrYear(s, fc) || f.reference(s, fc) || phoneLike(s, fc) || addressLike(s, fc) {
		return false
	}
	fc.hedged = hedgedAt(toks, fc.firstToken(toks))
	return true
}

// firstToken is the fact's first token: the currency sign if any.
func (fc *fact) firstToken(toks []tok) int {
	i := fc.i
	for i > 0 && toks[i-1].start >= fc.start {
		i--
	}
	return i
}

func next(toks []tok, i int) int {
	if i+1 < len(toks) {
		return i + 1
	}
	return -1
}

// dateOrYear: a day of a month, a weekday's date, or a year.
func (f *finder) dateOrYear(s *blockScan, fc *fact) bool {
	toks := s.toks
	v := fc.fig
	if v.dec == 0 && !v.commas && v.mant >= 1800 && v.mant <= 2100 && fc.word == "" && !fc.currency {
		return true
	}
	calendar := func(t tok) bool { return t.isWord() && t.capitalized() && (months[t.low] || weekdays[t.low]) }
	words := 0
	for j := fc.firstToken(toks) - 1; j >= 0 && words < 2; j-- {
		if toks[j].isWord() {
			if calendar(toks[j]) {
				return true
			}
			words++
		}
	}
	words = 0
	for j := fc.i + 1; j < len(toks) && words < 1; j++ {
		if toks[j].isWord() {
			if calendar(toks[j]) {
				return true
			}
			words++
		}
	}
	return false
}

// reference: a label, reference or citation number (Unit 9, Phase 2,
// No. 4, section 12, Copy 7 of 18, CONPLAN 24-117), or a number glued to
// others by dashes or slashes.
func (f *finder) reference(s *blockScan, fc *fact) bool {
	toks := s.toks
	first := fc.firstToken(toks)
	p := first - 1
	for p >= 0 && (toks[p].isPunct(".") || toks[p].isPunct("#") || toks[p].isPunct("§") || toks[p].isPunct("(")) {
		if toks[p].isPunct("#") || toks[p].isPunct("§") {
			return true
		}
		p--
	}
	if p >= 0 && toks[p].isWord() {
		if refWords[toks[p].low] {
			return true
		}
		// A capitalised word right before the number, mid-sentence, is a
		// label: "Level 4", "Draft 4", "Room 2".
		if toks[p].capitalized() && !s.sentenceStart(p) && fc.word == "" && !fc.currency {
			return true
		}
	}
	// "of 18" after a number: Copy 7 of 18, 3 of 5.
	if p >= 1 && toks[p].low == "of" && toks[p-1].isNumber() {
		return true
	}
	if n := next(toks, fc.i); n >= 0 {
		nt := toks[n]
		if nt.low == "of" && n+1 < len(toks) && toks[n+1].isNumber() {
			return true
		}
		if nt.isWord() && (strings.HasPrefix(nt.low, "u") && nt.text == "U" || nt.low == "cfr" || nt.low == "usc") && n+1 < len(toks) && toks[n+1].isPunct(".") && strings.Contains(s.text[nt.start:min(len(s.text), nt.end+6)], "S.C") {
			return true // 18 U.S.C. 1030
		}
	}
	return false
}

// phoneLike: a number next to other numbers with only spaces, dashes,
// dots or brackets between them (555 0142, (555) 123-4567).
func phoneLike(s *blockScan, fc *fact) bool {
	toks := s.toks
	isNum := func(j int) bool { return j >= 0 && j < len(toks) && toks[j].isNumber() }
	j := fc.i + 1
	if j < len(toks) && (toks[j].isPunct("-") || toks[j].isPunct(")") || toks[j].isPunct(".")) && toks[j].attached {
		j++
	}
	if isNum(j) && fc.word == "" && toks[j].start-toks[fc.i].end <= 2 {
		return true
	}
	j = fc.i - 1
	if j >= 0 && (toks[j].isPunct("-") || toks[j].isPunct("(") || toks[j].isPunct(")")) {
		j--
	}
	return isNum(j) && fc.word == "" && toks[fc.i].start-toks[j].end <= 2
}

// addressLike: a house number (14 Curlew Rise, 1200 Main Street).
func addressLike(s *blockScan, fc *fact) bool {
	toks := s.toks
	if fc.word != "" || fc.currency || fc.unit < 0 || !toks[fc.unit].capitalized() {
		return false
	}
	for j := fc.unit; j < min(len(toks), fc.unit+4); j++ {
		if streetWords[toks[j].low] && toks[j].capitalized() {
			return true
		}
		if !toks[j].isWord() || !toks[j].capitalized() {
			break
		}
	}
	return false
}

// hedgedAt reports whether a word before token i makes the figure
// approximate: about, roughly, some, more than, an estimated.
func hedgedAt(toks []tok, i int) bool {
	for d := 1; d <= 3 && i-d >= 0; d++ {
		w := toks[i-d]
		if !w.isWord() {
			continue
		}
		if hedges[w.low] {
			return true
		}
		if w.low == "than" && i-d-1 >= 0 && (toks[i-d-1].low == "more" || toks[i-d-1].low == "fewer" || toks[i-d-1].low == "less") {
			return !(i-d-2 >= 0 && (toks[i-d-2].low == "no" || toks[i-d-2].low == "not"))
		}
		if d == 1 && w.low != "an" && w.low != "a" && w.low != "of" {
			return false
		}
	}
	return false
}

// ruled reports whether a word right before the figure makes it a rule or
// a limit (within 48 hours, at least two, up to 12 hours, from 71 to 94),
// or the figure is part of a range or pair (35 to 45 minutes, 9 and 13).
func ruled(s *blockScan, fc *fact) bool {
	toks := s.toks
	first := fc.firstToken(toks)
	for d := 1; d <= 2 && first-d >= 0; d++ {
		w := toks[first-d]
		if w.isPunct(",") || w.isPunct(";") || w.isPunct(":") || w.isPunct(".") {
			break
		}
		if w.low == "than" {
			return !hedgedAt(toks, first)
		}
		if ruleWords[w.low] && !(w.low == "to" && d == 2) {
			return true
		}
		if d == 1 && (w.isPunct("-") || w.isPunct("–") || w.isPunct("—")) && first-2 >= 0 && numeric(toks[first-2]) {
			return true
		}
	}
	// A range or pair: "35 to 45", "9 and 13", "$371 million to $418 million".
	k := fc.i
	for k+1 < len(toks) && toks[k+1].end <= fc.end {
		k++
	}
	for d := 1; d <= 3 && k+d < len(toks); d++ {
		w := toks[k+d]
		if w.low == "to" || w.low == "and" || w.low == "or" || w.isPunct("-") || w.isPunct("–") || w.isPunct("—") {
			for e := 1; e <= 2 && k+d+e < len(toks); e++ {
				if numeric(toks[k+d+e]) {
					return true
				}
			}
			break
		}
		if !(w.isPunct("%") || scales[w.low] > 0 || w.low == "percent" || w.low == "per" || w.low == "cent") {
			break
		}
	}
	for d := 1; d <= 3 && first-d >= 0; d++ {
		w := toks[first-d]
		if w.low == "between" {
			return true
		}
		if d == 1 && (w.low == "and" || w.low == "or") {
			// "9 and 13", "$2.0 million or $4.5 million", "10% or 12%"
			for e := 1; e <= 2 && first-d-e >= 0; e++ {
				p := toks[first-d-e]
				if numeric(p) {
					return true
				}
				if !(p.isPunct("%") || scales[p.low] > 0 || p.low == "percent") {
					break
				}
			}
		}
	}
	// A rate: "$5 per unit", "12 hours a day".
	if fc.unit >= 0 {
		for d := 1; d <= 2 && fc.unit+d < len(toks); d++ {
			if w := toks[fc.unit+d].low; w == "per" || w == "each" || w == "apiece" {
				return true
			}
		}
	}
	return false
}

// ageLike: "aged 9", "a 46-year-old", "children aged 9 and 13".
func ageLike(s *blockScan, fc *fact) bool {
	toks := s.toks
	for d := 1; d <= 3 && fc.i-d >= 0; d++ {
		if w := toks[fc.i-d].low; w == "aged" || w == "age" || w == "ages" {
			return true
		}
	}
	return fc.unit >= 0 && (toks[fc.unit].low == "years" || toks[fc.unit].low == "year") && fc.unit+1 < len(toks) && toks[fc.unit+1].low == "old"
}

// partitive: "two of the four carriers", "six of Heron's top 20".
func partitive(s *blockScan, fc *fact) bool {
	toks := s.toks
	if n := next(toks, fc.i); n >= 0 && toks[n].low == "of" {
		return true
	}
	for d := 1; d <= 4 && fc.i-d >= 0; d++ {
		if toks[fc.i-d].low == "of" {
			for e := 1; e <= 2 && fc.i-d-e >= 0; e++ {
				if toks[fc.i-d-e].isNumber() || smallWords[toks[fc.i-d-e].low] != "" {
					return true
				}
			}
		}
	}
	return false
}

// figure decides what a described fact is and proposes its alternatives.
func (f *finder) figure(s *blockScan, fc *fact) {
	if ruled(s, fc) || ageLike(s, fc) || partitive(s, fc) {
		return
	}
	toks := s.toks
	v := fc.fig
	if fc.word == "" {
		// Every mention of the figure, whatever it counts, must agree:
		// "140" here and "$140" or "one hundred and forty" there leave it
		// alone (see link).
		d := strings.ReplaceAll(f.numberText(fc), ",", "")
		a := amount{value: fc.amount(s)}
		switch {
		case fc.currency:
			a.of = '$'
		case fc.percent:
			a.of = '%'
		}
		fc.id = factID{key: "number:" + d, count: f.numberCount[d], value: a, hasValue: true}
	}
	if s.summed[fc.i] {
		return // adds up with other figures of the paragraph to a total
	}
	if p := fc.firstToken(toks) - 1; p >= 0 && timeUnits[toks[p].low] {
		return // "3 hours 40 minutes"
	}
	if numbering(f.src, f.sourceOffset(s, fc.start)) && fc.unit >= 0 && toks[fc.unit].capitalized() {
		return // clause numbering: "4.2 Stephen Okonjo noted…"
	}
	if fc.word != "" || v.dec == 0 && !fc.currency && !fc.percent {
		if f.listLengths[v.mant] && v.mant >= 3 {
			return // "ten sites", then a list of ten: a copy must count its own list
		}
	}
	if (fc.currency || fc.percent) && !fc.hedged && ratioSentence(s.sentence(fc.start, fc.end)) {
		return // "£186.3m against a budget of £211.0m, an underspend of 11.7%"
	}
	switch {
	case fc.currency:
		tol, why := 0.01, "an amount of money: alternatives within ±1 %, as precise as written where that allows"
		if fc.hedged {
			tol, why = 0.05, "an approximate amount: alternatives within ±5 %, as round as written"
		}
		f.vary(s, fc, Amount, tol*v.value(), 0, why)
	case fc.percent && (v.value() <= 0 || v.value() >= 100):
		return // none or all: a total, not a share
	case fc.percent && fc.hedged:
		f.vary(s, fc, Amount, min(2, max(1, 0.25*v.value())), 0, "an approximate share: alternatives within 2 points (1 below 8 %)")
	case fc.percent && computedShare(s, fc):
		return
	case fc.percent:
		f.vary(s, fc, Amount, min(1, 0.1*v.value()), 0, "a share: alternatives within 1 point (a tenth of it below 10 %), as precise as written. Reject it if other figures are computed from it")
	case fc.unit < 0 || notUnits[toks[fc.unit].low] || months[toks[fc.unit].low]:
		return // a bare number: no telling what it counts
	case timeUnits[toks[fc.unit].low] && !fc.hedged:
		return // a duration: usually a rule or a window (ten years, 30 days)
	case v.dec == 0 && v.mant < 10:
		f.smallCount(s, fc)
	case fc.word != "":
		fc.id = f.pairKey(fc, s)
		f.vary(s, fc, Count, 1, 1, "a count: one more or fewer")
	case fc.hedged:
		f.vary(s, fc, Count, 0.05*v.value(), 0, "an approximate count: alternatives within ±5 %, as round as written")
	default:
		f.vary(s, fc, Count, max(0.03*v.value(), 1), 1, "a count: alternatives within ±3 % (at least ±1), as precise as written where that allows")
	}
}

// sourceOffset maps a block text offset to the source, or -1.
func (f *finder) sourceOffset(s *blockScan, i int) int {
	sp, ok := s.b.SourceSpan(i, i)
	if !ok {
		return 0
	}
	return sp.Start
}

var (
	moneyPattern   = regexp.MustCompile(`[$£€]\s?\d`)
	percentPattern = regexp.MustCompile(`\d(?:%| percent| per cent)`)
)

// ratioSentence reports whether a sentence states two amounts of money
// and a share, which is then likely the ratio of the two: varying any of
// them would break it.
func ratioSentence(sentence string) bool {
	return len(moneyPattern.FindAllString(sentence, 3)) >= 2 && percentPattern.MatchString(sentence)
}

// computedShare reports whether an exact share is a convention: a
// confidence level.
func computedShare(s *blockScan, fc *fact) bool {
	for k := fc.i + 1; k < min(len(s.toks), fc.i+5); k++ {
		switch s.toks[k].low {
		case "confidence", "significance", "interval", "credible", "percentile":
			return true
		}
	}
	return false
}

// numberText is the digits of a fact as written.
func (f *finder) numberText(fc *fact) string {
	if fc.suffix != "" {
		return strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(f.currentText(fc), "m"), "bn"), "k")
	}
	return f.currentText(fc)
}

func (f *finder) currentText(fc *fact) string {
	if fc.word != "" {
		return smallWords[strings.ToLower(fc.word)]
	}
	return fc.fig.format(fc.fig.mant, fc.fig.dec) + fc.suffix
}

// smallCount suggests one more or one fewer of a few things, where that
// cannot contradict the rest of the document: not "the two vehicles"
// (a known set), not a count followed by its list, not a noun the
// document uses as a label (four phases, then Phase I to IV).
func (f *finder) smallCount(s *blockScan, fc *fact) {
	toks := s.toks
	v := fc.fig.mant
	if v < 2 {
		return
	}
	for p := fc.i - 1; p >= 0 && p >= fc.i-2; p-- {
		if definite[toks[p].low] || toks[p].low == "previous" || toks[p].low == "other" || toks[p].low == "remaining" || toks[p].low == "same" {
			return // a set the reader knows: "the two vehicles", "the previous six occasions"
		}
		if !toks[p].isWord() || p < fc.i-1 && !isAdjectiveLike(toks[p+1].low) {
			break
		}
	}
	noun := toks[fc.unit].low
	if timeUnits[noun] {
		return // "five days": one more or fewer is a fifth of the time
	}
	if f.labels[noun] || f.labels[strings.TrimSuffix(noun, "s")] || f.labels[strings.TrimSuffix(noun, "es")] {
		return
	}
	rest := s.text[toks[fc.unit].end:]
	if k := strings.IndexAny(rest, ".!?\n"); k >= 0 {
		rest = rest[:k]
	}
	if strings.Contains(rest, "(") || strings.Contains(rest+" ", ": ") || strings.Contains(rest, " aged ") || strings.ContainsAny(rest, "—–") {
		return
	}
	if fc.word != "" {
		fc.id = f.pairKey(fc, s)
	} else if n := f.pairCount(fc, s); n > 1 && n != fc.id.count {
		return // "two analysts" and "2 analysts"
	}
	f.vary(s, fc, Count, 1, 1, "a small count: one more or fewer. Reject it if the plan lists or assigns each of them")
}

// isAdjectiveLike: words that may stand between a determiner and a count
// ("the previous six", "the first two", "the other three").
func isAdjectiveLike(w string) bool {
	switch w {
	case "previous", "first", "last", "next", "other", "remaining", "same", "final", "initial", "original":
		return true
	}
	return false
}

// pairKey names a count written in words by its number and noun, "two
// analysts", and counts its mentions in words or digits: "two" alone
// says nothing about which fact it is.
func (f *finder) pairKey(fc *fact, s *blockScan) factID {
	return factID{key: "count:" + strings.ToLower(fc.word) + " " + s.toks[fc.unit].low, count: f.pairCount(fc, s)}
}

// pairCount counts "two analysts" in the document, in words or digits.
func (f *finder) pairCount(fc *fact, s *blockScan) int {
	noun := s.toks[fc.unit].low
	d := smallWords[strings.ToLower(fc.word)]
	if d == "" {
		d = fc.fig.format(fc.fig.mant, 0)
	}
	src := f.lower
	n := strings.Count(src, d+" "+noun)
	if w := wordOf[fc.fig.mant]; w != "" {
		n += strings.Count(src, w+" "+noun)
	}
	return n
}

// vary proposes alternatives within ±tol of a fact (in its own units),
// with steps as coarse as the figure's last significant place where the
// tolerance allows, else one place finer; for an approximate figure, only
// as coarse (or half that). unit is the smallest step (1 for a count of
// things), 0 for none.
func (f *finder) vary(s *blockScan, fc *fact, kind Kind, tol float64, unit int64, why string) {
	fig := fc.fig
	g := fig.grain()
	type step struct {
		size int64
		dec  int
	}
	var steps []step
	switch {
	case fc.percent:
		steps = []step{{1, fig.dec}}
	case fc.hedged:
		steps = []step{{g, fig.dec}}
		if g%2 == 0 {
			steps = append(steps, step{g / 2, fig.dec})
		}
	case g >= 10:
		steps = []step{{g, fig.dec}, {g / 10, fig.dec}}
	case fc.word != "":
		steps = []step{{1, 0}}
	default:
		steps = []step{{1, fig.dec}}
		if unit == 0 || fig.dec > 0 {
			steps = append(steps, step{1, fig.dec + 1})
		}
	}
	perSide := f.opts.perSide()
	best, bestK := step{}, 0
	maxSig := max(3, fig.significant())
	for _, st := range steps {
		if significantAt(fig, st.size, st.dec) > maxSig {
			continue // "$14.49 million" reads as a made-up figure
		}
		size := float64(st.size)
		for range st.dec {
			size /= 10
		}
		k := min(perSide, int(tol/size+1e-9))
		if unit > 0 && st.dec > fig.dec {
			k = 0 // a whole count stays whole
		}
		if k > bestK {
			best, bestK = st, k
		}
		if k == perSide {
			break
		}
	}
	if bestK == 0 {
		return
	}
	base := fig.mant
	for d := fig.dec; d < best.dec; d++ {
		base *= 10
	}
	alts := []string{s.text[fc.start:fc.end]}
	for k := 1; k <= bestK; k++ {
		for _, sign := range []int64{-1, 1} {
			m := base + sign*int64(k)*best.size
			if m <= 0 || unit > 0 && fig.dec == 0 && fig.mant >= 2 && m < 2 {
				continue // no count of one where there were several
			}
			if a, ok := f.rewrite(s, fc, m, best.dec); ok {
				alts = append(alts, a)
			}
		}
	}
	if len(alts) > f.opts.max() {
		alts = alts[:f.opts.max()]
	}
	if len(alts) < 2 {
		return
	}
	id := fc.id
	if id.hint = kind.String(); fc.unit >= 0 {
		// The counted noun, and the next word if the noun is its
		// modifier: "site visits", "minor observations".
		id.hint = s.toks[fc.unit].low
		if n := fc.unit + 1; n < len(s.toks) && !strings.HasSuffix(id.hint, "s") && s.toks[n].isWord() && isLowerWord(s.toks[n].text) && strings.HasSuffix(s.toks[n].low, "s") && !notUnits[s.toks[n].low] {
			id.hint += " " + s.toks[n].low
		}
	}
	f.add(s, fc.start, fc.end, kind, alts, why, id)
}

// isLowerWord reports whether a word is written in lower-case letters.
func isLowerWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return w != ""
}

// rewrite writes the fact's text with another figure; false if the figure
// would gain or lose a digit before the point (99 → 100), or has no word.
func (f *finder) rewrite(s *blockScan, fc *fact, mant int64, dec int) (string, bool) {
	orig := s.text[fc.start:fc.end]
	if fc.word != "" {
		w, ok := wordOf[mant]
		if !ok || dec != 0 {
			return "", false
		}
		if unicode.IsUpper(rune(fc.word[0])) {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		return strings.Replace(orig, fc.word, w, 1), true
	}
	num := fc.fig.format(mant, dec)
	digits := len(strings.ReplaceAll(strings.SplitN(num, ".", 2)[0], ",", ""))
	if digits != fc.fig.digits || strings.HasPrefix(num, "0") != strings.HasPrefix(fc.fig.format(fc.fig.mant, fc.fig.dec), "0") {
		return "", false // "$0.99 billion" for "$1.0 billion"
	}
	written := s.toks[fc.i].text
	return strings.Replace(orig, written, num+fc.suffix, 1), true
}
