package read

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/prose"
)

// numMention is a number found in a text, with its value and the tokens
// it spans.
type numMention struct {
	value      float64
	start, end int // tokens [start, end)
}

var (
	numberPattern = regexp.MustCompile(`(?i)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(trillion|billion|million|thousand|bn|m)\b)?`)
	timePattern   = regexp.MustCompile(`(?i)\b(\d{1,2}):(\d{2})(?:\s*([ap])\.?\s?m\.?)?`)
)

// scale returns the factor of a scale word after a number: one spelled out
// ("million") or an abbreviation numberPattern knows ("bn", "m"; not "mn").
func scale(w string) (float64, bool) {
	if f, ok := prose.ScaleWord(w); ok {
		return f, true
	}
	if w == "mn" {
		return 0, false
	}
	return prose.Abbreviation(w)
}

// months are the month names and abbreviations next to which a number is a
// day of the month.
var months = map[string]int{"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6,
	"july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}

// dateValue encodes a day of a month ("March 8", "8 March") so it never
// equals a plain number: the 8 of a date is not "eight cities".
func dateValue(month, day int) float64 { return -1e6 - float64(month*32+day) }

// timeValue encodes a clock time so it never equals a plain number.
func timeValue(h, m int, pm bool) float64 {
	if pm && h < 12 {
		h += 12
	}
	return -1 - float64(h*60+m)
}

// numbers finds every number in text: digits with separators, decimals and
// scale words ($1.25 million), clock times, and number words.
func numbers(text string, lt []token) []numMention {
	var out []numMention
	tokAt := func(off int) int {
		i, _ := slices.BinarySearchFunc(lt, off, func(t token, o int) int {
			if t.end <= o {
				return -1
			}
			return 1
		})
		return i
	}
	inTime := map[int]bool{}
	for _, m := range timePattern.FindAllStringSubmatchIndex(text, -1) {
		h, _ := strconv.Atoi(text[m[2]:m[3]])
		mi, _ := strconv.Atoi(text[m[4]:m[5]])
		pm := m[6] >= 0 && strings.EqualFold(text[m[6]:m[7]], "p")
		if s, e := tokAt(m[0]), min(tokAt(m[1]-1)+1, len(lt)); s < e {
			out = append(out, numMention{timeValue(h, mi, pm), s, e})
		}
		for k := m[0]; k < m[1]; k++ {
			inTime[k] = true
		}
	}
	for _, m := range numberPattern.FindAllStringSubmatchIndex(text, -1) {
		if inTime[m[0]] || m[0] > 0 && (inWord(text, m[0]) || text[m[0]-1] == '.') {
			continue
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(text[m[2]:m[3]], ",", ""), 64)
		if err != nil {
			continue
		}
		if m[4] >= 0 {
			frac, _ := strconv.ParseFloat("0"+text[m[4]:m[5]], 64)
			v += frac
		}
		if m[6] >= 0 {
			f, _ := scale(strings.ToLower(text[m[6]:m[7]]))
			v *= f
		}
		if s, e := tokAt(m[0]), min(tokAt(m[1]-1)+1, len(lt)); s < e {
			if m[4] < 0 && m[6] < 0 && v >= 1 && v <= 31 {
				if mo, ok := monthBeside(lt, s, e); ok {
					v = dateValue(mo, int(v))
				}
			}
			out = append(out, numMention{v, s, e})
		}
	}
	for k, t := range lt {
		if v, ok := prose.NumberWord(t.norm); ok {
			if k+1 < len(lt) {
				if sc, ok := scale(lt[k+1].norm); ok {
					out = append(out, numMention{v * sc, k, k + 2})
					continue
				}
			}
			out = append(out, numMention{v, k, k + 1})
		}
	}
	return out
}

// parseValue reads an alternative as a single number, if it is one.
func parseValue(alt string) (float64, bool) {
	toks := tokenize(alt)
	ns := numbers(alt, toks)
	if len(ns) != 1 {
		return 0, false
	}
	return ns[0].value, true
}

func sameValue(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func distinctValues(vs []float64) bool {
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			if sameValue(vs[i], vs[j]) {
				return false
			}
		}
	}
	return true
}

// inWord reports whether the character before offset i is a letter or
// digit: the number there is part of a word ("covid19").
func inWord(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isNumber(w string) bool {
	if _, ok := prose.NumberWord(w); ok {
		return true
	}
	return w != "" && w[0] >= '0' && w[0] <= '9'
}

// monthBeside reports the month named right before or right after the
// tokens [s, e), skipping an abbreviation's period.
func monthBeside(lt []token, s, e int) (int, bool) {
	if s > 0 {
		k := s - 1
		if lt[k].norm == "." && k > 0 {
			k--
		}
		if mo, ok := months[lt[k].norm]; ok {
			return mo, true
		}
	}
	if e < len(lt) {
		if mo, ok := months[lt[e].norm]; ok {
			return mo, true
		}
	}
	return 0, false
}
