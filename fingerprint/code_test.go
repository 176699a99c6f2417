package fingerprint

import (
	"math"
	"reflect"
	"testing"
)

func key(s string) Key {
	var k Key
	copy(k[:], s)
	return k
}

func TestBiasesValid(t *testing.T) {
	t.Parallel()
	arities := []int{2, 3, 4, 2, 16, 2, 5}
	for c := 1; c <= 12; c++ {
		d := Design{Coalition: c, Version: 1}
		biases := Biases(key("v"), arities, d)
		if len(biases) != len(arities) {
			t.Fatalf("c=%d: biases for %d slots, want %d", c, len(biases), len(arities))
		}
		for j, b := range biases {
			if len(b) != arities[j] {
				t.Fatalf("c=%d slot %d: %d biases for q=%d", c, j, len(b), arities[j])
			}
			sum := 0.0
			for _, p := range b {
				if p <= 0 || p >= 1 || math.IsNaN(p) {
					t.Fatalf("c=%d slot %d: bias %v out of (0,1)", c, j, b)
				}
				sum += p
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("c=%d slot %d: biases sum to %v", c, j, sum)
			}
		}
	}
}

func TestDeterministicAndKeyed(t *testing.T) {
	t.Parallel()
	arities := make([]int, 200)
	for i := range arities {
		arities[i] = 2 + i%3
	}
	b1 := Biases(key("v1"), arities, DefaultDesign)
	b2 := Biases(key("v1"), arities, DefaultDesign)
	b3 := Biases(key("v2"), arities, DefaultDesign)
	same := func(a, b [][]float64) bool {
		for i := range a {
			for j := range a[i] {
				if a[i][j] != b[i][j] {
					return false
				}
			}
		}
		return true
	}
	if !same(b1, b2) {
		t.Error("same key gave different biases")
	}
	if same(b1, b3) {
		t.Error("different keys gave the same biases")
	}
	c1 := NewCodeword(key("copy1"), b1)
	if string(c1) != string(NewCodeword(key("copy1"), b1)) {
		t.Error("same key gave different codewords")
	}
	if string(c1) == string(NewCodeword(key("copy2"), b1)) {
		t.Error("different copy keys gave the same codeword over 200 slots")
	}
}

// TestCodewordFrequencies: symbols follow the biases (a chi-square-like
// check with a generous bound, deterministic keys).
func TestCodewordFrequencies(t *testing.T) {
	t.Parallel()
	b := [][]float64{{0.2, 0.8}, {0.5, 0.3, 0.2}}
	counts := [2][3]float64{}
	const n = 20000
	for i := 0; i < n; i++ {
		var k Key
		k[0], k[1], k[2] = byte(i), byte(i>>8), byte(i>>16)
		cw := NewCodeword(k, b)
		counts[0][cw[0]]++
		counts[1][cw[1]]++
	}
	for j := range b {
		for s, p := range b[j] {
			got := counts[j][s] / n
			if math.Abs(got-p) > 4*math.Sqrt(p*(1-p)/n) {
				t.Errorf("slot %d symbol %d: frequency %.4f, bias %.4f", j, s, got, p)
			}
		}
	}
}

func TestCommitment(t *testing.T) {
	t.Parallel()
	k := key("copy")
	cw := Codeword{0, 1, 2, 1}
	commit, salt := Commitment(k, cw)
	if CommitWithSalt(salt, cw) != commit {
		t.Error("commitment does not verify with its salt")
	}
	if CommitWithSalt(salt, Codeword{0, 1, 2, 0}) == commit {
		t.Error("commitment verifies a different codeword")
	}
	if other, _ := Commitment(key("other"), cw); other == commit {
		t.Error("two copies with the same codeword share a commitment")
	}
}

// TestCommittedCodeword: the codeword and commitment computed together
// are NewCodeword's and Commitment's.
func TestCommittedCodeword(t *testing.T) {
	t.Parallel()
	biases := Biases(key("version"), []int{2, 3, 5, 2, 4, 2}, DefaultDesign)
	for _, k := range []Key{key("a"), key("b")} {
		cw := make(Codeword, len(biases))
		commit := CommittedCodeword(k, biases, cw)
		want := NewCodeword(k, biases)
		if wantCommit, _ := Commitment(k, want); commit != wantCommit || string(cw) != string(want) {
			t.Errorf("CommittedCodeword = %v, %x; want %v, %x", cw, commit, want, wantCommit)
		}
	}
}

func TestExpectedInformation(t *testing.T) {
	t.Parallel()
	if got := ExpectedInformation(Design{Coalition: 1, Version: 1}, 4); math.Abs(got-math.Log(4)) > 1e-12 {
		t.Errorf("uniform q=4: %v, want ln 4", got)
	}
	nuida := ExpectedInformation(Design{Coalition: 3, Version: 1}, 2)
	if math.Abs(nuida-0.5157) > 0.01 {
		t.Errorf("Nuida c=3 binary: %v, want ≈0.516", nuida)
	}
	for q := 2; q <= 16; q++ {
		if h := ExpectedInformation(DefaultDesign, q); h <= 0 || h > math.Log(float64(q)) {
			t.Errorf("q=%d: information %v outside (0, ln q]", q, h)
		}
	}
}

func TestDesignCheck(t *testing.T) {
	t.Parallel()
	for _, d := range []Design{{Coalition: 0, Version: 1}, {Coalition: 3, Version: 3}, {Coalition: 3, Version: 0}, {Coalition: 100, Version: 1}} {
		if d.Check() == nil {
			t.Errorf("design %+v accepted", d)
		}
	}
	if DefaultDesign.Check() != nil {
		t.Error("default design rejected")
	}
}

// TestRobustUniform: from design version 2, robust slots are uniform under
// every coalition; version 1 keeps its biases exactly.
func TestRobustUniform(t *testing.T) {
	t.Parallel()
	arities := []int{2, 3, 10, 2}
	robust := []bool{true, true, true, false}
	v1 := Design{Coalition: 3, Version: 1}
	if got, want := SlotBiases(Key{5}, arities, robust, v1), Biases(Key{5}, arities, v1); !reflect.DeepEqual(got, want) {
		t.Error("version 1 biases changed with robust slots")
	}
	v2 := SlotBiases(Key{5}, arities, robust, Design{Coalition: 3, Version: 2})
	for j, b := range v2 {
		uniform := true
		for _, x := range b {
			uniform = uniform && math.Abs(x-1/float64(len(b))) < 1e-12
		}
		if uniform != robust[j] {
			t.Errorf("slot %d (robust %v): biases %v", j, robust[j], b)
		}
	}
	if h := SlotInformation(Design{Coalition: 3, Version: 2}, 10, true); math.Abs(h-math.Log(10)) > 1e-12 {
		t.Errorf("robust q=10 information %v, want ln 10", h)
	}
}
