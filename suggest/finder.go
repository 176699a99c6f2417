package suggest

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"

	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/prose"
)

// finder holds what every rule consults: the spans never to touch, the
// document-wide counts that reveal repeated facts, and the suggestions
// found so far.
type finder struct {
	doc  *parse.Document
	opts Options
	// never are source spans no suggestion may touch: existing declared
	// variants, telltale:off regions, comments, links, code, raw HTML.
	never []parse.Span
	taken []bool
	// numbers counts each number of the source by its digits ("1140" for
	// "1,140" and "$1,140"); times counts clock times by minute of day;
	// words counts words in lower case; labels holds the nouns the
	// document uses as labels ("phase" for "Phase 2").
	numberCount map[string]int
	timeCount   map[int]int
	words       map[string]int
	labels      map[string]bool
	listLengths map[int64]bool // the numbers of items of the lists
	found       []Suggestion
}

func newFinder(doc *parse.Document, opts Options) *finder {
	f := &finder{doc: doc, opts: opts, taken: make([]bool, len(doc.Source)+1),
		numberCount: map[string]int{}, timeCount: map[int]int{}, words: map[string]int{}, labels: map[string]bool{}, listLengths: map[int64]bool{}}
	for _, d := range doc.Declared {
		f.never = append(f.never, d.Span)
	}
	f.never = append(f.never, doc.Off...)
	f.never = append(f.never, doc.Comments...)
	f.never = append(f.never, inlineNever(doc)...)
	f.census()
	return f
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
	src := string(f.doc.Source)
	var toks []tok
	for t := range tokenRules.Tokens(src) {
		w := src[t.Start:t.End]
		toks = append(toks, tok{start: t.Start, end: t.End, text: w, low: strings.ToLower(w), kind: t.Kind})
	}
	for i, t := range toks {
		w := t.text
		if d, ok := digitsOf(w); ok && !besideCalendar(toks, i) && !numbering(src, t.start) {
			f.numberCount[d]++
		}
		if t.kind == prose.Word {
			f.words[t.low]++
			if d, ok := smallWords[t.low]; ok {
				f.numberCount[d]++ // "eleven" and "11" are the same fact
			}
		}
	}
	for _, m := range findTimes(src) {
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
		if toks[j].isWord() {
			if calendar(toks[j]) {
				return true
			}
			break
		}
	}
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
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
	s.quote = append(quotations(b.Text), addresses(b.Text)...)
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

// quotations returns the ranges of text inside double quotes, quotes
// included: somebody's words are never changed.
func quotations(text string) []parse.Span {
	var out []parse.Span
	open, curly := -1, -1
	for i, r := range text {
		switch r {
		case '“':
			if curly < 0 {
				curly = i
			}
		case '”':
			if curly >= 0 {
				out = append(out, parse.Span{Start: curly, End: i + len("”")})
				curly = -1
			}
		case '"':
			if open < 0 {
				open = i
			} else {
				out = append(out, parse.Span{Start: open, End: i + 1})
				open = -1
			}
		}
	}
	if open >= 0 {
		out = append(out, parse.Span{Start: open, End: len(text)})
	}
	if curly >= 0 {
		out = append(out, parse.Span{Start: curly, End: len(text)})
	}
	return out
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

// add records a suggestion for the text range [start, end) of a block if
// every rule about where suggestions may go allows it.
func (f *finder) add(s *blockScan, start, end int, kind Kind, alts []string, why string) bool {
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
	for i := span.Start; i < span.End; i++ {
		f.taken[i] = true
	}
	f.found = append(f.found, Suggestion{Kind: kind, Span: span, Alternatives: alts, Context: s.sentence(start, end), Why: why})
	return true
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
func (f *finder) block(b *parse.Block) {
	s := scanBlock(b)
	if len(s.toks) == 0 {
		return
	}
	f.clockTimes(s)
	f.figures(s)
	f.codeNames(s)
	f.ordinals(s)
	f.details(s)
}
