package disclose

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// factFeatures returns, for every declared fact and every alternative, the
// features that reveal it: a number with the unit that follows the fact in
// the source ("{{eight|nine}} cities" → 8 cities, 9 cities), a date, a time,
// a name, a rare word, or else the alternative's word sequence.
func factFeatures(tz *tokenizer, p *Protected) [][][]feature {
	out := make([][][]feature, len(p.Facts))
	var v view
	for i, f := range p.Facts {
		for _, alt := range f.Alts {
			out[i] = append(out[i], altFeatures(tz, &v, p.Text, f.Span, alt))
		}
	}
	return out
}

func altFeatures(tz *tokenizer, v *view, text string, span Span, alt string) []feature {
	a := max(0, span.Start-24)
	for a > 0 && !utf8.RuneStart(text[a]) {
		a--
	}
	b := min(len(text), span.End+80)
	for b < len(text) && !utf8.RuneStart(text[b]) {
		b++
	}
	pre, suf := text[a:span.Start], text[span.End:b]
	s := pre + alt + suf
	tz.analyze(s, v, true)
	a0, a1 := int32(len(pre)), int32(len(pre)+len(alt))
	toks := v.toks
	var out []feature
	hasDate := false
	seen := map[uint64]bool{}
	for _, f := range v.feats {
		first, last := &toks[f.t0], &toks[f.t1-1]
		if f.num >= 0 {
			first = &toks[f.num]
		}
		var ok bool
		switch f.kind {
		case fNumber, fTime:
			ok = first.start >= a0-4 && first.start < a1
		case fValue:
			ok = first.start >= a0-4 && first.start < a1 && f.w >= 2.5
		case fDate, fName, fWord, fWeekday:
			ok = first.start >= a0 && last.end <= a1
		}
		if !ok || seen[f.key] {
			continue
		}
		seen[f.key] = true
		hasDate = hasDate || f.kind == fDate
		f.t0, f.t1, f.num = 0, 0, -1 // token indexes of the scratch text mean nothing later
		out = append(out, f)
	}
	if hasDate {
		out = slices.DeleteFunc(out, func(f feature) bool { return f.kind == fWeekday })
	}
	if len(out) > 0 {
		return out
	}
	// A fact in plain words: match the word sequence.
	ph := feature{kind: fPhrase, num: -1}
	for i := range toks {
		if toks[i].start >= a0 && toks[i].end <= a1 {
			ph.phrase = append(ph.phrase, toks[i].key)
			ph.w += min(toks[i].w, 2)
			ph.key = mix(ph.key, toks[i].key)
		}
	}
	if len(ph.phrase) == 0 {
		return nil
	}
	ph.w = max(ph.w, 0.5)
	return []feature{ph}
}

// itemWord is a distinct word of a list item with its weight in the item.
type itemWord struct {
	key    uint64
	w      float32
	shared bool // the core of another item of the list has the word too
}

// markShared marks the core words that items of one list share: "heat
// pumps" names none of "Air-source heat pumps" and "Ground-source heat
// pumps".
func markShared(items []listItem) {
	n := map[uint64]int{}
	for _, it := range items {
		for _, w := range it.core {
			n[w.key]++
		}
	}
	for i := range items {
		for j := range items[i].core {
			items[i].core[j].shared = n[items[i].core[j].key] > 1
		}
	}
}

// listItem holds the words of a list item: the core that names it, and the
// qualifiers (parentheses, "including …", "led by …") that may be left out.
type listItem struct {
	core, extra []itemWord
	coreW       float32
	maxW        float32 // weight of the heaviest core word
	known       bool    // a place the dictionary knows (places.txt)
	name        bool    // its core is a name: every content word capitalised
	commas      int     // the commas of its core ("Attic, wall, and floor insulation")
	nCore       int     // core tokens
	span        Span
}

// minItemWordWeight is the least weight of a content word in a list item:
// everyday words ("customer contracts", "real estate") still name an item
// together.
const minItemWordWeight = 0.4

// clauseMarkers start the qualifying part of a list item.
var clauseMarkers = []string{", including", " including ", ", led by", ", such as", " such as ", ", except", ", with ", " — ", "; "}

// makeListItem collects the words of a list item from the version's tokens.
func makeListItem(toks []token, text string, span Span) listItem {
	it := listItem{span: span}
	i, _ := slices.BinarySearchFunc(toks, span.Start, func(t token, off int) int { return cmp.Compare(int(t.start), off) })
	body := text[span.Start:span.End]
	cut := len(body)
	for _, m := range clauseMarkers {
		if at := strings.Index(body, m); at >= 0 && at < cut {
			cut = at
		}
	}
	// A place's state or country after a comma qualifies it: "Lake
	// Charles, Louisiana".
	if at := strings.Index(body, ", "); at > 0 && at < cut && at+2 < len(body) && body[at+2] >= 'A' && body[at+2] <= 'Z' && body[0] >= 'A' && body[0] <= 'Z' {
		cut = at
	}
	seen := map[uint64]bool{}
	it.name = true
	it.commas = strings.Count(body[:cut], ",")
	for ; i < len(toks) && int(toks[i].end) <= span.End; i++ {
		t := &toks[i]
		off := int(t.start) - span.Start
		var w float32
		switch {
		case t.kind != tokWord:
			w = 0.5
		case t.w > 0:
			w = min(max(t.w, minItemWordWeight), 2)
		default:
			continue
		}
		if seen[t.key] {
			continue
		}
		seen[t.key] = true
		extra := off >= cut || parenDepth(body[:off]) > 0
		if extra {
			it.extra = append(it.extra, itemWord{key: t.key, w: w})
		} else {
			it.core = append(it.core, itemWord{key: t.key, w: w})
			it.name = it.name && t.kind == tokWord && t.has(flagCap)
			it.coreW += w
			it.maxW = max(it.maxW, w)
			it.nCore++
		}
	}
	// A place the dictionary knows names the item no better than a
	// well-known place does: "Corpus Christi, Texas".
	if key, ok := capitalKey(toks, text, span.Start, span.Start+cut); ok && knownPlaces()[key] {
		it.known = true
	}
	if it.known && it.coreW > knownNameWeight {
		f := knownNameWeight / it.coreW
		for i := range it.core {
			it.core[i].w *= f
		}
		it.coreW, it.maxW = knownNameWeight, it.maxW*f
	}
	return it
}

// capitalKey returns the name key of the capitalised words of text[start:end]
// (as nameFeatures computes it), if all its words are capitalised or
// connectors.
func capitalKey(toks []token, text string, start, end int) (uint64, bool) {
	i, _ := slices.BinarySearchFunc(toks, start, func(t token, off int) int { return cmp.Compare(int(t.start), off) })
	key := uint64(seedName)
	n := 0
	for ; i < len(toks) && int(toks[i].end) <= end; i++ {
		switch {
		case toks[i].has(flagCap):
			key = mix(key, toks[i].key)
			n++
		case connectorKeys[toks[i].key]:
		default:
			return 0, false
		}
	}
	return key, n >= 2
}

func parenDepth(s string) int {
	d := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			d++
		case ')':
			d = max(0, d-1)
		}
	}
	return d
}

// itemMatch is where an article names a list item.
type itemMatch struct {
	sent      int32
	pos       []int32 // article tokens of the core words
	core, ext float32
	cover     float32 // core weight found / core weight
}

// bestItemMatch finds the article sentence and window that name most of an
// item's core words, using unclaimed tokens only.
func (sc *matchScratch) bestItemMatch(it *listItem, allowed, preferred func(int32) bool) (itemMatch, bool) {
	type pk struct {
		pos int32
		k   int // index in it.core
	}
	bySent := map[int32][]pk{}
	for k, w := range it.core {
		for h := sc.words.head(w.key); h != 0; h = sc.words.next[h-1] {
			pos := h - 1
			if sc.claimed[pos] {
				continue
			}
			s := sc.art.toks[pos].sent
			if allowed != nil && !allowed(s) {
				continue
			}
			bySent[s] = append(bySent[s], pk{pos, k})
		}
	}
	maxLen := int32(2*it.nCore + 4)
	var best itemMatch
	var bestLen int32
	found := false
	for s, list := range bySent {
		slices.SortFunc(list, func(a, b pk) int { return cmp.Compare(a.pos, b.pos) })
		for a := range list {
			have := map[int]int32{}
			var w, heaviest float32
			own := false // a word no other item of the list has
			for b := a; b < len(list) && list[b].pos-list[a].pos < maxLen; b++ {
				if _, ok := have[list[b].k]; ok {
					continue
				}
				have[list[b].k] = list[b].pos
				w += it.core[list[b].k].w
				heaviest = max(heaviest, it.core[list[b].k].w)
				own = own || !it.core[list[b].k].shared
			}
			if !own && len(have) < len(it.core) {
				continue
			}
			// The item's most telling word must be among those named:
			// "Texas" alone does not name "Houston, Texas". One everyday
			// word ("new") names nothing.
			if heaviest < 0.5*it.maxW {
				continue
			}
			if len(have) == 1 && sc.onlyCommon(have) {
				continue
			}
			// Words the version keeps naming (its company, its capital, its
			// embassy) are its subject: they name an item only in full
			// ("Harrowgate" is not "Harrowgate Market Place").
			if len(have) < len(it.core) && !sc.telling(have) {
				continue
			}
			lo, hi := list[a].pos, list[a].pos
			for _, p := range have {
				lo, hi = min(lo, p), max(hi, p)
			}
			// Words from several items of an enumeration ("heat pumps,
			// insulation, water heaters") name none of them.
			if hi > lo && strings.Count(sc.art.text[sc.art.toks[lo].end:sc.art.toks[hi].start], ",") > it.commas {
				continue
			}
			better := !found || w > best.core
			if !better && w == best.core {
				pa, pb := preferred != nil && preferred(s), preferred != nil && preferred(best.sent)
				better = pa && !pb || pa == pb && (hi-lo < bestLen || hi-lo == bestLen && s < best.sent)
			}
			if better {
				best = itemMatch{sent: s, core: w}
				for _, p := range have {
					best.pos = append(best.pos, p)
				}
				bestLen = hi - lo
				found = true
			}
		}
	}
	if !found || it.coreW == 0 {
		return itemMatch{}, false
	}
	slices.Sort(best.pos)
	best.cover = best.core / it.coreW
	// Qualifiers named in the same sentence add evidence.
	for _, w := range it.extra {
		for h := sc.words.head(w.key); h != 0; h = sc.words.next[h-1] {
			if sc.art.toks[h-1].sent == best.sent && !sc.claimed[h-1] {
				best.ext += w.w
				break
			}
		}
	}
	// Qualifiers confirm an item; they may at most double its weight.
	best.ext = min(best.ext, best.core)
	return best, true
}

// Coverage of an item's core words needed to name it: alone in a sentence,
// or in a sentence that names another item of the same list (an enumeration,
// where writers shorten items: "heat pumps, insulation, and panel upgrades").
const (
	itemCover       = 0.6
	itemCoverInList = 0.3
	maxItemWeight   = 3.0
)

// matchLists finds the items of the version's shuffled lists.
func (sc *matchScratch) matchLists(v *version, t *tally) {
	p := &v.p
	for li, l := range p.Lists {
		items := v.items[li]
		pending := make([]bool, len(l.Items))
		for i := range pending {
			pending[i] = true
		}
		sents := map[int32]bool{}
		accept := func(minCover float32, allowed func(int32) bool) bool {
			bi, bm := -1, itemMatch{}
			for i := range items {
				if !pending[i] {
					continue
				}
				m, ok := sc.bestItemMatch(&items[i], allowed, func(s int32) bool { return sents[s] })
				if !ok || m.cover < minCover || m.core < 0.3 {
					continue
				}
				if bi < 0 || m.cover > bm.cover || m.cover == bm.cover && m.core > bm.core {
					bi, bm = i, m
				}
			}
			if bi < 0 {
				return false
			}
			pending[bi] = false
			sents[bm.sent] = true
			for _, pos := range bm.pos {
				sc.claimed[pos] = true
			}
			d := newDisclosure(KindListItem)
			d.List, d.Item = li, bi
			d.Weight = min(float64(bm.core+bm.ext), maxItemWeight)
			if items[bi].known {
				// Its county or state adds nothing a reader could not know.
				d.Weight = min(d.Weight, knownNameWeight)
			}
			d.Article = []Span{sc.artSpan(bm.pos[0], bm.pos[len(bm.pos)-1]+1)}
			d.Source = items[bi].span
			sc.finish(&d, p.Text)
			if items[bi].name {
				t.addNameItem(d)
			} else {
				t.add(d)
			}
			return true
		}
		for accept(itemCover, nil) {
		}
		for accept(itemCoverInList, func(s int32) bool { return sents[s] }) {
		}
	}
}

// telling reports whether one of the article words at the positions is
// not a name the version keeps naming.
func (sc *matchScratch) telling(have map[int]int32) bool {
	for _, p := range have {
		t := &sc.art.toks[p]
		if t.kind != tokWord {
			return true
		}
		if m := sc.mentionsOf(t.key); !m.proper || m.n <= maxDetailMentions {
			return true
		}
	}
	return false
}

// onlyCommon reports whether the words at the positions are all everyday
// words.
func (sc *matchScratch) onlyCommon(have map[int]int32) bool {
	for _, p := range have {
		if t := &sc.art.toks[p]; t.kind != tokWord || t.tier > tierCommon {
			return false
		}
	}
	return true
}
