// Package read reads a leaked text back against a template: for every slot,
// which alternatives the leak shows, or that it shows none (erased), with
// the spans of the leak that say so.
//
// Reading is blind: a Reader sees the template and its alternatives, never a
// codeword. The false-accusation bound of package trace depends on it — an
// innocent recipient's symbols must be independent of what was read.
//
// # How a leak is read
//
//  1. [Extract] reduces HTML to visible text; Markdown and text pass through.
//  2. Words of the leak and of the template's canonical plain text are
//     tokenized and normalized (case, apostrophes, reflowed lines).
//  3. Anchors are three-word sequences of the template's fixed text (not
//     slot words) that also occur in the leak. Anchors chain into runs that
//     follow the leak in order; a run may start anywhere in the template, so
//     excerpts, reordered list items and quotes out of order all align.
//  4. Between anchors of a run, a small dynamic-programming alignment maps
//     the remaining fixed words, tolerating OCR errors (near-equal words),
//     inserted and deleted words.
//  5. Each group of adjacent slot occurrences is read from the leak text
//     between its two neighbouring fixed words: every combination of
//     alternatives is compared with it by edit distance. Words must match
//     closely; punctuation and spacing (typographic slots) must match
//     exactly, so a retyped or normalized text erases them rather than
//     misreading them.
//  6. Declared facts and list items the alignment missed are searched for
//     anywhere in the leak, near words of their context, as a journalist
//     would report them. A fact stated in several places is one slot,
//     looked for near each mention's context; mentions that show different
//     alternatives count all of them.
package read

import (
	"hash/fnv"
	"slices"
	"strings"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/render"
)

// Reader reads leaks against one template. It is safe for concurrent use.
type Reader struct {
	tpl    *mark.Template
	text   string  // canonical plain text
	toks   []token // its tokens
	slotOf []int32 // per token: -1 if fixed text, else the occurrence index
	itemOf []int32 // per token: -1 outside shuffled lists, else a list item number
	occs   []occurrence
	groups []group
	items  [][]itemSpan         // per slot (nil for non-order slots)
	shing  map[uint64][]int32   // 3-gram of fixed tokens → template token index
	ctx    map[int]contextWords // declared occurrence → its context
}

// occurrence is one slot occurrence in the canonical text.
type occurrence struct {
	slot, occ  int
	start, end int // bytes of the canonical text
	ti, tj     int // tokens overlapping it: [ti, tj)
	alts       []string
	kind       mark.Kind
	typo       bool // punctuation or spacing: must match exactly
	// fragile: two alternatives become the same text when typography is
	// normalised ("10–12" and "10-12"), so a leak with plain ASCII
	// typography cannot tell them apart.
	fragile bool
}

// group is a run of adjacent occurrences read together, between the fixed
// tokens left (L) and right (R); L = -1 at the start, R = len(toks) at the
// end.
type group struct {
	occs []int
	L, R int
}

type itemSpan struct {
	start, end int // bytes
	ti, tj     int // tokens
}

// New prepares a reader for a template.
func New(tpl *mark.Template) (*Reader, error) {
	r, err := render.Compile(tpl)
	if err != nil {
		return nil, err
	}
	zero := make([]uint8, len(tpl.Slots))
	body, placed, err := r.BodySpans(render.Text, zero, 0)
	if err != nil {
		return nil, err
	}
	rd := &Reader{tpl: tpl, text: string(body), shing: map[uint64][]int32{}, items: make([][]itemSpan, len(tpl.Slots))}
	rd.toks = tokenize(rd.text)
	rd.slotOf = make([]int32, len(rd.toks))
	for i := range rd.slotOf {
		rd.slotOf[i] = -1
	}
	for _, p := range placed {
		ti, tj := rd.tokenRange(p.Start, p.End)
		if p.Occ < 0 {
			rd.items[p.Slot] = append(rd.items[p.Slot], itemSpan{p.Start, p.End, ti, tj})
			continue
		}
		s := tpl.Slots[p.Slot]
		alts := r.Alternatives(render.Text, p.Slot, p.Occ)
		o := occurrence{slot: p.Slot, occ: p.Occ, start: p.Start, end: p.End, ti: ti, tj: tj, alts: alts, kind: s.Kind,
			typo: s.Kind == mark.Typographic && !strings.HasSuffix(s.Name, "small-numbers"), fragile: fragile(alts)}
		idx := int32(len(rd.occs))
		rd.occs = append(rd.occs, o)
		for t := ti; t < tj; t++ {
			rd.slotOf[t] = idx
		}
	}
	rd.itemOf = make([]int32, len(rd.toks))
	for i := range rd.itemOf {
		rd.itemOf[i] = -1
	}
	n := int32(0)
	for _, its := range rd.items {
		slices.SortFunc(its, func(a, b itemSpan) int { return a.start - b.start })
		for _, it := range its {
			for t := it.ti; t < it.tj; t++ {
				rd.itemOf[t] = n
			}
			n++
		}
	}
	rd.buildGroups()
	rd.buildShingles()
	rd.buildContexts()
	return rd, nil
}

// Template returns the reader's template.
func (rd *Reader) Template() *mark.Template { return rd.tpl }

// tokenRange returns the tokens overlapping [start, end); for an empty
// range, the empty token range at the first token starting at or after it.
func (rd *Reader) tokenRange(start, end int) (int, int) {
	ti, _ := slices.BinarySearchFunc(rd.toks, start, func(t token, off int) int {
		if t.end <= off {
			return -1
		}
		return 1
	})
	if start == end {
		for ti < len(rd.toks) && rd.toks[ti].start < start {
			ti++
		}
		return ti, ti
	}
	tj := ti
	for tj < len(rd.toks) && rd.toks[tj].start < end {
		tj++
	}
	return ti, tj
}

func (rd *Reader) isFixed(t int) bool { return t >= 0 && t < len(rd.toks) && rd.slotOf[t] < 0 }

// buildGroups joins occurrences that no fixed token separates.
func (rd *Reader) buildGroups() {
	order := make([]int, len(rd.occs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rd.occs[a].start - rd.occs[b].start })
	for _, i := range order {
		o := rd.occs[i]
		L := o.ti - 1
		for L >= 0 && !rd.isFixed(L) {
			L--
		}
		R := o.tj
		for R < len(rd.toks) && !rd.isFixed(R) {
			R++
		}
		if n := len(rd.groups); n > 0 && rd.groups[n-1].L == L && rd.groups[n-1].R == R {
			rd.groups[n-1].occs = append(rd.groups[n-1].occs, i)
			continue
		}
		rd.groups = append(rd.groups, group{occs: []int{i}, L: L, R: R})
	}
}

func hash3(a, b, c string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(a))
	h.Write([]byte{0})
	h.Write([]byte(b))
	h.Write([]byte{0})
	h.Write([]byte(c))
	return h.Sum64()
}

// maxShingleRepeats drops template phrases too common to anchor on.
const maxShingleRepeats = 4

func (rd *Reader) buildShingles() {
	for i := 0; i+2 < len(rd.toks); i++ {
		if !rd.isFixed(i) || !rd.isFixed(i+1) || !rd.isFixed(i+2) {
			continue
		}
		h := hash3(rd.toks[i].norm, rd.toks[i+1].norm, rd.toks[i+2].norm)
		rd.shing[h] = append(rd.shing[h], int32(i))
	}
	for h, ps := range rd.shing {
		if len(ps) > maxShingleRepeats {
			delete(rd.shing, h)
		}
	}
}

// Observation is what a leak shows of a template.
type Observation struct {
	// Masks has one entry per slot: the symbols consistent with the leak.
	// An erased slot has every symbol.
	Masks []fingerprint.Mask
	// Readings describe every slot that was read (not erased).
	Readings []Reading
	// Aligned is the fraction of the template's fixed words found in the
	// leak.
	Aligned float64
	// Words is the number of words in the leak.
	Words int
}

// Reading is one slot read from the leak.
type Reading struct {
	Slot int
	Seen fingerprint.Mask
	// How: "aligned" (read in place), "found" (a declared fact found
	// elsewhere, near its context) or "order" (list items' order).
	How   string
	Spans []Span
}

// Span is a byte range of the extracted leak text.
type Span struct {
	Start, End int
	Text       string
}

// Read reads a leak's extracted text.
func (rd *Reader) Read(leak string) *Observation {
	lt := tokenize(leak)
	obs := &Observation{Masks: make([]fingerprint.Mask, len(rd.tpl.Slots)), Words: len(lt)}
	for j, s := range rd.tpl.Slots {
		obs.Masks[j] = fingerprint.All(s.Q)
	}
	al := rd.align(lt)
	plain := !strings.ContainsAny(leak, fancy)
	fixed, mapped := 0, 0
	for t := range rd.toks {
		if rd.isFixed(t) {
			fixed++
			if al.leakOf[t] >= 0 {
				mapped++
			}
		}
	}
	if fixed > 0 {
		obs.Aligned = float64(mapped) / float64(fixed)
	}
	// Per slot, the masks read at each occurrence, with their spans.
	perSlot := map[int][]occRead{}
	for _, g := range rd.groups {
		for _, r := range rd.readGroup(g, leak, lt, al, plain) {
			perSlot[r.slot] = append(perSlot[r.slot], r)
		}
	}
	for j, s := range rd.tpl.Slots {
		var reading *Reading
		switch {
		case s.Kind == mark.Order && s.Insert > 1:
			continue // read with its list's first slot
		case s.Kind == mark.Order && s.Insert == 1:
			for _, r := range rd.readInsertion(j, leak, lt, al) {
				if r.Seen != 0 && r.Seen != fingerprint.All(rd.tpl.Slots[r.Slot].Q) {
					obs.Masks[r.Slot] = r.Seen
					obs.Readings = append(obs.Readings, r)
				}
			}
			continue
		case s.Kind == mark.Order:
			reading = rd.readOrder(j, leak, lt, al)
		default:
			reading = combine(j, s.Q, perSlot[j])
			if reading == nil && s.Kind == mark.Declared {
				reading = rd.findDeclared(j, leak, lt, al.aligned)
			}
		}
		if reading != nil && reading.Seen != 0 && reading.Seen != fingerprint.All(s.Q) {
			obs.Masks[j] = reading.Seen
			obs.Readings = append(obs.Readings, *reading)
		}
	}
	return obs
}

// occRead is one occurrence's reading.
type occRead struct {
	slot int
	seen fingerprint.Mask
	span Span
}

// combine merges the readings of a slot's occurrences (a document-wide
// style has many): the symbols every occurrence agrees on, or, if they
// disagree (copies were mixed), every symbol any occurrence showed.
func combine(slot, q int, reads []occRead) *Reading {
	if len(reads) == 0 {
		return nil
	}
	inter := fingerprint.All(q)
	var union fingerprint.Mask
	r := &Reading{Slot: slot, How: "aligned"}
	for _, o := range reads {
		inter &= o.seen
		union |= o.seen
		r.Spans = append(r.Spans, o.span)
	}
	r.Seen = inter
	if inter == 0 {
		r.Seen = union
	}
	return r
}

// Words returns a text's normalized words, as the reader and the index see
// them.
func Words(text string) []string {
	toks := tokenize(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.norm
	}
	return out
}

// IndexWords returns the canonical text's words and which of them are
// fixed (not slot words), for identify.Index.
func (rd *Reader) IndexWords() ([]string, []bool) {
	words := make([]string, len(rd.toks))
	fixed := make([]bool, len(rd.toks))
	for i, t := range rd.toks {
		words[i] = t.norm
		fixed[i] = rd.isFixed(i)
	}
	return words, fixed
}

// Shown returns what symbol s of a slot looks like, for reports: the
// alternative at its first occurrence, or for a list the order of items'
// first words.
func (rd *Reader) Shown(slot, s int) string {
	sl := rd.tpl.Slots[slot]
	if sl.Kind == mark.Order && sl.Insert > 0 {
		return rd.shownInsertion(slot, s)
	}
	if sl.Kind == mark.Order {
		var names []string
		for _, item := range sl.Perms[s] {
			it := rd.items[slot][item]
			text := rd.text[it.start:it.end]
			if k := strings.IndexAny(text, ",(;:\n"); k > 0 {
				text = text[:k]
			}
			names = append(names, strings.TrimSpace(text))
		}
		return strings.Join(names, " · ")
	}
	for _, o := range rd.occs {
		if o.slot == slot {
			return o.alts[s]
		}
	}
	return ""
}

// fancy are the typographic characters a plain-text pipeline replaces.
const fancy = "—–“”‘’…"

var plainTypography = strings.NewReplacer("—", "-", "–", "-", "“", `"`, "”", `"`, "‘", "'", "’", "'", "…", "...")

// fragile reports whether normalising typography makes two alternatives
// equal.
func fragile(alts []string) bool {
	seen := map[string]bool{}
	for _, a := range alts {
		n := plainTypography.Replace(a)
		if seen[n] {
			return true
		}
		seen[n] = true
	}
	return false
}
