package mark

import (
	"crypto/sha256"
	"encoding/binary"
	"regexp"
	"slices"
	"strings"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

// Options configure the marker.
type Options struct {
	// Lexicon is the word-set lexicon; nil means lexicon.Default().
	Lexicon *lexicon.Lexicon
	// MaxOrderSymbols caps the number of list orders a shuffled list may
	// show; 0 means 16.
	MaxOrderSymbols int
}

// Mark finds the slots of a parsed document.
func Mark(doc *parse.Document, opts Options) (*Template, error) {
	if opts.Lexicon == nil {
		opts.Lexicon = lexicon.Default()
	}
	if opts.MaxOrderSymbols == 0 {
		opts.MaxOrderSymbols = 16
	}
	m := &marker{
		doc:   doc,
		src:   string(doc.Source),
		opts:  opts,
		taken: make([]bool, len(doc.Source)+1),
	}
	m.prepareBlocks()
	m.declared()
	m.order()
	for _, f := range families {
		m.family(f)
	}
	m.styleDeclared()
	m.introCommas()
	m.lexical()
	m.optionalThat()
	m.addThat()
	m.deadlines()
	m.relatives()
	m.contractionSlots()
	m.listStops()
	t := &Template{
		Source:         m.src,
		Title:          doc.Front.Title,
		Classification: doc.Front.Classification,
		Marking:        doc.Front.Marking,
		Slots:          m.slots,
		Words:          m.words,
	}
	if t.Title == "" {
		t.Title = firstHeading(doc)
	}
	for _, c := range doc.Comments {
		t.Hidden = append(t.Hidden, Span(c))
	}
	if doc.Front.Invisible {
		t.Invisible = m.invisiblePoints()
	}
	slices.SortStableFunc(t.Slots, func(a, b Slot) int { return a.first() - b.first() })
	if err := t.Check(); err != nil {
		// A marker bug, not the author's: say so.
		return nil, &parse.Error{Msg: "internal error while marking: " + err.Error(), Hint: "please report this with the document"}
	}
	return t, nil
}

func (s *Slot) first() int {
	if s.Kind == Order && len(s.Items) == 0 {
		return s.At
	}
	if s.Kind == Order {
		return s.Items[0].Start
	}
	return s.Occurrences[0].Start
}

func firstHeading(doc *parse.Document) string {
	for _, b := range doc.Blocks {
		if b.Kind == parse.Heading {
			return strings.TrimSpace(b.Text)
		}
	}
	return ""
}

type marker struct {
	doc    *parse.Document
	src    string
	opts   Options
	taken  []bool // source bytes already inside a slot occurrence
	slots  []Slot
	blocks []block
	words  int
	// styles are the document-wide families that became slots, with the
	// styles each kept (see styledSlot).
	styles map[string][]int
	// spelling is the document's variety of English: no copy may show a
	// spelling or style of the other.
	spelling lexicon.Spelling
}

// block is a prose block with its tokens and the text ranges that must not
// change (quotations, URLs).
type block struct {
	*parse.Block
	toks     []lexicon.Token
	excluded []parse.Span // ranges of Text
}

var urlPattern = regexp.MustCompile(`(?i)^(?:https?://|www\.)[^\s<>()]+|^[\w.+-]+@[\w-]+(?:\.[\w-]+)+|^[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|mil|int|io|us|uk|eu)(?:/[^\s]*)?\b`)

// addresses returns the ranges of URLs, email addresses and bare domain
// names in text. Only whitespace-separated chunks with a dot, colon or @
// inside are tried, which keeps the scan fast.
func addresses(text string) []parse.Span {
	var out []parse.Span
	i := 0
	for i < len(text) {
		for i < len(text) && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '(') {
			i++
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' {
			j++
		}
		chunk := strings.TrimRight(text[i:j], ".,;:!?)")
		if k := strings.IndexAny(chunk, ".:@"); k > 0 && k < len(chunk)-1 {
			if loc := urlPattern.FindStringIndex(chunk); loc != nil {
				out = append(out, parse.Span{Start: i + loc[0], End: i + loc[1]})
			}
		}
		i = j
	}
	return out
}

func (m *marker) prepareBlocks() {
	var spelling lexicon.SpellingCounter
	for i := range m.doc.Blocks {
		b := &m.doc.Blocks[i]
		blk := block{Block: b, toks: lexicon.Tokenize(b.Text, b.Breaks)}
		blk.excluded = append(parse.Quotations(b.Text), addresses(b.Text)...)
		for _, t := range blk.toks {
			if t.Kind != lexicon.Punct {
				m.words++
			}
			// Capitalised words inside a sentence are names ("Harbor
			// Light", "World Trade Center"), which say nothing of the
			// author's spelling.
			if t.Kind == lexicon.Word && (isLowerWord(t.Text) || t.SentenceStart) {
				spelling.Add(t.Text)
			}
		}
		countDates(&spelling, b.Text)
		m.blocks = append(m.blocks, blk)
	}
	m.spelling = spelling.Spelling()
}

// countDates counts the dates of a text as spellings: "March 8" is
// American, "8 March" British.
func countDates(c *lexicon.SpellingCounter, text string) {
	if !strings.ContainsAny(text, "0123456789") {
		return
	}
	for _, fd := range findDates(&block{Block: &parse.Block{Text: text}}) {
		if d := text[fd.start]; d >= '0' && d <= '9' {
			c.AddDate(lexicon.British)
		} else {
			c.AddDate(lexicon.American)
		}
	}
}

// source maps a text range of a block to the source, if the range may
// become a slot occurrence: it lies in plain prose, outside quotations, URLs
// and other slots, and does not span a line break.
func (m *marker) source(b *block, start, end int) (Span, bool) {
	for _, x := range b.excluded {
		if start < x.End && end > x.Start || (start == end && start > x.Start && start < x.End) {
			return Span{}, false
		}
	}
	s, ok := b.SourceSpan(start, end)
	if !ok || strings.Contains(m.src[s.Start:s.End], "\n") {
		return Span{}, false
	}
	for i := s.Start; i < s.End; i++ {
		if m.taken[i] {
			return Span{}, false
		}
	}
	if s.Start == s.End && m.taken[s.Start] {
		// An insertion point must not split another occurrence.
		if s.Start > 0 && m.taken[s.Start-1] {
			return Span{}, false
		}
	}
	return Span(s), true
}

func (m *marker) take(s Span) {
	for i := s.Start; i < s.End; i++ {
		m.taken[i] = true
	}
}

// declared makes one slot of each declared fact, with an occurrence at
// each of its mentions (parse.Declared.Fact): a fact stated twice shows
// the same alternative in both places of a copy.
func (m *marker) declared() {
	slotOf := map[int]int{}
	for _, d := range m.doc.Declared {
		occ := Occurrence{Span: Span(d.Span), Alts: d.Alternatives}
		if j, ok := slotOf[d.Fact]; ok {
			m.slots[j].Occurrences = append(m.slots[j].Occurrences, occ)
		} else {
			slotOf[d.Fact] = len(m.slots)
			m.slots = append(m.slots, Slot{Kind: Declared, Name: "declared", Q: len(d.Alternatives), Occurrences: []Occurrence{occ}})
		}
		m.take(Span(d.Span))
	}
}

// order makes the slots of every shuffled list: k−1 slots placing items
// 1…k−1 by insertion (see Slot.Items). A list longer than
// MaxInsertionItems keeps the older form: one slot showing one of Q
// orders, the canonical order and Q−1 others chosen deterministically
// from the list's text.
func (m *marker) order() {
	for _, l := range m.doc.Lists {
		k := len(l.Items)
		if k >= 2 && k <= MaxInsertionItems {
			items := make([]Span, k)
			for i, it := range l.Items {
				items[i] = Span(it)
			}
			m.slots = append(m.slots, Slot{Kind: Order, Name: "order", Q: 2, Items: items, Insert: 1})
			for i := 2; i < k; i++ {
				m.slots = append(m.slots, Slot{Kind: Order, Name: "order", Q: i + 1, Insert: i, At: items[0].Start})
			}
			continue
		}
		q := min(factorial(k), m.opts.MaxOrderSymbols)
		items := make([]Span, k)
		h := sha256.New()
		for i, it := range l.Items {
			items[i] = Span(it)
			h.Write([]byte(m.src[it.Start:it.End]))
			h.Write([]byte{0})
		}
		m.slots = append(m.slots, Slot{Kind: Order, Name: "order", Q: q, Items: items, Perms: permutations(k, q, h.Sum(nil))})
	}
}

func factorial(k int) int {
	f := 1
	for i := 2; i <= k; i++ {
		f *= i
		if f > 1<<20 {
			return f
		}
	}
	return f
}

// permutations returns q distinct permutations of k items, the identity
// first, the rest drawn by a Fisher–Yates shuffle from a SHA-256 stream
// seeded with seed. For small k all permutations are listed in
// lexicographic order instead.
func permutations(k, q int, seed []byte) [][]int {
	identity := make([]int, k)
	for i := range identity {
		identity[i] = i
	}
	perms := [][]int{identity}
	if factorial(k) <= q {
		p := slices.Clone(identity)
		for nextPermutation(p) {
			perms = append(perms, slices.Clone(p))
		}
		return perms
	}
	stream := hashStream{seed: seed}
	for len(perms) < q {
		p := slices.Clone(identity)
		for i := k - 1; i > 0; i-- {
			j := int(stream.next() % uint64(i+1))
			p[i], p[j] = p[j], p[i]
		}
		if !slices.ContainsFunc(perms, func(x []int) bool { return slices.Equal(x, p) }) {
			perms = append(perms, p)
		}
	}
	return perms
}

func nextPermutation(p []int) bool {
	i := len(p) - 2
	for i >= 0 && p[i] >= p[i+1] {
		i--
	}
	if i < 0 {
		return false
	}
	j := len(p) - 1
	for p[j] <= p[i] {
		j--
	}
	p[i], p[j] = p[j], p[i]
	slices.Reverse(p[i+1:])
	return true
}

// hashStream is a deterministic stream of numbers for choosing list orders.
// List orders are not secret (the codeword choosing among them is), so a
// public hash stream is enough.
type hashStream struct {
	seed []byte
	n    uint64
	buf  []byte
}

func (h *hashStream) next() uint64 {
	if len(h.buf) < 8 {
		var ctr [8]byte
		binary.BigEndian.PutUint64(ctr[:], h.n)
		h.n++
		sum := sha256.Sum256(append(slices.Clone(h.seed), ctr[:]...))
		h.buf = sum[:]
	}
	v := binary.BigEndian.Uint64(h.buf)
	h.buf = h.buf[8:]
	return v
}

// lexical makes a slot of every lexicon match in prose outside headings.
func (m *marker) lexical() {
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind == parse.Heading {
			continue
		}
		for i := 0; i < len(b.toks); i++ {
			match, ok := m.opts.Lexicon.MatchIn(b.toks, i, m.spelling)
			if !ok {
				continue
			}
			last := b.toks[i+match.Len-1]
			s, ok := m.source(b, b.toks[i].Start, last.End)
			if !ok {
				continue
			}
			alts := slices.Clone(match.Alternatives)
			alts[0] = m.src[s.Start:s.End]
			m.slots = append(m.slots, Slot{
				Kind:        Lexical,
				Name:        "lexical:" + match.Set.Name,
				Q:           len(alts),
				Occurrences: []Occurrence{{Span: s, Alts: alts}},
			})
			m.take(s)
			i += match.Len - 1
		}
	}
}

// invisiblePoints returns the sentence ends of paragraphs, where the
// zero-width channel may insert a frame.
func (m *marker) invisiblePoints() []int {
	var pts []int
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind != parse.Paragraph && b.Kind != parse.ListText {
			continue
		}
		for i := 0; i+1 < len(b.toks); i++ {
			t := b.toks[i]
			if t.Kind != lexicon.Punct || !strings.Contains(".!?", t.Text) || !b.toks[i+1].SentenceStart {
				continue
			}
			if s, ok := m.source(b, t.End, t.End); ok {
				pts = append(pts, s.Start)
			}
		}
	}
	slices.Sort(pts)
	return slices.Compact(pts)
}

var (
	// Subject pronouns after which "that" may be left out: "the teams
	// that we assigned" ↔ "the teams we assigned", "said that they" ↔
	// "said they". With a pronoun subject no garden path opens.
	thatSubjects = map[string]bool{"we": true, "they": true, "he": true, "she": true, "it": true}
	// Words before "that" where it is not optional: "now that", "so
	// that" (purpose, kept for clarity), "in that", "such that".
	thatKeeps = map[string]bool{"now": true, "in": true, "such": true, "except": true, "so": true, "given": true, "provided": true, "considering": true, "assuming": true, "seeing": true, "save": true, "but": true, "than": true, "and": true, "or": true, "is": true, "was": true, "are": true, "were": true, "be": true, "of": true, "to": true, "at": true, "for": true, "with": true, "by": true, "on": true, "from": true, "all": true, "like": true, "nor": true, "you": true, "him": true, "her": true, "them": true, "us": true, "me": true, "it": true}
)

// optionalThat makes a slot of "that" before a subject pronoun, which
// English lets a writer leave out: "the plan that we adopted" ↔ "the plan
// we adopted". The alternatives are "that " and "", so the space goes with
// the word.
func (m *marker) optionalThat() {
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind == parse.Heading {
			continue
		}
		toks := b.toks
		for i := 1; i+1 < len(toks); i++ {
			t, prev, next := toks[i], toks[i-1], toks[i+1]
			if t.Text != "that" || !next.Joined || !t.Joined || !thatSubjects[strings.ToLower(next.Text)] {
				continue
			}
			if prev.Kind != lexicon.Word || !isLowerWord(prev.Text) || thatKeeps[prev.Text] {
				continue
			}
			s, ok := m.source(b, t.Start, next.Start)
			if !ok || m.src[s.Start:s.End] != "that " {
				continue
			}
			m.slots = append(m.slots, Slot{Kind: Lexical, Name: "lexical:optional-that", Q: 2, Occurrences: []Occurrence{{Span: s, Alts: []string{"that ", ""}}}})
			m.take(s)
		}
	}
}
