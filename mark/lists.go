package mark

// List punctuation (issue 14, second round): whether the items of a
// bulleted or numbered list end with a full stop is a choice writers make
// list by list, so each list whose items all end the same way is a slot.

import (
	"fmt"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"

	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/parse"
)

// Abbreviations whose period may end an item ("…until 5 p.m.") or stand
// inside one ("Dr Smith" is British, "Dr. Smith" American).
var stopAbbreviations = set("etc inc ltd co no approx dr mr mrs ms st vs al jr sr corp dept est fig op ref vol")

// innerSentenceEnd reports whether an item holds more than one sentence: a
// full stop, question or exclamation mark (or one closing a quotation or
// parenthesis) followed by more text, unless the full stop ends an
// abbreviation ("5 p.m. Friday", "approx. 40").
func innerSentenceEnd(text string) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(text) && strings.ContainsRune("\"')", rune(text[j])) {
			j++
		}
		if strings.HasPrefix(text[j:], "”") || strings.HasPrefix(text[j:], "’") {
			j += len("”")
		}
		if j >= len(text) || !unicode.IsSpace(rune(text[j])) || strings.TrimSpace(text[j:]) == "" {
			continue
		}
		if c == '.' && stopEndsAbbreviation(text, i) {
			continue
		}
		return true
	}
	return false
}

// stopEndsAbbreviation reports whether the full stop at text[i] ends an
// abbreviation: a word with another stop in it ("p.m.", "U.S."), a single
// letter, or a listed abbreviation.
func stopEndsAbbreviation(text string, i int) bool {
	k := i
	for k > 0 && text[k-1] != ' ' && text[k-1] != '\n' && text[k-1] != '(' {
		k--
	}
	word := text[k:i]
	return word == "" || strings.Contains(word, ".") || utf8.RuneCountInString(word) == 1 || stopAbbreviations[strings.ToLower(word)]
}

// minListWords is the fewest words every item needs before full stops
// are added to a list: "- Finance." reads oddly, "- Confirm the lots."
// does not.
const minListWords = 3

// listStops makes one slot of each list whose items are each one
// sentence or fragment, all ending with a full stop or all ending with a
// word, number or closing parenthesis: the stops go, or are added,
// together. Lists in block quotes, shuffled lists, lists with nested
// blocks, and items ending in markup, a quotation, an address, an
// abbreviation or other punctuation (";", ":", "?") are left alone.
func (m *marker) listStops() {
	ends := map[int]int{} // source offset of a list or paragraph block's end → block
	for bi := range m.blocks {
		b := &m.blocks[bi]
		if b.Kind != parse.ListText && b.Kind != parse.Paragraph {
			continue
		}
		text := strings.TrimRightFunc(b.Text, unicode.IsSpace)
		if text == "" {
			continue
		}
		_, size := utf8.DecodeLastRuneInString(text)
		if s, ok := b.SourceSpan(len(text)-size, len(text)); ok {
			ends[s.End] = bi
		}
	}
	shuffled := map[int]bool{}
	for _, l := range m.doc.Lists {
		for _, it := range l.Items {
			shuffled[it.Start] = true
		}
	}
	_ = ast.Walk(m.doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Blockquote, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.List:
			m.listStopSlot(n, ends, shuffled)
		}
		return ast.WalkContinue, nil
	})
}

// listStopSlot makes the slot of one list, if it qualifies.
func (m *marker) listStopSlot(l *ast.List, ends map[int]int, shuffled map[int]bool) {
	defer func() {
		if os.Getenv("ZZDBG") != "" {
			fmt.Println("list at", l.Lines())
		}
	}()
	var blocks []*block
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		text := it.FirstChild()
		if text == nil || text.NextSibling() != nil || text.Lines().Len() == 0 {
			return // an empty item, or one with a nested list or a second paragraph
		}
		lines := text.Lines()
		first, last := lines.At(0), lines.At(lines.Len()-1)
		if shuffled[first.Start] {
			return
		}
		end := last.Stop
		for end > last.Start && (m.src[end-1] == ' ' || m.src[end-1] == '\n' || m.src[end-1] == '\t') {
			end--
		}
		bi, ok := ends[end]
		if !ok {
			return // markup, or nothing of it, at the item's end
		}
		blocks = append(blocks, &m.blocks[bi])
	}
	if len(blocks) < 2 {
		return
	}
	stops := 0
	for _, b := range blocks {
		switch listItemEnd(b) {
		case '.':
			stops++
		case 'w':
			if !sentenceLike(b.toks) || !hasFiniteVerb(b.toks) {
				return
			}
		default:
			return
		}
	}
	if stops != 0 && stops != len(blocks) {
		return // the author mixed them
	}
	occs := make([]Occurrence, 0, len(blocks))
	for _, b := range blocks {
		text := strings.TrimRightFunc(b.Text, unicode.IsSpace)
		var s Span
		var ok bool
		if stops > 0 {
			s, ok = m.source(b, len(text)-1, len(text))
		} else {
			s, ok = m.source(b, len(text), len(text))
			ok = ok && !(s.Start > 0 && m.taken[s.Start-1] && m.taken[s.Start])
		}
		if !ok {
			return
		}
		occs = append(occs, Occurrence{Span: s})
	}
	for i := range occs {
		if stops > 0 {
			occs[i].Alts = []string{".", ""}
		} else {
			occs[i].Alts = []string{"", "."}
		}
		m.take(occs[i].Span)
		if occs[i].Start == occs[i].End {
			m.taken[occs[i].Start] = true
		}
	}
	m.slots = append(m.slots, Slot{Kind: Typographic, Name: "typographic:list-stops", Q: 2, Occurrences: occs})
}

// listItemEnd classifies how a list item's text ends: '.' a full stop
// that may go, 'w' a word, number, percent sign or closing parenthesis
// after which one may be added, or 0 for anything else (other
// punctuation, an abbreviation, a quotation, more than one sentence).
func listItemEnd(b *block) byte {
	text := strings.TrimRightFunc(b.Text, unicode.IsSpace)
	if text == "" || innerSentenceEnd(text) || inside(b.excluded, len(text)-1) || strings.Contains(text, ";") {
		return 0 // more than a sentence, a quotation, or a list punctuated "a; b; and c"
	}
	if last := text[strings.LastIndexAny(text, " \n")+1:]; last == "and" || last == "or" {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(text)
	switch {
	case r == '.':
		// A space before the stop is where markup ended ("**noon Friday**.").
		core := strings.TrimRight(text[:len(text)-1], " ")
		if stopEndsAbbreviation(core+".", len(core)) {
			return 0 // "p.m.", "etc.", "U.S.", an initial
		}
		if prev, _ := utf8.DecodeLastRuneInString(core); !unicode.IsLetter(prev) && !unicode.IsDigit(prev) && prev != ')' && prev != '%' {
			return 0
		}
		return '.'
	case unicode.IsLetter(r) || unicode.IsDigit(r) || r == ')' || r == '%':
		return 'w'
	}
	return 0
}

// sentenceLike reports whether a list item may take a full stop: at least
// minListWords words, half of them or more in lower case. "- Finance."
// and a list of names ("- Dame Olwen Hartigan (Chair).") would read
// oddly.
func sentenceLike(toks []lexicon.Token) bool {
	n, lower := 0, 0
	for _, t := range toks {
		if t.Kind == lexicon.Punct {
			continue
		}
		n++
		if t.Kind == lexicon.Word && isLowerWord(t.Text) {
			lower++
		}
	}
	return n >= minListWords && 2*lower >= n
}

// hasFiniteVerb reports whether a list item has a finite auxiliary or
// form of "be": only items that read as clauses gain a full stop. Titles
// and labels ("- B: Chemical inventory and release scenarios", the
// held-out review) do not.
func hasFiniteVerb(toks []lexicon.Token) bool {
	for _, t := range toks {
		if finiteVerbs[strings.ToLower(t.Text)] {
			return true
		}
	}
	return false
}
