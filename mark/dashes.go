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
