package disclose

import (
	"bufio"
	_ "embed"
	"math"
	"strings"
	"sync"
	"time"
)

// Facts as facts: a number is read as a quantity, what it counts or measures
// and how exactly it is stated, so that "about 140 deputies", "more than 300
// warrants", "roughly three days" and "$1.25 million" match "140 deputies,
// officers, and special agents", "312 outstanding felony warrants", "72
// hours" and "$1,250,000".
//
// A quantity yields features keyed by its value in a base unit (hours for
// durations) and by each noun it counts (and the noun's synonyms): "2,000
// households" and "2,000 family units" share the key of 2,000 with the synset
// of family and household. A value is also keyed rounded: a protected
// document's 312 to one and two significant digits (300, 310), an article's
// "about 300" at the precision it is written with, so that a reporter's
// rounding meets the document's exact figure. Because both stages of
// matching look features up by key, the first stage finds what the second
// compares.

// Units that are not things counted, with seeds of their own.
const (
	seedDuration = 0x64757261
	seedSynonym  = 0x73796e6f
	seedCompound = 0x636d706e
	seedRound    = 0x726f756e
	seedDayWd    = 0x64617977
	seedEarly    = 0x6561726c
)

// durations are the hours in a unit of time.
var durations = map[string]float64{
	"minute": 1.0 / 60, "minutes": 1.0 / 60, "hour": 1, "hours": 1, "day": 24, "days": 24, "week": 168, "weeks": 168,
	"fortnight": 336, "fortnights": 336, "month": 730, "months": 730, "year": 8760, "years": 8760,
}

// hedges before a number say it is rounded: "about 140", "more than 300",
// "nearly 2,000", "an estimated 1.1 million".
var hedges = map[string]bool{
	"about": true, "around": true, "approximately": true, "roughly": true, "nearly": true, "almost": true,
	"some": true, "over": true, "under": true, "estimated": true, "than": true, "least": true, "upwards": true,
	"upward": true, "approx": true, "circa": true, "ca": true, "close": true, "up": true, "just": true, "most": true,
}

// earlyWords name the early morning: "before dawn", "early-morning raids",
// "at first light". They match a time from 3:00 to 7:00 as weak evidence.
var earlyWords = map[string]bool{"dawn": true, "predawn": true, "daybreak": true, "sunrise": true}

// currencyWords name money after a number.
var currencyWords = keySet(map[string]bool{"dollar": true, "pound": true, "euro": true, "buck": true, "usd": true, "gbp": true, "eur": true})

// wordKey is the key of a word's token.
func wordKey(w string) uint64 {
	var tz tokenizer
	return hashBytes(stemPlural(tz.normalize(w)))
}

// Keys of words the quantity reader looks for.
var (
	kA, kAn, kAnd, kOr, kOf, kThe = wordKey("a"), wordKey("an"), wordKey("and"), wordKey("or"), wordKey("of"), wordKey("the")
	kPlus, kMore, kSo, kHalf      = wordKey("plus"), wordKey("more"), wordKey("so"), wordKey("half")
	kEarly, kMorning              = wordKey("early"), wordKey("morning")
	kHundred                      = wordKey("hundred")
)

var (
	durationKeys = keySet(durations)
	hedgeKeys    = keySet(hedges)
	earlyKeys    = keySet(earlyWords)
)

//go:embed synonyms.txt
var synonymText string

// synonymGroups maps a noun's key (or a two-word compound's) to the WordNet
// synsets it shares with other nouns (synonyms.txt).
var synonymGroups = sync.OnceValue(func() map[uint64][]uint32 {
	out := map[uint64][]uint32{}
	var tz tokenizer
	sc := bufio.NewScanner(strings.NewReader(synonymText))
	group := uint32(0)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		group++
		for _, lemma := range strings.Fields(line) {
			var key uint64
			for i, part := range strings.Split(lemma, "_") {
				k := hashBytes(stemPlural(tz.normalize(part)))
				if i == 0 {
					key = k
				} else {
					key = mix(mix(seedCompound, key), k)
				}
			}
			if g := out[key]; len(g) == 0 || g[len(g)-1] != group {
				out[key] = append(g, group)
			}
		}
	}
	return out
})

//go:embed places.txt
var placeText string

// knownPlaces are the name keys of places of two words or more that a
// dictionary knows (places.txt: "Corpus Christi", "Salt Lake City"): common
// knowledge, weighed as well-known places.
var knownPlaces = sync.OnceValue(func() map[uint64]bool {
	out := map[uint64]bool{}
	var tz tokenizer
	sc := bufio.NewScanner(strings.NewReader(placeText))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		name := strings.ReplaceAll(line, "_", " ")
		key := uint64(seedName)
		for t := range tokenRules.Tokens(name) {
			w := name[t.Start:t.End]
			if w[0] < 'A' || w[0] > 'Z' {
				continue // "of", "the": connectors, not in a name's key
			}
			key = mix(key, hashBytes(stemPlural(tz.normalize(w))))
		}
		out[key] = true
	}
	return out
})

// roundSig rounds v to s significant digits.
func roundSig(v float64, s int) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, float64(s)-math.Ceil(math.Log10(math.Abs(v))))
	return roundValue(math.Round(v*p) / p)
}

// valueWeightSig is the evidence of a value known to s significant digits.
func valueWeightSig(v float64, s uint8, numWord bool) float32 {
	var w float32
	switch {
	case numWord || v == math.Trunc(v) && v <= 12:
		w = 0.2
	case s <= 1:
		w = 0.5
	case s == 2:
		w = 1.0
	case s == 3:
		w = 2.5
	default:
		w = 3.5
	}
	if v >= 100 && s >= 2 {
		w += 0.5
	}
	return w
}

// quantity is a number with what it measures, as read from the tokens.
type quantity struct {
	k       int   // the number token
	t0, t1  int32 // tokens shown: hedge, number, unit and the nouns counted
	val     float64
	sig     uint8
	hedged  bool
	unit    uint64   // seed of a unit that is not counted things, or 0
	heads   []uint64 // keys of the nouns counted (and of their synsets)
	headW   []float32
	numWord bool
}

// readQuantity reads the quantity of number token k.
func readQuantity(text string, toks []token, k int, q *quantity) {
	t := &toks[k]
	*q = quantity{k: k, t0: int32(k), t1: int32(k + 1), val: t.val, sig: t.sig, numWord: t.has(flagNumWord), heads: q.heads[:0], headW: q.headW[:0]}
	if q.sig == 0 {
		q.sig = 1
	}
	// A hedge: one or two words before ("about", "more than", "up to",
	// "an estimated"), or "~".
	for j := k - 1; j >= 0 && j >= k-2 && toks[j].sent == t.sent && toks[j].kind == tokWord; j-- {
		if hedgeKeys[toks[j].key] {
			q.hedged, q.t0 = true, int32(j)
			break
		}
	}
	if t.start > 0 && text[t.start-1] == '~' {
		q.hedged = true
	}
	// "300-plus", "300 or more": hedged too.
	j := k + 1
	if j < len(toks) && toks[j].sent == t.sent && toks[j].kind == tokWord {
		switch toks[j].key {
		case kPlus:
			q.hedged = true
			j++
		case kOr:
			if j+1 < len(toks) && (toks[j+1].key == kMore || toks[j+1].key == kSo) {
				q.hedged = true
				j += 2
			}
		}
	}
	switch {
	case t.has(flagCurrency):
		q.unit = seedCurr
		return
	case t.has(flagPercent):
		q.unit = seedPercent
		return
	}
	// A currency named after the number: "1.25 million dollars".
	if j < len(toks) && toks[j].kind == tokWord && toks[j].sent == t.sent && currencyWords[toks[j].key] {
		q.unit = seedCurr
		q.t1 = int32(j + 1)
		return
	}
	// A unit of time, also hyphenated: "72 hours", "72-hour", "three-day".
	if j < len(toks) && toks[j].kind == tokWord && toks[j].sent == t.sent && toks[j].start-t.end <= 1 {
		if h, ok := durationKeys[toks[j].key]; ok {
			q.unit, q.val = seedDuration, roundValue(q.val*h)
			q.t1 = int32(j + 1)
			if half(text, toks, j) {
				q.val = roundValue(q.val * 1.5)
				q.t1 = int32(j + 4)
			}
			return
		}
	}
	readHeads(text, toks, k, j, q)
}

// half reports whether "and a half" follows the unit at token j.
func half(text string, toks []token, j int) bool {
	if j+3 >= len(toks) {
		return false
	}
	return toks[j+1].key == kAnd && toks[j+2].key == kA && toks[j+3].key == kHalf && toks[j+3].sent == toks[j].sent
}

// maxHeads bounds the nouns a number counts: "140 deputies, officers, and
// special agents".
const maxHeads = 4

// readHeads collects the nouns a number counts, from token j: nouns and
// names, past adjectives and verbs ("312 outstanding felony warrants"),
// through commas and "and"/"or" ("deputies, officers, and special agents"),
// to the end of the noun phrase.
func readHeads(text string, toks []token, k, j int, q *quantity) {
	t := &toks[k]
	syn := synonymGroups()
	prev := k
	var lastKey uint64
	lastHead := -1
	for ; j < len(toks) && j <= k+7 && len(q.heads) < 3*maxHeads; j++ {
		u := &toks[j]
		if u.sent != t.sent || u.kind != tokWord {
			break
		}
		if gap := text[toks[prev].end:u.start]; strings.ContainsAny(gap, ".;:()[]\"“”") {
			break
		}
		prev = j
		if u.tier == tierStop {
			if (u.key == kAnd || u.key == kOr) && lastHead >= 0 {
				lastHead = -1
				continue
			}
			break
		}
		if !u.has(flagNoun) || u.w == 0 || monthKeys[u.key] != 0 || weekdayKeys[u.key] != 0 {
			lastHead = -1
			continue
		}
		uw := min(u.w, 1.5)
		q.heads = append(q.heads, mix(seedUnit, u.key))
		q.headW = append(q.headW, uw)
		for _, g := range syn[u.key] {
			q.heads = append(q.heads, mix(seedSynonym, uint64(g)))
			q.headW = append(q.headW, min(uw, 1.0))
		}
		if lastHead >= 0 {
			for _, g := range syn[mix(mix(seedCompound, lastKey), u.key)] {
				q.heads = append(q.heads, mix(seedSynonym, uint64(g)))
				q.headW = append(q.headW, min(uw, 1.0))
			}
		}
		lastKey, lastHead = u.key, j
		q.t1 = int32(j + 1)
	}
	if len(q.heads) == 0 {
		headsBefore(text, toks, k, q)
	}
}

// headsBefore collects up to two nouns before a number that counts nothing
// after it: "the number of warrants is somewhere around 300".
func headsBefore(text string, toks []token, k int, q *quantity) {
	t := &toks[k]
	n := 0
	for j := int(q.t0) - 1; j >= 0 && j >= int(q.t0)-6 && n < 2; j-- {
		u := &toks[j]
		if u.sent != t.sent || u.kind != tokWord || strings.ContainsAny(text[u.end:toks[j+1].start], ".;:()[]\"“”") {
			break
		}
		if u.tier == tierStop || !u.has(flagNoun) || u.w == 0 || monthKeys[u.key] != 0 || weekdayKeys[u.key] != 0 {
			continue
		}
		q.heads = append(q.heads, mix(seedUnit, u.key))
		q.headW = append(q.headW, min(u.w, 1.5))
		n++
	}
}

// isYear reports whether a number token is a year: "2023 ransomware
// attack" counts no attacks.
func isYear(text string, t *token) bool {
	return t.kind == tokNumber && !t.has(flagNumWord|flagCurrency|flagPercent|flagOrdinal) && t.val >= 1900 && t.val <= 2100 &&
		t.val == math.Trunc(t.val) && t.end-t.start == 4
}

// quantityFeatures adds the features of number token k: the value with each
// noun it counts or its unit, exact and rounded, and the value alone. doc
// says the text is a protected version, whose values are keyed rounded too;
// an article's values are keyed at the precision they are written with.
func quantityFeatures(text string, toks []token, k int, doc bool, q *quantity, out []feature) []feature {
	t := &toks[k]
	if isYear(text, t) {
		return append(out, feature{key: numberKey(t.val), w: valueWeight(t), kind: fValue, t0: int32(k), t1: int32(k + 1), num: int32(k)})
	}
	readQuantity(text, toks, k, q)
	// Precisions: 0 is the exact value; 1 and 2 significant digits.
	precs := [3]bool{0: true}
	if doc {
		precs[1], precs[2] = q.sig > 1, q.sig > 2
	} else if q.sig <= 2 && !q.numWord && q.val >= 10 {
		precs[q.sig] = true
	}
	for p, ok := range precs {
		if !ok {
			continue
		}
		v, s := q.val, q.sig
		vk := numberKey(v)
		if p > 0 {
			v, s = roundSig(q.val, p), uint8(p)
			vk = mix(seedRound+uint64(p), math.Float64bits(v))
		}
		vw := valueWeightSig(v, s, q.numWord)
		if p > 0 || q.hedged {
			vw *= 0.8
		}
		add := func(key uint64, w float32) {
			out = append(out, feature{key: key, w: w, kind: fNumber, t0: q.t0, t1: q.t1, num: int32(k), prec: uint8(p)})
		}
		switch q.unit {
		case seedCurr:
			add(mix(vk, seedCurr), vw+1.0)
		case seedPercent:
			add(mix(vk, seedPercent), vw+0.3)
		case seedDuration:
			// Periods are round and common: weigh the number as written
			// ("72" hours, "three" days).
			dw := valueWeightSig(t.val, t.sig, q.numWord)
			if p > 0 {
				dw = valueWeightSig(t.val, min(t.sig, uint8(p)), q.numWord) * 0.8
			}
			add(mix(vk, seedDuration), dw+0.3)
		default:
			for i, h := range q.heads {
				add(mix(vk, h), vw+0.5+q.headW[i])
			}
		}
	}
	if !t.has(flagOrdinal) {
		out = append(out, feature{key: numberKey(q.val), w: valueWeight(t), kind: fValue, t0: int32(k), t1: int32(k + 1), num: int32(k)})
	}
	return out
}

// dateFeatures adds the date that token k (a month, a weekday or a day)
// starts, if any: "March 8", "Oct. 8", "8 March", "14 November", "Sunday
// the 8th", "Thursday 14 November". It returns the tokens it used, so that
// the day is not read as a count ("14 November" is no number of Novembers).
func dateFeatures(text string, toks []token, k int, out []feature) ([]feature, int) {
	t := &toks[k]
	isDay := func(i int) bool {
		d := &toks[i]
		return d.kind == tokNumber && !d.has(flagNumWord|flagCurrency|flagPercent) && d.val >= 1 && d.val <= 31 &&
			d.val == math.Trunc(d.val) && d.sent == t.sent
	}
	close := func(a, b int) bool { return toks[b].start-toks[a].end <= 2 }
	month := func(i int) int {
		if i >= len(toks) || toks[i].kind != tokWord || !toks[i].has(flagCap) {
			return 0
		}
		return monthKeys[toks[i].key]
	}
	var m, d, wd int
	end := k
	switch {
	case month(k) > 0 && k+1 < len(toks) && isDay(k+1) && close(k, k+1):
		m, d, end = month(k), int(toks[k+1].val), k+2
	case t.kind == tokNumber && isDay(k) && k+1 < len(toks) && month(k+1) > 0 && close(k, k+1):
		m, d, end = month(k+1), int(t.val), k+2
	case t.kind == tokNumber && isDay(k) && k+2 < len(toks) && month(k+2) > 0 && toks[k+1].key == kOf:
		m, d, end = month(k+2), int(t.val), k+3
	default:
		return out, k
	}
	// A weekday before: "Sunday, March 8", "Thursday 14 November".
	start := k
	if k > 0 && toks[k-1].has(flagCap) && weekdayKeys[toks[k-1].key] != 0 && toks[k-1].sent == t.sent && toks[k].start-toks[k-1].end <= 2 {
		wd, start = weekdayKeys[toks[k-1].key], k-1
	}
	// A year after: "March 8, 2026" tells the weekday.
	if end < len(toks) && toks[end].kind == tokNumber && toks[end].val >= 1900 && toks[end].val <= 2100 && toks[end].start-toks[end-1].end <= 2 {
		if wd == 0 {
			wd = int(time.Date(int(toks[end].val), time.Month(m), d, 12, 0, 0, 0, time.UTC).Weekday())
			if wd == 0 {
				wd = 7
			}
		}
		end++
	}
	out = append(out, feature{key: mix(seedDate, uint64(m*32+d)), w: 2.0, kind: fDate, t0: int32(start), t1: int32(end), num: -1, md: int16(m*32 + d)})
	if wd > 0 {
		out = append(out, feature{key: mix(seedDayWd, uint64(d*8+wd)), w: dayWdWeight, kind: fDate, t0: int32(start), t1: int32(end), num: -1, md: int16(m*32 + d)})
	}
	return out, end
}

// dayWdWeight is the evidence of a day of the month with its weekday:
// nearly as telling as a month and day.
const dayWdWeight = 2.0

// weekdayDay adds "Sunday the 8th" or "Sunday 8th": a day of a month the
// reader knows, with its weekday.
func weekdayDay(text string, toks []token, k int, out []feature) []feature {
	t := &toks[k]
	wd := weekdayKeys[t.key]
	j := k + 1
	if j < len(toks) && toks[j].key == kThe {
		j++
	}
	if j >= len(toks) || toks[j].sent != t.sent || !toks[j].has(flagOrdinal) || toks[j].start-toks[j-1].end > 2 {
		return out
	}
	d := int(toks[j].val)
	return append(out, feature{key: mix(seedDayWd, uint64(d*8+wd)), w: dayWdWeight, kind: fDate, t0: int32(k), t1: int32(j + 1), num: -1, md: int16(d)})
}

// halfPeriod adds "a day and a half", "a year and a half" (no number
// token): 1.5 times the unit.
func halfPeriod(text string, toks []token, k int, out []feature) []feature {
	t := &toks[k]
	h, ok := durationKeys[t.key]
	if !ok || k == 0 || !half(text, toks, k) {
		return out
	}
	if a := toks[k-1].key; a != kA && a != kAn {
		return out
	}
	v := roundValue(1.5 * h)
	w := valueWeightSig(1.5, 2, false)
	return append(out,
		feature{key: mix(numberKey(v), seedDuration), w: w + 0.3, kind: fNumber, t0: int32(k - 1), t1: int32(k + 4), num: int32(k)},
		feature{key: mix(mix(seedRound+2, math.Float64bits(roundSig(v, 2))), seedDuration), w: 0.8*w + 0.3, kind: fNumber, prec: 2, t0: int32(k - 1), t1: int32(k + 4), num: int32(k)})
}

// noonWords name a time of day: "noon", "midday", "midnight".
var noonWords = keySet(map[string]int{"noon": 720, "midday": 720, "midnight": 0})

// Word classes, so that one lookup tells the words that start dates, times
// and periods.
const (
	classMonth uint8 = 1 << iota
	classWeekday
	classEarly // "dawn", "early" (morning)
	classDuration
	classNoon
)

var wordClasses = func() map[uint64]uint8 {
	m := map[uint64]uint8{}
	for k := range monthKeys {
		m[k] |= classMonth
	}
	for k := range weekdayKeys {
		m[k] |= classWeekday
	}
	for k := range earlyKeys {
		m[k] |= classEarly
	}
	m[kEarly] |= classEarly
	for k := range durationKeys {
		m[k] |= classDuration
	}
	for k := range noonWords {
		m[k] |= classNoon
	}
	return m
}()

// earlyFeature adds the weak feature of the early morning: a clock time from
// 3:00 to 7:00, or words that name it ("before dawn", "early-morning").
func earlyFeature(text string, toks []token, k int, out []feature) []feature {
	t := &toks[k]
	early := false
	end := k + 1
	switch {
	case t.kind == tokTime:
		early = t.val >= 180 && t.val <= 420
	case earlyKeys[t.key]:
		early = true
	case t.key == kEarly && k+1 < len(toks) && toks[k+1].key == kMorning && toks[k+1].sent == t.sent:
		early, end = true, k+2
	}
	if !early {
		return out
	}
	return append(out, feature{key: seedEarly, w: 1.0, kind: fTime, t0: int32(k), t1: int32(end), num: -1, prec: 1})
}
