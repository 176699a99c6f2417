package disclose

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// Kind says what a disclosed item of a protected version is.
type Kind string

const (
	// KindDeclared is a declared fact (an author's {{a|b}} variant) reported
	// in any of its alternatives.
	KindDeclared Kind = "declared"
	// KindListItem is an item of a shuffled list.
	KindListItem Kind = "list-item"
	// KindNumber is a number with its unit ("312 outstanding … warrants",
	// "$2.4 billion", "12 percent") that is not a declared fact.
	KindNumber Kind = "number"
	// KindDate is a month and day.
	KindDate Kind = "date"
	// KindTime is a clock time that is not on the hour.
	KindTime Kind = "time"
	// KindName is a name or capitalised term that is not a common place.
	KindName Kind = "name"
	// KindPassage is a verbatim passage of eight words or more.
	KindPassage Kind = "passage"
	// KindRestated is a sentence of the version that the article restates
	// in its own words, with several of its words and its specifics.
	KindRestated Kind = "restated"
)

// Level grades a report.
type Level string

const (
	// Strong: the score reached the hit threshold; the article discloses
	// the version.
	Strong Level = "strong"
	// Weak: the article shares specific details with the version, too few
	// to call it a disclosure. Worth a look, not an alert.
	Weak Level = "weak"
)

// Disclosure is one item of a protected version that an article reveals.
type Disclosure struct {
	Kind Kind `json:"kind"`
	// Fact is the index in Protected.Facts of a declared fact, else -1.
	Fact int `json:"fact"`
	// List and Item locate a list item: the index in Protected.Lists and the
	// item's canonical position (0-based). Both -1 for other kinds.
	List int `json:"list"`
	Item int `json:"item"`
	// Weight is the item's share of the score.
	Weight float64 `json:"weight"`
	// Article are the spans of the article text that reveal the item.
	Article []Span `json:"article"`
	// ArticleText is the text of the first article span.
	ArticleText string `json:"articleText"`
	// Source is where the version says it, and SourceText its text: for a
	// quantity, with its hedge and what it counts ("approximately 2,000
	// family units").
	Source     Span   `json:"source"`
	SourceText string `json:"sourceText"`
	// Approximate says the article states the item less exactly than the
	// version: rounded or hedged ("more than 300" for 312), or only
	// roughly ("before dawn" for 5:30 a.m.).
	Approximate bool `json:"approximate,omitempty"`
}

// Report says what an article discloses of one protected version.
type Report struct {
	VersionID int64  `json:"versionId"`
	Label     string `json:"label"`
	// Score is the disclosure score, roughly in bits of evidence: the
	// specific details disclosed plus the shared topic (names, rare words,
	// phrases; at most TopicCap).
	Score float64 `json:"score"`
	// Hit reports a score at or above the hit threshold.
	Hit   bool  `json:"hit"`
	Level Level `json:"level"`
	// Topic is the part of the score from shared names, rare words and
	// short phrases, which say the article is on the version's subject
	// without disclosing anything by themselves.
	Topic float64 `json:"topic"`
	// Facts are the disclosed items, in the order the article gives them.
	Facts []Disclosure `json:"facts"`
}

// Scoring constants, in bits of evidence.
const (
	// FactBonus is added to a declared fact's weight: the author marked it
	// as a detail that matters.
	FactBonus = 2.0
	// TopicCap bounds the evidence of shared names, rare words and phrases:
	// an article about the same company or programme is not a leak.
	TopicCap = 4.0
	// topicGate: with less shared topic than this, no details sharing a
	// sentence and not two specific details on some shared topic, specific
	// details count half (a "$48.50" in an article on another subject is
	// chance).
	topicGate = 2.0
)

// Match returns a report for every protected version that an article
// discloses or shares specific details with (a score of at least the report
// threshold), best first. Spans refer to text, the article's headline and
// body. Published is the article's publication time, or zero if unknown: a
// date within days of it is the article's own news, weak evidence.
func (ix *Index) Match(text string, published time.Time) []Report {
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	sc.published = published
	sc.prepareArticle(text)
	var reports []Report
	for _, c := range ix.candidates(sc) {
		if r, ok := sc.compare(ix, c.v); ok {
			reports = append(reports, r)
		}
	}
	slices.SortStableFunc(reports, func(a, b Report) int { return cmp.Compare(b.Score, a.Score) })
	return reports
}

// Source is a version a text may come from, as the first stage of matching
// finds it: the versions Match compares in detail, and those package
// identify chooses among when a leak is traced.
type Source struct {
	VersionID int64
	Label     string
	// Score is the first-stage evidence, roughly in bits: the text's rare
	// features (names, rare words, numbers with their units, dates,
	// times), declared facts and sampled three-word phrases that the
	// version has, weighted by their rarity across the index.
	Score float64
	// Phrases is how many of the text's sampled three-word phrases the
	// version has, and Overlap that share of the text's sampled phrases:
	// high for a copy or an excerpt, low for a paraphrase.
	Phrases int
	Overlap float64
	// Copied says the text shares enough sampled phrases with the version
	// to be a copy or an excerpt of it: three or more and one in twenty,
	// or in a short excerpt two and half.
	Copied bool
}

// Sources returns the versions a text may come from, best first: exactly
// the candidates that Match compares with the text in detail. Spans are not
// computed; a Source says only which version and how strongly.
func (ix *Index) Sources(text string) []Source {
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	sc.prepareArticle(text)
	cands := ix.candidates(sc)
	out := make([]Source, len(cands))
	for i, c := range cands {
		out[i] = Source{VersionID: c.v.p.ID, Label: c.v.p.Label, Score: math.Round(float64(c.score)*100) / 100, Phrases: c.phrases, Copied: c.copy}
		if sc.sampled > 0 {
			out[i].Overlap = float64(c.phrases) / float64(sc.sampled)
		}
	}
	return out
}

// candidateRatio: a candidate's first-stage score must reach this share of
// the best one.
const candidateRatio = 0.25

// tellingFact is the least weight of a number with what it counts, a date
// or a time that makes a version whose declared fact it states exactly a
// candidate by itself: a three-digit figure with its noun ("315 felony
// warrants") rarely meets a declared fact by chance.
const tellingFact = 3.0

// candidateTopic is the first-stage topic evidence that lets a version with
// few details be a candidate.
const candidateTopic = 1.5

// matchScratch holds the buffers of one Match call.
type matchScratch struct {
	tz  tokenizer
	art view
	doc *view       // the version compared, from Index.views
	bg  *background // its background

	// Chained indexes of the article: head[key] is 1 + the last position
	// with the key, next[pos] is 1 + the previous one.
	words, grams, feats chains

	acc       []float32
	topicAcc  []float32
	factSent  []int32
	details   []uint8
	phrases   []uint16
	group     []int32
	groupBest []float32
	nfacts    []uint8
	exact     []bool
	sampled   int // the article's sampled phrases
	touched   []int32
	claimed   []bool
	published time.Time
	factSpans []Span // source spans of the declared facts found
	// diagnose makes compare report whatever it finds, for diagnostics.
	diagnose bool

	// Reused by the detailed comparison.
	used, seen map[uint64]bool
	diagEnd    map[int32]int32
	seenDoc    map[int32]bool
	hits       []hit
	// Reused by matchRestated, per article sentence.
	rest        []restateAcc
	restTouched []int32
	mentions    map[uint64]mentions // of the version compared, counted on demand
}

// mentions counts a word's occurrences in a version.
type mentions struct {
	n      int
	proper bool // capitalised within a sentence at least once: a name
}

// mentionsOf counts the occurrences of a word in the version compared.
func (sc *matchScratch) mentionsOf(key uint64) mentions {
	if m, ok := sc.mentions[key]; ok {
		return m
	}
	var m mentions
	for i := range sc.doc.toks {
		if t := &sc.doc.toks[i]; t.key == key && t.kind == tokWord {
			m.n++
			m.proper = m.proper || t.has(flagCap) && !t.has(flagSentStart)
		}
	}
	sc.mentions[key] = m
	return m
}

// reuse empties a scratch map, making it on first use.
func (sc *matchScratch) reuse(m *map[uint64]bool) map[uint64]bool {
	if *m == nil {
		*m = map[uint64]bool{}
	}
	clear(*m)
	return *m
}

// hit is a feature of the version found in the article.
type hit struct {
	df *feature // the version's feature
	af *feature // the article's
}

// inFact reports whether a span of the version overlaps a declared fact
// found in the article ("Monday" of "Monday, March 16").
func (sc *matchScratch) inFact(s Span) bool {
	for _, f := range sc.factSpans {
		if s.Start < f.End+2 && f.Start < s.End+2 {
			return true
		}
	}
	return false
}

func (ix *Index) getScratch() *matchScratch {
	if sc, ok := ix.scratch.Get().(*matchScratch); ok {
		return sc
	}
	return &matchScratch{
		tz: tokenizer{bg: ix.opts.Background},
	}
}

// prepareArticle analyzes the article and builds its lookup chains.
func (sc *matchScratch) prepareArticle(text string) {
	sc.tz.analyze(text, &sc.art, false)
	toks := sc.art.toks
	sc.words.reset(len(toks))
	sc.grams.reset(len(toks))
	sc.feats.reset(len(sc.art.feats))
	for i := range toks {
		sc.words.add(toks[i].key, i)
		if i+3 <= len(toks) {
			sc.grams.add(gramKey(toks, i), i)
		}
	}
	for i := range sc.art.feats {
		sc.feats.add(sc.art.feats[i].key, i)
	}
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// candidates runs the first stage: it adds up the weights of the article's
// rare features per version and returns the best-scoring versions.
func (ix *Index) candidates(sc *matchScratch) []candidate {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if cap(sc.acc) < len(ix.versions) {
		sc.acc = make([]float32, len(ix.versions))
		sc.topicAcc = make([]float32, len(ix.versions))
		sc.factSent = make([]int32, len(ix.versions))
		sc.details = make([]uint8, len(ix.versions))
		sc.phrases = make([]uint16, len(ix.versions))
		sc.group = make([]int32, len(ix.versions))
		sc.groupBest = make([]float32, len(ix.versions))
		sc.nfacts = make([]uint8, len(ix.versions))
		sc.exact = make([]bool, len(ix.versions))
	}
	// exact[slot] says a declared fact of the version was found stated
	// exactly and tellingly: "315 felony warrants", not "three days".
	exact := sc.exact[:len(ix.versions)]
	telling := false // the feature being added is such a statement
	// nfacts[slot] counts the declared facts of the version found.
	nfacts := sc.nfacts[:len(ix.versions)]
	// phrases[slot] counts the sampled phrases the version shares.
	phrases := sc.phrases[:len(ix.versions)]
	acc, topicAcc := sc.acc[:len(ix.versions)], sc.topicAcc[:len(ix.versions)]
	// details[slot] counts the specific details (numbers, dates, times) the
	// version shares with the article.
	details := sc.details[:len(ix.versions)]
	// factSent[slot] is 1 + the article sentence of the version's last
	// fact found, or -1 once two facts were found in one sentence.
	factSent := sc.factSent[:len(ix.versions)]
	sent := int32(0) // the article sentence of the feature being added
	sc.touched = sc.touched[:0]
	// A feature many versions share tells them apart less: weights fall
	// with the feature's document frequency in the index.
	n := float64(len(ix.versions)) + 1
	logN := math.Log(n)
	// One number of the article is one detail, however many of its keys
	// (exact, rounded, each noun it counts) a version shares: group[slot]
	// is 1 + the number token last added to the version and best its
	// contribution, which a later key of the same number may only raise.
	group, best := sc.group[:len(ix.versions)], sc.groupBest[:len(ix.versions)]
	num := int32(-1) // the article number token of the feature being added
	add := func(key uint64, w float32, topic, gram, detail bool) {
		p, ok := ix.post[key]
		if !ok {
			return
		}
		one := [1]uint32{p}
		list := one[:]
		if p&postMulti != 0 {
			list = ix.multi[p&^postMulti]
		}
		idf := float32(max(math.Log(n/float64(len(list)))/logN, 0.2))
		for _, q := range list {
			slot := q & postMask
			if acc[slot] == 0 {
				sc.touched = append(sc.touched, int32(slot))
			}
			var c float32
			isFact := q&postFact != 0 && !topic
			switch {
			case isFact:
				// A declared fact keeps at least half its bonus however
				// many versions (of one document, usually) declare it.
				c = 2*w*idf + FactBonus*max(idf, 0.5)
			default:
				c = w * idf
			}
			again := num >= 0 && group[slot] == num+1
			if again {
				c, best[slot] = max(0, c-best[slot]), max(best[slot], c)
			} else if num >= 0 {
				group[slot], best[slot] = num+1, c
			}
			acc[slot] += c
			if topic {
				topicAcc[slot] += c
			}
			if gram && phrases[slot] < math.MaxUint16 {
				phrases[slot]++
			}
			if again {
				continue
			}
			if detail && details[slot] < 255 {
				details[slot]++
			}
			if isFact {
				exact[slot] = exact[slot] || telling
				nfacts[slot] = min(nfacts[slot]+1, 255)
				switch factSent[slot] {
				case sent + 1:
					factSent[slot] = -1
				case -1:
				default:
					factSent[slot] = sent + 1
				}
			}
		}
	}

	// Each distinct feature once, in article order.
	for i := range sc.art.feats {
		f := &sc.art.feats[i]
		if int(sc.feats.head(f.key))-1 != i {
			continue
		}
		sent = sc.art.toks[f.t0].sent
		num = -1
		if f.kind == fNumber || f.kind == fValue {
			num = f.num
		}
		telling = f.prec == 0 && f.w >= tellingFact && (f.kind == fNumber || f.kind == fDate || f.kind == fTime)
		switch f.kind {
		case fNumber, fValue, fDate, fTime, fWeekday:
			// Numbers coincide by chance; they count half unless they
			// are a declared fact (which adds FactBonus). Exact numbers
			// with their units, dates and times are details.
			add(f.key, f.w/2, false, false, f.prec == 0 && (f.kind == fNumber || f.kind == fDate || f.kind == fTime))
		case fName, fWord:
			if f.w >= minIndexWeight {
				add(f.key, f.w, true, false, false)
			}
		}
	}
	toks := sc.art.toks
	num, telling = -1, false
	sc.sampled = 0
	sc.grams.each(func(g uint64, i int) {
		if ix.sampled(g) && gramContent(toks, i) >= 2 {
			sc.sampled++
			add(g, gramWeight(toks, i), true, true, false)
		}
	})
	type cand struct {
		slot    int32
		score   float32
		phrases int
		copy    bool
	}
	var cands []cand
	// A candidate shares the topic (names, rare words, phrases), or two
	// declared facts, or a declared fact among three details, or one
	// stated exactly and tellingly, or more evidence than chance gives: a
	// few numbers coincide with some version's facts when there are
	// thousands of versions. A
	// version that has enough of the text's sampled phrases is always one:
	// the text copies it (a short excerpt has little else).
	maxPhrases := uint16(0)
	for _, slot := range sc.touched {
		maxPhrases = max(maxPhrases, phrases[slot])
	}
	for _, slot := range sc.touched {
		s, topic := float64(acc[slot]), float64(topicAcc[slot])
		// Near-copies of the version copied (other versions of a
		// document, say) share fewer phrases: half of the best at least.
		copied := copies(int(phrases[slot]), sc.sampled) && 2*phrases[slot] >= maxPhrases
		enough := topic >= candidateTopic || factSent[slot] == -1 || nfacts[slot] >= 2 || factSent[slot] != 0 && details[slot] >= 3 || exact[slot] || s >= 3*ix.opts.CandidateScore
		if (s >= ix.opts.CandidateScore && enough || copied) && ix.versions[slot] != nil {
			cands = append(cands, cand{slot, float32(s), int(phrases[slot]), copied})
		}
		acc[slot], topicAcc[slot], factSent[slot], details[slot], phrases[slot], group[slot], nfacts[slot], exact[slot] = 0, 0, 0, 0, 0, 0, 0, false
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Compare(b.score, a.score) })
	if len(cands) > ix.opts.MaxCandidates {
		cands = cands[:ix.opts.MaxCandidates]
	}
	// Versions far behind the best share only chance features with the
	// article: a number or two, a common phrase. The version the text
	// copies most stays.
	top := float32(0)
	if len(cands) > 0 {
		top = cands[0].score
	}
	cands = slices.DeleteFunc(cands, func(c cand) bool { return c.score < candidateRatio*top && !(c.copy && c.phrases == int(maxPhrases)) })
	out := make([]candidate, len(cands))
	for i, c := range cands {
		out[i] = candidate{ix.versions[c.slot], c.score, c.phrases, c.copy}
	}
	return out
}

// copies reports whether a version that has n of a text's sampled phrases,
// of which the text has sampled, is copied by it: three phrases or more,
// and at least one in twenty; or, for a short excerpt, two and half of
// them.
func copies(n, sampled int) bool {
	return n >= 3 && n*20 >= sampled || n >= 2 && n*2 >= sampled
}

// candidate is a version the first stage picks, with its score and the
// sampled phrases it shares.
type candidate struct {
	v       *version
	score   float32
	phrases int
	copy    bool
}

// tally collects the disclosures of one comparison.
type tally struct {
	facts     []Disclosure
	specifics float64 // evidence of specific details
	strongest float64 // the heaviest protected detail: a declared fact, a list item, a passage
	nSpecific int     // specific details of at least minReportedDetail
	nDetails  int     // other numbers, dates and times of at least minReportedDetail
	topic     float64
	details   []detail
	// nameItem is the heaviest list item named by its name alone ("Lake
	// Charles", "Corvane Systems"), nNameItems how many; weekday says the
	// article gives a weekday of the version.
	nameItem   float64
	nNameItems int
	weekday    bool
	// itemTopic is the topic evidence of the names of list items found.
	itemTopic float64
}

// addNameItem adds a list item that is a name: a target, a site, a
// supplier. Like any name it may be in the news for its own reasons, so it
// is what the version protects only beside another of its details.
func (t *tally) addNameItem(d Disclosure) {
	t.facts = append(t.facts, d)
	t.specifics += d.Weight
	t.nameItem = max(t.nameItem, d.Weight)
	t.nNameItems++
	if d.Weight >= minReportedDetail {
		t.nSpecific++
	}
}

// protects reports whether the disclosures include what the version
// protects: a declared fact, a list item or a passage, or two other
// specific details (numbers, dates, times). A list item that is a name
// needs another item, a detail, a weekday of the version or something
// else it protects beside it.
func (t *tally) protects() bool {
	if t.strongest >= minReportedDetail || t.nDetails >= 2 {
		return true
	}
	return t.nameItem >= minReportedDetail && (t.nNameItems >= 2 || t.nDetails >= 1 || t.weekday || t.strongest > 0)
}

func (t *tally) add(d Disclosure) {
	t.facts = append(t.facts, d)
	t.specifics += d.Weight
	switch {
	case d.Kind == KindDeclared && d.Weight >= minReportedFact:
		// The author marked it as a detail that matters.
		t.strongest = max(t.strongest, d.Weight, minReportedDetail)
	case d.Kind == KindListItem || d.Kind == KindPassage:
		t.strongest = max(t.strongest, d.Weight)
	case d.Kind != KindName && d.Kind != KindDeclared && d.Weight >= minReportedDetail:
		t.nDetails++
	}
	if d.Weight >= minReportedDetail {
		t.nSpecific++
	}
}

// detail is a disclosed fact, number, date, time or weekday with the
// sentences that hold it in the article and in the version. Details that
// share a sentence on both sides are evidence beyond their sum: "140
// officers … ten cities … Sunday" in one sentence is not chance.
type detail struct {
	artSent, docSent int32
	fact             int        // index in tally.facts, or -1 for a minor detail
	minor            Disclosure // a detail too common to count alone
}

// Proximity evidence: each pair of details sharing a sentence in both texts
// adds pairBonus, at most maxPairBonus per sentence.
const (
	pairBonus    = 1.5
	maxPairBonus = 6.0
)

// compare runs the second stage for one version.
func (sc *matchScratch) compare(ix *Index, v *version) (Report, bool) {
	opts := ix.opts
	p := &v.p
	sc.doc = ix.view(v, &sc.tz)
	sc.bg = &v.bg
	if sc.mentions == nil {
		sc.mentions = map[uint64]mentions{}
	}
	clear(sc.mentions)
	sc.claimed = resize(sc.claimed, len(sc.art.toks))
	sc.factSpans = sc.factSpans[:0]
	var t tally
	used := sc.reuse(&sc.used) // article feature keys already reported
	sc.matchFacts(ix, v, &t, used)
	sc.matchLists(v, &t)
	sc.matchPassages(&v.p, &t)
	sc.matchRestated(&v.p, &t)
	sc.matchFeatures(&t, used)
	bonus := proximity(&t)

	topic := min(t.topic, TopicCap)
	specifics := t.specifics + bonus
	if gate := t.topic + t.itemTopic; gate < topicGate && bonus == 0 && (t.nSpecific < 2 || gate < topicGate/2) {
		specifics /= 2
		for i := range t.facts {
			if t.facts[i].Kind != KindName {
				t.facts[i].Weight /= 2
			}
		}
	}
	score := math.Round((specifics+topic)*100) / 100
	// A report needs what the version protects: a declared fact, a list
	// item or a passage, or two other specific details (numbers, dates,
	// times). Names say only what the article is about: the company, the
	// programme, the country and its people are public, however rare
	// their names.
	if !sc.diagnose && (score < opts.ReportThreshold || !t.protects()) {
		return Report{}, false
	}
	slices.SortStableFunc(t.facts, func(a, b Disclosure) int { return cmp.Compare(a.Article[0].Start, b.Article[0].Start) })
	r := Report{VersionID: p.ID, Label: p.Label, Score: score, Topic: math.Round(topic*100) / 100, Facts: t.facts, Level: Weak}
	if score >= opts.HitThreshold {
		r.Hit, r.Level = true, Strong
	}
	return r, true
}

// maxDetailMentions: a name the version mentions more often is its subject.
const maxDetailMentions = 2

// maxNameWeight bounds the evidence of one distinctive name.
const maxNameWeight = 3.0

// rareWordTopic bounds the topic evidence of one rare lower-case word.
const rareWordTopic = 1.0

// minReportedFact is the least weight of a declared fact that may be the
// specific detail a report needs.
const minReportedFact = 1.5

// minReportedDetail: a report needs one specific detail of this weight (a
// declared fact, an exact number, a date, a passage, a telling list item);
// place names and topic alone are never reported.
const minReportedDetail = 2.0

// proximity adds up the evidence of details sharing sentences and lists the
// minor details that take part.
func proximity(t *tally) float64 {
	type pair struct{ a, d int32 }
	groups := map[pair][]int{}
	for i, d := range t.details {
		k := pair{d.artSent, d.docSent}
		groups[k] = append(groups[k], i)
	}
	var bonus float64
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		n := float64(len(g))
		bonus += min(pairBonus*n*(n-1)/2, maxPairBonus)
		for _, i := range g {
			if d := t.details[i]; d.fact < 0 {
				t.add(d.minor)
			}
		}
	}
	return bonus
}

// sentOf returns the sentence of the token at or after byte offset off.
func sentOf(toks []token, off int) int32 {
	i, _ := slices.BinarySearchFunc(toks, off, func(t token, o int) int { return cmp.Compare(int(t.end), o+1) })
	if i >= len(toks) {
		return -1
	}
	return toks[i].sent
}

// artSpan returns the byte span of article tokens [t0, t1).
func (sc *matchScratch) artSpan(t0, t1 int32) Span {
	return Span{int(sc.art.toks[t0].start), int(sc.art.toks[t1-1].end)}
}

func (sc *matchScratch) docSpan(t0, t1 int32) Span {
	return Span{int(sc.doc.toks[t0].start), int(sc.doc.toks[t1-1].end)}
}

func (sc *matchScratch) claim(t0, t1 int32) {
	for i := t0; i < t1; i++ {
		sc.claimed[i] = true
	}
}

func (sc *matchScratch) free(t0, t1 int32) bool {
	for i := t0; i < t1; i++ {
		if sc.claimed[i] {
			return false
		}
	}
	return true
}

func newDisclosure(kind Kind) Disclosure {
	return Disclosure{Kind: kind, Fact: -1, List: -1, Item: -1}
}

func (sc *matchScratch) finish(d *Disclosure, text string) {
	d.ArticleText = sc.art.text[d.Article[0].Start:d.Article[0].End]
	d.SourceText = text[d.Source.Start:d.Source.End]
	d.Weight = math.Round(d.Weight*100) / 100
}

// matchFacts finds declared facts: any alternative of the fact, with the
// fact's unit for numbers.
func (sc *matchScratch) matchFacts(ix *Index, v *version, t *tally, used map[uint64]bool) {
	p := &v.p
	for i, alts := range v.facts {
		d := newDisclosure(KindDeclared)
		d.Fact, d.Source = i, p.Facts[i].Span
		var best float32
		var keys []uint64
		var bestKey uint64
		for _, fs := range alts {
			for _, f := range fs {
				spans, w := sc.findFeature(f)
				if len(spans) == 0 {
					continue
				}
				keys = append(keys, f.key)
				if w > best || len(d.Article) == 0 {
					best = max(best, w)
					d.Article = spans
					d.Approximate = f.prec > 0
					bestKey = f.key
				}
			}
		}
		if len(d.Article) == 0 {
			continue
		}
		for _, k := range keys {
			used[k] = true
		}
		sc.factSpans = append(sc.factSpans, p.Facts[i].Span)
		for _, s := range d.Article {
			sc.claimSpan(s)
		}
		// Versions that state the value by chance make it less telling,
		// down to half: it still tells the version from unrelated ones.
		d.Weight = float64(best) + factBonus(best)
		if chance := ix.chanceShare(bestKey, v.ids[i]); chance > 0 {
			d.Weight = max(d.Weight/2, d.Weight-math.Log2(1+float64(chance)))
		}
		d.Source = sc.quantitySpan(d.Source)
		sc.finish(&d, p.Text)
		t.details = append(t.details, detail{
			artSent: sentOf(sc.art.toks, d.Article[0].Start),
			docSent: sentOf(sc.doc.toks, d.Source.Start),
			fact:    len(t.facts),
		})
		t.add(d)
	}
}

// factBonus is the bonus of a declared fact found with weight w: FactBonus,
// half of it for a value that articles state by chance ("three days").
func factBonus(w float32) float64 {
	return FactBonus * min(1, max(0.5, float64(w)/2))
}

// quantitySpan widens the span of a declared fact in the version to the
// quantity or date it is part of: "140" to "140 deputies, officers, and
// special agents", "2,000" to "approximately 2,000 family units".
func (sc *matchScratch) quantitySpan(s Span) Span {
	out := s
	for i := range sc.doc.feats {
		f := &sc.doc.feats[i]
		if f.kind != fNumber && f.kind != fDate && f.kind != fTime {
			continue
		}
		core := sc.docSpan(f.t0, f.t1)
		if f.num >= 0 {
			core = sc.docSpan(f.num, f.num+1)
		}
		if core.Start < s.End && s.Start < core.End {
			full := sc.docSpan(f.t0, f.t1)
			out.Start, out.End = min(out.Start, full.Start), max(out.End, full.End)
		}
	}
	return out
}

// findFeature returns the article spans of a feature (at most four) and the
// weight of the match: the feature's, or less if the article states it less
// specifically ("three days" for "72 hours").
func (sc *matchScratch) findFeature(f feature) ([]Span, float32) {
	var spans []Span
	if f.kind == fPhrase {
		return sc.findPhrase(f), f.w
	}
	var w float32
	for h := sc.feats.head(f.key); h != 0 && len(spans) < 4; h = sc.feats.next[h-1] {
		af := &sc.art.feats[h-1]
		if af.kind == f.kind && datesAgree(&f, af) && !sc.inArticleDate(af) {
			spans = append(spans, sc.artSpan(af.t0, af.t1))
			w = max(w, min(f.w, af.w))
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	return spans, w
}

// findPhrase finds a fact written in words ("will not", "a guarantee") as the
// same word sequence.
func (sc *matchScratch) findPhrase(f feature) []Span {
	var spans []Span
	keys := f.phrase
	toks := sc.art.toks
	for h := sc.words.head(keys[0]); h != 0 && len(spans) < 4; h = sc.words.next[h-1] {
		i := int(h - 1)
		if i+len(keys) > len(toks) {
			continue
		}
		ok := true
		for j, k := range keys {
			if toks[i+j].key != k {
				ok = false
				break
			}
		}
		if ok {
			spans = append(spans, sc.artSpan(int32(i), int32(i+len(keys))))
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	return spans
}

// claimSpan claims the article tokens inside a byte span.
func (sc *matchScratch) claimSpan(s Span) {
	toks := sc.art.toks
	i, _ := slices.BinarySearchFunc(toks, s.Start, func(t token, off int) int { return cmp.Compare(int(t.start), off) })
	for ; i < len(toks) && int(toks[i].end) <= s.End; i++ {
		sc.claimed[i] = true
	}
}

// matchPassages finds verbatim runs: seeds are shared three-word phrases,
// extended word by word. Runs of eight words or more are passages; shorter
// ones add to the topic.
func (sc *matchScratch) matchPassages(p *Protected, t *tally) {
	a, d := sc.art.toks, sc.doc.toks
	type run struct{ i, j, n int32 }
	var runs []run
	if sc.diagEnd == nil {
		sc.diagEnd = map[int32]int32{}
	}
	diagEnd := sc.diagEnd
	clear(diagEnd)
	for j := 0; j+3 <= len(d); j++ {
		g := gramKey(d, j)
		for h := sc.grams.head(g); h != 0; h = sc.grams.next[h-1] {
			i := int(h - 1)
			diag := int32(i - j)
			if end, ok := diagEnd[diag]; ok && int32(i) < end {
				continue
			}
			n := 3
			for i+n < len(a) && j+n < len(d) && a[i+n].key == d[j+n].key &&
				(a[i+n].sent == a[i+n-1].sent) == (d[j+n].sent == d[j+n-1].sent) {
				n++
			}
			diagEnd[diag] = int32(i + n)
			runs = append(runs, run{int32(i), int32(j), int32(n)})
		}
	}
	slices.SortFunc(runs, func(x, y run) int { return cmp.Compare(y.n, x.n) })
	taken := make([]bool, len(a))
	if sc.seenDoc == nil {
		sc.seenDoc = map[int32]bool{}
	}
	seenDoc := sc.seenDoc
	clear(seenDoc)
	for _, r := range runs {
		free := true
		for k := r.i; k < r.i+r.n; k++ {
			if taken[k] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		var content float64
		var words int
		for _, tk := range a[r.i : r.i+r.n] {
			if tk.kind != tokWord {
				content += 1
				words++
			} else if tk.w > 0 {
				content += float64(min(tk.w, 2))
				words++
			}
		}
		if words < 2 {
			continue
		}
		for k := r.i; k < r.i+r.n; k++ {
			taken[k] = true
		}
		// Eight words or more are a passage; below twelve, only with some
		// content ("to sign a promissory note for the cost of" is
		// boilerplate).
		if r.n >= 8 && words >= 3 && (r.n >= 12 || content >= 3) {
			sc.claim(r.i, r.i+r.n)
			dd := newDisclosure(KindPassage)
			dd.Weight = 0.5*float64(r.n) + content - 4
			dd.Article = []Span{sc.artSpan(r.i, r.i+r.n)}
			dd.Source = sc.docSpan(r.j, r.j+r.n)
			sc.finish(&dd, sc.doc.text)
			if protectedPassage(p, dd.Source) || r.n >= longPassage && !quoted(p.Text, dd.Source) && !sc.bg.sents[d[r.j].sent] {
				t.add(dd)
			} else {
				// Background the version quotes or restates (a public
				// report, the programme's name) is topic.
				t.topic += dd.Weight
				t.facts = append(t.facts, dd)
			}
			continue
		}
		if seenDoc[r.j] {
			continue
		}
		seenDoc[r.j] = true
		t.topic += min(content*0.4, 2)
	}
}

// protectedPassage reports whether a passage of a version is in a paragraph
// with something the version protects (a declared fact or a list item):
// the rest of a plan is mostly its public background, restated or quoted.
func protectedPassage(p *Protected, s Span) bool {
	para := paragraph(p.Text, s)
	for _, f := range p.Facts {
		if f.Span.Start < para.End && para.Start < f.Span.End {
			return true
		}
	}
	for _, l := range p.Lists {
		for _, it := range l.Items {
			if it.Start < para.End && para.Start < it.End {
				return true
			}
		}
	}
	return false
}

// longPassage: a verbatim run this long is a copy of the version's own
// prose, telling wherever it is, unless the version quotes it.
const longPassage = 15

// quoted reports whether a passage of a version is quoted there: in a
// block quotation, or after an opening quotation mark in its paragraph.
// Whom a plan quotes (a published report, a speech) is often public.
func quoted(text string, s Span) bool {
	para := paragraph(text, s)
	if strings.HasPrefix(strings.TrimSpace(text[para.Start:para.End]), ">") {
		return true
	}
	before := text[para.Start:s.Start]
	return strings.Count(before, "“") > strings.Count(before, "”") || strings.Count(before, "\"")%2 == 1
}

// paragraph returns the span of the paragraphs of text that hold s: from
// the blank line before it to the blank line after.
func paragraph(text string, s Span) Span {
	start := strings.LastIndex(text[:s.Start], "\n\n")
	if start < 0 {
		start = 0
	}
	end := strings.Index(text[s.End:], "\n\n")
	if end < 0 {
		end = len(text)
	} else {
		end += s.End
	}
	return Span{start, end}
}

// matchFeatures counts the version's other distinctive features found in the
// article: numbers, dates and times are specific details; names, rare words,
// weekdays and round times are topic unless they share a sentence with other
// details.
func (sc *matchScratch) matchFeatures(t *tally, used map[uint64]bool) {
	hits := sc.hits[:0]
	defer func() { sc.hits = hits[:0] }()
	seen := sc.reuse(&sc.seen)
	for i := range sc.doc.feats {
		df := &sc.doc.feats[i]
		if sc.feats.head(df.key) == 0 || seen[df.key] || used[df.key] || sc.inFact(sc.docSpan(df.t0, df.t1)) {
			continue
		}
		seen[df.key] = true
		for h := sc.feats.head(df.key); h != 0; h = sc.feats.next[h-1] {
			if af := &sc.art.feats[h-1]; af.kind == df.kind && datesAgree(df, af) && !sc.inArticleDate(af) {
				hits = append(hits, hit{df, af})
				break
			}
		}
	}
	// Strongest first, so a number with its unit claims its tokens before
	// the bare value does.
	slices.SortFunc(hits, func(x, y hit) int { return cmp.Compare(y.df.w, x.df.w) })
	for _, h := range hits {
		df, af := h.df, h.af
		c0, c1 := af.t0, af.t1 // the tokens the item claims
		if af.num >= 0 {
			c0, c1 = af.num, af.num+1
		}
		free := sc.free(c0, c1)
		d := newDisclosure(KindNumber)
		d.Weight = float64(df.w)
		if df.kind != fName && df.kind != fWord {
			d.Weight = float64(min(df.w, af.w))
		}
		d.Article = []Span{sc.artSpan(af.t0, af.t1)}
		d.Source = sc.docSpan(df.t0, df.t1)
		d.Approximate = df.prec > 0 || af.prec > 0
		switch df.kind {
		case fNumber, fValue, fDate, fTime, fWeekday:
			if !free {
				continue
			}
			switch df.kind {
			case fDate:
				d.Kind = KindDate
				if sc.nearPublication(af) {
					d.Weight = 0.5 // an article's own dateline or "this week"
				}
				if sc.bg.history(df.md) {
					// What happened before the version was written is
					// its background, often public: a detail only beside
					// others.
					d.Weight = min(d.Weight, 1)
				}
			case fTime:
				d.Kind = KindTime
			case fWeekday:
				d.Kind = KindDate
				t.weekday = true
			case fValue:
				if df.w < 3 {
					continue // a bare small number says nothing
				}
				d.Weight *= 0.7
			}
			sc.finish(&d, sc.doc.text)
			sc.claim(c0, c1)
			det := detail{artSent: sc.art.toks[af.t0].sent, docSent: sc.doc.toks[df.t0].sent, fact: -1}
			// A number restated roughly ("about $28 million") is a detail
			// only beside others: figures near any figure abound. (A
			// declared fact restated roughly is matched above.)
			if d.Weight >= 2 && !d.Approximate {
				det.fact = len(t.facts)
				t.add(d)
			} else {
				det.minor = d
				if df.kind == fTime || df.kind == fWeekday {
					t.topic += d.Weight
				}
			}
			t.details = append(t.details, det)
		case fName, fWord:
			if df.place {
				continue
			}
			// A list item's own name is the item, not also the topic:
			// it keeps the evidence of a short article from being
			// halved, and adds nothing to its score.
			if sc.inItem(sc.docSpan(df.t0, df.t1), t) || inItemText(sc.artSpan(af.t0, af.t1), t) {
				t.itemTopic += float64(df.w)
				continue
			}
			// A name is capitalised in both texts ("Warden" opening a
			// sentence is the word warden).
			capital := sc.art.toks[af.t0].has(flagCap) && sc.doc.toks[df.t0].has(flagCap)
			// A name with a word no dictionary knows (a code name, a
			// made-up place, a person's rare name) that the version
			// names once or twice is a specific detail of it; what it
			// keeps naming is its subject, public like a company's name.
			if df.rare && capital && free && !sc.subject(df) && !sc.inItem(sc.docSpan(df.t0, df.t1), t) {
				d.Kind = KindName
				d.Weight = min(float64(df.w), maxNameWeight)
				sc.finish(&d, sc.doc.text)
				sc.claim(af.t0, af.t1)
				t.add(d)
				continue
			}
			// A rare common noun is the subject's vocabulary
			// ("refrigerated" in any story on cold storage); a name
			// says more.
			if df.kind == fWord && !capital {
				t.topic += min(float64(df.w), rareWordTopic)
			} else {
				t.topic += float64(df.w)
			}
			if !free || df.w < 2 || df.kind == fWord && !capital || sc.inItem(sc.docSpan(df.t0, df.t1), t) {
				continue
			}
			d.Kind = KindName
			sc.finish(&d, sc.doc.text)
			sc.claim(af.t0, af.t1)
			t.facts = append(t.facts, d) // names are topic, not specifics
		}
	}
}

// datesAgree reports whether two features with one key may be the same
// date: a day with its weekday ("Friday 25") is not a date of another
// month when both texts give the month ("Friday 25 April" is not "Friday
// 25 October").
func datesAgree(a, b *feature) bool {
	if a.kind != fDate || b.kind != fDate {
		return true
	}
	ma, mb := a.md/32, b.md/32
	return ma == 0 || mb == 0 || ma == mb
}

// inArticleDate reports whether an article's weekday is part of a date
// with its month ("Friday 25 April 2025"): the date says which Friday, and
// it is evidence only if it is the version's date.
func (sc *matchScratch) inArticleDate(af *feature) bool {
	if af.kind != fWeekday {
		return false
	}
	for i := range sc.art.feats {
		f := &sc.art.feats[i]
		if f.kind == fDate && f.md/32 != 0 && f.t0 <= af.t0 && af.t0 < f.t1 {
			return true
		}
	}
	return false
}

// subject reports whether the version keeps naming a name's rare words:
// then the name is its subject, not a detail.
func (sc *matchScratch) subject(df *feature) bool {
	for _, tk := range sc.doc.toks[df.t0:df.t1] {
		if tk.tier == tierRare && sc.doc.names[tk.key] > maxDetailMentions {
			return true
		}
	}
	return false
}

// inItem reports whether a span of the version lies in a list item already
// reported: the name is that item.
func (sc *matchScratch) inItem(s Span, t *tally) bool {
	for _, d := range t.facts {
		if d.Kind == KindListItem && d.Source.Start <= s.Start && s.End <= d.Source.End {
			return true
		}
	}
	return false
}

// inItemText reports whether a span of the article lies in a list item
// already reported.
func inItemText(s Span, t *tally) bool {
	for _, d := range t.facts {
		if d.Kind == KindListItem && d.Article[0].Start <= s.Start && s.End <= d.Article[0].End {
			return true
		}
	}
	return false
}

// nearPublication reports whether an article's date is the day of its
// publication or up to four days before: news dates its own events ("said
// on Monday"), so such a date is weak evidence. A date ahead of the
// article announces something, which is what a leak does.
func (sc *matchScratch) nearPublication(af *feature) bool {
	if sc.published.IsZero() || af.md == 0 {
		return false
	}
	m, day := int(af.md)/32, int(af.md)%32
	pub := sc.published.UTC()
	for back := 0; back <= 4; back++ {
		d := pub.AddDate(0, 0, -back)
		if d.Day() == day && (m == 0 || int(d.Month()) == m) {
			return true
		}
	}
	return false
}
