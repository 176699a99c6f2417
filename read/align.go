package read

import (
	"math"
	"slices"
)

// alignment maps template tokens to leak tokens.
type alignment struct {
	leakOf []int32 // per template token: the leak token it aligns with, or -1
	// fuzzy marks template tokens aligned to a near-equal (not equal)
	// leak word.
	fuzzy []bool
	// anchored marks template tokens aligned as part of an anchor, the
	// most certain kind of alignment.
	anchored []bool
	// aligned marks leak tokens explained by the template's text.
	aligned []bool
}

type anchor struct{ t, k int }

type run struct {
	anchors []anchor
}

func (r *run) last() anchor { return r.anchors[len(r.anchors)-1] }

const (
	maxAnchorGap = 40 // tokens between anchors of one run
	maxDiagDrift = 12 // tokens of insertion or deletion between anchors
)

// align finds anchors, chains them into runs and maps fixed tokens between
// anchors by dynamic programming.
func (rd *Reader) align(lt []token) alignment {
	al := alignment{leakOf: make([]int32, len(rd.toks)), fuzzy: make([]bool, len(rd.toks)), anchored: make([]bool, len(rd.toks))}
	for i := range al.leakOf {
		al.leakOf[i] = -1
	}
	var anchors []anchor
	for k := 0; k+2 < len(lt); k++ {
		for _, t := range rd.shing[hash3(lt[k].norm, lt[k+1].norm, lt[k+2].norm)] {
			ti := int(t)
			if rd.toks[ti].norm == lt[k].norm && rd.toks[ti+1].norm == lt[k+1].norm && rd.toks[ti+2].norm == lt[k+2].norm {
				anchors = append(anchors, anchor{ti, k})
			}
		}
	}
	runs := chain(anchors, rd.itemOf)
	// Longer runs claim tokens first.
	slices.SortStableFunc(runs, func(a, b *run) int { return len(b.anchors) - len(a.anchors) })
	usedLeak := make([]bool, len(lt))
	for _, r := range runs {
		if len(r.anchors) < 2 && len(runs) > 1 && len(runs[0].anchors) >= 4 {
			continue // a stray single anchor next to real runs
		}
		rd.mapRun(r, lt, &al, usedLeak)
	}
	al.aligned = usedLeak
	return al
}

// chain groups anchors, in leak order, into runs along which both texts
// advance together. A run never joins two items of a shuffled list, whose
// order differs between copies, nor an item and the text around it.
func chain(anchors []anchor, itemOf []int32) []*run {
	slices.SortFunc(anchors, func(a, b anchor) int {
		if a.k != b.k {
			return a.k - b.k
		}
		return a.t - b.t
	})
	var runs []*run
	for _, a := range anchors {
		var best *run
		bestDrift := math.MaxInt
		for _, r := range runs {
			l := r.last()
			dk, dt := a.k-l.k, a.t-l.t
			if dk <= 0 || dt <= 0 || dk > maxAnchorGap || dt > maxAnchorGap || itemOf[a.t] != itemOf[l.t] || itemOf[a.t+2] != itemOf[l.t+2] {
				continue
			}
			drift := abs(dk - dt)
			if drift <= maxDiagDrift && drift < bestDrift {
				best, bestDrift = r, drift
			}
		}
		if best != nil {
			best.anchors = append(best.anchors, a)
			continue
		}
		runs = append(runs, &run{anchors: []anchor{a}})
	}
	return runs
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// mapRun maps the tokens of one run: the anchors' own tokens, the gaps
// between consecutive anchors by alignment, and a few tokens beyond each
// end.
func (rd *Reader) mapRun(r *run, lt []token, al *alignment, usedLeak []bool) {
	set := func(t, k int, fuzzy bool) {
		if t < 0 || t >= len(rd.toks) || k < 0 || k >= len(lt) || al.leakOf[t] >= 0 || usedLeak[k] {
			return
		}
		al.leakOf[t] = int32(k)
		al.fuzzy[t] = fuzzy
		usedLeak[k] = true
	}
	for i, a := range r.anchors {
		for d := 0; d < 3; d++ {
			set(a.t+d, a.k+d, false)
			if al.leakOf[a.t+d] == int32(a.k+d) {
				al.anchored[a.t+d] = true
			}
		}
		if i+1 < len(r.anchors) {
			b := r.anchors[i+1]
			rd.alignGap(a.t+3, b.t, a.k+3, b.k, lt, set)
		}
	}
	// Extend past the ends, word by word, while the texts agree.
	first, last := r.anchors[0], r.last()
	rd.extend(last.t+3, last.k+3, +1, lt, set)
	rd.extend(first.t-1, first.k-1, -1, lt, set)
}

// extend walks from template token t and leak token k in direction dir
// (+1 or −1), mapping equal or near-equal fixed words, stepping over slot
// words (whose alternatives may be one to four words long), and stopping at
// the first disagreement, the end of a list item, or a dozen words.
func (rd *Reader) extend(t, k, dir int, lt []token, set func(t, k int, fuzzy bool)) {
	if t < 0 || t >= len(rd.toks) {
		return
	}
	item := rd.itemOf[t]
	for steps := 0; steps < 12; steps++ {
		if t < 0 || t >= len(rd.toks) || k < 0 || k >= len(lt) || rd.itemOf[t] != item {
			return
		}
		if !rd.isFixed(t) {
			// Skip the slot words, then find the next fixed word within
			// the next few leak words.
			for t >= 0 && t < len(rd.toks) && !rd.isFixed(t) {
				t += dir
			}
			if t < 0 || t >= len(rd.toks) {
				return
			}
			found := false
			for d := 0; d <= 4; d++ {
				j := k + dir*d
				if j < 0 || j >= len(lt) {
					break
				}
				if lt[j].norm == rd.toks[t].norm {
					k, found = j, true
					break
				}
			}
			if !found {
				return
			}
		}
		a, b := rd.toks[t].norm, lt[k].norm
		switch {
		case a == b:
			set(t, k, false)
		case nearEqual(a, b):
			set(t, k, true)
		default:
			return
		}
		t += dir
		k += dir
	}
}

// alignGap aligns template tokens [t0, t1) with leak tokens [k0, k1) and
// reports matched fixed tokens through set. Slot tokens are wildcards:
// they match any leak word cheaply and may stretch or shrink, since
// alternatives differ in length.
func (rd *Reader) alignGap(t0, t1, k0, k1 int, lt []token, set func(t, k int, fuzzy bool)) {
	n, m := t1-t0, k1-k0
	if n <= 0 || m <= 0 || n > 4*maxAnchorGap || m > 4*maxAnchorGap {
		return
	}
	// Made here, the table does not escape, so a small one lives on the
	// stack.
	g := gapTable{n: n, m: m, cost: make([]float64, (n+1)*(m+1)), from: make([]uint8, (n+1)*(m+1))}
	rd.fillGapTable(&g, t0, k0, lt)
	rd.matchGap(&g, t0, k0, lt, set)
}

// Costs of the edits that align a gap.
const (
	costIns   = 1.0
	costDel   = 1.0
	costSub   = 1.3
	costFuzzy = 0.4
	costSlot  = 0.1
	costShift = 0.3 // a slot word inserted or deleted
)

// Steps of the cheapest alignment, as recorded in gapTable.from.
const (
	stepDel  = 1 // a template token with no leak token
	stepIns  = 2 // a leak token with no template token
	stepDiag = 3 // a template token aligned with a leak token
)

// gapTable is the edit table of a gap of n template tokens and m leak
// tokens: the cheapest cost of aligning the first i and j of them, and the
// last step of that alignment, at cell i*(m+1)+j.
type gapTable struct {
	n, m int
	cost []float64
	from []uint8
}

func (g *gapTable) cell(i, j int) int { return i*(g.m+1) + j }

// relax records step as the way to cell if it makes the cell cheaper.
func (g *gapTable) relax(cell int, cost float64, step uint8) {
	if cost < g.cost[cell] {
		g.cost[cell], g.from[cell] = cost, step
	}
}

// fillGapTable fills the edit table of template tokens [t0, t0+g.n) and
// leak tokens [k0, k0+g.m).
func (rd *Reader) fillGapTable(g *gapTable, t0, k0 int, lt []token) {
	n, m := g.n, g.m
	for i := range g.cost {
		g.cost[i] = math.Inf(1)
	}
	g.cost[0] = 0
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			c := g.cost[g.cell(i, j)]
			if math.IsInf(c, 1) {
				continue
			}
			slotI := i < n && !rd.isFixed(t0+i)
			prevSlot := i > 0 && !rd.isFixed(t0+i-1)
			if i < n {
				d := costDel
				if slotI {
					d = costShift
				}
				g.relax(g.cell(i+1, j), c+d, stepDel)
			}
			if j < m {
				d := costIns
				if slotI || prevSlot {
					d = costShift
				}
				g.relax(g.cell(i, j+1), c+d, stepIns)
			}
			if i < n && j < m {
				g.relax(g.cell(i+1, j+1), c+rd.substitutionCost(t0+i, lt[k0+j].norm, slotI), stepDiag)
			}
		}
	}
}

// substitutionCost is the cost of aligning template token t with a leak
// word: a slot word matches anything cheaply, a fixed word matches itself
// for free and a near-equal word for a little.
func (rd *Reader) substitutionCost(t int, leakWord string, slot bool) float64 {
	switch {
	case slot:
		return costSlot
	case rd.toks[t].norm == leakWord:
		return 0
	case nearEqual(rd.toks[t].norm, leakWord):
		return costFuzzy
	}
	return costSub
}

// matchGap follows the cheapest alignment back from the end of the gap and
// reports the fixed template tokens aligned with an equal or near-equal
// leak word.
func (rd *Reader) matchGap(g *gapTable, t0, k0 int, lt []token, set func(t, k int, fuzzy bool)) {
	i, j := g.n, g.m
	for i > 0 || j > 0 {
		switch g.from[g.cell(i, j)] {
		case stepDel:
			i--
		case stepIns:
			j--
		case stepDiag:
			i--
			j--
			if rd.isFixed(t0 + i) {
				a, b := rd.toks[t0+i].norm, lt[k0+j].norm
				if a == b {
					set(t0+i, k0+j, false)
				} else if nearEqual(a, b) {
					set(t0+i, k0+j, true)
				}
			}
		default:
			return
		}
	}
}

// nearEqual reports whether two words differ by what OCR or a typo does:
// one edit in words of four to seven letters, two in longer words.
func nearEqual(a, b string) bool {
	la, lb := len(a), len(b)
	if la < 4 || lb < 4 || abs(la-lb) > 2 {
		return false
	}
	limit := 1
	if min(la, lb) >= 8 {
		limit = 2
	}
	return editDistance(a, b) <= limit
}
