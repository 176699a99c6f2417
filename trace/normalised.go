package trace

import (
	"fmt"
	"math"
	"strings"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/read"
)

// # Normalised classes
//
// A copy draws each occurrence of a word set or a punctuation habit
// independently, so an unedited copy mixes them: "about" here, "roughly"
// there. A leaker who maps every set to one member (a synonym reverter), or
// a house style that puts every serial comma the same way, leaves the
// repeated occurrences of each set all alike. How often repeated
// occurrences agree by chance follows from the biases alone, so the test
// below never looks at a codeword: when far more agree than chance allows,
// the class is treated as erased — it was not read, whatever it shows —
// and the verdict says so. Erasing a class on what the leak shows keeps
// every innocent's symbols independent of the observation, so the bound
// holds.

// NormalisedLevel is the chance, for an unedited copy, of repeated slots
// agreeing as often as they must before a class is called normalised (and
// at least three in four must agree). A class wrongly called normalised
// only loses its evidence; it never counts against anyone.
const NormalisedLevel = 1e-3

// normalisation is the test's result for one class.
type normalisation struct {
	class     uint8
	pairs     int     // pairs of repeated occurrences compared
	agree     int     // of which show the same form
	expected  float64 // agreements an unedited copy would show on average
	logChance float64 // log of the bound on an unedited copy agreeing that often
}

// normalised finds the classes whose repeated occurrences agree far more
// often than an unedited copy's would. Only the lexical and typographic
// classes are tested: declared facts and list orders do not repeat.
func normalised(rd *read.Reader, obs *read.Observation, biases [][]float64) []normalisation {
	tpl := rd.Template()
	// Exactly read slots, grouped by class and name, in document order.
	type key struct {
		class uint8
		name  string
	}
	groups := map[key][]int{}
	var order []key
	for j, sl := range tpl.Slots {
		if sl.Kind != mark.Lexical && sl.Kind != mark.Typographic {
			continue
		}
		if obs.Masks[j].Count() != 1 {
			continue
		}
		k := key{ClassLexical, sl.Name}
		if sl.Kind == mark.Typographic {
			k.class = ClassTypographic
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], j)
	}
	byClass := map[uint8]*normalisation{}
	pairsOf := map[uint8][]float64{}
	for _, k := range order {
		slots := groups[k]
		n := byClass[k.class]
		if n == nil {
			n = &normalisation{class: k.class}
			byClass[k.class] = n
		}
		// Disjoint pairs of consecutive occurrences are independent.
		for i := 0; i+1 < len(slots); i += 2 {
			a, b := slots[i], slots[i+1]
			pa, pb := formProbabilities(rd, a, biases[a]), formProbabilities(rd, b, biases[b])
			chance := 0.0
			for form, x := range pa {
				chance += x * pb[form]
			}
			n.pairs++
			n.expected += chance
			if shownForm(rd, a, obs.Masks[a]) == shownForm(rd, b, obs.Masks[b]) {
				n.agree++
			}
			pairsOf[k.class] = append(pairsOf[k.class], chance)
		}
	}
	var out []normalisation
	for _, c := range []uint8{ClassLexical, ClassTypographic} {
		n := byClass[c]
		if n == nil || n.pairs < 4 || float64(n.agree) < 0.75*float64(n.pairs) {
			continue
		}
		n.logChance = bernoulliUpperTail(pairsOf[c], n.agree)
		if n.logChance < math.Log(NormalisedLevel) {
			out = append(out, *n)
		}
	}
	return out
}

// formProbabilities is the chance of each written form (lower case) of a
// slot in a copy.
func formProbabilities(rd *read.Reader, slot int, bias []float64) map[string]float64 {
	out := map[string]float64{}
	for s, x := range bias {
		out[strings.ToLower(rd.Shown(slot, s))] += x
	}
	return out
}

// shownForm is the written form (lower case) of the one symbol in a mask.
func shownForm(rd *read.Reader, slot int, m fingerprint.Mask) string {
	for s := range 32 {
		if m.Has(uint8(s)) {
			return strings.ToLower(rd.Shown(slot, s))
		}
	}
	return ""
}

// bernoulliUpperTail returns the log of a Chernoff bound on the chance
// that independent events with probabilities p happen at least k times.
func bernoulliUpperTail(p []float64, k int) float64 {
	mean := 0.0
	for _, x := range p {
		mean += x
	}
	if float64(k) <= mean {
		return 0
	}
	if k >= len(p) {
		all := 0.0 // every event: exactly Σ ln p
		for _, x := range p {
			all += math.Log(x)
		}
		return all
	}
	// min over λ ≥ 0 of Σ ln(1 − p + p e^λ) − λ k, by bisection on the
	// derivative Σ p e^λ / (1 − p + p e^λ) − k.
	f := func(l float64) float64 {
		d := -float64(k)
		for _, x := range p {
			e := x * math.Exp(l)
			d += e / (1 - x + e)
		}
		return d
	}
	lo, hi := 0.0, 1.0
	for f(hi) < 0 && hi < 512 {
		lo, hi = hi, 2*hi
	}
	for range 100 {
		mid := (lo + hi) / 2
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	l := (lo + hi) / 2
	sum := -l * float64(k)
	for _, x := range p {
		sum += math.Log(1 - x + x*math.Exp(l))
	}
	return math.Min(sum, 0)
}

// eraseClass marks every slot of a class as not read.
func eraseClass(masks []fingerprint.Mask, classes []uint8, arities []int, class uint8) {
	for j := range masks {
		if classes[j] == class {
			masks[j] = fingerprint.All(arities[j])
		}
	}
}

// note says in plain words what the test found.
func (n normalisation) note() string {
	what := "The word choices look reverted to one fixed word per set"
	if n.class == ClassTypographic {
		what = "The typography looks normalised to one house style"
	}
	return fmt.Sprintf("%s: %d of %d pairs of repeated places agree, where an unedited copy would show about %.0f (chance below %s). They were not counted as evidence for or against anyone.",
		what, n.agree, n.pairs, n.expected, FormatBound(n.logChance))
}

// classNotes compares the accused copy with the leak class by class, for
// the reader of the verdict: a class that matches the copy no better than
// chance while the others match was reverted, normalised or laundered.
// The decision is made by then; the codeword only explains it.
func classNotes(ev *fingerprint.Evidence, classOf []uint8, holder Holder) []string {
	var matched, total [classes]int
	var chance [classes]float64
	for i, j := range ev.Slots {
		c := classOf[j]
		total[c]++
		chance[c] += ev.P[i]
		if ev.Masks[i].Has(holder.Codeword[j]) {
			matched[c]++
		}
	}
	var out []string
	for _, c := range []uint8{ClassLexical, ClassTypographic} {
		if total[c] < 6 {
			continue
		}
		rate, expected := float64(matched[c])/float64(total[c]), chance[c]/float64(total[c])
		if rate > 0.75 || rate > expected+0.25 {
			continue
		}
		what := "word choices agree"
		how := "they were probably reverted to fixed words or re-drawn (laundered through another copy of telltale)"
		if c == ClassTypographic {
			what, how = "typography agrees", "it was probably normalised to a house style or re-drawn"
		}
		out = append(out, fmt.Sprintf("The %s with the accused copy in only %d of %d places, about what chance gives (%.0f%%): %s. The verdict rests on the other marks.",
			what, matched[c], total[c], 100*expected, how))
	}
	return out
}
