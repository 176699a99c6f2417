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
	if g.L < 0 || g.R >= len(rd.toks) {
		return nil
	}
	kL, kR := int(al.leakOf[g.L]), int(al.leakOf[g.R])
	if kL < 0 || kR < 0 || kR <= kL || kR-kL > (g.R-g.L)+8 {
		return nil
	}
	typo := false
	combos := 1
	for _, oi := range g.occs {
		typo = typo || rd.occs[oi].typo
		combos *= len(rd.occs[oi].alts)
	}
	if combos > maxCombinations {
		return nil
	}
	exactEdges := !al.fuzzy[g.L] && !al.fuzzy[g.R]
	gapStart, gapEnd := lt[kL].end, lt[kR].start
	base0, base1 := rd.toks[g.L].end, rd.toks[g.R].start
	if gapEnd-gapStart > 4*(base1-base0)+64 {
		return nil // far more text than the template has here: not this place
	}
	gap := collapse(leak[gapStart:gapEnd])

	// Try every combination of alternatives.
	sym := make([]int, len(g.occs))
	minCost := make([][]int, len(g.occs))
	for i, oi := range g.occs {
		minCost[i] = make([]int, len(rd.occs[oi].alts))
		for s := range minCost[i] {
			minCost[i][s] = math.MaxInt
		}
	}
	best := math.MaxInt
	var expectedBest string
	for {
		var b strings.Builder
		pos := base0
		for i, oi := range g.occs {
			o := rd.occs[oi]
			b.WriteString(rd.text[pos:o.start])
			b.WriteString(o.alts[sym[i]])
			pos = o.end
		}
		b.WriteString(rd.text[pos:base1])
		expected := collapse(b.String())
		cost := editDistance(gap, expected)
		if cost < best {
			best, expectedBest = cost, expected
		}
		for i := range g.occs {
			minCost[i][sym[i]] = min(minCost[i][sym[i]], cost)
		}
		// Next combination.
		k := 0
		for k < len(sym) {
			sym[k]++
			if sym[k] < len(rd.occs[g.occs[k]].alts) {
				break
			}
			sym[k] = 0
			k++
		}
		if k == len(sym) {
			break
		}
	}
	// A noisy gap may still identify words, but never punctuation.
	limit := max(1, len([]rune(expectedBest))/6)
	if best > limit {
		return nil
	}
	span := trimSpan(leak, gapStart, gapEnd)
	var out []occRead
	for i, oi := range g.occs {
		o := rd.occs[oi]
		if o.typo && (best != 0 || !exactEdges) || o.fragile && plain {
			continue // noisy punctuation, or typography that may have been normalised
		}
		margin := 0
		if best > 0 {
			margin = 1
		}
		var seen fingerprint.Mask
		for s, c := range minCost[i] {
			if c <= best+margin {
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
// words of its context in the template.
func (rd *Reader) findDeclared(slot int, leak string, lt []token, aligned []bool) *Reading {
	var oi = -1
	for i, o := range rd.occs {
		if o.slot == slot {
			oi = i
			break
		}
	}
	if oi < 0 {
		return nil
	}
	o := rd.occs[oi]
	ctx := rd.ctx[oi]
	nums := numbers(leak, lt)
	type mention struct {
		s          int
		start, end int  // leak tokens
		strong     bool // specific enough to need little context
	}
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
	} else {
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
	}
	r := &Reading{Slot: slot, How: "found"}
	for _, m := range found {
		if alignedAny(aligned, m.start, m.end) || !nearContext(lt, m.start, m.end, ctx, m.strong) {
			continue // explained by the template's fixed text, or out of context
		}
		r.Seen |= 1 << uint(m.s)
		r.Spans = append(r.Spans, Span{Start: lt[m.start].start, End: lt[m.end-1].end, Text: leak[lt[m.start].start:lt[m.end-1].end]})
	}
	if r.Seen == 0 {
		return nil
	}
	return r
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
	pos := make([]int, len(items)) // leak token position of each item, -1 if unseen
	seen := 0
	how := "aligned"
	var spans []Span
	// Only words unique to an item place it: "Texas" or "County" in
	// every item could align with a neighbour's.
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
			seen++
			spans = append(spans, Span{Start: lt[pos[i]].start, End: lt[pos[i]].end, Text: leak[lt[pos[i]].start:lt[pos[i]].end]})
		}
	}
	if seen < 2 {
		how = "order"
		pos, spans = rd.findItems(slot, leak, lt, al.aligned)
		seen = 0
		for _, p := range pos {
			if p >= 0 {
				seen++
			}
		}
		if seen < 2 {
			return nil
		}
	}
	var mask fingerprint.Mask
	for sym, perm := range s.Perms {
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
	if mask == 0 {
		return nil // the leak's order matches no copy's: the reporter reordered
	}
	return &Reading{Slot: slot, Seen: mask, How: how, Spans: spans}
}

// findItems finds list items named in the leak, as a reporter shortens
// them: an item is mentioned where one of its distinctive words (a content
// word no other item of the list has) appears. Of the mentions, those in
// the densest cluster count — reporters name items together.
func (rd *Reader) findItems(slot int, leak string, lt []token, aligned []bool) ([]int, []Span) {
	items := rd.items[slot]
	words := make([]map[string]bool, len(items))
	count := map[string]int{}
	for i, it := range items {
		words[i] = map[string]bool{}
		for _, t := range tokenize(rd.text[it.start:it.end]) {
			if !stopwords[t.norm] && len(t.norm) >= 4 && !isNumber(t.norm) {
				words[i][stem(t.norm)] = true
			}
		}
		for w := range words[i] {
			count[w]++
		}
	}
	mentions := make([][]int, len(items)) // per item, leak token positions
	for k, t := range lt {
		if aligned[k] {
			continue
		}
		st := stem(t.norm)
		for i := range items {
			if words[i][st] && count[st] == 1 {
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
