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
	const (
		costIns   = 1.0
		costDel   = 1.0
		costSub   = 1.3
		costFuzzy = 0.4
		costSlot  = 0.1
		costShift = 0.3 // a slot word inserted or deleted
	)
	inf := math.Inf(1)
	w := m + 1
	dp := make([]float64, (n+1)*w)
	from := make([]uint8, (n+1)*w) // 1 del, 2 ins, 3 diag
	for i := range dp {
		dp[i] = inf
	}
	dp[0] = 0
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			c := dp[i*w+j]
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
				if v := c + d; v < dp[(i+1)*w+j] {
					dp[(i+1)*w+j], from[(i+1)*w+j] = v, 1
				}
			}
			if j < m {
				d := costIns
				if slotI || prevSlot {
					d = costShift
				}
				if v := c + d; v < dp[i*w+j+1] {
					dp[i*w+j+1], from[i*w+j+1] = v, 2
				}
			}
			if i < n && j < m {
				var d float64
				switch {
				case slotI:
					d = costSlot
				case rd.toks[t0+i].norm == lt[k0+j].norm:
					d = 0
				case nearEqual(rd.toks[t0+i].norm, lt[k0+j].norm):
					d = costFuzzy
				default:
					d = costSub
				}
				if v := c + d; v < dp[(i+1)*w+j+1] {
					dp[(i+1)*w+j+1], from[(i+1)*w+j+1] = v, 3
				}
			}
		}
	}
	// Backtrack from the cheapest end: the gap may be partial at run ends.
	i, j := n, m
	for i > 0 || j > 0 {
		f := from[i*w+j]
		switch f {
		case 1:
			i--
		case 2:
			j--
		case 3:
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
