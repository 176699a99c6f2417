package leaktest

import (
	"strings"

	"github.com/telltale-dev/telltale/lexicon"
)

// RevertSynonyms maps every word or phrase of a lexicon set to one fixed
// member of the set, the way a leaker who has read telltale's public
// lexicon can launder a copy: whichever member a copy shows, the leak
// shows the same one (the alphabetically first, in the matched form).
func RevertSynonyms(text string, lex *lexicon.Lexicon) string {
	var out strings.Builder
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(revertParagraph(para, lex))
	}
	return out.String()
}

func revertParagraph(text string, lex *lexicon.Lexicon) string {
	toks := lexicon.Tokenize(text, nil)
	var b strings.Builder
	pos := 0
	for i := 0; i < len(toks); {
		// The leaker reverts the sets of either spelling.
		m, ok := lex.MatchIn(toks, i, lexicon.American)
		if !ok {
			m, ok = lex.MatchIn(toks, i, lexicon.British)
		}
		if !ok {
			i++
			continue
		}
		fixed := m.Alternatives[0]
		for _, a := range m.Alternatives[1:] {
			if strings.ToLower(a) < strings.ToLower(fixed) {
				fixed = a
			}
		}
		start, end := toks[i].Start, toks[i+m.Len-1].End
		b.WriteString(text[pos:start])
		b.WriteString(fixed)
		pos = end
		i += m.Len
	}
	b.WriteString(text[pos:])
	return b.String()
}
