// Package leaktest transforms rendered copies the way leaks are
// transformed in the wild — excerpted, reflowed, retyped, OCR'd, edited,
// wrapped in a news site's page — for tests of the reader and the tracer.
package leaktest

import (
	"math/rand/v2"
	"strings"
	"unicode"
)

// Excerpt returns n consecutive words of text starting at a random word.
func Excerpt(rng *rand.Rand, text string, n int) string {
	words := strings.Fields(text)
	if n >= len(words) {
		return text
	}
	start := rng.IntN(len(words) - n)
	return strings.Join(words[start:start+n], " ")
}

// Reflow joins lines and wraps the text at width columns, as a mail client
// or PDF extraction does.
func Reflow(text string, width int) string {
	var b strings.Builder
	col := 0
	for _, para := range strings.Split(text, "\n\n") {
		for _, w := range strings.Fields(para) {
			if col > 0 && col+1+len(w) > width {
				b.WriteString("\n")
				col = 0
			} else if col > 0 {
				b.WriteString(" ")
				col++
			}
			b.WriteString(w)
			col += len(w)
		}
		b.WriteString("\n\n")
		col = 0
	}
	return b.String()
}

// Retype normalises typography the way retyping or a plain-text pipeline
// does: straight quotes, ASCII dashes and ellipses, no non-breaking spaces.
func Retype(text string) string {
	r := strings.NewReplacer("“", `"`, "”", `"`, "‘", "'", "’", "'", "—", "--", "–", "-", "…", "...", "\u00a0", " ", "\u2009", " ")
	return r.Replace(text)
}

// OCR damages a fraction rate of the letters and digits: substitutions by
// look-alike characters, deletions and insertions, as optical character
// recognition of a printed page does.
func OCR(rng *rand.Rand, text string, rate float64) string {
	lookalike := map[rune][]rune{
		'l': {'1', 'I'}, 'I': {'l', '1'}, '1': {'l', 'I'}, 'o': {'0', 'c'}, 'O': {'0', 'Q'}, '0': {'O', 'o'},
		'e': {'c', 'o'}, 'c': {'e'}, 'm': {'n'}, 'n': {'m', 'h'}, 'h': {'b', 'n'}, 'b': {'h'},
		'a': {'o', 'e'}, 'i': {'l', 'j'}, 't': {'f', 'l'}, 'f': {'t'}, 's': {'5'}, 'S': {'5'}, '5': {'S'},
		'g': {'q', '9'}, 'u': {'v', 'n'}, 'v': {'u'}, ',': {'.'}, '.': {','},
	}
	var b strings.Builder
	for _, r := range text {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) || rng.Float64() >= rate {
			b.WriteRune(r)
			continue
		}
		switch rng.IntN(4) {
		case 0: // deletion
		case 1: // insertion
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			if alts, ok := lookalike[r]; ok {
				b.WriteRune(alts[rng.IntN(len(alts))])
			} else {
				b.WriteRune(rune('a' + rng.IntN(26)))
			}
		}
	}
	return b.String()
}

// Edit inserts and deletes whole words at the given rate, as an editor
// tightening a quotation does.
func Edit(rng *rand.Rand, text string, rate float64) string {
	fillers := []string{"reportedly", "also", "now", "indeed", "then", "still", "however"}
	var out []string
	for _, para := range strings.Split(text, "\n\n") {
		var words []string
		for _, w := range strings.Fields(para) {
			switch x := rng.Float64(); {
			case x < rate/2:
				continue
			case x < rate:
				words = append(words, fillers[rng.IntN(len(fillers))])
			}
			words = append(words, w)
		}
		out = append(out, strings.Join(words, " "))
	}
	return strings.Join(out, "\n\n")
}

// NewsPage wraps an HTML copy's body in a news site's page: navigation,
// a headline, advertising, related links and a footer around an
// <article>.
func NewsPage(copyHTML string) string {
	body := copyHTML
	if i := strings.Index(body, `<main class="document">`); i >= 0 {
		body = body[i+len(`<main class="document">`):]
		if j := strings.Index(body, "</main>"); j >= 0 {
			body = body[:j]
		}
	}
	return `<!DOCTYPE html><html><head><title>Leaked plan | The Gulf Courier</title><script>var ads = [];</script>
<style>body{font-family:serif}</style></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sports">Sports</a> <a href="/weather">Weather</a></nav>
<div class="ad">Subscribe now for $1 a week</div>
<article><h1>Read the full plan</h1><p class="byline">By Staff Reporter</p>` + body + `</article>
<aside><h2>Related</h2><ul><li>Storm season begins</li><li>City council votes on budget</li></ul></aside>
<footer>© The Gulf Courier. All rights reserved. Contact us. Privacy policy.</footer></body></html>`
}
