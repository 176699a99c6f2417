package read

import (
	"math"
	"slices"
	"strings"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
)

// maxCombinations caps the alternatives compared for one group of
// adjacent occurrences.
const maxCombinations = 512

// readGroup reads a group of adjacent occurrences from the leak text
// between the leak words aligned with the group's fixed neighbours.
func (rd *Reader) readGroup(g group, leak string, lt []token, al alignment, plain bool) []occRead {
	gapStart, gapEnd, ok := rd.groupGap(g, lt, al)
	if !ok || rd.combinations(g) > maxCombinations {
		return nil
	}
	// Made here, the cost table does not escape, so a small one lives on
	// the stack.
	minCost := make([][]int, len(g.occs))
	for i, oi := range g.occs {
		minCost[i] = make([]int, len(rd.occs[oi].alts))
	}
	m := rd.matchAlternatives(g, collapse(leak[gapStart:gapEnd]), minCost)
	// A noisy gap may still identify words, but never punctuation.
	if limit := max(1, len([]rune(m.expected))/6); m.best > limit {
		return nil
	}
	exactEdges := !al.fuzzy[g.L] && !al.fuzzy[g.R]
	return rd.groupReads(g, m, trimSpan(leak, gapStart, gapEnd), exactEdges, plain)
}

// groupGap returns the byte range of the leak between the leak words
// aligned with the group's fixed neighbours. ok is false if they are not
// both aligned, in order and close, or if the gap holds far more text than
// the template has there.
func (rd *Reader) groupGap(g group, lt []token, al alignment) (start, end int, ok bool) {
	if g.L < 0 || g.R >= len(rd.toks) {
		return 0, 0, false
	}
	kL, kR := int(al.leakOf[g.L]), int(al.leakOf[g.R])
	if kL < 0 || kR < 0 || kR <= kL || kR-kL > (g.R-g.L)+8 {
		return 0, 0, false
	}
	start, end = lt[kL].end, lt[kR].start
	if end-start > 4*(rd.toks[g.R].start-rd.toks[g.L].end)+64 {
		return 0, 0, false // not this place
	}
	return start, end, true
}

// combinations returns the number of combinations of the group's
// occurrences' alternatives.
func (rd *Reader) combinations(g group) int {
	combos := 1
	for _, oi := range g.occs {
		combos *= len(rd.occs[oi].alts)
	}
	return combos
}

// groupMatch is how well the combinations of a group's alternatives match
// a gap of the leak.
type groupMatch struct {
	best     int    // the least edit distance of any combination
	expected string // the text of the first combination at that distance
	// minCost[i][s] is the least distance of a combination showing
	// symbol s at the group's occurrence i.
	minCost [][]int
}

// matchAlternatives compares every combination of the group's
// alternatives with the gap. minCost has a row for each occurrence and a
// column for each of its alternatives.
func (rd *Reader) matchAlternatives(g group, gap string, minCost [][]int) groupMatch {
	m := groupMatch{best: math.MaxInt, minCost: minCost}
	for i := range m.minCost {
		for s := range m.minCost[i] {
			m.minCost[i][s] = math.MaxInt
		}
	}
	sym := make([]int, len(g.occs))
	for {
		expected := rd.groupText(g, sym)
		cost := editDistance(gap, expected)
		if cost < m.best {
			m.best, m.expected = cost, expected
		}
		for i := range g.occs {
			m.minCost[i][sym[i]] = min(m.minCost[i][sym[i]], cost)
		}
		if !rd.nextCombination(g, sym) {
			return m
		}
	}
}

// groupText returns the template's text between the group's fixed
// neighbours with symbol sym[i] at occurrence i, spaces collapsed.
func (rd *Reader) groupText(g group, sym []int) string {
	var b strings.Builder
	pos := rd.toks[g.L].end
	for i, oi := range g.occs {
		o := rd.occs[oi]
		b.WriteString(rd.text[pos:o.start])
		b.WriteString(o.alts[sym[i]])
		pos = o.end
	}
	b.WriteString(rd.text[pos:rd.toks[g.R].start])
	return collapse(b.String())
}

// nextCombination advances sym to the next combination of the group's
// alternatives, counting like an odometer, and reports false after the
// last.
func (rd *Reader) nextCombination(g group, sym []int) bool {
	for k := range sym {
		sym[k]++
		if sym[k] < len(rd.occs[g.occs[k]].alts) {
			return true
		}
		sym[k] = 0
	}
	return false
}

// groupReads returns what the group's occurrences show: for each, the
// symbols of the combinations within one edit of the best (exactly the
// best if it matched exactly). Punctuation is left unread unless the gap
// matched exactly between exactly aligned words, and typography that may
// have been normalised is left unread in plain text.
func (rd *Reader) groupReads(g group, m groupMatch, span Span, exactEdges, plain bool) []occRead {
	margin := 0
	if m.best > 0 {
		margin = 1
	}
	var out []occRead
	for i, oi := range g.occs {
		o := rd.occs[oi]
		if o.typo && (m.best != 0 || !exactEdges) || o.fragile && plain {
			continue // noisy punctuation, or typography that may have been normalised
		}
		var seen fingerprint.Mask
		for s, c := range m.minCost[i] {
			if c <= m.best+margin {
				seen |= 1 << uint(s)
			}
		}
		out = append(out, occRead{slot: o.slot, seen: seen, span: span})
	}
	return out
}

// trimSpan returns the span of leak[start:end] without surrounding spaces;
// an empty gap is widened to show its neighbours.
func trimSpan(leak string, start, end int) Span {
	for start < end && (leak[start] == ' ' || leak[start] == '\n') {
		start++
	}
	for end > start && (leak[end-1] == ' ' || leak[end-1] == '\n') {
		end--
	}
	return Span{Start: start, End: end, Text: leak[start:end]}
}

// contextWords are the content words around a declared occurrence.
type contextWords map[string]bool

const contextRadius = 10

func (rd *Reader) buildContexts() {
	rd.ctx = map[int]contextWords{}
	for i, o := range rd.occs {
		if o.kind != mark.Declared {
			continue
		}
		cw := contextWords{}
		for t := max(0, o.ti-contextRadius); t < min(len(rd.toks), o.tj+contextRadius); t++ {
			w := rd.toks[t].norm
			if t >= o.ti && t < o.tj || !rd.isFixed(t) || stopwords[w] || len(w) < 3 || isNumber(w) {
				continue
			}
			cw[w] = true
		}
		rd.ctx[i] = cw
	}
}

// findDeclared looks for a declared fact anywhere in the leak: an
// alternative (a number compared by value, or its distinctive words) near
// words of its context in the template. A fact stated in several places
// is looked for with each mention's alternatives and context; mentions of
// different alternatives (a leak combining copies) are all counted, as
// occurrences that disagree are (see combine).
func (rd *Reader) findDeclared(slot int, leak string, lt []token, aligned []bool) *Reading {
	r := &Reading{Slot: slot, How: "found"}
	var nums []numMention
	numbered := false
	counted := map[[2]int]int{} // leak token range → the occurrence that counted it
	for oi, o := range rd.occs {
		if o.slot != slot {
			continue
		}
		if !numbered {
			nums, numbered = numbers(leak, lt), true
		}
		for _, m := range rd.mentions(oi, lt, nums) {
			if alignedAny(aligned, m.start, m.end) || !nearContext(lt, m.start, m.end, rd.ctx[oi], m.strong) {
				continue // explained by the template's fixed text, or out of context
			}
			r.Seen |= 1 << uint(m.s)
			k := [2]int{m.start, m.end}
			if by, ok := counted[k]; !ok || by == oi {
				counted[k] = oi
				r.Spans = append(r.Spans, Span{Start: lt[m.start].start, End: lt[m.end-1].end, Text: leak[lt[m.start].start:lt[m.end-1].end]})
			}
		}
	}
	if r.Seen == 0 {
		return nil
	}
	return r
}

// mention is a place of the leak that states an alternative of a
// declared occurrence.
type mention struct {
	s          int
	start, end int  // leak tokens
	strong     bool // specific enough to need little context
}

// mentions finds the places of the leak that state one of a declared
// occurrence's alternatives, in context or not.
func (rd *Reader) mentions(oi int, lt []token, nums []numMention) []mention {
	o := rd.occs[oi]
	var found []mention
	altToks := make([][]string, len(o.alts))
	for s, a := range o.alts {
		for _, t := range tokenize(a) {
			altToks[s] = append(altToks[s], t.norm)
		}
	}
	values := make([]float64, len(o.alts))
	numeric := true
	for s, a := range o.alts {
		v, ok := parseValue(a)
		values[s] = v
		numeric = numeric && ok && pureNumber(altToks[s])
	}
	if numeric && distinctValues(values) {
		for _, n := range nums {
			for s, v := range values {
				if sameValue(n.value, v) {
					found = append(found, mention{s, n.start, n.end, distinctiveNumber(o.alts[s], v)})
				}
			}
		}
		return found
	}
	common := commonTokens(altToks)
	for s := range o.alts {
		dist := distinctive(altToks, s, common)
		if len(dist) == 0 {
			continue
		}
		for k := range lt {
			if w := windowMatch(lt, k, altToks[s], dist, common, altToks, s); w > 0 {
				exact := w == len(altToks[s]) && len(altToks[s]) >= 2
				found = append(found, mention{s, k, k + w, exact})
			}
		}
	}
	return found
}

// nearContext reports whether context words surround a mention: two
// within a dozen words or one right next to it; for a strong mention (a
// specific figure, a multi-word phrase) one within a dozen words. Words
// are compared by stem, since reporters inflect them.
func nearContext(lt []token, start, end int, ctx contextWords, strong bool) bool {
	if len(ctx) == 0 {
		return strong
	}
	stems := map[string]bool{}
	for w := range ctx {
		stems[stem(w)] = true
	}
	seen := map[string]bool{}
	close := false
	for k := max(0, start-12); k < min(len(lt), end+12); k++ {
		if k >= start && k < end {
			continue
		}
		if st := stem(lt[k].norm); stems[st] {
			seen[st] = true
			if k >= start-3 && k < end+3 {
				close = true
			}
		}
	}
	return len(seen) >= 2 || close || strong && (len(seen) >= 1 || textualStrong(lt, start, end))
}

// textualStrong: a multi-word exact phrase with a capitalised word and a
// number (a date like "Tuesday, March 17") is specific enough on its own.
func textualStrong(lt []token, start, end int) bool {
	num, word := false, false
	for k := start; k < end; k++ {
		if isNumber(lt[k].norm) {
			num = true
		} else {
			word = true
		}
	}
	return num && word && end-start >= 2
}

// stem strips common English inflections for comparing context words.
func stem(w string) string {
	w = strings.TrimSuffix(w, "'s")
	for _, suf := range []string{"ing", "ies", "es", "ed", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			if suf == "ies" {
				return w[:len(w)-3] + "y"
			}
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// pureNumber reports whether an alternative's words are all number words,
// digits or scale words.
func pureNumber(toks []string) bool {
	for _, t := range toks {
		if _, ok := scale(t); !isNumber(t) && !ok && t != "percent" && t != "a.m" && t != "p.m" && t != "am" && t != "pm" && t != "a" && t != "m" && t != "p" {
			return false
		}
	}
	return true
}

// distinctiveNumber: money, decimals, scale words or four or more digits
// make a figure specific; a bare small number ("24", "eight") is not.
func distinctiveNumber(alt string, v float64) bool {
	return strings.ContainsAny(alt, "$€£.") || v >= 1000 || v < 0 || strings.Contains(alt, "illion")
}

func commonTokens(alts [][]string) map[string]bool {
	common := map[string]bool{}
	for _, w := range alts[0] {
		in := true
		for _, a := range alts[1:] {
			in = in && slices.Contains(a, w)
		}
		if in {
			common[w] = true
		}
	}
	return common
}

func distinctive(alts [][]string, s int, common map[string]bool) []string {
	var d []string
	for _, w := range alts[s] {
		if !common[w] {
			d = append(d, w)
		}
	}
	return d
}

// windowMatch reports whether the leak words from k on contain an
// alternative: all of it, or its common words with at least half its
// distinctive words and none of another alternative's. It returns the
// window length, or 0.
func windowMatch(lt []token, k int, alt, dist []string, common map[string]bool, all [][]string, s int) int {
	if lt[k].norm != alt[0] && !slices.Contains(dist, lt[k].norm) {
		return 0
	}
	w := len(alt) + 2
	end := min(len(lt), k+w)
	have := map[string]bool{}
	for j := k; j < end; j++ {
		have[lt[j].norm] = true
	}
	// Exact sequence first.
	if k+len(alt) <= len(lt) {
		exact := true
		for i, a := range alt {
			exact = exact && lt[k+i].norm == a
		}
		if exact {
			return len(alt)
		}
	}
	for c := range common {
		if !have[c] {
			return 0
		}
	}
	n := 0
	for _, d := range dist {
		if have[d] {
			n++
		}
	}
	if 2*n < len(dist) || n == 0 {
		return 0
	}
	for o := range all {
		if o == s {
			continue
		}
		for _, d := range distinctive(all, o, common) {
			if have[d] {
				return 0
			}
		}
	}
	return end - k
}

// readOrder reads a shuffled list's order: from the alignment if it placed
// two or more items, else from the items' names found together in the
// leak, as a reporter lists them.
func (rd *Reader) readOrder(slot int, leak string, lt []token, al alignment) *Reading {
	items := rd.items[slot]
	s := rd.tpl.Slots[slot]
	if len(items) != len(s.Items) {
		return nil
	}
	how := "aligned"
	pos, spans := rd.alignedItems(items, leak, lt, al)
	if placed(pos) < 2 {
		how = "order"
		pos, spans = rd.findItems(slot, leak, lt, al.aligned)
		if placed(pos) < 2 {
			return nil
		}
	}
	mask := consistentOrders(s.Perms, pos)
	if mask == 0 {
		return nil // the leak's order matches no copy's: the reporter reordered
	}
	return &Reading{Slot: slot, Seen: mask, How: how, Spans: spans}
}

// alignedItems places a list's items where the alignment anchored them:
// pos[i] is the first leak token aligned with a word unique to item i, or
// -1. Only words unique to an item place it: "Texas" or "County" in every
// item could align with a neighbour's.
func (rd *Reader) alignedItems(items []itemSpan, leak string, lt []token, al alignment) (pos []int, spans []Span) {
	count := map[string]int{}
	for _, it := range items {
		uniq := map[string]bool{}
		for t := it.ti; t < it.tj; t++ {
			uniq[rd.toks[t].norm] = true
		}
		for w := range uniq {
			count[w]++
		}
	}
	pos = make([]int, len(items))
	for i, it := range items {
		pos[i] = -1
		for t := it.ti; t < it.tj; t++ {
			if count[rd.toks[t].norm] != 1 || !rd.isFixed(t) || !al.anchored[t] {
				continue
			}
			if k := al.leakOf[t]; k >= 0 && (pos[i] < 0 || int(k) < pos[i]) {
				pos[i] = int(k)
			}
		}
		if pos[i] >= 0 {
			spans = append(spans, Span{Start: lt[pos[i]].start, End: lt[pos[i]].end, Text: leak[lt[pos[i]].start:lt[pos[i]].end]})
		}
	}
	return pos, spans
}

// placed counts the items placed in the leak.
func placed(pos []int) int {
	n := 0
	for _, p := range pos {
		if p >= 0 {
			n++
		}
	}
	return n
}

// consistentOrders returns the symbols whose list order agrees with the
// leak's order of the placed items (pos[i] is item i's position in the
// leak, -1 if unplaced).
func consistentOrders(perms [][]int, pos []int) fingerprint.Mask {
	var mask fingerprint.Mask
	for sym, perm := range perms {
		at := make([]int, len(perm)) // position of each item in this order
		for k, item := range perm {
			at[item] = k
		}
		ok := true
		for a := range pos {
			for b := range pos {
				if pos[a] >= 0 && pos[b] >= 0 && pos[a] < pos[b] && at[a] > at[b] {
					ok = false
				}
			}
		}
		if ok {
			mask |= 1 << uint(sym)
		}
	}
	return mask
}

// findItems finds list items named in the leak, as a reporter shortens
// them: an item is mentioned where one of its distinctive words (a content
// word no other item of the list has) appears. Of the mentions, those in
// the densest cluster count — reporters name items together.
func (rd *Reader) findItems(slot int, leak string, lt []token, aligned []bool) ([]int, []Span) {
	items := rd.items[slot]
	words := rd.itemWords(slot)
	mentions := make([][]int, len(items)) // per item, leak token positions
	for k, t := range lt {
		if aligned[k] {
			continue
		}
		st := stem(t.norm)
		for i := range items {
			if words[i][st] {
				if n := len(mentions[i]); n == 0 || mentions[i][n-1] < k-1 {
					mentions[i] = append(mentions[i], k)
				}
			}
		}
	}
	// The densest window of 80 words.
	const window = 80
	bestStart, bestCount := 0, 0
	for k := range lt {
		c := 0
		for _, at := range mentions {
			for _, p := range at {
				if p >= k && p < k+window {
					c++
					break
				}
			}
		}
		if c > bestCount {
			bestStart, bestCount = k, c
		}
	}
	pos := make([]int, len(items))
	var spans []Span
	for i, at := range mentions {
		pos[i] = -1
		for _, p := range at {
			if p >= bestStart && p < bestStart+window {
				pos[i] = p
				spans = append(spans, Span{Start: lt[p].start, End: lt[p].end, Text: leak[lt[p].start:lt[p].end]})
				break
			}
		}
	}
	return pos, spans
}

func alignedAny(aligned []bool, start, end int) bool {
	for k := start; k < end && k < len(aligned); k++ {
		if aligned[k] {
			return true
		}
	}
	return false
}
