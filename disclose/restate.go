package disclose

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Restated sentences: reporters retell a plan in their own words ("evacuees
// would be directed to the ferry terminal at Port Vasse" for "evacuees
// assemble at the Port Vasse ferry terminal"), so no passage is verbatim
// and no fact is stated as the plan states it. An article sentence that
// shares with one sentence of the version several of its words and one of
// its specifics (a name that is not the version's subject, a number, a
// date) restates it. Names alone restate nothing: the company, the place
// and the people a plan is about are in the news for their own reasons.
const (
	// restateWords is the least number of shared everyday or rare
	// lower-case words, with restateSpecifics shared specifics.
	restateWords     = 2
	restateSpecifics = 1
	// restateShared is the least number of shared words and specifics
	// together.
	restateShared = 4
	// specificName is the least weight of a name that is a specific:
	// "Navigation Boulevard", not "Houston".
	specificName = 1.5
	// restateShare turns the weight of the shared words into evidence,
	// at most maxRestated.
	restateShare = 0.6
	maxRestated  = 4.0
)

// restateAcc adds up what one sentence of the version shares with each
// article sentence.
type restateAcc struct {
	w            float32
	words, specs int16   // shared words, shared specifics
	names        int16   // shared names
	nameW        float32 // weight of the current name
	lastName     int32   // 1 + the version token of the last shared name word
	first, last  int32   // article tokens
}

// matchRestated finds the version's sentences that the article restates.
// Sentences of the version's background are left out: what it quotes, and
// paragraphs that tell what happened before the version was written
// (history is public, and reporters retell it).
func (sc *matchScratch) matchRestated(p *Protected, t *tally) {
	doc, art := sc.doc.toks, sc.art.toks
	if len(art) == 0 || len(doc) == 0 {
		return
	}
	nSent := int(art[len(art)-1].sent) + 1
	if cap(sc.rest) < nSent {
		sc.rest = make([]restateAcc, nSent)
	}
	rest := sc.rest[:nSent]
	usedArt := map[int32]bool{}
	seen := sc.reuse(&sc.seen)
	for j0 := 0; j0 < len(doc); {
		j1 := j0
		for j1 < len(doc) && doc[j1].sent == doc[j0].sent {
			j1++
		}
		// A sentence whose declared fact the article states is reported
		// as that fact.
		sent := sc.docSpan(int32(j0), int32(j1))
		if sc.bg.sents[doc[j0].sent] || sc.bg.heading[doc[j0].sent] || sc.inList(p, sent.Start) || sc.inFact(sent) {
			j0 = j1
			continue
		}
		clear(seen)
		touched := sc.restTouched[:0]
		for j := j0; j < j1; j++ {
			dt := &doc[j]
			if sc.words.head(dt.key) == 0 || sc.bg.inURL(dt) {
				continue // not in the article; an address says nothing
			}
			w, class := sc.restateWeight(dt)
			if class == restNone || seen[dt.key] {
				continue
			}
			seen[dt.key] = true
			last := int32(-1)
			for h := sc.words.head(dt.key); h != 0; h = sc.words.next[h-1] {
				i := h - 1
				s := art[i].sent
				if s == last || sc.claimed[i] {
					continue
				}
				last = s
				a := &rest[s]
				if a.words == 0 && a.specs == 0 && a.names == 0 && a.w == 0 {
					touched = append(touched, s)
					a.first, a.last = i, i
				}
				a.first, a.last = min(a.first, i), max(a.last, i)
				a.w += w
				switch class {
				case restWord:
					a.words++
				case restNumber:
					a.specs++
				case restName:
					// Consecutive name words of the version are one name.
					if !sc.sameName(a.lastName, int32(j)) {
						a.names++
						a.nameW = 0
					}
					a.nameW += w
					if a.nameW >= specificName && a.nameW-w < specificName {
						a.specs++
					}
					a.lastName = int32(j + 1)
				}
			}
		}
		best, bestW := int32(-1), float32(0)
		for _, s := range touched {
			a := &rest[s]
			ok := a.words >= restateWords && a.specs >= restateSpecifics && a.words+a.specs >= restateShared
			if ok && !usedArt[s] && a.w > bestW {
				best, bestW = s, a.w
			}
		}
		if best >= 0 {
			usedArt[best] = true
			a := &rest[best]
			d := newDisclosure(KindRestated)
			d.Approximate = true
			d.Weight = min(float64(a.w)*restateShare, maxRestated)
			d.Article = []Span{sc.artSpan(a.first, a.last+1)}
			d.Source = sc.docSpan(int32(j0), int32(j1))
			sc.finish(&d, sc.doc.text)
			t.addRestated(d)
		}
		for _, s := range touched {
			rest[s] = restateAcc{}
		}
		sc.restTouched = touched[:0]
		j0 = j1
	}
}

// Classes of shared tokens.
const (
	restNone = iota
	restWord
	restNumber
	restName
)

// restateWeight is the evidence of a token of the version shared with a
// sentence of the article, and its class.
func (sc *matchScratch) restateWeight(t *token) (float32, int) {
	switch t.kind {
	case tokNumber:
		if t.val >= 1900 && t.val <= 2100 && t.val == float64(int(t.val)) {
			return 0, restNone // a year
		}
		if t.val <= 1 {
			return 0.3, restWord // "no one", "one bag"
		}
		return 1, restNumber
	case tokTime:
		return 1, restNumber
	}
	if t.w <= 0 {
		return 0, restNone
	}
	if t.has(flagCap) && wordClasses[t.key]&(classMonth|classWeekday) != 0 {
		return min(t.w, 1), restNumber
	}
	if t.has(flagCap) && !(t.has(flagSentStart) && t.tier <= tierUncommon) {
		if t.tier == tierRare && sc.doc.names[t.key] > maxDetailMentions {
			return 0, restNone // the version's subject says nothing
		}
		return min(t.w, 2), restName
	}
	return min(t.w, 2), restWord
}

// sameName reports whether version token j continues the name whose last
// word is token last-1: next to it, or past connectors ("Department of
// Labor and Workforce Standards").
func (sc *matchScratch) sameName(last, j int32) bool {
	if last <= 0 || j < last || j-last > 2 {
		return false
	}
	for k := last; k < j; k++ {
		if t := &sc.doc.toks[k]; t.kind != tokWord || t.w > 0 || t.sent != sc.doc.toks[j].sent {
			return false
		}
	}
	return true
}

// heading reports whether the line holding a byte offset is a heading, a
// field of a document's header ("**From:** …") or a table row: names,
// titles and data, not sentences to restate.
func heading(text string, off int) bool {
	start := strings.LastIndexByte(text[:off], '\n') + 1
	line, _, _ := strings.Cut(text[start:], "\n")
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "|") {
		return true
	}
	// "**Date:** …" and a line in bold are a header; "**Phase III.** …"
	// leads into a paragraph.
	bold, ok := strings.CutPrefix(line, "**")
	if !ok {
		return false
	}
	lead, _, _ := strings.Cut(bold, "**")
	return strings.HasSuffix(lead, ":") || strings.HasSuffix(line, "**") || strings.HasPrefix(strings.TrimPrefix(bold, lead+"**"), ":")
}

// inList reports whether a byte offset of the version is in an item of one
// of its lists: items are matched as items.
func (sc *matchScratch) inList(p *Protected, off int) bool {
	for _, l := range p.Lists {
		for _, it := range l.Items {
			if it.Start <= off && off < it.End {
				return true
			}
		}
	}
	return false
}

// addRestated adds a restated sentence: a specific detail, and from
// minReportedDetail something the version protects.
func (t *tally) addRestated(d Disclosure) {
	t.facts = append(t.facts, d)
	t.specifics += d.Weight
	if d.Weight >= minReportedDetail {
		t.strongest = max(t.strongest, d.Weight)
		t.nSpecific++
	}
	t.nDetails++
}

// issuedDay returns the day of the year of a version's own date: the first
// date in it that gives a year ("issued Monday, February 23, 2026"), or -1.
func issuedDay(toks []token, feats []feature) int {
	for i := range feats {
		f := &feats[i]
		if f.kind != fDate || f.md/32 == 0 {
			continue
		}
		y := &toks[f.t1-1]
		if y.kind == tokNumber && y.val >= 1900 && y.val <= 2100 {
			return dayOfYear(f.md)
		}
	}
	return -1
}

func dayOfYear(md int16) int {
	return time.Date(2001, time.Month(md/32), int(md%32), 12, 0, 0, 0, time.UTC).YearDay()
}

// historyDays: a date of a version up to this many days before its own
// date tells what happened before it was written.
const historyDays = 150

// background is what of a version's text is its background, read when it
// is indexed: the day of the year of its own date (-1 if unknown), the
// sentences that quote someone or tell what happened before that date, its
// headings, header fields, table rows and code, and its web addresses.
type background struct {
	issued  int
	sents   []bool // per sentence: background
	heading []bool // per sentence: a heading, header field, table row or code
	urls    []Span
}

// history reports whether a date (month × 32 + day) of a version is before
// the version's own date.
func (bg *background) history(md int16) bool {
	if bg.issued < 0 || md/32 == 0 {
		return false
	}
	back := (bg.issued - dayOfYear(md) + 365) % 365
	return back > 0 && back <= historyDays
}

// inURL reports whether a token of the version is in a web address.
func (bg *background) inURL(t *token) bool {
	for _, u := range bg.urls {
		if u.Start <= int(t.start) && int(t.start) < u.End {
			return true
		}
	}
	return false
}

// readBackground reads the background of a version's analyzed text.
func readBackground(v *view) background {
	bg := background{issued: issuedDay(v.toks, v.feats), urls: urlSpans(v.text)}
	n := 0
	if len(v.toks) > 0 {
		n = int(v.toks[len(v.toks)-1].sent) + 1
	}
	bg.sents = make([]bool, n)
	for i := range v.feats {
		f := &v.feats[i]
		if f.kind != fDate || !bg.history(f.md) {
			continue
		}
		para := paragraph(v.text, Span{int(v.toks[f.t0].start), int(v.toks[f.t1-1].end)})
		for k := v.tokenAt(para.Start); k < len(v.toks) && int(v.toks[k].end) <= para.End; k++ {
			bg.sents[v.toks[k].sent] = true
		}
	}
	bg.heading = make([]bool, n)
	fences, scanned := 0, 0 // code fences before the sentence
	paraStart := 0
	for k := 0; k < len(v.toks); {
		j := k
		for j < len(v.toks) && v.toks[j].sent == v.toks[k].sent {
			j++
		}
		sent := Span{int(v.toks[k].start), int(v.toks[j-1].end)}
		fences += strings.Count(v.text[scanned:sent.Start], "```")
		if at := strings.LastIndex(v.text[scanned:sent.Start], "\n\n"); at >= 0 {
			paraStart = scanned + at + 2
		}
		scanned = sent.Start
		bg.heading[v.toks[k].sent] = fences%2 == 1 || heading(v.text, sent.Start)
		para := strings.TrimSpace(v.text[paraStart:sent.Start])
		before := v.text[paraStart:sent.Start]
		text := v.text[sent.Start:sent.End]
		if strings.Contains(text, "\"") || strings.Contains(text, "“") || strings.Contains(text, "”") || strings.HasPrefix(para, ">") ||
			strings.Count(before, "“") > strings.Count(before, "”") || strings.Count(before, "\"")%2 == 1 {
			bg.sents[v.toks[k].sent] = true
		}
		k = j
	}
	return bg
}

// tokenAt returns the index of the first token that starts at or after a
// byte offset.
func (v *view) tokenAt(off int) int {
	k, _ := slices.BinarySearchFunc(v.toks, off, func(t token, o int) int { return cmp.Compare(int(t.start), o) })
	return k
}

// urlSpans returns the spans of the web addresses in text.
func urlSpans(text string) []Span {
	var out []Span
	for _, mark := range []string{"://", "www."} {
		for from := 0; ; {
			at := strings.Index(text[from:], mark)
			if at < 0 {
				break
			}
			at += from
			s := urlSpan(text, at)
			out = append(out, s)
			from = max(s.End, at+len(mark))
		}
	}
	return out
}

// urlSpan returns the span of the word of text around a byte offset.
func urlSpan(text string, off int) Span {
	const stops = " \t\n()[]<>\"'"
	start := strings.LastIndexAny(text[:off], stops) + 1
	end := strings.IndexAny(text[off:], stops)
	if end < 0 {
		end = len(text)
	} else {
		end += off
	}
	return Span{start, end}
}
