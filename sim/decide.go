package sim

import (
	"fmt"
	"slices"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/trace"
)

// A Decision is the product's verdict on the simulated recipients, a
// sample of n.
type Decision struct {
	// Accused and Inconsistent are indexed like the codewords given to
	// Decide.
	Accused, Inconsistent []bool
	// Edited is the verdict's finding that no copy matches the whole
	// evidence.
	Edited bool
	// Sampled is true if fewer codewords were given than n; Single then
	// marks those a single decoder accuses (what the product would accuse
	// among all n whatever the others' codewords), while Accused adds the
	// pair decoder's accusations among the sample.
	Sampled bool
	Single  []bool
	// Decoders are the thresholds applied, in trace.Attribute's order:
	// Share is the product's share of ε for n recipients; PerRecipient
	// (per ordered pair, for pairs) and Threshold are the ones used, equal
	// to the product's for n up to rounding and never more lenient.
	Decoders []trace.DecoderResult
}

// shareSlack makes the simulated thresholds stricter than the product's by
// a relative 10⁻¹², far above floating-point rounding, so that rounding can
// never make them more lenient.
const shareSlack = 1 - 1e-12

// Decide runs the product's decision rule, trace.Attribute, on the
// codewords of a sample of n recipients, with the thresholds the product
// uses for all n: each decoder's share of ε is divided among n recipients,
// and the pair decoder's among n(n−1) ordered pairs.
//
// trace.Attribute divides by the number of codewords it is given. When
// fewer than n are simulated, Decide therefore calls it twice: once
// without pairs, with ε chosen so that every single decoder's share per
// recipient is ε/(D·n), where D is the number of decoders the product
// registers for n; and once with pairs, with ε chosen so that the share
// per ordered pair is ε/(D·n(n−1)). The second call's single thresholds
// are stricter than the first's, so the union of the two calls' accused is
// exactly what the product's thresholds accuse. Decide checks the shares
// trace.Attribute reports against these and returns an error if they
// differ.
//
// What a sample cannot reproduce is the pair decoder's choice of
// candidates: it pairs the best-scoring recipients (48 per subset of
// classes), and among n real recipients a colluder competes with n−k
// innocents for those places, not k; and an innocent outside the sample
// may be the partner that gets a colluder accused. So the decision marks
// which accusations a single decoder made (Single): those are exactly the
// product's. Pairs are decoded only if at least three codewords are
// simulated.
func Decide(ev *fingerprint.Evidence, codewords []fingerprint.Codeword, n int, p trace.Params) (*Decision, error) {
	k := len(codewords)
	if n < k {
		return nil, fmt.Errorf("%d codewords simulated among %d recipients", k, n)
	}
	singles, pairs := decoderCount(ev, p, n)
	if k == n {
		return decision(trace.Attribute(ev, codewords, p)), nil
	}
	if pairs && k < 3 {
		return nil, fmt.Errorf("the product decodes pairs among %d recipients, but only %d are simulated (need 3)", n, k)
	}
	d := singles
	if pairs {
		d++
	}
	share := p.Epsilon / float64(d)

	ps := p
	ps.NoPairs = true
	ps.Epsilon = p.Epsilon * float64(k) / float64(n) * float64(singles) / float64(d) * shareSlack
	a := trace.Attribute(ev, codewords, ps)
	if err := checkShares(a, singles, false, share, share/float64(n)); err != nil {
		return nil, fmt.Errorf("single decoders: %w", err)
	}
	out := decision(a)
	out.Sampled = true
	out.Single = slices.Clone(out.Accused)
	for i := range out.Decoders {
		out.Decoders[i].Share = share
	}
	if !pairs {
		return out, nil
	}

	pp := p
	pp.Epsilon = p.Epsilon * (float64(k) * float64(k-1)) / (float64(n) * float64(n-1)) * shareSlack
	b := trace.Attribute(ev, codewords, pp)
	perPair := share / (float64(n) * float64(n-1))
	if err := checkShares(b, d, true, share, perPair); err != nil {
		return nil, fmt.Errorf("pair decoder: %w", err)
	}
	pr := b.Decoders[len(b.Decoders)-1]
	pr.Share = share
	out.Decoders = append(out.Decoders, pr)
	for _, f := range b.Accused {
		out.Accused[f.Index] = true
		out.Inconsistent[f.Index] = false
	}
	return out, nil
}

// decision collects an attribution's accused and inconsistent recipients.
func decision(a *trace.Attribution) *Decision {
	d := &Decision{Accused: make([]bool, a.Recipients), Inconsistent: make([]bool, a.Recipients), Edited: a.Edited, Decoders: a.Decoders}
	for _, f := range a.Accused {
		d.Accused[f.Index] = true
	}
	for _, f := range a.Inconsistent {
		d.Inconsistent[f.Index] = true
	}
	return d
}

// checkShares verifies that an attribution registered want decoders and
// divided ε as the product does for all n: per recipient (or, with pairs,
// per ordered pair for the last decoder) within 10⁻⁹ of per and never
// above it.
func checkShares(a *trace.Attribution, want int, pairs bool, share, per float64) error {
	if len(a.Decoders) != want {
		return fmt.Errorf("trace.Attribute registered %d decoders, the product would register %d", len(a.Decoders), want)
	}
	results := a.Decoders
	if pairs {
		results = results[len(results)-1:]
		if results[0].Name != trace.Pairs {
			return fmt.Errorf("trace.Attribute's last decoder is %q, not %q", results[0].Name, trace.Pairs)
		}
	}
	for _, r := range results {
		if !(r.PerRecipient <= per && r.PerRecipient >= per*(1-1e-9)) {
			return fmt.Errorf("decoder %s got %g per recipient, the product's share %g gives %g", r.Name, r.PerRecipient, share, per)
		}
	}
	return nil
}

// decoderCount is how many single decoders trace.Attribute registers for
// the evidence (every score function on every distinct non-empty subset
// of the classes read), and whether it decodes pairs among n recipients.
func decoderCount(ev *fingerprint.Evidence, p trace.Params, n int) (singles int, pairs bool) {
	decoders := p.Decoders
	if decoders == nil {
		decoders = trace.DefaultDecoders
	}
	subsets := p.Subsets
	classOf := func(int) uint8 { return 0 }
	switch {
	case p.Classes != nil:
		classOf = func(j int) uint8 { return p.Classes[j] }
		if subsets == nil {
			subsets = trace.DefaultSubsets
		}
	case subsets == nil:
		subsets = []trace.Subset{{Name: trace.SubsetAll, Classes: 1}}
	}
	var present uint32
	for _, j := range ev.Slots {
		present |= 1 << classOf(j)
	}
	seen := map[uint32]bool{}
	for _, sub := range subsets {
		key := sub.Classes & present
		if key == 0 && present != 0 {
			continue
		}
		seen[key] = true
	}
	return len(decoders) * len(seen), !p.NoPairs && n >= 3 && len(ev.Slots) > 0
}
