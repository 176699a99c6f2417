package disclose

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/mark"
)

// Span is a byte range [Start, End) of a text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Protected is a protected version as the index needs it: plain data, so
// matching depends on no store. Build it from a template with FromTemplate.
type Protected struct {
	// ID identifies the version to the caller; reports carry it back.
	ID int64
	// Label names the version for people, e.g. the document title.
	Label string
	// Text is the canonical source (Markdown). HTML comments in it are
	// ignored.
	Text string
	// Facts are the declared variants: each is a span of Text and its
	// alternatives, all equivalent disclosures of one fact.
	Facts []Fact
	// Lists are the shuffled lists: each item is a span of Text.
	Lists []List
}

// Fact is a declared fact of a protected version.
type Fact struct {
	// Span is where the canonical alternative stands in Text. A zero span
	// means unknown: the first occurrence of Alts[0] is used.
	Span Span
	// Alts are the alternatives; Alts[0] is the canonical text.
	Alts []string
}

// List is a shuffled list of a protected version.
type List struct {
	Items []Span
}

// FromTemplate returns the protected version of a marked template: its
// source, declared facts (declared slots) and shuffled lists (order slots).
func FromTemplate(id int64, label string, tpl *mark.Template) Protected {
	p := Protected{ID: id, Label: label, Text: blankHidden(tpl)}
	if p.Label == "" {
		p.Label = tpl.Title
	}
	for _, s := range tpl.Slots {
		switch s.Kind {
		case mark.Declared:
			for _, o := range s.Occurrences {
				p.Facts = append(p.Facts, Fact{Span: Span{o.Start, o.End}, Alts: slices.Clone(o.Alts)})
			}
		case mark.Order:
			if len(s.Items) == 0 {
				continue // a later slot of a list shuffled by insertion
			}
			var l List
			for _, it := range s.Items {
				l.Items = append(l.Items, Span{it.Start, it.End})
			}
			p.Lists = append(p.Lists, l)
		}
	}
	return p
}

// blankHidden returns a template's source with its hidden spans (the
// author's HTML comments and telltale's directives, left out of every copy)
// blanked out byte for byte, so that offsets still hold and no passage the
// monitor shows of a version contains what no recipient was given.
func blankHidden(tpl *mark.Template) string {
	if len(tpl.Hidden) == 0 {
		return tpl.Source
	}
	b := []byte(tpl.Source)
	for _, h := range tpl.Hidden {
		for i := max(h.Start, 0); i < min(h.End, len(b)); i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// check validates a protected version's spans.
func (p *Protected) check() error {
	if !utf8.ValidString(p.Text) {
		return fmt.Errorf("version %d: text is not valid UTF-8", p.ID)
	}
	ok := func(s Span) bool { return s.Start >= 0 && s.Start <= s.End && s.End <= len(p.Text) }
	for i, f := range p.Facts {
		if len(f.Alts) == 0 {
			return fmt.Errorf("version %d: fact %d has no alternatives", p.ID, i)
		}
		if !ok(f.Span) {
			return fmt.Errorf("version %d: fact %d span %v outside the text", p.ID, i, f.Span)
		}
	}
	for i, l := range p.Lists {
		for j, it := range l.Items {
			if !ok(it) {
				return fmt.Errorf("version %d: list %d item %d span %v outside the text", p.ID, i, j, it)
			}
		}
	}
	return nil
}

// Options tune matching. The zero value of a field means its default.
type Options struct {
	// ReportThreshold is the score from which a version is reported
	// (default 6): the article shares specific details with it.
	ReportThreshold float64
	// HitThreshold is the score from which a report is a hit (default 12):
	// the article discloses the version.
	HitThreshold float64
	// CandidateScore is the first-stage score from which a version is
	// compared in detail (default 4), provided it reaches a quarter of the
	// best first-stage score of the article.
	CandidateScore float64
	// MaxCandidates bounds the versions compared in detail per article,
	// best first-stage scores first (default 16).
	MaxCandidates int
	// Background is the vocabulary of ordinary news (default
	// DefaultBackground()).
	Background *Background
	// Key keys the sampling of phrases in the first stage (any length;
	// none: a fixed sample).
	Key []byte
	// ViewCache is the number of analyzed version texts kept for the
	// detailed comparison, about 200 kB each for a 2,000-word document
	// (default 64; negative: none).
	ViewCache int
}

func (o Options) withDefaults() Options {
	if o.ReportThreshold == 0 {
		o.ReportThreshold = 6
	}
	if o.HitThreshold == 0 {
		o.HitThreshold = 12
	}
	if o.CandidateScore == 0 {
		o.CandidateScore = 4
	}
	if o.MaxCandidates == 0 {
		o.MaxCandidates = 16
	}
	if o.Background == nil {
		o.Background = DefaultBackground()
	}
	if o.ViewCache == 0 {
		o.ViewCache = 64
	}
	return o
}

// Posting values: the version's slot in Index.versions, a flag for declared
// facts, and a flag saying the value indexes Index.multi instead.
const (
	postFact  = 1 << 30
	postMulti = 1 << 31
	postMask  = postFact - 1
)

// gramSample keeps one three-word phrase in four in the first-stage index;
// the detailed comparison sees them all.
const gramSample = 4

// Index holds the distinctive content of protected versions and finds the
// versions an article discloses. It is safe for concurrent use: Match may run
// in many goroutines while Add and Remove change the index.
//
// Matching runs in two stages. The first looks up the article's rare features
// (numbers with units, dates, times, names, rare words, a sample of its
// three-word phrases) in an inverted index of hashed features and adds up
// their weights per version; it never loops over all versions. The versions
// that score CandidateScore or more are compared with the article in detail
// (declared facts, list items, verbatim passages), which yields the
// disclosure report.
type Index struct {
	opts Options
	seed uint64 // from Options.Key

	mu       sync.RWMutex
	versions []*version // nil once removed
	byID     map[int64]int
	post     map[uint64]uint32
	multi    [][]uint32
	factIDs  map[uint64]int // versions holding each fact (factID)
	live     int

	scratch sync.Pool // *matchScratch
	views   viewCache
}

// viewCache keeps the analyzed texts of the versions compared most recently:
// the articles of one news cycle keep hitting the same few versions.
type viewCache struct {
	mu    sync.Mutex
	max   int
	m     map[*version]*list.Element
	order list.List // front: most recent; values are viewEntry
}

type viewEntry struct {
	v    *version
	view *view
}

// view returns the analyzed text of a version, from the cache or built
// with tz. Views are read-only once built.
func (ix *Index) view(v *version, tz *tokenizer) *view {
	c := &ix.views
	c.mu.Lock()
	if e, ok := c.m[v]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(viewEntry).view
	}
	c.mu.Unlock()
	built := &view{}
	tz.analyze(v.p.Text, built, true)
	if c.max <= 0 {
		return built
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[*version]*list.Element{}
	}
	if _, ok := c.m[v]; !ok {
		c.m[v] = c.order.PushFront(viewEntry{v, built})
		for c.order.Len() > c.max {
			old := c.order.Back()
			c.order.Remove(old)
			delete(c.m, old.Value.(viewEntry).v)
		}
	}
	return built
}

// version is one indexed protected version, with what the detailed
// comparison needs that is small enough to keep: the features of its
// declared facts and the words of its list items.
type version struct {
	p     Protected
	facts [][][]feature // per fact, per alternative
	ids   []uint64      // per fact, the key of all its alternatives' features
	items [][]listItem  // per list, per item
	bg    background    // what of the text is background
}

// factID is the key of a fact's alternatives as written: the versions of
// one document share it, a fact that merely has one value in common does
// not.
func factID(f Fact) uint64 {
	alts := make([]string, len(f.Alts))
	for i, a := range f.Alts {
		alts[i] = strings.ToLower(strings.Join(strings.Fields(a), " "))
	}
	slices.Sort(alts)
	id := uint64(0x66616374)
	for _, a := range alts {
		id = mix(id, hashString(a))
	}
	return id
}

// NewIndex returns an index of the given versions.
func NewIndex(opts Options, versions ...Protected) (*Index, error) {
	ix := &Index{opts: opts.withDefaults(), byID: map[int64]int{}, post: map[uint64]uint32{}, factIDs: map[uint64]int{}}
	if len(opts.Key) > 0 {
		sum := sha256.Sum256(opts.Key)
		ix.seed = binary.BigEndian.Uint64(sum[:8])
	}
	ix.views.max = ix.opts.ViewCache
	if err := ix.Add(versions...); err != nil {
		return nil, err
	}
	return ix, nil
}

// Len returns the number of versions in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Add indexes versions. A version whose ID is already indexed replaces it.
func (ix *Index) Add(versions ...Protected) error {
	for i := range versions {
		if err := versions[i].check(); err != nil {
			return fmt.Errorf("failed to index version: %w", err)
		}
	}
	tz := tokenizer{bg: ix.opts.Background}
	var v view
	for _, p := range versions {
		p = normalizeFacts(p)
		ver := &version{p: p}
		tz.analyze(p.Text, &v, true)
		ver.bg = readBackground(&v)
		ver.facts = factFeatures(&tz, &ver.p)
		for _, f := range ver.p.Facts {
			ver.ids = append(ver.ids, factID(f))
		}
		for _, l := range p.Lists {
			var items []listItem
			for _, it := range l.Items {
				items = append(items, makeListItem(v.toks, p.Text, it))
			}
			markShared(items)
			ver.items = append(ver.items, items)
		}
		keys := indexKeys(&v, ver.facts, ix.sampled)
		ix.mu.Lock()
		if old, ok := ix.byID[p.ID]; ok {
			ix.forget(ix.versions[old])
			ix.versions[old] = nil
			ix.live--
		}
		for _, id := range ver.ids {
			ix.factIDs[id]++
		}
		slot := len(ix.versions)
		if slot > postMask {
			ix.mu.Unlock()
			return fmt.Errorf("failed to index version %d: the index is full", p.ID)
		}
		ix.versions = append(ix.versions, ver)
		ix.byID[p.ID] = slot
		ix.live++
		for key, fact := range keys {
			ix.addPosting(key, uint32(slot)|fact)
		}
		ix.mu.Unlock()
	}
	return nil
}

// Remove drops a version from the index. Its postings stay until the index
// is rebuilt but are never reported.
func (ix *Index) Remove(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if slot, ok := ix.byID[id]; ok {
		ix.forget(ix.versions[slot])
		ix.versions[slot] = nil
		delete(ix.byID, id)
		ix.live--
	}
}

// forget uncounts a version's facts.
func (ix *Index) forget(v *version) {
	for _, id := range v.ids {
		if ix.factIDs[id]--; ix.factIDs[id] <= 0 {
			delete(ix.factIDs, id)
		}
	}
}

// chanceShare returns how many other versions have a declared fact with
// the value of key without being the same fact (factID): among thousands
// of versions, some state an article's figures by chance.
func (ix *Index) chanceShare(key, id uint64) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := 0
	p, ok := ix.post[key]
	switch {
	case !ok:
	case p&postMulti != 0:
		for _, q := range ix.multi[p&^postMulti] {
			if q&postFact != 0 {
				n++
			}
		}
	case p&postFact != 0:
		n = 1
	}
	return max(0, n-ix.factIDs[id])
}

func (ix *Index) addPosting(key uint64, p uint32) {
	cur, ok := ix.post[key]
	switch {
	case !ok:
		ix.post[key] = p
	case cur&postMulti != 0:
		i := cur &^ postMulti
		ix.multi[i] = append(ix.multi[i], p)
	default:
		ix.multi = append(ix.multi, []uint32{cur, p})
		ix.post[key] = uint32(len(ix.multi)-1) | postMulti
	}
}

// normalizeFacts resolves facts given without a span.
func normalizeFacts(p Protected) Protected {
	facts := slices.Clone(p.Facts)
	for i, f := range facts {
		if f.Span == (Span{}) && f.Alts[0] != "" {
			if at := strings.Index(p.Text, f.Alts[0]); at >= 0 {
				facts[i].Span = Span{at, at + len(f.Alts[0])}
			}
		}
	}
	p.Facts = facts
	return p
}

// minIndexWeight keeps common features (place names, small numbers) out of
// the first stage: they would make every article a candidate of many
// versions, and the detailed comparison counts them anyway.
const minIndexWeight = 1.5

// indexKeys returns the first-stage keys of a version, each with postFact
// set if it belongs to a declared fact.
func indexKeys(v *view, facts [][][]feature, sampled func(uint64) bool) map[uint64]uint32 {
	keys := map[uint64]uint32{}
	for _, f := range v.feats {
		// Rounded values are indexed for declared facts only: a number
		// restated roughly is a detail only beside others.
		if f.w >= minIndexWeight && f.kind != fWeekday && f.prec == 0 {
			keys[f.key] |= 0
		}
	}
	for i := 0; i+3 <= len(v.toks); i++ {
		if g := gramKey(v.toks, i); sampled(g) && gramContent(v.toks, i) >= 2 {
			keys[g] |= 0
		}
	}
	for _, alts := range facts {
		for _, fs := range alts {
			for _, f := range fs {
				keys[f.key] |= postFact
			}
		}
	}
	return keys
}

// sampled reports whether the first stage indexes a three-word phrase:
// one in gramSample, chosen by a hash keyed with Options.Key, so that
// which phrases are indexed cannot be predicted without the key.
func (ix *Index) sampled(g uint64) bool {
	return mix(g, ix.seed)%gramSample == 0
}

// gramKey hashes the three tokens from i.
func gramKey(toks []token, i int) uint64 {
	return mix(mix(mix(seedGram, toks[i].key), toks[i+1].key), toks[i+2].key)
}

// gramContent counts the content words of the three tokens from i.
func gramContent(toks []token, i int) int {
	n := 0
	for _, t := range toks[i : i+3] {
		if t.w > 0 || t.kind != tokWord {
			n++
		}
	}
	return n
}

// gramWeight is a sampled phrase's first-stage weight.
func gramWeight(toks []token, i int) float32 {
	var w float32
	for _, t := range toks[i : i+3] {
		w += min(t.w, 2)
	}
	return w / 4
}
