package read

import (
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale/fingerprint"
)

// # Lists shuffled by insertion
//
// A list of k items has k−1 slots; the one placing item i shows where item
// i stands among items 0…i (see mark.Slot). Later insertions never change
// the relative order of earlier items, so the leak's order of any items it
// names says something about every slot whose item it names: if item i is
// seen with a of the earlier items seen before it, b after it, and u
// earlier items not seen, it stood at a position between a and a+u, and
// its slot's symbol (places before the end) lies between b and b+u. That is
// read from the leak alone, so the slots stay independent for an innocent.

// readInsertion reads the slots of a list shuffled by insertion whose
// first slot is slot.
func (rd *Reader) readInsertion(slot int, leak string, lt []token, al alignment) []Reading {
	k := len(rd.tpl.Slots[slot].Items)
	pos, spans, how := rd.listPositions(slot, leak, lt, al)
	if placed(pos) < 2 {
		return nil
	}
	var out []Reading
	for i := 1; i < k; i++ {
		if pos[i] < 0 {
			continue
		}
		a, b, u := 0, 0, 0
		for j := 0; j < i; j++ {
			switch {
			case pos[j] < 0:
				u++
			case pos[j] < pos[i]:
				a++
			default:
				b++
			}
		}
		if a+b == 0 {
			continue // nothing to compare it with
		}
		var m fingerprint.Mask
		for s := b; s <= b+u; s++ {
			m |= 1 << uint(s)
		}
		out = append(out, Reading{Slot: slot + i - 1, Seen: m, How: how, Spans: []Span{spans[i]}})
	}
	return out
}

// listPositions places a list's items in the leak: pos[i] is the leak
// token where item i is named, or -1. Where the fixed text around the list
// is aligned, the list lies between: items are placed there, where the
// alignment anchored them or else by their distinctive words (a verbatim
// list is out of the template's order, so the alignment places only an
// increasing run of it). Otherwise items are placed where a reporter names
// them together.
func (rd *Reader) listPositions(slot int, leak string, lt []token, al alignment) (pos []int, spans []Span, how string) {
	items := rd.items[slot]
	pos, _ = rd.alignedItems(items, leak, lt, al)
	how = "aligned"
	if lo, hi, ok := rd.listWindow(items, al, len(lt)); ok {
		for i, p := range pos {
			if p < lo || p >= hi {
				pos[i] = -1 // anchored to the same words elsewhere
			}
		}
		rd.nameItems(slot, pos, lt, lo, hi)
	} else if placed(pos) >= 2 {
		// Around the anchored items, within the list's length either way.
		words, lo, hi := 0, len(lt), -1
		for i, it := range items {
			words += it.tj - it.ti
			if pos[i] >= 0 {
				lo, hi = min(lo, pos[i]), max(hi, pos[i])
			}
		}
		rd.nameItems(slot, pos, lt, max(0, lo-words), min(len(lt), hi+words+1))
	} else {
		// The items' names where they cluster, as a reporter lists them.
		pos, _ = rd.findItems(slot, leak, lt, al.aligned)
		how = "order"
	}
	spans = make([]Span, len(items))
	for i, p := range pos {
		if p >= 0 {
			spans[i] = Span{Start: lt[p].start, End: lt[p].end, Text: leak[lt[p].start:lt[p].end]}
		}
	}
	return pos, spans, how
}

// listWindow finds where a list stands in the leak: after the last
// anchored word of fixed text before it and before the first after it,
// each within a paragraph's reach. If only one side is found (an excerpt
// that starts or ends in the list), the list's own length, with some
// slack, bounds the other.
func (rd *Reader) listWindow(items []itemSpan, al alignment, leakTokens int) (lo, hi int, ok bool) {
	first, last := items[0].ti, items[0].tj
	words := 0
	for _, it := range items {
		first, last = min(first, it.ti), max(last, it.tj)
		words += it.tj - it.ti
	}
	span := words + words/2 + 5
	const reach = 60
	lo, hi = -1, -1
	for t := first - 1; t >= 0 && t >= first-reach; t-- {
		if rd.isFixed(t) && al.anchored[t] && al.leakOf[t] >= 0 {
			lo = int(al.leakOf[t]) + 1
			break
		}
	}
	for t := last; t < len(rd.toks) && t < last+reach; t++ {
		if rd.isFixed(t) && al.anchored[t] && al.leakOf[t] >= 0 {
			hi = int(al.leakOf[t])
			break
		}
	}
	switch {
	case lo < 0 && hi < 0:
		return 0, 0, false
	case lo < 0:
		lo = max(0, hi-span)
	case hi < 0:
		hi = min(leakTokens, lo+span)
	}
	return lo, hi, hi > lo
}

// nameItems places the unplaced items of a list by the first of their
// distinctive words (a content word no other item has) in lt[lo:hi] that
// no other item took.
func (rd *Reader) nameItems(slot int, pos []int, lt []token, lo, hi int) {
	words := rd.itemWords(slot)
	taken := map[int]bool{}
	for _, p := range pos {
		taken[p] = true
	}
	for i := range pos {
		if pos[i] >= 0 {
			continue
		}
		for k := lo; k < hi; k++ {
			if !taken[k] && words[i][stem(lt[k].norm)] {
				pos[i] = k
				taken[k] = true
				break
			}
		}
	}
}

// itemWords returns each item's distinctive words, stemmed: content words
// of four letters or more that no other item of the list has.
func (rd *Reader) itemWords(slot int) []map[string]bool {
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
	for _, ws := range words {
		for w := range ws {
			if count[w] > 1 {
				delete(ws, w)
			}
		}
	}
	return words
}

// shownInsertion describes symbol s of a slot placing an item: where the
// item stands among the first ones.
func (rd *Reader) shownInsertion(slot, s int) string {
	sl := rd.tpl.Slots[slot]
	first := slot - sl.Insert + 1
	i := sl.Insert
	name := rd.itemName(first, i)
	return fmt.Sprintf("%s %s of the first %d items", name, ordinal(i-s+1), i+1)
}

// itemName is a short name of item i of the list at slot: its text up to
// the first comma, parenthesis or colon.
func (rd *Reader) itemName(slot, i int) string {
	it := rd.items[slot][i]
	text := rd.text[it.start:it.end]
	if k := strings.IndexAny(text, ",(;:\n"); k > 0 {
		text = text[:k]
	}
	return strings.TrimSpace(text)
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprint(n) + suffix
}
