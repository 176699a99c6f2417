package fingerprint

// # Slot classes
//
// A leaker who edits a text changes whole families of slots at once: a
// synonym reverter fixes every lexical slot, a house-style clean-up every
// typographic one, laundering through a second telltale re-randomises
// both. Such an edit makes the reading of a class wrong but leaves it
// independent of every innocent's codeword, so bounds stay valid; it only
// drowns the other classes' evidence when everything is summed. So the
// slots carry a class, and decoders also read unions of classes apart
// (package trace pre-registers them), each with its share of ε.

// Restrict returns the evidence of the informative slots keep selects.
func (e *Evidence) Restrict(keep func(slot int) bool) *Evidence {
	r := &Evidence{}
	for i, j := range e.Slots {
		if keep(j) {
			r.Slots = append(r.Slots, j)
			r.Masks = append(r.Masks, e.Masks[i])
			r.P = append(r.P, e.P[i])
			r.Q = append(r.Q, e.Q[i])
		}
	}
	return r
}

// ClassScorer scores codewords with several decoders in one pass, summing
// each slot class apart, so that the score over any union of classes comes
// from the same pass. Sums are float32: use them to screen, and
// Scorer.Score for decisions.
type ClassScorer struct {
	k      int // decoders
	w      int // entry width: k values and the match flag
	stride int
	// order lists codeword positions grouped by class; class c occupies
	// order[ends[c-1]:ends[c]].
	order []int32
	ends  []int
	table []float32 // (position in order, symbol) → w values
	// Slots counts the informative slots of each class.
	Slots []int
}

// ClassScorer prepares decoders for one pass over many codewords. class
// gives the class (0 ≤ class < classes) of each slot of the codeword.
func (e *Evidence) ClassScorer(class []uint8, classes int, decoders ...Decoder) *ClassScorer {
	stride := 2
	for _, q := range e.Q {
		stride = max(stride, q)
	}
	w := len(decoders) + 1
	cs := &ClassScorer{k: len(decoders), w: w, stride: stride, ends: make([]int, classes), Slots: make([]int, classes)}
	var pos []int // informative index of each position
	for c := range classes {
		for i, j := range e.Slots {
			if int(class[j]) == c {
				cs.order = append(cs.order, int32(j))
				pos = append(pos, i)
				cs.Slots[c]++
			}
		}
		cs.ends[c] = len(cs.order)
	}
	cs.table = make([]float32, len(cs.order)*stride*w)
	for d, dec := range decoders {
		sc := e.Scorer(dec)
		for p, i := range pos {
			for s := range stride {
				cs.table[(p*stride+s)*w+d] = float32(sc.table[i*32+s])
			}
		}
	}
	for p, i := range pos {
		for s := range stride {
			if e.Masks[i].Has(uint8(s)) {
				cs.table[(p*stride+s)*w+cs.k] = 1
			}
		}
	}
	return cs
}

// Width is the number of values ScoreInto writes per class: one per
// decoder, then the number of matching slots.
func (cs *ClassScorer) Width() int { return cs.w }

// ScoreInto writes, for each class c, the codeword's score under decoder d
// to out[c*Width()+d] and its matching slots to out[c*Width()+k], where k
// is the number of decoders.
func (cs *ClassScorer) ScoreInto(cw Codeword, out []float32) {
	if cs.w == 3 {
		cs.score3(cw, out)
		return
	}
	var acc [9]float32
	w, stride, t := cs.w, cs.stride, cs.table
	start := 0
	for c, end := range cs.ends {
		acc = [9]float32{}
		for p := start; p < end; p++ {
			base := (p*stride + int(cw[cs.order[p]])) * w
			for d := range w {
				acc[d] += t[base+d]
			}
		}
		copy(out[c*w:c*w+w], acc[:w])
		start = end
	}
}

// score3 is ScoreInto for two decoders, unrolled: the usual case.
func (cs *ClassScorer) score3(cw Codeword, out []float32) {
	stride, t, order := cs.stride, cs.table, cs.order
	start := 0
	for c, end := range cs.ends {
		var a0, a1, m float32
		for p := start; p < end; p++ {
			b := (p*stride + int(cw[order[p]])) * 3
			e := t[b : b+3 : b+3]
			a0 += e[0]
			a1 += e[1]
			m += e[2]
		}
		out[c*3], out[c*3+1], out[c*3+2] = a0, a1, m
		start = end
	}
}

// ScoreEach is ScoreInto for several codewords: codeword i's values go to
// out[i*n:(i+1)*n], where n is Width() times the number of classes. Each
// codeword's sums are added in the same order as by ScoreInto, so the
// values are the same; scoring four codewords side by side keeps more
// additions in flight and reads each slot's place once for all four.
func (cs *ClassScorer) ScoreEach(cws []Codeword, out []float32) {
	n := len(cs.ends) * cs.w
	i := 0
	if cs.w == 3 {
		for ; i+4 <= len(cws); i += 4 {
			cs.score3x4(cws[i], cws[i+1], cws[i+2], cws[i+3], out[i*n:(i+4)*n])
		}
	}
	for ; i < len(cws); i++ {
		cs.ScoreInto(cws[i], out[i*n:(i+1)*n])
	}
}

// score3x4 is score3 for four codewords at once.
func (cs *ClassScorer) score3x4(c0, c1, c2, c3 Codeword, out []float32) {
	stride, t, order := cs.stride, cs.table, cs.order
	n := len(cs.ends) * 3
	start := 0
	for c, end := range cs.ends {
		var a0, b0, m0, a1, b1, m1, a2, b2, m2, a3, b3, m3 float32
		for p := start; p < end; p++ {
			j := order[p]
			base := p * stride
			x0 := (base + int(c0[j])) * 3
			x1 := (base + int(c1[j])) * 3
			x2 := (base + int(c2[j])) * 3
			x3 := (base + int(c3[j])) * 3
			e0 := t[x0 : x0+3 : x0+3]
			e1 := t[x1 : x1+3 : x1+3]
			e2 := t[x2 : x2+3 : x2+3]
			e3 := t[x3 : x3+3 : x3+3]
			a0 += e0[0]
			b0 += e0[1]
			m0 += e0[2]
			a1 += e1[0]
			b1 += e1[1]
			m1 += e1[2]
			a2 += e2[0]
			b2 += e2[1]
			m2 += e2[2]
			a3 += e3[0]
			b3 += e3[1]
			m3 += e3[2]
		}
		out[c*3], out[c*3+1], out[c*3+2] = a0, b0, m0
		out[n+c*3], out[n+c*3+1], out[n+c*3+2] = a1, b1, m1
		out[2*n+c*3], out[2*n+c*3+1], out[2*n+c*3+2] = a2, b2, m2
		out[3*n+c*3], out[3*n+c*3+1], out[3*n+c*3+2] = a3, b3, m3
		start = end
	}
}
