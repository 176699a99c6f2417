package mark

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

// A family is a document-wide typographic style: a reader would find it odd
// if one copy mixed styles, so the whole document switches style at once and
// the family is a single slot. Symbol 0 shows the text as the author wrote
// it; symbol s ≥ 1 applies styles[s−1] everywhere.
type family struct {
	name   string
	styles []string // names of the styles, for reports
	// perOccurrence families vary each occurrence on its own: styles
	// writers mix freely (optional commas, number words) so a reader does
	// not notice a mix.
	perOccurrence bool
	// perSentence families make one slot of the occurrences of each
	// sentence, styled together like a document-wide family: counts in one
	// sentence ("four metropolitan areas … up to two warehouses") must
	// not mix styles.
	perSentence bool
	// perWord families make one slot of the occurrences of each word
	// (found.group), wherever they are: "non-voting" and "nonvoting" must
	// not stand side by side.
	perWord bool
	// find returns the family's occurrences in one block, as text ranges
	// with one replacement per style.
	find func(b *block) []found
	// needs lists characters one of which a block must contain for find
	// to be worth running; empty means always run.
	needs string
	// veto, if set, reports a block with an occurrence of the style that
	// cannot be varied; the family is then left alone everywhere, since
	// the fixed occurrence would clash with the others.
	veto func(b *block) bool
	// spellings, if set, gives the variety of English each style belongs
	// to: a style of one variety is never applied in a document of the
	// other, or in one whose spelling is unknown ("per cent" in an
	// American memo, "March 8, 2026" in a British minute).
	spellings []lexicon.Spelling
}

type found struct {
	start, end int      // range of the block's Text
	alts       []string // one per style
	group      int      // the sentence, for perSentence families
}

var families = []family{
	{name: "thousands", styles: []string{"2,000", "2000"}, find: findThousands, needs: "0123456789"},
	{name: "millions", styles: []string{"$62,000,000", "$62 million"}, find: findMillions, perOccurrence: true, needs: ","},
	{name: "small-numbers", styles: []string{"words", "digits"}, find: findSmallNumbers, perSentence: true},
	{name: "dates", styles: []string{"March 8, 2026", "8 March 2026", "Mar. 8, 2026"}, find: findDates, needs: "0123456789", veto: undottedDates, spellings: []lexicon.Spelling{us, uk, us}},
	{name: "weekday-comma", styles: []string{"Saturday 28 September", "Saturday, 28 September"}, find: findWeekdayCommas, needs: "y", spellings: []lexicon.Spelling{uk, uk}},
	{name: "times", styles: []string{"6:00 a.m.", "6 a.m."}, find: findTimes, needs: "mM"},
	{name: "meridiem", styles: []string{"6 a.m.", "6 AM"}, find: findMeridiems, needs: "mM", veto: fixedMeridiem},
	{name: "clock-stops", styles: []string{"17:30", "17.30"}, find: findClockStops, needs: ":", veto: fixedClock, spellings: []lexicon.Spelling{uk, uk}},
	{name: "serial-comma", styles: []string{"a, b, and c", "a, b and c"}, find: findSerialCommas, perOccurrence: true},
	{name: "clause-comma", styles: []string{", and they", " and they"}, find: findClauseCommas, perOccurrence: true},
	{name: "semicolon", styles: []string{"a; b", "a. B"}, find: findSemicolons, perOccurrence: true, needs: ";"},
	{name: "prefix-hyphen", styles: []string{"non-violent", "nonviolent"}, find: findPrefixHyphens, perWord: true, needs: "-", spellings: []lexicon.Spelling{any, us}},
	{name: "dashes", styles: []string{"a—b", "a — b", "a – b"}, find: findDashes, needs: "—–-"},
	{name: "range-words", styles: []string{"5–7 months", "5 to 7 months"}, find: findRangeWords, perOccurrence: true, needs: "–-"},
	{name: "to-ranges", styles: []string{"5 to 7", "5–7"}, find: findToRanges, perOccurrence: true, needs: "t"},
	{name: "ranges", styles: []string{"10–12", "10-12"}, find: findRanges, needs: "–-"},
	{name: "percent", styles: []string{"12%", "12 percent", "12 per cent"}, find: findPercents, needs: "%p", spellings: []lexicon.Spelling{any, us, uk}},
	{name: "initialisms", styles: []string{"U.S.", "US"}, find: findInitialisms, needs: "UE", veto: fixedInitialism, spellings: []lexicon.Spelling{us, any}},
}

const (
	any = lexicon.UnknownSpelling // a style of either variety
	uk  = lexicon.British
	us  = lexicon.American
)

// family adds the family's slots if the document has at least one
// occurrence whose text some style changes. Styles that change nothing, or
// show the same text as an earlier style everywhere, are dropped.
func (m *marker) family(f family) {
	if m.vetoed(f) {
		return
	}
	occs, groups := m.occurrences(f)
	switch {
	case len(occs) == 0:
	case f.perSentence:
		m.sentenceSlots(f, occs, groups)
	case f.perWord:
		m.wordSlots(f, occs, groups)
	case f.perOccurrence:
		m.occurrenceSlots(f, occs)
	default:
		m.styledSlot(f, occs)
	}
}

// mayOccurIn reports whether the family's find is worth running on a block.
func (f *family) mayOccurIn(b *block) bool {
	return f.needs == "" || strings.ContainsAny(b.Text, f.needs)
}

// vetoed reports whether some block has an occurrence of the family's
// style that cannot vary.
func (m *marker) vetoed(f family) bool {
	if f.veto == nil {
		return false
	}
	for bi := range m.blocks {
		if b := &m.blocks[bi]; f.mayOccurIn(b) && f.veto(b) {
			return true
		}
	}
	return false
}

// occurrences finds the family's occurrences that may become slot
// occurrences, takes their source, and returns them with the block and
// sentence of each.
func (m *marker) occurrences(f family) (occs []Occurrence, groups [][2]int) {
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if !f.mayOccurIn(b) {
			continue
		}
		for _, fd := range f.find(b) {
			s, ok := m.source(b, fd.start, fd.end)
			if !ok {
				continue
			}
			alts := append([]string{m.src[s.Start:s.End]}, fd.alts...)
			for k, sp := range f.spellings {
				if sp != any && sp != m.spelling {
					alts[k+1] = alts[0] // dropped as showing the text as written
				}
			}
			occs = append(occs, Occurrence{Span: s, Alts: alts})
			groups = append(groups, [2]int{bi, fd.group})
			m.take(s)
			if s.Start == s.End {
				m.taken[s.Start] = true // no second insertion here
			}
		}
	}
	return occs, groups
}

// sentenceSlots makes one styled slot of the occurrences of each sentence
// (groups[i] is the block and sentence of occs[i]).
func (m *marker) sentenceSlots(f family, occs []Occurrence, groups [][2]int) {
	for i := 0; i < len(occs); {
		j := i + 1
		for j < len(occs) && groups[j] == groups[i] {
			j++
		}
		m.styledSlot(f, occs[i:j])
		i = j
	}
}

// wordSlots makes one styled slot of the occurrences of each word
// (groups[i][1] is the word of occs[i]).
func (m *marker) wordSlots(f family, occs []Occurrence, groups [][2]int) {
	byWord := map[int][]Occurrence{}
	var order []int
	for i, o := range occs {
		w := groups[i][1]
		if _, ok := byWord[w]; !ok {
			order = append(order, w)
		}
		byWord[w] = append(byWord[w], o)
	}
	for _, w := range order {
		m.styledSlot(f, byWord[w])
	}
}

// occurrenceSlots makes a slot of each occurrence that some style changes,
// with its distinct alternatives, and gives back the source of the others.
func (m *marker) occurrenceSlots(f family, occs []Occurrence) {
	for _, o := range occs {
		alts := []string{o.Alts[0]}
		for _, a := range o.Alts[1:] {
			if !slices.Contains(alts, a) {
				alts = append(alts, a)
			}
		}
		if len(alts) < 2 {
			m.untake(o.Span)
			continue
		}
		o.Alts = alts
		m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:" + f.name, Q: len(alts), Occurrences: []Occurrence{o}})
	}
}

// styledSlot makes one slot of occurrences that change style together.
// Symbol 0 shows them as written; symbol s ≥ 1 applies style s everywhere.
// Styles that change nothing, or show the same text as a kept style, are
// dropped.
func (m *marker) styledSlot(f family, occs []Occurrence) {
	keep := distinctStyles(occs, len(f.styles))
	if len(keep) < 2 {
		for _, o := range occs {
			m.untake(o.Span)
		}
		return
	}
	for i := range occs {
		alts := make([]string, len(keep))
		for j, k := range keep {
			alts[j] = occs[i].Alts[k]
		}
		occs[i].Alts = alts
	}
	m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:" + f.name, Q: len(keep), Occurrences: occs})
	if m.styles == nil {
		m.styles = map[string][]int{}
	}
	m.styles[f.name] = keep
}

// styleDeclared makes declared facts follow the copy's document-wide
// styles: an alternative such as "5:30 a.m." next to a document that
// varies "a.m."/"AM" would otherwise keep "a.m." in a copy that writes
// "AM" everywhere else, and betray itself. The first such style found in
// a fact's alternatives styles it (see Occurrence.Style).
func (m *marker) styleDeclared() {
	for i := range m.slots {
		s := &m.slots[i]
		if s.Kind != Declared {
			continue
		}
		for k := range s.Occurrences {
			m.styleOccurrence(&s.Occurrences[k])
		}
	}
}

// styleOccurrence styles one mention of a declared fact: a fact stated
// twice follows the copy's style at each mention.
func (m *marker) styleOccurrence(o *Occurrence) {
	before := m.src[max(0, o.Start-40):o.Start]
	after := m.src[o.End:min(len(m.src), o.End+40)]
	for _, f := range families {
		keep, ok := m.styles[f.name]
		if !ok || f.perWord {
			continue // a per-word style belongs to one word's slot
		}
		if styled, ok := styleAlternatives(f, keep, o.Alts, before, after); ok {
			o.Style, o.Styled = "typographic:"+f.name, styled
			return
		}
	}
}

// styleAlternatives writes each alternative in each kept style of a
// family, finding the style in the alternative with the text around the
// fact as context ("a.m." ends a sentence or not). It reports false if the
// family changes none of them, or if two alternatives would read the same
// in some style.
func styleAlternatives(f family, keep []int, alts []string, before, after string) ([][]string, bool) {
	out := make([][]string, len(alts))
	changed := false
	for a, alt := range alts {
		text := before + alt + after
		blk := block{Block: &parse.Block{Kind: parse.Paragraph, Text: text}, toks: lexicon.Tokenize(text, nil)}
		var hits []found
		for _, fd := range f.find(&blk) {
			if fd.start >= len(before) && fd.end <= len(before)+len(alt) {
				fd.start, fd.end = fd.start-len(before), fd.end-len(before)
				hits = append(hits, fd)
			}
		}
		slices.SortFunc(hits, func(x, y found) int { return x.start - y.start })
		out[a] = make([]string, len(keep))
		for j, k := range keep {
			if k == 0 {
				out[a][j] = alt
				continue
			}
			var b strings.Builder
			pos := 0
			for _, fd := range hits {
				if fd.start < pos {
					continue
				}
				b.WriteString(alt[pos:fd.start])
				b.WriteString(fd.alts[k-1])
				pos = fd.end
			}
			b.WriteString(alt[pos:])
			out[a][j] = b.String()
			changed = changed || out[a][j] != alt
		}
	}
	for j := range keep {
		seen := map[string]bool{}
		for a := range alts {
			if seen[out[a][j]] {
				return nil, false
			}
			seen[out[a][j]] = true
		}
	}
	return out, changed
}

// distinctStyles returns symbol 0 and every style, of n, whose texts
// differ somewhere from those of all the symbols kept before it.
func distinctStyles(occs []Occurrence, n int) []int {
	keep := []int{0}
	for st := 1; st <= n; st++ {
		if !slices.ContainsFunc(keep, func(k int) bool { return sameTexts(occs, st, k) }) {
			keep = append(keep, st)
		}
	}
	return keep
}

// sameTexts reports whether symbols a and b show the same text in every
// occurrence.
func sameTexts(occs []Occurrence, a, b int) bool {
	for _, o := range occs {
		if o.Alts[a] != o.Alts[b] {
			return false
		}
	}
	return true
}

func (m *marker) untake(s Span) {
	for i := s.Start; i < s.End; i++ {
		m.taken[i] = false
	}
	if s.Start == s.End {
		m.taken[s.Start] = false
	}
}

// boundary reports whether s[i:j] stands alone: the text before i and the
// text from j on are not part of the same word or number.
func boundary(s string, i, j int) bool { return leftBoundary(s, i) && rightBoundary(s, j) }

func leftBoundary(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == ',' || r == '-' || r == '–' || r == '/' || r == '$' || r == '#')
}

func rightBoundary(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' {
		return false
	}
	if (r == ',' || r == '.' || r == ':') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
		return false
	}
	return true
}

// wordAfter returns the word after text[j], skipping one space.
func wordAfter(text string, j int) string {
	if j >= len(text) || text[j] != ' ' {
		return ""
	}
	k := j + 1
	for k < len(text) {
		r, size := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsLetter(r) && r != '\'' && r != '’' {
			break
		}
		k += size
	}
	return text[j+1 : k]
}

// wordBefore returns the word before text[i], skipping one space.
func wordBefore(text string, i int) string {
	if i == 0 || text[i-1] != ' ' {
		return ""
	}
	k := i - 1
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:k])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		k -= size
	}
	return text[k : i-1]
}

func isLowerWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return w != "" && unicode.IsLower(r)
}

func isCapWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return w != "" && unicode.IsUpper(r)
}

func set(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}
