// Package fingerprint is telltale's collusion-resistant fingerprinting code:
// secret per-slot biases, per-copy codewords drawn from them, and (in the
// decoders) scores for every recipient with a rigorous bound on the chance
// that an innocent recipient scores that high.
//
// Everything secret is derived from keys the caller supplies (package keys
// derives them from the master key): [Biases] from a per-version key,
// [NewCodeword] from a per-copy key. Both use AES-256 as a keyed PRF, so the
// same keys always give the same biases and codewords, and nothing about a
// codeword can be learned from the recipient's identity.
//
// # Design
//
// A [Design] says which coalition size the code is built for. Small
// coalitions (c ≤ 2) use uniform biases, which make a single leaker
// identifiable from the fewest slots (log_q(n/ε)). Larger coalitions use the
// Tardos family: for binary slots Nuida's discrete distributions (Gauss–
// Legendre points) up to c = 8 and the arcsine law with cutoff beyond, for
// q-ary slots a symmetric Dirichlet law with cutoff. Biases are per slot and
// secret: the bound on false accusations relies on it.
package fingerprint

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
)

// Design selects the bias distribution of a version's slots. It is stored
// with the version, so biases can be recomputed exactly years later.
type Design struct {
	// Coalition is the largest number of colluding recipients the code is
	// built to catch efficiently.
	Coalition int `json:"coalition"`
	// Version of the derivation. In version 1 every slot follows the
	// coalition's law. From version 2, robust slots (declared facts and
	// list orders, which survive paraphrase) are uniform whatever the
	// coalition: a document has too few of them to resist collusion, and
	// a uniform slot carries the most evidence against a single leaker
	// (ln q nats); the many word and style slots carry the collusion
	// resistance.
	Version int `json:"version"`
}

// DefaultDesign resists coalitions of three, with uniform robust slots.
var DefaultDesign = Design{Coalition: 3, Version: 2}

// LatestDesignVersion is the derivation new versions use.
const LatestDesignVersion = 2

// SmallAudience is the largest audience for which DesignFor builds for a
// single leaker: among a few people, one leaker is the likely case, and a
// code built for one makes every mark carry the most evidence (ln q nats
// where a three-colluder design gives about half that on binary marks).
const SmallAudience = 25

// DesignFor chooses the design for an audience of n recipients (0:
// unknown): a single leaker for SmallAudience or fewer, else
// DefaultDesign.
func DesignFor(n int) Design {
	if n > 0 && n <= SmallAudience {
		return Design{Coalition: 1, Version: LatestDesignVersion}
	}
	return DefaultDesign
}

// Uniform reports whether a slot is drawn uniformly under the design.
func (d Design) Uniform(robust bool) bool {
	return d.Coalition <= 2 || robust && d.Version >= 2
}

// Check reports whether a design is supported.
func (d Design) Check() error {
	if d.Version < 1 || d.Version > LatestDesignVersion {
		return fmt.Errorf("unknown fingerprint design version %d", d.Version)
	}
	if d.Coalition < 1 || d.Coalition > 64 {
		return fmt.Errorf("coalition size %d out of range (1–64)", d.Coalition)
	}
	return nil
}

// Key is a 256-bit secret key.
type Key [32]byte

// prf is AES-256 used as a keyed pseudorandom function on
// (domain, slot, counter).
type prf struct {
	block cipher.Block
	// buf holds the input and output blocks: allocated once, not at
	// every call (the cipher's interface would make them escape).
	buf *[32]byte
}

const (
	domainBias     = 1
	domainCodeword = 2
	domainCommit   = 3
)

func newPRF(k Key) prf {
	b, err := aes.NewCipher(k[:])
	if err != nil {
		panic(err) // only on a wrong key size, which Key rules out
	}
	return prf{b, new([32]byte)}
}

// uniform returns a number in [0, 1) determined by the key and the inputs.
func (p prf) uniform(domain byte, slot int, counter uint64) float64 {
	in, out := p.buf[:16], p.buf[16:]
	binary.BigEndian.PutUint64(in[0:8], uint64(domain)<<56|uint64(slot)&(1<<56-1))
	binary.BigEndian.PutUint64(in[8:16], counter)
	p.block.Encrypt(out, in)
	return float64(binary.BigEndian.Uint64(out[:8])>>11) / (1 << 53)
}

// Biases returns the secret bias vector of every slot: biases[j][s] is the
// probability that a codeword shows symbol s in slot j. arities[j] is the
// number of symbols of slot j. No slot is robust (see SlotBiases).
func Biases(k Key, arities []int, d Design) [][]float64 {
	return SlotBiases(k, arities, nil, d)
}

// SlotBiases is Biases where robust[j] (nil: none) marks the slots of the
// robust classes, declared facts and list orders.
func SlotBiases(k Key, arities []int, robust []bool, d Design) [][]float64 {
	p := newPRF(k)
	out := make([][]float64, len(arities))
	for j, q := range arities {
		out[j] = slotBias(p, j, q, d, robust != nil && robust[j])
	}
	return out
}

func slotBias(p prf, j, q int, d Design, robust bool) []float64 {
	b := make([]float64, q)
	switch {
	case d.Uniform(robust):
		for s := range b {
			b[s] = 1 / float64(q)
		}
	case q == 2:
		x := binaryBias(p, j, d.Coalition)
		b[0], b[1] = 1-x, x
	default:
		dirichlet(p, j, b, 1, cutoff(d.Coalition, q))
	}
	return b
}

// binaryBias draws the probability of symbol 1 of a binary slot.
func binaryBias(p prf, j, c int) float64 {
	u := p.uniform(domainBias, j, 0)
	if nodes, weights := nuida(c); nodes != nil {
		for i, w := range weights {
			if u < w {
				return nodes[i]
			}
			u -= w
		}
		return nodes[len(nodes)-1]
	}
	// Arcsine law with cutoff t: p = sin²(r), r uniform on [t', π/2 − t'].
	t := 1 / (300 * float64(c))
	tp := math.Asin(math.Sqrt(t))
	r := tp + u*(math.Pi/2-2*tp)
	s := math.Sin(r)
	return s * s
}

// nuida returns Nuida et al.'s discrete bias distribution for coalitions of
// up to c (c ≤ 8): the Gauss–Legendre nodes mapped to [0, 1] with their
// weights.
func nuida(c int) (nodes, weights []float64) {
	switch (c + 1) / 2 {
	case 1:
		return []float64{0.5}, []float64{1}
	case 2:
		a := 1 / math.Sqrt(3)
		return []float64{(1 - a) / 2, (1 + a) / 2}, []float64{0.5, 0.5}
	case 3:
		a := math.Sqrt(3.0 / 5)
		return []float64{(1 - a) / 2, 0.5, (1 + a) / 2}, []float64{5.0 / 18, 8.0 / 18, 5.0 / 18}
	case 4:
		a := math.Sqrt(3.0/7 - 2.0/7*math.Sqrt(6.0/5))
		b := math.Sqrt(3.0/7 + 2.0/7*math.Sqrt(6.0/5))
		wa := (18 + math.Sqrt(30)) / 36
		wb := (18 - math.Sqrt(30)) / 36
		return []float64{(1 - b) / 2, (1 - a) / 2, (1 + a) / 2, (1 + b) / 2}, []float64{wb / 2, wa / 2, wa / 2, wb / 2}
	}
	return nil, nil
}

func cutoff(c, q int) float64 { return 1 / (40 * float64(c) * float64(q)) }

// dirichlet fills b with a draw from the symmetric Dirichlet(kappa) law,
// then raises every entry to at least t and renormalises.
func dirichlet(p prf, j int, b []float64, kappa, t float64) {
	var ctr uint64
	next := func() float64 {
		ctr++
		u := p.uniform(domainBias, j, ctr)
		if u == 0 {
			u = 0x1p-53
		}
		return u
	}
	sum := 0.0
	for s := range b {
		b[s] = gamma(kappa, next)
		sum += b[s]
	}
	total := 0.0
	for s := range b {
		b[s] = math.Max(b[s]/sum, t)
		total += b[s]
	}
	for s := range b {
		b[s] /= total
	}
}

// gamma draws from Gamma(a, 1) by Marsaglia and Tsang's method.
func gamma(a float64, u func() float64) float64 {
	if a < 1 {
		return gamma(a+1, u) * math.Pow(u(), 1/a)
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		// Standard normal by Box–Muller.
		x := math.Sqrt(-2*math.Log(u())) * math.Cos(2*math.Pi*u())
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		w := u()
		if math.Log(w) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// Codeword is one copy's symbols, one per slot.
type Codeword []uint8

// NewCodeword draws a copy's codeword from the slot biases with the copy's
// key.
func NewCodeword(k Key, biases [][]float64) Codeword {
	cw := make(Codeword, len(biases))
	codewordInto(newPRF(k), biases, cw)
	return cw
}

// CommittedCodeword is NewCodeword into cw, which must have one symbol
// per slot, and Commitment: the commitment to it. A trace recomputes both
// for every copy.
func CommittedCodeword(k Key, biases [][]float64, cw Codeword) [32]byte {
	p := newPRF(k)
	codewordInto(p, biases, cw)
	return CommitWithSalt(commitSalt(p), cw)
}

func codewordInto(p prf, biases [][]float64, cw Codeword) {
	for j, b := range biases {
		u := p.uniform(domainCodeword, j, 0)
		s := 0
		for s < len(b)-1 && u >= b[s] {
			u -= b[s]
			s++
		}
		cw[j] = uint8(s)
	}
}

// Commitment is a hash that fixes a codeword at issue time without
// revealing it: SHA-256 over a domain string, a salt derived from the copy
// key, and the symbols. Revealing the codeword and salt later proves the
// copy carried that codeword when it was issued.
func Commitment(k Key, cw Codeword) (commit [32]byte, salt [32]byte) {
	salt = CommitSalt(k)
	return CommitWithSalt(salt, cw), salt
}

// CommitSalt is the salt of a copy's codeword commitment.
func CommitSalt(k Key) [32]byte { return commitSalt(newPRF(k)) }

func commitSalt(p prf) [32]byte {
	var salt [32]byte
	for i := 0; i < 4; i++ {
		binary.BigEndian.PutUint64(salt[8*i:], uint64(p.uniform(domainCommit, i, 0)*(1<<53)))
	}
	return sha256.Sum256(salt[:])
}

// CommitWithSalt recomputes a commitment from a revealed codeword and salt.
func CommitWithSalt(salt [32]byte, cw Codeword) [32]byte {
	h := sha256.New()
	h.Write([]byte("telltale codeword commitment v1\x00"))
	h.Write(salt[:])
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(cw)))
	h.Write(n[:])
	h.Write(cw)
	var out [32]byte
	h.Sum(out[:0])
	return out
}
