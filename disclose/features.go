package disclose

import (
	"math"
	"strings"
)

// featKind is the kind of a distinctive feature of a text.
type featKind uint8

const (
	fNumber  featKind = iota // a number with its unit: "140 deputies", "$48.50", "31 percent"
	fValue                   // a number's value alone
	fDate                    // month and day: "March 16"
	fWeekday                 // "Sunday"
	fTime                    // clock time: "5:30 a.m."
	fName                    // a capitalised multi-word term: "Project Meridian"
	fWord                    // a word not in the background vocabulary
	fPhrase                  // a declared fact in plain words, matched as a word sequence
)

// feature is a distinctive element of a text, hashed for the index.
type feature struct {
	key    uint64
	w      float32 // evidence weight, roughly in bits
	kind   featKind
	place  bool     // a name that is a place
	rare   bool     // a name with a word the background does not know: a code name, a made-up company
	prec   uint8    // 0: exact; 1 or 2: a value rounded to that many significant digits, or a weak match
	t0, t1 int32    // tokens [t0, t1) shown
	num    int32    // the number token of a quantity
	md     int16    // a date's month × 32 + day (0: unknown month)
	phrase []uint64 // token keys of an fPhrase
}

// Seeds that separate the hash spaces of the feature kinds.
const (
	seedUnit    = 0x756e6974
	seedDate    = 0x64617465
	seedWeekday = 0x7764790a
	seedName    = 0x6e616d65
	seedWord    = 0x776f7264
	seedGram    = 0x6772616d
	seedCurr    = 0x24
	seedPercent = 0x25
)

var months = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}

var weekdays = map[string]int{
	"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
}

// nameConnectors may join the capitalised words of one name ("Office of
// Policy and Program Design").
var nameConnectors = map[string]bool{"of": true, "the": true, "for": true, "de": true, "la": true, "del": true, "du": true, "van": true, "von": true}

// placeSuffixes make a capitalised term a place: "Harris County".
var placeSuffixes = map[string]bool{
	"county": true, "parish": true, "township": true, "borough": true, "province": true, "district": true,
	"island": true, "islands": true, "bay": true, "river": true, "valley": true, "beach": true,
	"springs": true, "falls": true, "heights": true, "hills": true, "city": true, "state": true,
}

// placePrefixes make a capitalised term a place: "Lake Charles", "Port Arthur".
var placePrefixes = map[string]bool{
	"lake": true, "port": true, "fort": true, "mount": true, "saint": true, "san": true, "santa": true,
	"los": true, "las": true, "el": true, "new": true, "north": true, "south": true, "east": true, "west": true,
}

// keySet turns a word set into a set of token keys, so that lookups need no
// lower-casing.
func keySet[V any](m map[string]V) map[uint64]V {
	out := make(map[uint64]V, len(m))
	for w, v := range m {
		out[hashString(w)] = v
	}
	return out
}

var (
	monthKeys     = keySet(months)
	weekdayKeys   = keySet(weekdays)
	connectorKeys = keySet(nameConnectors)
	suffixKeys    = keySet(placeSuffixes)
	prefixKeys    = keySet(placePrefixes)
)

// view is a tokenized text with its features.
type view struct {
	text  string
	toks  []token
	feats []feature
	q     quantity // scratch
	// names counts the occurrences of each rare word of a version: what a
	// document keeps naming is its subject.
	names map[uint64]int
}

// analyze tokenizes text and extracts its features. doc says the text is a
// protected version (whose values are also keyed rounded), not an article.
func (tz *tokenizer) analyze(text string, v *view, doc bool) {
	v.text = text
	v.toks = compact(tz.tokenize(text, v.toks))
	v.feats = extractFeatures(text, v.toks, doc, &v.q, v.feats[:0])
	if doc {
		clear(v.names)
		if v.names == nil {
			v.names = map[uint64]int{}
		}
		for i := range v.toks {
			if v.toks[i].tier == tierRare {
				v.names[v.toks[i].key]++
			}
		}
	}
}

// compact drops the tokens folded into numbers ("million", "percent",
// "a.m."), so that both sides of a comparison see the same sequence.
func compact(toks []token) []token {
	out := toks[:0]
	for _, t := range toks {
		if !t.has(flagConsumed) {
			out = append(out, t)
		}
	}
	return out
}

func extractFeatures(text string, toks []token, doc bool, q *quantity, out []feature) []feature {
	skip := 0 // tokens before skip belong to a date
	for k := range toks {
		if k < skip {
			continue
		}
		t := &toks[k]
		switch t.kind {
		case tokNumber:
			var end int
			if out, end = dateFeatures(text, toks, k, out); end > k {
				skip = end
				continue
			}
			out = quantityFeatures(text, toks, k, doc, q, out)
		case tokTime:
			w := float32(2.0)
			if int(t.val)%60 == 0 {
				w = 0.8
			}
			out = append(out, feature{key: t.key, w: w, kind: fTime, t0: int32(k), t1: int32(k + 1), num: -1})
			// A version's early time is what "before dawn" reports; an
			// article's 6 a.m. is no report of 5:30 a.m.
			if doc {
				out = earlyFeature(text, toks, k, out)
			}
		case tokWord:
			// One lookup tells the few words that start dates, times
			// and periods.
			c := wordClasses[t.key]
			if c&classMonth != 0 && t.has(flagCap) {
				var end int
				if out, end = dateFeatures(text, toks, k, out); end > k {
					skip = end
					continue
				}
			}
			if c&classWeekday != 0 && t.has(flagCap) {
				out = append(out, feature{key: mix(seedWeekday, t.key), w: 0.8, kind: fWeekday, t0: int32(k), t1: int32(k + 1), num: -1})
				out = weekdayDay(text, toks, k, out)
			}
			if c&classEarly != 0 {
				out = earlyFeature(text, toks, k, out)
			}
			if c&classDuration != 0 {
				out = halfPeriod(text, toks, k, out)
			}
			if c&classNoon != 0 {
				out = append(out, feature{key: timeKey(noonWords[t.key]), w: 0.8, kind: fTime, t0: int32(k), t1: int32(k + 1), num: -1})
			}
			if t.tier == tierRare && t.end-t.start >= 3 {
				out = append(out, feature{key: mix(seedWord, t.key), w: rareWeight, kind: fWord, rare: true, t0: int32(k), t1: int32(k + 1), num: -1})
			}
		}
	}
	return nameFeatures(text, toks, out)
}

// valueWeight is the evidence of a number's value alone: long, exact values
// are rare in news, small and round ones are everywhere.
func valueWeight(t *token) float32 {
	v := t.val
	var w float32
	switch {
	case t.has(flagNumWord) || v == math.Trunc(v) && v <= 12:
		w = 0.2
	case t.sig <= 1:
		w = 0.5
	case t.sig == 2:
		w = 1.0
	case t.sig == 3:
		w = 2.5
	default:
		w = 3.5
	}
	if v >= 100 && t.sig >= 2 {
		w += 0.5
	}
	if v >= 1900 && v <= 2100 && v == math.Trunc(v) && !t.has(flagCurrency|flagPercent) {
		w = 0.3 // a year
	}
	return w
}

// nameFeatures adds capitalised multi-word terms, with their prefixes and
// suffixes of two words or more, so that "Harbor Light" matches "Operation
// Harbor Light".
func nameFeatures(text string, toks []token, out []feature) []feature {
	k := 0
	for k < len(toks) {
		if !nameWord(text, toks, k, true) {
			k++
			continue
		}
		// words holds the token indices of the name's capitalised words.
		words := []int{k}
		j := k + 1
		for j < len(toks) {
			if toks[j].sent != toks[k].sent {
				break
			}
			if nameWord(text, toks, j, false) && nameGap(text, &toks[j-1], &toks[j]) {
				words = append(words, j)
				j++
				continue
			}
			// A connector followed by another capitalised word.
			if j+1 < len(toks) && connectorKeys[toks[j].key] && !toks[j].has(flagCap) && nameWord(text, toks, j+1, false) &&
				toks[j+1].sent == toks[k].sent && nameGap(text, &toks[j-1], &toks[j]) && nameGap(text, &toks[j], &toks[j+1]) {
				j++
				continue
			}
			break
		}
		if len(words) >= 2 {
			out = addName(text, toks, words, out)
		}
		k = j
	}
	return out
}

// nameGap reports whether two tokens are close enough to belong to one
// name: separated by spaces, a hyphen, an ampersand, or the period of an
// initial ("Daniel R. Whitfield"); a comma or slash separates names.
func nameGap(text string, a, b *token) bool {
	gap := text[a.end:b.start]
	switch strings.TrimSpace(gap) {
	case "", "-", "&":
		return len(gap) <= 3
	case ".":
		return a.end-a.start == 1 && len(gap) <= 3
	}
	return false
}

// nameWord reports whether token k can be part of a name. A capitalised
// common word opening a sentence ("The", "Officials") cannot start one.
func nameWord(text string, toks []token, k int, first bool) bool {
	t := &toks[k]
	if t.kind != tokWord || !t.has(flagCap) || t.tier == tierStop {
		return false
	}
	if first && t.has(flagSentStart) && (t.tier == tierCommon || t.tier == tierNews) {
		return false
	}
	return true
}

func addName(text string, toks []token, words []int, out []feature) []feature {
	if len(words) > 6 {
		words = words[:6]
	}
	n := len(words)
	for a := 0; a < n; a++ {
		for b := a + 2; b <= n; b++ {
			if a > 0 && b < n {
				continue // prefixes and suffixes only
			}
			sub := words[a:b]
			key := uint64(seedName)
			for _, i := range sub {
				key = mix(key, toks[i].key)
			}
			w, place := nameWeight(text, toks, sub)
			if knownPlaces()[key] {
				w, place = min(w, knownNameWeight), true
			}
			rare := false
			for _, i := range sub {
				rare = rare || toks[i].tier == tierRare
			}
			out = append(out, feature{key: key, w: w, kind: fName, place: place, rare: rare, t0: int32(sub[0]), t1: int32(sub[len(sub)-1] + 1), num: -1})
		}
	}
	return out
}

// nameWeight is the evidence of a shared name: the rarity of its words, at
// least half a bit each since capitalisation makes a phrase specific, capped
// at 6; a place name ("Harris County", "Lake Charles", "New England") is
// common knowledge and weighs little.
func nameWeight(text string, toks []token, words []int) (float32, bool) {
	place := suffixKeys[toks[words[len(words)-1]].key] || prefixKeys[toks[words[0]].key]
	allPlaces := true
	var w, pw float32
	for _, i := range words {
		t := &toks[i]
		if t.tier != tierName {
			allPlaces = false
		}
		w += max(t.w, 0.5)
		pw += t.w
	}
	if place || allPlaces {
		return min(pw, 1.2), true
	}
	return min(w, 6), false
}
