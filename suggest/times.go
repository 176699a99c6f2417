package suggest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// timeStyle is how a clock time is written.
type timeStyle uint8

const (
	twelveHour   timeStyle = iota // 6:00 a.m., 5:45PM
	twentyFour                    // 06:00, 17:30
	military                      // 0600 hours, 1800Z
	hourMeridiem                  // 7 p.m. (counted, never suggested)
)

// clockTime is a time found in a text.
type clockTime struct {
	start, end int // the time's text, meridiem or zone included
	style      timeStyle
	minutes    int // minute of the day
	width      int // digits of the hour as written (1 or 2)
	suffix     string
	pm         bool
}

var (
	colonTime    = regexp.MustCompile(`\b(\d{1,2}):([0-5]\d)(\s?[aApP]\.?[mM]\.?)?`)
	militaryTime = regexp.MustCompile(`\b([01]\d|2[0-3])([0-5]\d)(Z\b|\s?(?:hours|hrs|local)\b)`)
	hourOnly     = regexp.MustCompile(`\b(1[0-2]|[1-9])(\s?[aApP]\.?[mM]\.?)`)
)

// findTimes finds the clock times of a text.
func findTimes(text string) []clockTime {
	var out []clockTime
	for _, m := range colonTime.FindAllStringSubmatchIndex(text, -1) {
		h, _ := strconv.Atoi(text[m[2]:m[3]])
		mi, _ := strconv.Atoi(text[m[4]:m[5]])
		end := m[1]
		if m[6] >= 0 && letterAt(text, end) {
			end = m[5] // "6:00 amber": no meridiem
			m[6] = -1
		}
		if m[0] > 0 && (text[m[0]-1] == ':' || text[m[0]-1] == '.') || letterAt(text, end) || end < len(text) && text[end] == ':' {
			continue // part of something longer: 12:30:15, v1.12:30
		}
		t := clockTime{start: m[0], end: end, width: m[3] - m[2]}
		if m[6] >= 0 && text[m[2]] != '0' {
			t.width = 1 // "10:00 a.m." gives "9:45 a.m.", not "09:45 a.m."
		}
		if m[6] >= 0 {
			if h < 1 || h > 12 {
				continue
			}
			t.style, t.suffix = twelveHour, text[m[5]:end]
			t.pm = strings.ContainsAny(t.suffix, "pP")
			t.minutes = (h%12)*60 + mi
			if t.pm {
				t.minutes += 12 * 60
			}
		} else {
			if h > 23 {
				continue
			}
			t.style, t.minutes = twentyFour, h*60+mi
		}
		out = append(out, t)
	}
	for _, m := range militaryTime.FindAllStringSubmatchIndex(text, -1) {
		h, _ := strconv.Atoi(text[m[2]:m[3]])
		mi, _ := strconv.Atoi(text[m[4]:m[5]])
		end := m[5]
		if text[m[6]:m[7]] == "Z" {
			end = m[7]
		}
		if m[0] > 0 && (text[m[0]-1] == ',' || text[m[0]-1] == '.' || text[m[0]-1] == '-') {
			continue
		}
		out = append(out, clockTime{start: m[0], end: end, style: military, minutes: h*60 + mi, width: 2, suffix: text[m[5]:end]})
	}
	for _, m := range hourOnly.FindAllStringSubmatchIndex(text, -1) {
		if letterAt(text, m[1]) || m[0] > 0 && (text[m[0]-1] == ':' || text[m[0]-1] == '.' || text[m[0]-1] == ',') {
			continue
		}
		h, _ := strconv.Atoi(text[m[2]:m[3]])
		suffix := text[m[3]:m[1]]
		pm := strings.ContainsAny(suffix, "pP")
		min := (h % 12) * 60
		if pm {
			min += 12 * 60
		}
		out = append(out, clockTime{start: m[0], end: m[1], style: hourMeridiem, minutes: min, pm: pm})
	}
	return out
}

func letterAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r)
}

var (
	rangeAfter  = regexp.MustCompile(`^\s*(?:to|until|till|and|-|–|—)\s*\d`)
	rangeBefore = regexp.MustCompile(`(?i)(?:\d(?:\s?[ap]\.?m\.?)?\s*(?:to|until|till|and|-|–|—)\s*|\bbetween\s+)$`)
	deadline    = regexp.MustCompile(`(?i)\b(?:by|before|later than|latest|due\b.*)\s+(?:about\s+|at\s+)?$`)
	// "until" and "embargoed" make a time a rule every recipient keeps.
	embargo = regexp.MustCompile(`(?i)\b(?:until|till|embargo\w*)\b[^.;]*$`)
	// A date or year just before a time makes it a timestamp: "issued
	// Thursday, August 22, 2024, 6:40 p.m.".
	dateBefore = regexp.MustCompile(`(?i)(?:\b(?:1[89]|20)\d\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?|\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|day)[,.]?\s+(?:at\s+)?$`)
)

// clockTimes suggests times outside ranges: a quarter of an hour either
// way, or for a deadline only earlier.
func (f *finder) clockTimes(s *blockScan) {
	for _, t := range findTimes(s.text) {
		if t.style == hourMeridiem || t.minutes%5 != 0 {
			continue // 11:59 and 3:59 are chosen to the minute
		}
		before := s.text[:t.start]
		if rangeAfter.MatchString(s.text[t.end:]) || rangeBefore.MatchString(before) || stamped(before) || embargo.MatchString(before) {
			continue
		}
		steps := []int{-15, 15, -30, 30, -45, 45}
		why := "a time: a quarter of an hour either way. Every recipient acts at the time their copy states: reject it if they must act at the same moment"
		if deadline.MatchString(before) {
			steps = []int{-15, -30, -45}
			why = "a deadline: only earlier times, so every copy still meets the real one"
		}
		alts := []string{s.text[t.start:t.end]}
		// A time stated again moves as far as where it was first
		// stated (see link: every mention must agree).
		moves, ok := f.timeMoves[[2]int{t.minutes, len(steps)}]
		if !ok {
			for _, d := range steps {
				if len(moves) >= min(f.opts.max(), 3)-1 {
					break
				}
				if f.clear(t.minutes, t.minutes+d) {
					if _, ok := t.shifted(d); ok {
						moves = append(moves, d)
					}
				}
			}
		}
		for _, d := range moves {
			if a, ok := t.shifted(d); ok {
				alts = append(alts, a)
			}
		}
		if len(alts) >= 2 && f.add(s, t.start, t.end, Time, alts, why, factID{key: fmt.Sprintf("time:%d", t.minutes), count: f.timeCount[t.minutes], hint: fmt.Sprintf("time %02d%02d", t.minutes/60, t.minutes%60)}) {
			f.timeMoves[[2]int{t.minutes, len(steps)}] = moves
			r, seen := f.timeRanges[t.minutes]
			if !seen {
				r = [2]int{t.minutes, t.minutes}
			}
			for _, d := range moves {
				r = [2]int{min(r[0], t.minutes+d), max(r[1], t.minutes+d)}
			}
			f.timeRanges[t.minutes] = r
		}
	}
}

// stamped reports whether the text before a time ends with a date.
func stamped(before string) bool {
	return dateBefore.MatchString(before[max(0, len(before)-40):])
}

// clear reports whether a time may move from t to a (minutes of the day)
// without meeting or passing another time of the document, or any time
// another varied time may show: a schedule keeps its order in every copy,
// and no two of its steps come closer than a quarter of an hour.
func (f *finder) clear(t, a int) bool {
	lo, hi := min(t, a), max(t, a)
	for v := range f.timeCount {
		if v == t {
			continue
		}
		if v >= lo && v <= hi || v-a < 15 && a-v < 15 {
			return false
		}
	}
	for v, r := range f.timeRanges {
		if v != t && lo < r[1]+15 && hi > r[0]-15 {
			return false
		}
	}
	return true
}

// shifted writes the time moved by d minutes in the same style; false if
// it would cross midnight, or noon in a twelve-hour time.
func (t clockTime) shifted(d int) (string, bool) {
	m := t.minutes + d
	if m < 0 || m >= 24*60 {
		return "", false
	}
	h, mi := m/60, m%60
	switch t.style {
	case twelveHour:
		if (m >= 12*60) != t.pm {
			return "", false
		}
		h12 := h % 12
		if h12 == 0 {
			h12 = 12
		}
		if t.width == 2 {
			return fmt.Sprintf("%02d:%02d%s", h12, mi, t.suffix), true
		}
		return fmt.Sprintf("%d:%02d%s", h12, mi, t.suffix), true
	case twentyFour:
		if t.width == 2 {
			return fmt.Sprintf("%02d:%02d", h, mi), true
		}
		return fmt.Sprintf("%d:%02d", h, mi), true
	case military:
		return fmt.Sprintf("%02d%02d%s", h, mi, t.suffix), true
	}
	return "", false
}
