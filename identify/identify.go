// Package identify finds which stored version a leaked text comes from.
//
// An [Index] holds, for every version, a sample of its three-word phrases
// (shingles) — only those made of fixed text, since slot words vary between
// copies — and its distinctive words (names, numbers, rare terms). A leak is
// matched by counting shared shingles, which identifies verbatim excerpts,
// OCR'd and retyped copies in microseconds; a paraphrase shares few phrases,
// so distinctive words weighted by rarity across the index decide then.
// The index lives in memory and is rebuilt from the stored templates.
package identify

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// sampleMod keeps one shingle in sampleMod, chosen by hash, so the index
// stays small while any excerpt of a few dozen words still hits.
const sampleMod = 4

// Index is a searchable set of versions. It is safe for concurrent use.
type Index struct {
	seed uint64

	mu       sync.RWMutex
	shingles map[uint64][]int32 // sampled shingle → versions
	words    map[uint64][]int32 // distinctive word → versions
	versions []entry
}

type entry struct {
	id       int64
	label    string
	shingles int // sampled shingles of the version
	words    int
}

// NewIndex returns an empty index whose hashes are keyed with key.
func NewIndex(key []byte) *Index {
	sum := sha256.Sum256(key)
	seed := binary.BigEndian.Uint64(sum[:8]) | 1
	return &Index{seed: seed, shingles: map[uint64][]int32{}, words: map[uint64][]int32{}}
}

// Text is a version to index: its canonical plain text, and which of its
// words are fixed (not slot words). fixed may be nil: every word counts.
type Text struct {
	ID    int64
	Label string // for messages: "plan v2"
	Words []string
	Fixed []bool
}

// Add indexes a version.
func (ix *Index) Add(t Text) {
	sh := map[uint64]bool{}
	for i := 0; i+2 < len(t.Words); i++ {
		if t.Fixed != nil && !(t.Fixed[i] && t.Fixed[i+1] && t.Fixed[i+2]) {
			continue
		}
		if h := ix.hash(t.Words[i], t.Words[i+1], t.Words[i+2]); h%sampleMod == 0 {
			sh[h] = true
		}
	}
	dw := map[uint64]bool{}
	for _, w := range t.Words {
		if distinctive(w) {
			dw[ix.hash(w)] = true
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n := int32(len(ix.versions))
	ix.versions = append(ix.versions, entry{id: t.ID, label: t.Label, shingles: len(sh), words: len(dw)})
	for h := range sh {
		ix.shingles[h] = append(ix.shingles[h], n)
	}
	for h := range dw {
		ix.words[h] = append(ix.words[h], n)
	}
}

// Len returns the number of versions indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.versions)
}

// hash is FNV-1a over the key and the words. The index lives in memory;
// the key only keeps hashes from being comparable across deployments.
func (ix *Index) hash(words ...string) uint64 {
	h := ix.seed
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			h ^= uint64(w[i])
			h *= 1099511628211
		}
		h ^= 0xff
		h *= 1099511628211
	}
	return h
}

// Match is a candidate source of a leak.
type Match struct {
	ID    int64
	Label string
	// Shingles is the number of the leak's sampled phrases found in the
	// version; Overlap is that as a fraction of the leak's sampled
	// phrases.
	Shingles int
	Overlap  float64
	// Words is the rarity-weighted share of the leak's distinctive words
	// found in the version, from 0 to 1.
	Words float64
	// WordHits is how many distinct distinctive words of the leak the
	// version has.
	WordHits int
	Score    float64
}

// Identify ranks the versions a leak may come from, best first, at most
// limit of them.
func (ix *Index) Identify(words []string, limit int) []Match {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if len(ix.versions) == 0 {
		return nil
	}
	hits := map[int32]int{}
	sampled := 0
	seen := map[uint64]bool{}
	for i := 0; i+2 < len(words); i++ {
		h := ix.hash(words[i], words[i+1], words[i+2])
		if h%sampleMod != 0 || seen[h] {
			continue
		}
		seen[h] = true
		sampled++
		for _, v := range ix.shingles[h] {
			hits[v]++
		}
	}
	// Distinctive words, weighted by inverse document frequency.
	wordScore := map[int32]float64{}
	wordHits := map[int32]int{}
	total := 0.0
	n := float64(len(ix.versions))
	seenW := map[uint64]bool{}
	for _, w := range words {
		if !distinctive(w) {
			continue
		}
		h := ix.hash(w)
		if seenW[h] {
			continue
		}
		seenW[h] = true
		vs := ix.words[h]
		idf := math.Log(1 + n/float64(1+len(vs)))
		total += idf
		for _, v := range vs {
			wordScore[v] += idf
			wordHits[v]++
		}
	}
	cands := map[int32]bool{}
	for v := range hits {
		cands[v] = true
	}
	for v := range wordScore {
		cands[v] = true
	}
	var out []Match
	for v := range cands {
		e := ix.versions[v]
		m := Match{ID: e.id, Label: e.label, Shingles: hits[v], WordHits: wordHits[v]}
		if sampled > 0 {
			m.Overlap = float64(hits[v]) / float64(sampled)
		}
		if total > 0 {
			m.Words = wordScore[v] / total
		}
		m.Score = m.Overlap + 0.5*m.Words
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return int(a.ID - b.ID)
	})
	return out[:min(len(out), limit)]
}

// Confident reports whether a match is strong enough to read the leak
// against: enough shared phrases, or for a paraphrase most of the leak's
// rare words — and enough of them that a short unrelated sentence sharing
// a few ordinary words ("expected", "region", "Tuesday") does not count.
func (m Match) Confident() bool {
	return m.Shingles >= 3 && m.Overlap >= 0.05 || m.Words >= 0.35 && m.WordHits >= minWordHits
}

// minWordHits is how many distinctive words a paraphrase must share.
const minWordHits = 8

// distinctive words: numbers and words of five letters or more that are not
// among the most common English words. (Capitalisation is gone after
// normalisation; rarity across the index does the rest.)
func distinctive(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsDigit(r) {
		return len(w) >= 2
	}
	return utf8.RuneCountInString(w) >= 5 && !common[w]
}

var common = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`about above after again against among around because before being below between could during every first found great going group having house large later least little local makes might never other place point public right should since small state still their there these thing think those three through today under until using where which while whole world would years about first their there these which would other after could where those being under years while since until every might never among there state shall based whose people report reports reported said`) {
		common[w] = true
	}
}
