package mark

// Dashes and hyphens: spacing of dashes, en dash or hyphen in ranges, range
// words, prefix hyphens.

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
		if !isLowerWord(nw) || !plural(nw) {
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

var hyphenPrefix = regexp.MustCompile(`\b(non|multi|pre|anti|semi|inter|intra|counter|sub)-([a-z]{4,})\b`)

// findPrefixHyphens: "multi-agency" ↔ "multiagency". Only written hyphens are
// closed up: whether a closed word may take a hyphen needs a dictionary.
// Prefixes whose closed form makes another word (re-sign, co-op) are not
// listed; a doubled letter at the joint keeps its hyphen (anti-inflation).
// "post-" is not listed: "postevent", "postmatch" read as odd even in
// American English (the held-out review). Each word is grouped (found.group)
// so that "non-voting" never stands beside "nonvoting"; the family is
// American only, British usage keeps these hyphens ("pre-release").
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
		out = append(out, found{m[3], m[3] + 1, []string{"-", ""}, wordGroup(strings.ToLower(b.Text[m[0]:m[1]]))})
	}
	return out
}

// wordGroup numbers a word for grouping its occurrences.
func wordGroup(w string) int {
	h := 0
	for _, c := range w {
		h = h*31 + int(c)
	}
	return h & 0x7fffffff
}

var (
	toRange = regexp.MustCompile(`(\d[\d,]*(?:\.\d+)?|(?:[01]\d|2[0-3]):[0-5]\d) to (\d[\d,]*(?:\.\d+)?|(?:[01]\d|2[0-3]):[0-5]\d)`)
	// Words before "X to Y" that make it a change ("rose 5 to 7"), a
	// span already opened ("from 5 to 7") or a ratio or score ("a ratio
	// of 1 to 3", "voted 4 to 5").
	notRangeBefore = set("from between by up down rose risen rise rises fell fallen fall falls increased increase increases decreased decrease decreases grew grow grows grown climbed dropped moved went changed revised cut raised lowered reduced jumped slipped declined improved widened narrowed ratio ratios odds vote votes voted score scored scores won lost beat beaten defeated margin")
)

// findToRanges: "5 to 7 tonnes" ↔ "5–7 tonnes", "aged 16 to 64" ↔ "aged
// 16–64", "08:30 to 09:30" ↔ "08:30–09:30", each on its own, like
// findRangeWords the other way. Both ends are plain numbers or 24-hour
// times, the first the smaller, with no unit or sign between ("9.25% to
// 10.25%" is left alone), and the words before show a range, not a change
// or a ratio.
func findToRanges(b *block) []found {
	var out []found
	for _, m := range toRange.FindAllStringSubmatchIndex(b.Text, -1) {
		x, y := b.Text[m[2]:m[3]], b.Text[m[4]:m[5]]
		if strings.Contains(x, ":") != strings.Contains(y, ":") || !leftBoundary(b.Text, m[0]) || !rightBoundary(b.Text, m[1]) {
			continue
		}
		if m[1] < len(b.Text) && strings.ContainsAny(b.Text[m[1]:m[1]+1], "%:x") {
			continue
		}
		if m[0] > 0 && b.Text[m[0]-1] != ' ' && b.Text[m[0]-1] != '(' {
			continue
		}
		if rangeValue(x) >= rangeValue(y) || changeBefore(b.Text, m[0]) {
			continue
		}
		out = append(out, found{m[3], m[4], []string{"–"}, 0})
	}
	return out
}

// rangeValue returns the value of a number ("2,000", "3.5") or of a
// 24-hour time in minutes.
func rangeValue(s string) float64 {
	if h, mm, ok := strings.Cut(s, ":"); ok {
		hv, _ := strconv.Atoi(h)
		mv, _ := strconv.Atoi(mm)
		return float64(hv*60 + mv)
	}
	v, _ := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return v
}

// changeBefore reports whether one of the five words before text[i] makes
// "X to Y" a change, a ratio or an opened span (notRangeBefore).
func changeBefore(text string, i int) bool {
	words := strings.Fields(text[:i])
	for k := len(words) - 1; k >= 0 && k >= len(words)-5; k-- {
		if notRangeBefore[strings.ToLower(strings.Trim(words[k], ".,;:()"))] {
			return true
		}
	}
	return false
}
