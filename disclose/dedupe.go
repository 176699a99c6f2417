package disclose

import (
	"sync"
)

// Signature is a MinHash sketch of a text's four-word phrases: two texts'
// signatures agree in about the share of phrases they have in common
// (Jaccard similarity).
type Signature [64]uint32

// shingleWords is the phrase length of signatures: long enough that two
// stories on one subject share few phrases, short enough that light edits
// of a syndicated copy keep most.
const shingleWords = 4

// Fingerprint returns the signature of a text.
func Fingerprint(text string) Signature {
	tz := tokenizer{bg: DefaultBackground()}
	var v view
	v.toks = compact(tz.tokenize(text, nil))
	return fingerprint(v.toks)
}

func fingerprint(toks []token) Signature {
	var sig Signature
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for i := 0; i+shingleWords <= len(toks); i++ {
		h := uint64(seedGram)
		for _, t := range toks[i : i+shingleWords] {
			h = mix(h, t.key)
		}
		for k := range sig {
			if v := uint32(mix(h, uint64(k)) >> 32); v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig
}

// Similarity estimates the Jaccard similarity of the texts of two
// signatures, from 0 to 1.
func (s *Signature) Similarity(o *Signature) float64 {
	same := 0
	for i := range s {
		if s[i] == o[i] && s[i] != ^uint32(0) {
			same++
		}
	}
	return float64(same) / float64(len(s))
}

// Deduper groups syndicated copies of a story: an article whose text is a
// near-duplicate of an earlier one (signature similarity at least
// Threshold), or whose canonical URL is an earlier article's, joins that
// article's story. It remembers the last Max stories. Safe for concurrent
// use.
type Deduper struct {
	// Threshold is the similarity from which two articles are one story
	// (default 0.5).
	Threshold float64
	// Max bounds the stories remembered (default 10,000).
	Max int

	mu      sync.Mutex
	stories []*storyEntry
	byURL   map[string]*storyEntry
	bands   map[uint64][]*storyEntry
}

type storyEntry struct {
	key  string
	sig  Signature
	urls []string
}

// bandRows signature rows per locality-sensitive band: 32 bands of 2 rows
// make a pair of similarity 0.5 a candidate with probability 1 − 0.75³².
const bandRows = 2

// Add records an article (its URL, its rel=canonical URL or "", and its
// text) and returns its story key, the URL of the first article of the
// story, and whether the article duplicates an earlier one.
func (d *Deduper) Add(url, canonicalURL, text string) (key string, duplicate bool) {
	return d.add(url, canonicalURL, Fingerprint(text))
}

func (d *Deduper) add(u, canonical string, sig Signature) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byURL == nil {
		d.byURL, d.bands = map[string]*storyEntry{}, map[uint64][]*storyEntry{}
	}
	threshold := d.Threshold
	if threshold == 0 {
		threshold = 0.5
	}
	if s, ok := d.byURL[u]; ok {
		return s.key, s.key != u
	}
	if s, ok := d.byURL[canonical]; ok && canonical != "" {
		s.urls = append(s.urls, u)
		d.byURL[u] = s
		return s.key, true
	}
	var best *storyEntry
	bestSim := 0.0
	for b := 0; b < len(sig)/bandRows; b++ {
		for _, s := range d.bands[bandKey(&sig, b)] {
			if sim := sig.Similarity(&s.sig); sim >= threshold && sim > bestSim {
				best, bestSim = s, sim
			}
		}
	}
	if best != nil {
		best.urls = append(best.urls, u)
		d.byURL[u] = best
		return best.key, true
	}
	s := &storyEntry{key: u, sig: sig, urls: []string{u}}
	d.stories = append(d.stories, s)
	d.byURL[u] = s
	if canonical != "" && canonical != u {
		d.byURL[canonical] = s
	}
	for b := 0; b < len(sig)/bandRows; b++ {
		k := bandKey(&sig, b)
		d.bands[k] = append(d.bands[k], s)
	}
	d.evict()
	return s.key, false
}

func bandKey(sig *Signature, b int) uint64 {
	h := mix(uint64(b), uint64(sig[b*bandRows]))
	for _, v := range sig[b*bandRows+1 : (b+1)*bandRows] {
		h = mix(h, uint64(v))
	}
	return h
}

// evict forgets the oldest stories beyond Max.
func (d *Deduper) evict() {
	limit := d.Max
	if limit == 0 {
		limit = 10000
	}
	for len(d.stories) > limit {
		s := d.stories[0]
		d.stories = d.stories[1:]
		for _, u := range s.urls {
			if d.byURL[u] == s {
				delete(d.byURL, u)
			}
		}
		for b := 0; b < len(s.sig)/bandRows; b++ {
			k := bandKey(&s.sig, b)
			list := d.bands[k]
			for i, e := range list {
				if e == s {
					list = append(list[:i], list[i+1:]...)
					break
				}
			}
			if len(list) == 0 {
				delete(d.bands, k)
			} else {
				d.bands[k] = list
			}
		}
	}
}
