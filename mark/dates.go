package mark

// Date and time styles: day and month order, whole hours, a.m. or AM.

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// undottedMonth finds a date with a month abbreviated without a period
// ("9 Apr 2024", "Feb 16"), which the dates family does not restyle.
var undottedMonth = regexp.MustCompile(`\b(?:\d{1,2} (?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b[^.]|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec) \d{1,2}\b)`)

// undottedDates reports a date the dates family cannot restyle: "9 Apr
// 2024" in a table would clash with "May 28, 2024" beside it.
func undottedDates(b *block) bool {
	return undottedMonth.MatchString(b.Text + " ")
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
		if !leftBoundary(b.Text, i) || afterColon(b.Text, i) || (j < len(b.Text) && unicode.IsLetter(rune(b.Text[j]))) {
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

// afterColon reports whether text[i] follows a colon: the "10 a.m." of
// "2:10 a.m." is minutes, not an hour ("2:10:00 a.m.").
func afterColon(text string, i int) bool {
	return i > 0 && text[i-1] == ':'
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
