package disclose

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/prose"
)

// Token kinds.
const (
	tokWord uint8 = iota
	tokNumber
	tokTime
)

// Token flags.
const (
	flagCap       uint8 = 1 << iota // first letter upper case
	flagSentStart                   // first token of a sentence
	flagCurrency                    // number preceded by a currency sign
	flagPercent                     // number followed by % or "percent"
	flagNumWord                     // number written as a word ("eight")
	flagConsumed                    // part of the previous number ("million", "percent", "a.m.")
	flagNoun                        // a word mostly used as a noun or name: what a number may count
	flagOrdinal                     // a day of the month written "8th"
)

// token is a word or number of a text with its byte span.
type token struct {
	start, end int32 // byte span; a number's span includes its sign, scale and percent
	sent       int32 // sentence index
	key        uint64
	val        float64 // number value; time in minutes after midnight
	w          float32 // rarity weight of the word, 0 for function words
	tier       uint8
	kind       uint8
	flags      uint8
	sig        uint8 // significant digits of a number
}

func (t *token) has(f uint8) bool { return t.flags&f != 0 }

// numberWord returns the value of a normalized number word ("eight",
// "dozen"). "hundred" stays a word: the matcher reads no compounds, and
// "three hundred officers" is better read as 3 "hundred officers" than as 3
// and 100 officers.
func numberWord(norm []byte) (float64, bool) {
	v, ok := prose.NumberWord(norm)
	if ok && string(norm) == "hundred" {
		return 0, false
	}
	return v, ok
}

// scaleWord returns the factor of a lower-case scale word after a number
// ("1.4 million", "$3.2 bn"). A lone "m" is none: "5 m" is as often metres;
// "$5m" is read apart, straight after a currency amount.
func scaleWord(w string) (float64, bool) {
	if f, ok := prose.ScaleWord(w); ok {
		return f, true
	}
	if w == "m" {
		return 0, false
	}
	return prose.Abbreviation(w)
}

// abbreviations whose final period does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "lt": true, "gen": true, "sen": true, "rep": true,
	"gov": true, "st": true, "inc": true, "co": true, "corp": true, "jr": true, "sr": true, "no": true,
	"vs": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true,
	"sgt": true, "capt": true, "col": true, "prof": true, "ltd": true, "ft": true, "mt": true,
}

// tokenizer turns text into tokens. It is reused to avoid allocation, and
// remembers the tiers of the words it has seen.
type tokenizer struct {
	bg   *Background
	buf  []byte
	memo map[uint64]bgWord // hash of a normalized word → its weight and band
}

// maxMemo bounds the tier memo; it starts again empty when full.
const maxMemo = 1 << 17

func (tz *tokenizer) lookup(norm, stem []byte) bgWord {
	h := hashBytes(norm)
	if e, ok := tz.memo[h]; ok {
		return e
	}
	e := tz.bg.lookup(norm, stem)
	if tz.memo == nil || len(tz.memo) >= maxMemo {
		tz.memo = make(map[uint64]bgWord, 1024)
	}
	tz.memo[h] = e
	return e
}

// tokenRules split text as the matcher compares it: words of letters and
// digits with inner apostrophes, digits joined at points and colons ("48.50",
// "5:30") and at commas before groups of three ("1,250", but "3,4" is two
// numbers). Hyphens separate words: "multi-agency" is "multi" and "agency".
var tokenRules = prose.Rules{Colons: true, Thousands: true}

// tokenize splits text into tokens. HTML comments are skipped, so the
// directives of a telltale source never count as words.
func (tz *tokenizer) tokenize(text string, toks []token) []token {
	toks = toks[:0]
	sent := int32(0)
	newSent := true
	i := 0
	for i < len(text) {
		c := text[i]
		if c == '<' && strings.HasPrefix(text[i:], "<!--") {
			j := strings.Index(text[i+4:], "-->")
			if j < 0 {
				break
			}
			i += 4 + j + 3
			continue
		}
		if pt, ok := tokenRules.At(text, i); ok {
			t := tz.makeToken(text, pt.Start, pt.End)
			t.sent = sent
			if newSent {
				t.flags |= flagSentStart
				newSent = false
			}
			toks = append(toks, t)
			i = pt.End
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if endsSentence(text, i, r, toks) {
			if !newSent {
				sent++
				newSent = true
			}
		}
		i += size
	}
	tz.numbers(text, toks)
	return toks
}

// isWordRune reports whether r is a letter or digit, the characters of words.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// endsSentence reports whether the character at i ends a sentence.
func endsSentence(text string, i int, r rune, toks []token) bool {
	switch r {
	case '.', '!', '?':
		// The next non-closing character must be white space or the end.
		j := i + 1
		for j < len(text) && strings.IndexByte("\"')*_]", text[j]) >= 0 {
			j++
		}
		if j < len(text) && !strings.HasPrefix(text[j:], "”") && !strings.HasPrefix(text[j:], "’") && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' && text[j] != '\r' {
			return false
		}
		if r == '.' && len(toks) > 0 {
			last := &toks[len(toks)-1]
			if int(last.end) == i {
				w := text[last.start:last.end]
				if len(w) == 1 && !isDigit(w[0]) || abbreviations[strings.ToLower(w)] {
					return false
				}
			}
		}
		return true
	case '\n':
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
			j++
		}
		if j >= len(text) {
			return true
		}
		switch text[j] {
		case '\n', '-', '*', '+', '#', '|', '>', '`':
			return true
		}
		if isDigit(text[j]) {
			k := j
			for k < len(text) && isDigit(text[k]) {
				k++
			}
			return k < len(text) && (text[k] == '.' || text[k] == ')')
		}
		return false
	case '|', ';':
		return r == '|'
	}
	return false
}

// makeToken builds the token for text[start:end].
func (tz *tokenizer) makeToken(text string, start, end int) token {
	t := token{start: int32(start), end: int32(end)}
	w := text[start:end]
	if isDigit(w[0]) {
		if v, sig, ok := parseNumber(w); ok {
			t.kind, t.val, t.sig = tokNumber, v, sig
			t.key = numberKey(v)
			return t
		}
		if h, m, ok := parseClock(w); ok {
			t.kind, t.val, t.sig = tokTime, float64(h*60+m), 3
			t.key = hashString("time:" + w)
			return t
		}
		_, money := currencyBefore(text, start)
		if v, sig, ok := parseScaled(w, money); ok {
			t.kind, t.val, t.sig = tokNumber, v, sig
			t.key = numberKey(v)
			return t
		}
		if m, ok := parseTimeWord(w); ok {
			t.kind, t.val, t.sig = tokTime, float64(m), 3
			t.key = timeKey(m)
			return t
		}
		if d, ok := parseOrdinal(w); ok {
			t.kind, t.val, t.sig = tokNumber, float64(d), 2
			t.flags |= flagOrdinal
			t.key = numberKey(t.val)
			return t
		}
	}
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(r) {
		t.flags |= flagCap
	}
	norm := tz.normalize(w)
	if v, ok := numberWord(norm); ok {
		t.kind, t.val, t.sig = tokNumber, v, 1
		t.flags |= flagNumWord
		t.key = numberKey(v)
		t.tier = tierStop
		return t
	}
	e := tz.lookup(norm, stemPlural(append(tz.buf[len(tz.buf):], norm...)))
	t.tier, t.w = e.tier, e.w
	if t.tier == tierRare && acronym(w) {
		t.tier, t.w = tierUncommon, acronymWeight
	}
	if e.noun {
		t.flags |= flagNoun
	}
	t.key = hashBytes(stemPlural(norm))
	return t
}

// acronymWeight is the weight of a short acronym the background does not
// know ("LLP", "HEAA"): two to four capitals coincide far more often than
// made-up words do.
const acronymWeight = 2.0

// acronym reports whether w is two to four capital letters.
func acronym(w string) bool {
	if len(w) < 2 || len(w) > 4 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}

// normalize lower-cases a word and drops apostrophes ("Halvorsen's" →
// "halvorsen", "don't" → "dont"). The result is valid until the next call.
func (tz *tokenizer) normalize(w string) []byte {
	b := tz.buf[:0]
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		case r == '’':
			b = append(b, '\'')
		default:
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
	}
	if n := len(b); n > 2 && b[n-2] == '\'' && b[n-1] == 's' {
		b = b[:n-2]
	}
	out := b[:0]
	for _, c := range b {
		if c != '\'' {
			out = append(out, c)
		}
	}
	tz.buf = b
	return out
}

// stemPlural removes an English plural ending so that "warrants" and
// "warrant", "deputies" and "deputy" compare equal. It may modify b.
func stemPlural(b []byte) []byte {
	n := len(b)
	if n < 4 || b[n-1] != 's' {
		return b
	}
	switch {
	case n > 4 && string(b[n-3:]) == "ies":
		b = append(b[:n-3], 'y')
		return b
	case string(b[n-2:]) == "ss", string(b[n-2:]) == "us", string(b[n-2:]) == "is":
		return b
	case n > 4 && (string(b[n-4:]) == "ches" || string(b[n-4:]) == "shes" || string(b[n-3:]) == "xes" || string(b[n-4:]) == "sses"):
		return b[:n-2]
	}
	return b[:n-1]
}

// parseNumber reads digits with thousands separators and decimals.
func parseNumber(w string) (float64, uint8, bool) {
	digits := make([]byte, 0, len(w))
	clean := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case isDigit(c):
			digits = append(digits, c)
			clean = append(clean, c)
		case c == ',':
		case c == '.':
			clean = append(clean, c)
		default:
			return 0, 0, false
		}
	}
	v, err := strconv.ParseFloat(string(clean), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, 0, false
	}
	s := strings.TrimLeft(string(digits), "0")
	s = strings.TrimRight(s, "0")
	sig := len(s)
	if sig > 9 {
		sig = 9
	}
	return v, uint8(sig), true
}

// parseOrdinal reads a day of the month written "8th", "1st", "22nd".
func parseOrdinal(w string) (int, bool) {
	n := 0
	for n < len(w) && isDigit(w[n]) {
		n++
	}
	if n == 0 || n > 2 {
		return 0, false
	}
	switch strings.ToLower(w[n:]) {
	case "st", "nd", "rd", "th":
	default:
		return 0, false
	}
	d, _ := strconv.Atoi(w[:n])
	return d, d >= 1 && d <= 31
}

// parseScaled reads an amount with its scale in one word: "3.2bn", "1.2mn",
// and after a currency sign "1.25m", "3b", "14k" (alone, "5m" may be
// metres).
func parseScaled(w string, money bool) (float64, uint8, bool) {
	lw := strings.ToLower(w)
	for _, s := range []struct {
		suf   string
		f     float64
		money bool
	}{{"bn", 1e9, false}, {"mn", 1e6, false}, {"m", 1e6, true}, {"b", 1e9, true}, {"k", 1e3, true}} {
		if num, ok := strings.CutSuffix(lw, s.suf); ok && num != "" && (money || !s.money) {
			if v, sig, ok := parseNumber(num); ok {
				return roundValue(v * s.f), sig, true
			}
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// parseTimeWord reads a time written as one word: "6pm", "10am", "7.30am",
// "5:30pm", or a military time "1800Z". It returns minutes after midnight.
func parseTimeWord(w string) (int, bool) {
	lw := strings.ToLower(w)
	if hm, ok := strings.CutSuffix(lw, "z"); ok && len(hm) == 4 {
		h, err1 := strconv.Atoi(hm[:2])
		m, err2 := strconv.Atoi(hm[2:])
		if err1 == nil && err2 == nil && h < 24 && m < 60 {
			return h*60 + m, true
		}
		return 0, false
	}
	var pm bool
	switch {
	case strings.HasSuffix(lw, "am"):
	case strings.HasSuffix(lw, "pm"):
		pm = true
	default:
		return 0, false
	}
	num := lw[:len(lw)-2]
	hs, ms, found := strings.Cut(strings.ReplaceAll(num, ".", ":"), ":")
	h, err := strconv.Atoi(hs)
	if err != nil || h < 1 || h > 12 || len(hs) > 2 {
		return 0, false
	}
	m := 0
	if found {
		if m, err = strconv.Atoi(ms); err != nil || len(ms) != 2 || m > 59 {
			return 0, false
		}
	}
	return clock12(h, m, pm), true
}

// clock12 returns the minutes after midnight of h:m a.m. or p.m.
func clock12(h, m int, pm bool) int {
	if pm && h < 12 {
		h += 12
	}
	if !pm && h == 12 {
		h = 0
	}
	return h*60 + m
}

// timeKey is the key of a time of day in minutes after midnight.
func timeKey(minutes int) uint64 {
	return mix(0x74696d65 /* "time" */, uint64(minutes))
}

// parseClock reads "5:30".
func parseClock(w string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(w, ":")
	if !found || len(ms) != 2 || len(hs) == 0 || len(hs) > 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h > 24 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// roundValue removes floating-point noise so that "$3.2 billion" and
// "$3,200,000,000" have the same key.
func roundValue(v float64) float64 {
	if math.Abs(v) >= 1000 {
		return math.Round(v)
	}
	return math.Round(v*1e4) / 1e4
}

func numberKey(v float64) uint64 {
	return mix(0x6e756d62 /* "numb" */, math.Float64bits(roundValue(v)))
}

// numbers folds compounds ("two dozen", "three hundred", "twenty-one"),
// currency signs, scale words, percent signs and clock suffixes into the
// number tokens before them.
func (tz *tokenizer) numbers(text string, toks []token) {
	compounds(text, toks)
	for k := range toks {
		t := &toks[k]
		if t.kind == tokWord || t.has(flagConsumed) {
			continue
		}
		if t.kind == tokNumber && !t.has(flagNumWord) {
			if s, ok := currencyBefore(text, int(t.start)); ok {
				t.start = int32(s)
				t.flags |= flagCurrency
			}
		}
		next := func(j int) *token {
			if j < len(toks) && toks[j].kind == tokWord && !toks[j].has(flagConsumed) && toks[j].start-toks[j-1].end <= 2 {
				return &toks[j]
			}
			return nil
		}
		// Scale: "$1.25 million", "1.4 million households".
		if t.kind == tokNumber {
			if n := next(k + 1); n != nil {
				if sc, ok := scaleWord(lowerASCII(text[n.start:n.end])); ok {
					t.val *= sc
					t.end = n.end
					n.flags |= flagConsumed
				} else if t.has(flagCurrency) && (text[n.start:n.end] == "m" || text[n.start:n.end] == "M") && n.start == t.end {
					t.val *= 1e6
					t.end = n.end
					n.flags |= flagConsumed
				}
			}
			t.val = roundValue(t.val)
			t.key = numberKey(t.val)
		}
		// Percent: "31%", "31 percent", "31 per cent".
		if t.kind == tokNumber {
			if int(t.end) < len(text) && text[t.end] == '%' {
				t.flags |= flagPercent
				t.end++
			} else if n := next(k + 1); n != nil {
				switch lowerASCII(text[n.start:n.end]) {
				case "percent", "pct":
					t.flags |= flagPercent
					t.end = n.end
					n.flags |= flagConsumed
				case "per":
					if n2 := next(k + 2); n2 != nil && lowerASCII(text[n2.start:n2.end]) == "cent" {
						t.flags |= flagPercent
						t.end = n2.end
						n.flags |= flagConsumed
						n2.flags |= flagConsumed
					}
				}
			}
		}
		// Military time: "1800 GMT", "0530 hours".
		if t.kind == tokNumber && !t.has(flagCurrency|flagPercent|flagNumWord) && t.end-t.start == 4 {
			if n := next(k + 1); n != nil {
				switch lowerASCII(text[n.start:n.end]) {
				case "gmt", "utc", "hrs", "zulu":
					if h, m := int(t.val)/100, int(t.val)%100; h < 24 && m < 60 {
						t.kind, t.val = tokTime, float64(h*60+m)
						t.key = timeKey(h*60 + m)
						t.end = n.end
						n.flags |= flagConsumed
						continue
					}
				}
			}
		}
		// British clock with a point: "7.30 am".
		if t.kind == tokNumber && !t.has(flagCurrency|flagPercent) && t.val != math.Trunc(t.val) && t.val < 13 {
			w := text[t.start:t.end]
			if dot := strings.IndexByte(w, '.'); dot > 0 && len(w)-dot == 3 {
				if end, pm, ok := meridiem(text, int(t.end)); ok {
					h, m := int(t.val), int(math.Round((t.val-math.Trunc(t.val))*100))
					if h >= 1 && m < 60 {
						mins := clock12(h, m, pm)
						t.kind, t.val = tokTime, float64(mins)
						t.key = timeKey(mins)
						t.end = int32(end)
						for j := k + 1; j < len(toks) && toks[j].start < t.end; j++ {
							toks[j].flags |= flagConsumed
						}
						continue
					}
				}
			}
		}
		// Clock: "5:30 a.m.", "2 p.m.".
		if t.has(flagCurrency) || t.has(flagPercent) || t.kind == tokNumber && (t.val != math.Trunc(t.val) || t.val < 1 || t.val > 12) {
			continue
		}
		if end, pm, ok := meridiem(text, int(t.end)); ok {
			h := int(t.val)
			m := 0
			if t.kind == tokTime {
				h, m = int(t.val)/60, int(t.val)%60
			}
			if pm && h < 12 {
				h += 12
			}
			if !pm && h == 12 {
				h = 0
			}
			t.kind, t.val = tokTime, float64(h*60+m)
			t.key = mix(0x74696d65 /* "time" */, uint64(h*60+m))
			t.end = int32(end)
			for j := k + 1; j < len(toks) && toks[j].start < t.end; j++ {
				toks[j].flags |= flagConsumed
			}
		} else if t.kind == tokTime {
			h, m := int(t.val)/60, int(t.val)%60
			t.key = mix(0x74696d65, uint64(h*60+m))
		}
	}
}

// compounds folds numbers written in several words into their first token:
// "two dozen" (24), "three hundred" (300), "a hundred" (100), "twenty-one"
// (21). "Hundreds of" stays words.
func compounds(text string, toks []token) {
	for k := 0; k+1 < len(toks); k++ {
		t, n := &toks[k], &toks[k+1]
		if n.has(flagConsumed) || n.start-t.end > 2 || n.sent != t.sent {
			continue
		}
		if t.kind == tokWord && t.key != kA || t.kind == tokTime {
			continue
		}
		gap := text[t.end:n.start]
		// "dozen" is a number word already; "hundred" is not.
		dozen := n.kind == tokNumber && n.has(flagNumWord) && n.val == 12 && n.end-n.start == 5
		hundred := n.kind == tokWord && n.key == kHundred
		switch {
		case t.kind == tokNumber && !t.has(flagOrdinal) && gap == " " && (hundred || dozen) && t.val == math.Trunc(t.val) && t.val >= 1 && t.val < 100:
			f := 100.0
			if dozen {
				f = 12
			}
			t.val *= f
		case t.kind == tokWord && gap == " " && (hundred || dozen):
			t.kind, t.tier, t.w = tokNumber, tierStop, 0
			t.flags |= flagNumWord
			t.val, t.sig = 100, 1
			if dozen {
				t.val, t.sig = 12, 2
			}
		case t.kind == tokNumber && t.has(flagNumWord) && n.kind == tokNumber && n.has(flagNumWord) && gap == "-" &&
			t.val >= 20 && t.val < 100 && math.Mod(t.val, 10) == 0 && n.val >= 1 && n.val <= 9:
			t.val += n.val
			t.sig = 2
		default:
			continue
		}
		t.key = numberKey(t.val)
		t.end = n.end
		n.flags |= flagConsumed
	}
}

// currencyBefore finds a currency sign right before a number.
func currencyBefore(text string, start int) (int, bool) {
	for _, sign := range []string{"US$", "$", "€", "£"} {
		if strings.HasSuffix(text[:start], sign) {
			return start - len(sign), true
		}
	}
	return start, false
}

// meridiem reads " a.m.", "am", " p.m." after a time.
func meridiem(text string, i int) (end int, pm bool, ok bool) {
	j := i
	if j < len(text) && text[j] == ' ' {
		j++
	}
	if j >= len(text) {
		return 0, false, false
	}
	switch text[j] {
	case 'a', 'A':
	case 'p', 'P':
		pm = true
	default:
		return 0, false, false
	}
	j++
	if j < len(text) && text[j] == '.' {
		j++
	}
	if j < len(text) && text[j] == ' ' {
		j++
	}
	if j >= len(text) || text[j] != 'm' && text[j] != 'M' {
		return 0, false, false
	}
	j++
	if j < len(text) && text[j] == '.' {
		j++
	}
	if j < len(text) {
		r, _ := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r) {
			return 0, false, false
		}
	}
	return j, pm, true
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// FNV-1a and a 64-bit mixer; keys must be stable across processes so that a
// stored index and a fresh one agree.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix combines two hashes (a variant of the splitmix64 finalizer).
func mix(a, b uint64) uint64 {
	h := a*0x9e3779b97f4a7c15 ^ b
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	h *= 0x94d049bb133111eb
	h ^= h >> 32
	return h
}
