package suggest

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/prose"
)

// finder holds what every rule consults: the spans never to touch, the
// document-wide counts that reveal repeated facts, and the suggestions
// found so far.
type finder struct {
	doc  *parse.Document
	opts Options
	// src is the document's Source, and lower the same in lower case.
	src, lower string
	// never are source spans no suggestion may touch: existing declared
	// variants, telltale:off regions, comments, links, code, raw HTML.
	never []parse.Span
	taken []bool
	// numbers counts each number of the source by its digits ("1140" for
	// "1,140" and "$1,140"); times counts clock times by minute of day;
	// words counts words in lower case; labels holds the nouns the
	// document uses as labels ("phase" for "Phase 2").
	numberCount map[string]int
	valueCount  map[amount]int // figures by amount, however written
	timeCount   map[int]int
	words       map[string]int
	labels      map[string]bool
	listLengths map[int64]bool // the numbers of items of the lists
	// offered are the last words of the code names proposed so far.
	offered map[string]bool
	// timeMoves are the moves (in minutes) proposed for a time, by
	// minute of the day and kind (deadline or not); timeRanges are the
	// times each varied time may show, earliest and latest.
	timeMoves  map[[2]int][]int
	timeRanges map[int][2]int
	// cells are the document's table cells; scans the blocks tokenized.
	cells []cell
	scans []*blockScan
	runs  map[string][]int // blocks by the runs of letters and digits in them
	// refused are the facts (candidate keys) not to propose.
	refused map[string]bool
	found   []candidate
}

// candidate is one mention of a fact that a rule would vary.
type candidate struct {
	Mention
	kind Kind
	alts []string
	why  string
	factID
}

// factID names the fact a mention states, for the census.
type factID struct {
	// key names the fact: every mention of one fact has the same key,
	// and count says how many mentions of it the document holds (the
	// census); a fact is proposed only if every mention is a candidate.
	// An empty key is a fact of one mention.
	key   string
	count int
	// hint is a word or two naming the fact ("site visits"), should it
	// need a name (see link).
	hint string
	// value, for a figure, is its amount (4.2e6 for "$4.2 million"): the
	// document must state it no other way ("$4,200,000", "one hundred
	// and forty"), which would be a mention no candidate varies.
	value    amount
	hasValue bool
}

// cell is a table cell: its text's extent in Source, and its place.
type cell struct {
	span            parse.Span
	table, row, col int
	text            string
}

func newFinder(doc *parse.Document, opts Options) *finder {
	f := &finder{doc: doc, opts: opts, refused: map[string]bool{}, src: string(doc.Source), lower: strings.ToLower(string(doc.Source)),
		numberCount: map[string]int{}, valueCount: map[amount]int{}, timeCount: map[int]int{}, words: map[string]int{}, labels: map[string]bool{}, listLengths: map[int64]bool{},
		scans: make([]*blockScan, len(doc.Blocks))}
	for _, d := range doc.Declared {
		f.never = append(f.never, d.Span)
	}
	f.never = append(f.never, doc.Off...)
	f.never = append(f.never, doc.Comments...)
	f.never = append(f.never, inlineNever(doc)...)
	f.census()
	f.cells = tableCells(doc)
	f.reset()
	return f
}

// reset forgets what a run of the rules found, keeping the census and
// the facts refused.
func (f *finder) reset() {
	f.taken = make([]bool, len(f.doc.Source)+1)
	f.found = nil
	f.offered = map[string]bool{}
	f.timeMoves = map[[2]int][]int{}
	f.timeRanges = map[int][2]int{}
}

// scan returns block bi of the document, tokenized once.
func (f *finder) scan(bi int) *blockScan {
	if f.scans[bi] == nil {
		f.scans[bi] = scanBlock(&f.doc.Blocks[bi])
	}
	return f.scans[bi]
}

// tableCells lists the cells of every table, the header row being row 0.
func tableCells(doc *parse.Document) []cell {
	var out []cell
	table := 0
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*east.Table)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		row := 0
		for r := t.FirstChild(); r != nil; r = r.NextSibling() {
			col := 0
			for c := r.FirstChild(); c != nil; c = c.NextSibling() {
				if sp, ok := textExtent(c); ok {
					out = append(out, cell{span: sp, table: table, row: row, col: col, text: string(doc.Source[sp.Start:sp.End])})
				}
				col++
			}
			row++
		}
		table++
		return ast.WalkSkipChildren, nil
	})
	return out
}

// inlineNever returns the spans of links (text and target), images, code
// spans, raw HTML and autolinks.
func inlineNever(doc *parse.Document) []parse.Span {
	var out []parse.Span
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Link, *ast.Image, *ast.CodeSpan, *ast.AutoLink, *ast.RawHTML:
			if s, ok := textExtent(n); ok {
				// Widen by a byte each side: the brackets and backticks
				// around the text.
				out = append(out, parse.Span{Start: max(s.Start-2, 0), End: min(s.End+2, len(doc.Source))})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

// textExtent is the source range of an inline node's text.
func textExtent(n ast.Node) (parse.Span, bool) {
	start, end := -1, -1
	note := func(a, b int) {
		if start < 0 || a < start {
			start = a
		}
		end = max(end, b)
	}
	if r, ok := n.(*ast.RawHTML); ok {
		for i := 0; i < r.Segments.Len(); i++ {
			note(r.Segments.At(i).Start, r.Segments.At(i).Stop)
		}
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if t, ok := c.(*ast.Text); ok {
			note(t.Segment.Start, t.Segment.Stop)
		}
		return ast.WalkContinue, nil
	})
	if start < 0 {
		return parse.Span{}, false
	}
	return parse.Span{Start: start, End: end}, true
}

var labelPattern = regexp.MustCompile(`\b([A-Z][a-z]+) (?:\d+|[IVX]+|[A-Z])\b`)

// census counts the numbers, times and words of the whole source, tables
// and headings included: a fact stated twice cannot vary in one place.
func (f *finder) census() {
	src := f.src
	var toks []tok
	prevEnd := -1
	for t := range tokenRules.Tokens(src) {
		w := src[t.Start:t.End]
		toks = append(toks, tok{start: t.Start, end: t.End, text: w, low: strings.ToLower(w), kind: t.Kind, attached: prevEnd == t.Start})
		prevEnd = t.End
	}
	// The digits of a clock time ("11:00", "0600 hours") are not a figure
	// that a count could repeat; the times are counted apart.
	times := findTimes(src)
	var clock []parse.Span
	for _, m := range times {
		clock = append(clock, parse.Span{Start: m.start, End: m.end})
	}
	slices.SortFunc(clock, func(a, b parse.Span) int { return a.Start - b.Start })
	c := 0 // the first clock time not ending before the token
	for i, t := range toks {
		w := t.text
		for c < len(clock) && clock[c].End <= t.start {
			c++
		}
		if c < len(clock) && t.start >= clock[c].Start || c+1 < len(clock) && t.start >= clock[c+1].Start && t.start < clock[c+1].End {
			continue
		}
		if d, ok := digitsOf(w); ok && !besideCalendar(toks, i) && !numbering(src, t.start) {
			f.numberCount[d]++
			if fig, ok := parseFigure(w); ok {
				v, after := fig.value(), i+1
				if n := nextWord(toks, i); n >= 0 && scales[toks[n].low] > 0 {
					v *= float64(scales[toks[n].low])
					after++
				}
				f.valueCount[amountOf(toks, i, after, v)]++
			}
		}
		if m := attachedScale.FindStringSubmatch(w); m != nil && !besideCalendar(toks, i) {
			f.numberCount[strings.ReplaceAll(m[1], ",", "")]++ // "£3.2m"
			if fig, ok := parseFigure(m[1]); ok {
				f.valueCount[amountOf(toks, i, i+1, fig.value()*map[string]float64{"m": 1e6, "bn": 1e9, "k": 1e3}[m[2]])]++
			}
		}
		if t.kind == prose.Word {
			f.words[t.low]++
			if d, ok := smallWords[t.low]; ok {
				f.numberCount[d]++ // "eleven" and "11" are the same fact
			}
		}
	}
	for i := 0; i < len(toks); i++ {
		if i > 0 && toks[i-1].isNumber() {
			continue // "2.1 billion": the scale of a figure, counted above
		}
		if v, n, ok := wordNumber(toks, i); ok {
			f.valueCount[amountOf(toks, i, i+n, v)]++ // "one hundred and forty" is 140
			i += n - 1
		}
	}
	for _, m := range times {
		f.timeCount[m.minutes]++
	}
	_ = ast.Walk(f.doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.List); ok && entering {
			f.listLengths[int64(l.ChildCount())] = true
		}
		return ast.WalkContinue, nil
	})
	for _, m := range labelPattern.FindAllStringSubmatch(src, -1) {
		f.labels[strings.ToLower(m[1])] = true
	}
}

var tokenRules = prose.Rules{Punct: true, Thousands: true}

// amount is a figure's value and what it measures: money ('$'), a share
// ('%') or anything else (0). "$140" and "140 officers" are not the same
// fact; "$412 million" and "$412,000,000" are.
type amount struct {
	of    byte
	value float64
}

// amountOf is the amount of the figure of tokens [i, after) with value v:
// money after a currency sign or before a currency word, a share before a
// percent sign or word.
func amountOf(toks []tok, i, after int, v float64) amount {
	a := amount{value: v}
	if i > 0 && toks[i].attached && (toks[i-1].isPunct("$") || toks[i-1].isPunct("£") || toks[i-1].isPunct("€")) {
		a.of = '$'
	}
	if after < len(toks) {
		switch n := toks[after]; {
		case n.isPunct("%") && n.attached, n.low == "percent", n.low == "per" && after+1 < len(toks) && toks[after+1].low == "cent":
			a.of = '%'
		case currencyWords[n.low]:
			a.of = '$'
		}
	}
	return a
}

// nextWord is the index of the next token if it is a word, else -1.
func nextWord(toks []tok, i int) int {
	if i+1 < len(toks) && toks[i+1].isWord() {
		return i + 1
	}
	return -1
}

// wordValue is the value of one word of a number in words ("forty",
// "hundred", "million"), its parts joined by hyphens summed
// ("forty-two").
func wordValue(w string) (float64, bool) {
	if v, ok := scales[w]; ok {
		return float64(v), true
	}
	sum := 0.0
	for part := range strings.SplitSeq(w, "-") {
		v, ok := prose.NumberWord(part)
		if !ok {
			return 0, false
		}
		sum += v
	}
	return sum, true
}

// wordNumber reads a number written in words from token i: "one hundred
// and forty", "a hundred and forty", "forty-two", "two thousand three
// hundred", "twelve". It returns its value and the tokens read.
func wordNumber(toks []tok, i int) (float64, int, bool) {
	total, current, words := 0.0, 0.0, 0
	j := i
	if j < len(toks) && toks[j].low == "a" {
		j++ // "a hundred"
	}
	for ; j < len(toks); j++ {
		t := toks[j]
		if !t.isWord() {
			break
		}
		if t.low == "and" && words > 0 && j+1 < len(toks) {
			if _, ok := wordValue(toks[j+1].low); ok {
				continue
			}
			break
		}
		v, ok := wordValue(t.low)
		if !ok || words == 0 && scales[t.low] > 0 {
			break
		}
		switch {
		case t.low == "hundred":
			current = max(current, 1) * 100
		case scales[t.low] > 0:
			total += max(current, 1) * v
			current = 0
		default:
			current += v
		}
		words++
	}
	if words == 0 {
		return 0, 0, false
	}
	return total + current, j - i, true
}

// digitsOf returns a number token's digits without separators: "1140" for
// "1,140", "4.2" for "4.2".
func digitsOf(w string) (string, bool) {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return "", false
	}
	for _, c := range w {
		if !(c >= '0' && c <= '9' || c == ',' || c == '.') {
			return "", false
		}
	}
	return strings.ReplaceAll(w, ",", ""), true
}

// numbering reports whether a number at offset i starts its line, after
// heading or list markers only: "### 3.4 Arrest", "2. Mission".
func numbering(src string, i int) bool {
	line := src[strings.LastIndexByte(src[:i], '\n')+1 : i]
	return strings.Trim(line, "#>-*+ \t") == ""
}

// besideCalendar reports whether the word before or after token i names
// a month or a weekday: the number is a day of the month, not a fact that
// another figure could repeat.
func besideCalendar(toks []tok, i int) bool {
	calendar := func(t tok) bool { return t.isWord() && t.capitalized() && (months[t.low] || weekdays[t.low]) }
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if toks[j].isPunct("|") {
			break // another table cell
		}
		if toks[j].isWord() {
			if calendar(toks[j]) {
				return true
			}
			break
		}
	}
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		if toks[j].isPunct("|") {
			break
		}
		if toks[j].isWord() {
			return calendar(toks[j])
		}
	}
	return false
}

// tok is a token of a block's text.
type tok struct {
	start, end int
	text, low  string
	kind       prose.Kind
	// attached is true if no space separates the token from the one
	// before it.
	attached bool
}

func (t tok) isWord() bool { return t.kind == prose.Word }

func (t tok) isNumber() bool { _, ok := digitsOf(t.text); return ok }

func (t tok) isPunct(s string) bool { return t.kind == prose.Punct && t.text == s }

// capitalized reports whether a word starts with an upper-case letter.
func (t tok) capitalized() bool {
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsUpper(r)
}

// blockScan is one prose block being searched.
type blockScan struct {
	b     *parse.Block
	text  string
	toks  []tok
	quote []parse.Span // text ranges inside quotation marks or addresses
	// summed are the tokens of figures that add up to another (sums).
	summed map[int]bool
}

func scanBlock(b *parse.Block) *blockScan {
	s := &blockScan{b: b, text: b.Text}
	prevEnd := -1
	for t := range tokenRules.Tokens(b.Text) {
		w := b.Text[t.Start:t.End]
		s.toks = append(s.toks, tok{start: t.Start, end: t.End, text: w, low: strings.ToLower(w), kind: t.Kind,
			attached: prevEnd == t.Start})
		prevEnd = t.End
	}
	s.quote = append(parse.Quotations(b.Text), addresses(b.Text)...)
	return s
}

// sentenceStart reports whether token i begins a sentence.
func (s *blockScan) sentenceStart(i int) bool {
	if i == 0 {
		return true
	}
	p := s.toks[i-1]
	return p.kind == prose.Punct && strings.ContainsAny(p.text, ".!?:;•*-–—") || strings.Contains(s.text[p.end:s.toks[i].start], "\n")
}

// sentence returns the text range of the sentence holding [start, end).
func (s *blockScan) sentence(start, end int) string {
	a := start
	for a > 0 {
		c := s.text[a-1]
		if (c == '.' || c == '!' || c == '?') && a < len(s.text) && s.text[a] == ' ' && a >= 2 && !isAbbrevEnd(s.text[:a]) {
			break
		}
		a--
	}
	e := end
	for e < len(s.text) {
		c := s.text[e]
		e++
		if (c == '.' || c == '!' || c == '?') && (e == len(s.text) || s.text[e] == ' ' || s.text[e] == '\n') && !isAbbrevEnd(s.text[:e]) {
			break
		}
	}
	return strings.Join(strings.Fields(s.text[a:e]), " ")
}

// isAbbrevEnd reports whether text ends with an abbreviation's period
// ("a.m.", "U.S.", "approx.").
func isAbbrevEnd(text string) bool {
	low := strings.ToLower(text)
	for _, a := range []string{"a.m.", "p.m.", "u.s.", "approx.", "e.g.", "i.e.", "no.", "dr.", "mr.", "ms.", "mrs.", "st.", "vs.", "etc.", "inc.", "ltd.", "co."} {
		if strings.HasSuffix(low, a) {
			return true
		}
	}
	return false
}

// addresses returns the ranges of chunks that look like URLs, e-mail
// addresses, domain names or file paths.
func addresses(text string) []parse.Span {
	var out []parse.Span
	i := 0
	for i < len(text) {
		for i < len(text) && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t') {
			i++
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' {
			j++
		}
		chunk := strings.TrimRight(text[i:j], ".,;:!?)")
		if strings.Contains(chunk, "@") || strings.Contains(chunk, "://") || strings.HasPrefix(strings.ToLower(chunk), "www.") ||
			strings.Contains(chunk, "/") && strings.IndexFunc(chunk, unicode.IsLetter) >= 0 || domainLike.MatchString(chunk) {
			out = append(out, parse.Span{Start: i, End: j})
		}
		i = j
	}
	return out
}

var domainLike = regexp.MustCompile(`(?i)[a-z]\.[a-z]{2,}\b.*[a-z]|[a-z0-9-]+\.(?:com|org|net|gov|edu|io|uk|eu|us)\b`)

// add records a mention of the fact key (count mentions in all; "" for a
// fact of one mention) at the text range [start, end) of a block if every
// rule about where suggestions may go allows it.
func (f *finder) add(s *blockScan, start, end int, kind Kind, alts []string, why string, id factID) bool {
	if id.key != "" && f.refused[id.key] {
		return false
	}
	for _, q := range s.quote {
		if start < q.End && end > q.Start {
			return false
		}
	}
	span, ok := s.b.SourceSpan(start, end)
	if !ok || !f.free(span) || !cleanAlternatives(alts) {
		return false
	}
	src := f.doc.Source
	if span.Start > 0 && (src[span.Start-1] == '{' || src[span.Start-1] == '\\') || span.End < len(src) && src[span.End] == '}' {
		return false
	}
	if string(src[span.Start:span.End]) != alts[0] || f.tableDelimiterFollows(span) {
		return false
	}
	if id.key == "" {
		id.key = fmt.Sprintf("at:%d", span.Start) // a fact of one mention
		if f.refused[id.key] {
			return false
		}
	}
	for i := span.Start; i < span.End; i++ {
		f.taken[i] = true
	}
	m := Mention{Span: span, Context: s.sentence(start, end), Table: s.b.Kind == parse.TableCell}
	m.Line, _ = f.doc.Line(span.Start)
	if m.Table {
		m.Context = f.rowText(span.Start)
	}
	f.found = append(f.found, candidate{Mention: m, kind: kind, alts: alts, why: why, factID: id})
	return true
}

// link makes the suggestions of the candidates found, one per fact, in
// document order of their first mention. It returns the keys of the facts
// that cannot be proposed: a mention that no rule allowed (the census
// counts more mentions than candidates), mentions written differently or
// varied differently, a fact only in tables, or alternatives that an
// earlier fact or a declared variant of the document already has (parse
// would make them one).
func (f *finder) link() ([]Suggestion, []string) {
	groups := map[string][]candidate{}
	var order []string
	for _, c := range f.found {
		if _, ok := groups[c.key]; !ok {
			order = append(order, c.key)
		}
		groups[c.key] = append(groups[c.key], c)
	}
	// Facts in document order of their first mention.
	for _, g := range groups {
		slices.SortFunc(g, func(a, b candidate) int { return a.Span.Start - b.Span.Start })
	}
	slices.SortFunc(order, func(a, b string) int { return groups[a][0].Span.Start - groups[b][0].Span.Start })
	declared := map[string]bool{} // the alternatives of the document's declared variants
	names := map[string]bool{}    // and their names
	for _, d := range f.doc.Declared {
		declared[strings.Join(d.Alternatives, "\x00")] = true
		names[strings.ToLower(d.Name)] = true
	}
	var out []Suggestion
	var refuse []string
	sharing := map[string]int{} // alternatives → the suggestions with them
	for _, k := range order {
		g := groups[k]
		first := g[0]
		ok := len(g) == first.count
		if first.hasValue {
			ok = ok && f.valueCount[first.value] == len(g)
		}
		if first.kind == Time {
			// A time stated as a deadline in one place ("by 08:00") and
			// as a time in another moves only as the deadline allows.
			first.alts = commonAlternatives(g)
			ok = ok && len(first.alts) >= 2
			for i := range g {
				g[i].alts = first.alts
			}
		}
		prose := false
		for _, c := range g {
			ok = ok && c.kind == first.kind && slices.Equal(c.alts, first.alts)
			prose = prose || !c.Table
		}
		list := strings.Join(first.alts, "\x00")
		if !ok || !prose || declared[list] {
			refuse = append(refuse, k)
			continue
		}
		sharing[list]++
		sg := Suggestion{Kind: first.kind, Span: first.Span, Line: first.Line, Alternatives: first.alts, Context: first.Context, Why: first.why, hint: first.hint}
		for _, c := range g {
			sg.Mentions = append(sg.Mentions, c.Mention)
		}
		out = append(out, sg)
	}
	// Different facts with the same alternatives ("two site visits",
	// "two minor observations") would be one slot: each is named.
	for i := range out {
		if sharing[strings.Join(out[i].Alternatives, "\x00")] > 1 {
			out[i].Name = uniqueName(out[i].hint, names)
		}
	}
	return out, refuse
}

// commonAlternatives are the alternatives every mention of a fact
// allows, in the order of the first; none if the mentions are written
// differently.
func commonAlternatives(g []candidate) []string {
	var out []string
	for _, a := range g[0].alts {
		all := true
		for _, c := range g[1:] {
			all = all && c.alts[0] == g[0].alts[0] && slices.Contains(c.alts, a)
		}
		if all {
			out = append(out, a)
		}
	}
	return out
}

// uniqueName makes a fact's name from a hint ("site visits" →
// "site-visits"), unused by the document and the other suggestions.
func uniqueName(hint string, used map[string]bool) string {
	var b strings.Builder
	for _, r := range strings.ToLower(hint) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' && b.Len() > 0:
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	base := strings.Trim(b.String(), "-")
	if len(base) > 40 {
		base = strings.TrimRight(base[:40], "-")
	}
	if base == "" {
		base = "fact"
	}
	name := base
	for n := 2; used[name]; n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	used[name] = true
	return name
}

// repeats finds the other mentions of the facts found so far that the
// rules do not look at: a code name after its introduction ("exercise
// SILENT PELICAN", then "SILENT PELICAN"), and any fact repeated in a
// table cell. Each is the fact's text as written, standing alone.
func (f *finder) repeats() {
	type fact struct {
		c     candidate
		found int
	}
	facts := map[string]*fact{}
	var keys []string
	for _, c := range f.found {
		if c.key == "" || c.count < 2 {
			continue
		}
		if fc, ok := facts[c.key]; ok {
			fc.found++
			continue
		}
		facts[c.key] = &fact{c: c, found: 1}
		keys = append(keys, c.key)
	}
	for _, k := range keys {
		fc := facts[k]
		if fc.found >= fc.c.count {
			continue
		}
		for _, bi := range f.blocksWith(firstRun(fc.c.alts[0])) {
			b := &f.doc.Blocks[bi]
			inTable := b.Kind == parse.TableCell
			if !inTable && (fc.c.kind != CodeName || b.Kind == parse.Heading) {
				continue
			}
			s := f.scan(bi)
			text := fc.c.alts[0]
			for i := 0; i+len(text) <= len(s.text); {
				j := strings.Index(s.text[i:], text)
				if j < 0 {
					break
				}
				start, end := i+j, i+j+len(text)
				i = end
				if !standsAlone(s.text, start, end) {
					continue
				}
				if inTable && (f.totalled(s, start, end) || ruledInCell(s.text[:start])) {
					continue
				}
				f.add(s, start, end, fc.c.kind, fc.c.alts, fc.c.why, fc.c.factID)
			}
		}
	}
}

// blocksWith returns the blocks where a run of letters and digits stands
// as a whole run: a mention that stands alone has its first run there.
func (f *finder) blocksWith(run string) []int {
	if f.runs == nil {
		f.runs = map[string][]int{}
		for bi := range f.doc.Blocks {
			seen := map[string]bool{}
			for _, r := range alnumRuns(f.doc.Blocks[bi].Text) {
				if !seen[r] {
					seen[r] = true
					f.runs[r] = append(f.runs[r], bi)
				}
			}
		}
	}
	return f.runs[run]
}

// alnumRuns splits a text into its runs of letters and digits.
func alnumRuns(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// firstRun is a text's first run of letters and digits.
func firstRun(text string) string {
	if runs := alnumRuns(text); len(runs) > 0 {
		return runs[0]
	}
	return ""
}

// standsAlone reports whether text[start:end] is a whole mention: not
// glued to letters, digits or signs on either side ("$36", "36%",
// "106:00"), and not one end of a range ("05:30–06:00", "36 to 40").
func standsAlone(text string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("$£€.,:/#§-–—+", r) {
			return false
		}
	}
	if end < len(text) {
		r, _ := utf8.DecodeRuneInString(text[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("%/-–—", r) || (r == '.' || r == ',' || r == ':') && end+1 < len(text) && text[end+1] >= '0' && text[end+1] <= '9' {
			return false
		}
	}
	return !rangeAfter.MatchString(text[end:]) && !rangeBefore.MatchString(text[:start])
}

// ruledInCell reports whether the words before a mention in a table cell
// make it a rule, a limit or an estimate ("within 48", "up to 12",
// "about 140"), whose alternatives would differ.
func ruledInCell(before string) bool {
	words := strings.Fields(strings.ToLower(before))
	for i := max(0, len(words)-2); i < len(words); i++ {
		w := strings.Trim(words[i], ".,;:()*_")
		if ruleWords[w] || hedges[w] || w == "aged" || w == "age" {
			return true
		}
	}
	return false
}

// totalWords label a row or column of totals.
var totalWords = set("total", "totals", "subtotal", "sum", "overall", "net", "grand", "cumulative", "combined", "all")

// totalled reports whether a mention in a table cell is, or is part of, a
// total: its row or column is labelled as totals, a row or column of
// totals crosses it, or some of the figures of its row or column add up
// to another with it among them.
func (f *finder) totalled(s *blockScan, start, end int) bool {
	sp, ok := s.b.SourceSpan(start, end)
	if !ok {
		return true
	}
	at := f.cellAt(sp.Start)
	if at < 0 || sp.End > f.cells[at].span.End {
		return true
	}
	c := f.cells[at]
	if c.row == 0 {
		return true // a header
	}
	table := f.tableOf(at)
	label := func(row, col int) bool {
		for _, o := range table {
			if o.row == row && o.col == col {
				return labelled(o.text)
			}
		}
		return false
	}
	if label(0, c.col) || label(c.row, 0) {
		return true // the cell's own column or row holds totals
	}
	var colValues, rowValues []float64
	for _, o := range table {
		v, ok := cellValue(o.text)
		if !ok {
			continue
		}
		if o.row > 0 && o.col == c.col {
			colValues = append(colValues, v)
			if label(o.row, 0) {
				return true // a row of totals crosses the cell's column
			}
		}
		if o.row == c.row {
			rowValues = append(rowValues, v)
			if label(0, o.col) {
				return true // a column of totals crosses the cell's row
			}
		}
	}
	v, ok := cellValue(c.text)
	if !ok {
		// Not a lone figure (a time, "36 officers"): it is in no sum the
		// cells show, but a figure among words may still be a total's
		// part, so only times and code names pass.
		return strings.ContainsAny(s.text[start:end], "0123456789") && !clockLike(s.text[start:end])
	}
	return inSum(v, colValues) || inSum(v, rowValues)
}

// clockLike reports whether a mention is a clock time.
func clockLike(text string) bool {
	ts := findTimes(text)
	return len(ts) == 1 && ts[0].start == 0 && ts[0].end == len(text)
}

// labelled reports whether a cell's text labels totals.
func labelled(text string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if totalWords[w] {
			return true
		}
	}
	return false
}

// cellAt is the index of the cell whose text holds a source offset, or
// -1. Cells are in document order.
func (f *finder) cellAt(off int) int {
	i, _ := slices.BinarySearchFunc(f.cells, off, func(c cell, off int) int {
		if c.span.End <= off {
			return -1
		}
		return 1
	})
	if i < len(f.cells) && off >= f.cells[i].span.Start && off < f.cells[i].span.End {
		return i
	}
	return -1
}

// tableOf is the cells of the table of cell i.
func (f *finder) tableOf(i int) []cell {
	lo, hi := i, i+1
	for lo > 0 && f.cells[lo-1].table == f.cells[i].table {
		lo--
	}
	for hi < len(f.cells) && f.cells[hi].table == f.cells[i].table {
		hi++
	}
	return f.cells[lo:hi]
}

// rowText is the text of the table row holding a source offset, cells
// joined by bars, for review.
func (f *finder) rowText(off int) string {
	at := f.cellAt(off)
	if at < 0 {
		return ""
	}
	var parts []string
	for _, o := range f.tableOf(at) {
		if o.row == f.cells[at].row {
			parts = append(parts, strings.Join(strings.Fields(o.text), " "))
		}
	}
	return strings.Join(parts, " | ")
}

var cellFigure = regexp.MustCompile(`^[$£€]?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*%?$`)

// cellValue is the figure a table cell holds, if it holds one alone.
func cellValue(text string) (float64, bool) {
	t := strings.Trim(strings.TrimSpace(text), "*_")
	m := cellFigure.FindStringSubmatch(t)
	if m == nil {
		return 0, false
	}
	fig, ok := parseFigure(strings.TrimSpace(strings.TrimLeft(strings.TrimSuffix(t, "%"), "$£€")))
	if !ok {
		return 0, false
	}
	return fig.value(), true
}

// inSum reports whether v adds up with others of values to another, or
// is the sum of others (within half a percent).
func inSum(v float64, values []float64) bool {
	if len(values) < 3 || len(values) > 16 {
		return len(values) > 16
	}
	for ti, total := range values {
		var parts []float64
		for i, x := range values {
			if i != ti && x < total {
				parts = append(parts, x)
			}
		}
		if len(parts) > 12 {
			parts = parts[len(parts)-12:]
		}
		for mask := 1; mask < 1<<len(parts); mask++ {
			if mask&(mask-1) == 0 {
				continue
			}
			sum, has := 0.0, total == v
			for b, x := range parts {
				if mask&(1<<b) != 0 {
					sum += x
					has = has || x == v
				}
			}
			if d := sum - total; has && d > -0.005*total && d < 0.005*total {
				return true
			}
		}
	}
	return false
}

// free reports whether a source span touches nothing protected and no
// other suggestion.
func (f *finder) free(span parse.Span) bool {
	for _, n := range f.never {
		if span.Start < n.End && span.End > n.Start {
			return false
		}
	}
	for i := span.Start; i < span.End; i++ {
		if f.taken[i] {
			return false
		}
	}
	return !bytes.ContainsAny(f.doc.Source[span.Start:span.End], "\n{}|\\")
}

// tableDelimiterFollows reports whether the line after the span's line
// looks like a table's delimiter row: the bars of {{a|b}} could then make
// the paragraph above it a table header.
func (f *finder) tableDelimiterFollows(span parse.Span) bool {
	src := f.doc.Source
	nl := bytes.IndexByte(src[span.End:], '\n')
	if nl < 0 {
		return false
	}
	next := src[span.End+nl+1:]
	if k := bytes.IndexByte(next, '\n'); k >= 0 {
		next = next[:k]
	}
	return bytes.Contains(next, []byte("-")) && strings.Trim(string(next), " \t|:-\r") == ""
}

// cleanAlternatives refuses alternatives parse would not read back: empty,
// repeated, on several lines, or with braces.
func cleanAlternatives(alts []string) bool {
	if len(alts) < 2 || len(alts) > 16 {
		return false
	}
	seen := map[string]bool{}
	for _, a := range alts {
		if strings.TrimSpace(a) == "" || seen[a] || strings.ContainsAny(a, "\n\r{}") {
			return false
		}
		seen[a] = true
	}
	return true
}

// block runs every rule on one prose block.
func (f *finder) block(bi int) {
	s := f.scan(bi)
	if len(s.toks) == 0 {
		return
	}
	f.clockTimes(s)
	f.figures(s)
	f.codeNames(s)
	f.ordinals(s)
	f.details(s)
}
