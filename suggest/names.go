package suggest

import (
	"strings"
	"unicode"
)

// allCaps reports whether a word is written in capitals, two letters or
// more: SALTMARSH, PELICAN.
func allCaps(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// styleLike writes w (lower case) in the capitals of model.
func styleLike(w, model string) string {
	switch {
	case allCaps(model):
		return strings.ToUpper(w)
	case model != "" && unicode.IsUpper([]rune(model)[0]):
		return strings.ToUpper(w[:1]) + w[1:]
	}
	return w
}

// codeNames suggests other names for a code name stated once: the name
// after "operation", "exercise", "project" or "code word", written in
// capitals, or in title case with a last word of a known theme (birds,
// trees, stones…). The last word varies within its theme.
func (f *finder) codeNames(s *blockScan) {
	toks := s.toks
	for i, t := range toks {
		j := -1
		switch {
		case codeNameTriggers[t.low]:
			j = i + 1
		case t.low == "code" && i+1 < len(toks) && (toks[i+1].low == "word" || toks[i+1].low == "name"):
			j = i + 2
		case t.low == "codeword":
			j = i + 1
		}
		if j < 0 || j >= len(toks) {
			continue
		}
		k := j
		for k < len(toks) && k-j < 3 && toks[k].isWord() && toks[k].capitalized() && !toks[k].attached {
			k++
		}
		if k == j {
			continue
		}
		last := toks[k-1]
		theme, known := themeOf[last.low]
		if !allCaps(last.text) && !titleCodeName(toks[i], toks[j:k]) {
			continue // a title-case name of no known kind may be a person's
		}
		if !known {
			theme = len(themes) - 1
		}
		name := s.text[toks[j].start:last.end]
		// Every mention must agree (see link and repeats): the name's
		// last word alone ("Pelican") is another mention that cannot.
		count := strings.Count(f.lower, strings.ToLower(name))
		if f.words[last.low] > count {
			continue
		}
		alts := []string{name}
		words := themes[theme]
		at := 0
		for x, w := range words {
			if w == last.low {
				at = x
			}
		}
		for d := 1; d < len(words) && len(alts) < f.opts.max(); d++ {
			w := words[(at+d)%len(words)]
			if f.words[w] > 0 || w == last.low || f.offered[w] {
				continue
			}
			alts = append(alts, s.text[toks[j].start:last.start]+styleLike(w, last.text))
		}
		if f.add(s, toks[j].start, last.end, CodeName, alts,
			"a code name: any name of the same kind serves. Reject it if recipients must use the name together, on the radio or in a briefing",
			factID{key: "name:" + strings.ToLower(name), count: count, hint: name}) {
			// No two code names may ever read the same in a copy.
			for _, a := range alts[1:] {
				f.offered[strings.ToLower(a[strings.LastIndexByte(a, ' ')+1:])] = true
			}
		}
	}
}

// titleCodeName reports whether words in title case after a trigger are a
// code name rather than a person's name: the trigger is part of the name
// ("Exercise Granite Heron", "Project Heron") and every word is of a known
// theme.
func titleCodeName(trigger tok, words []tok) bool {
	if !trigger.capitalized() {
		return false
	}
	for _, w := range words {
		if _, ok := themeOf[w.low]; !ok {
			return false
		}
	}
	return true
}

// ordinalNouns follow ordinals that are positions or labels, not choices:
// "the second floor", "the fourth quarter".
var ordinalNouns = set("time", "times", "floor", "round", "stage", "phase", "step", "edition", "draft", "reading", "half",
	"place", "request", "opinion", "language", "nature", "person", "class", "hand", "thought", "look", "chance", "largest",
	"biggest", "highest", "lowest", "most", "best", "worst", "party", "parties", "tier", "line", "wave", "quarter", "generation")

// ordinals suggests the ordinal before or after in "our third acquisition
// in 24 months", "the second incident this year": a rank among events
// that a reader cannot check.
func (f *finder) ordinals(s *blockScan) {
	toks := s.toks
	for i := 1; i+2 < len(toks); i++ {
		rank := -1
		for r := 2; r < len(ordinals); r++ {
			if toks[i].low == ordinals[r] {
				rank = r
			}
		}
		if rank < 0 || !toks[i].isWord() {
			continue
		}
		switch toks[i-1].low {
		case "our", "its", "their", "his", "her", "the", "this", "a", "my", "your":
		default:
			continue
		}
		noun := toks[i+1]
		if !noun.isWord() || noun.capitalized() || ordinalNouns[noun.low] || timeUnits[noun.low] || f.labels[noun.low] || noun.low == "of" || noun.low == "and" {
			continue
		}
		follows := false
		for d := 2; d <= 3 && i+d < len(toks); d++ {
			switch toks[i+d].low {
			case "in", "since", "this", "among", "so", "ever":
				follows = true
			}
		}
		if !follows || strings.Count(f.lower, toks[i].low+" "+noun.low) > 1 {
			continue
		}
		alts := []string{toks[i].text}
		for _, r := range []int{rank - 1, rank + 1} {
			if r >= 2 && r < len(ordinals) && len(alts) < f.opts.max() {
				alts = append(alts, styleLike(ordinals[r], toks[i].text))
			}
		}
		f.add(s, toks[i].start, toks[i].end, Ordinal, alts, "an ordinal choice: the one before or after. Reject it if the rank is on record", factID{count: 1, hint: noun.low})
	}
}

var asides = []string{"e.g. ", "e.g., ", "for example ", "for example, ", "for instance ", "for instance, ", "such as "}

// details suggests leaving out an illustrative aside: "a basic medical
// screen (for example, blood pressure and temperature)". A copy without
// it proves nothing when a leak leaves it out too, but a leak that
// repeats it is read.
func (f *finder) details(s *blockScan) {
	text := s.text
	for i := 0; i < len(text); i++ {
		if text[i] != '(' {
			continue
		}
		end := strings.IndexByte(text[i:], ')')
		if end < 0 {
			return
		}
		end += i + 1
		inner := text[i+1 : end-1]
		if strings.ContainsAny(inner, "(\n") || len(strings.Fields(inner)) < 3 || len(strings.Fields(inner)) > 12 {
			continue
		}
		aside := false
		for _, a := range asides {
			aside = aside || strings.HasPrefix(strings.ToLower(inner), a)
		}
		if !aside || i < 2 || text[i-1] != ' ' {
			continue
		}
		// The word before the aside goes with it, so that neither
		// alternative is empty.
		w := strings.LastIndexAny(text[:i-1], " \n") + 1
		word := text[w : i-1]
		if word == "" || strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			continue
		}
		f.add(s, w, end, Detail, []string{text[w:end], word},
			"an optional detail: an illustrative aside a copy may leave out. A leak that repeats it shows which copies had it", factID{count: 1, hint: "detail"})
		i = end - 1
	}
}
