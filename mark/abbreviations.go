package mark

// Abbreviations: the percent sign and dotted initialisms.

import (
	"regexp"
	"strings"
	"unicode"
)

var percent = regexp.MustCompile(`\d(%| percent\b| per cent\b)`)

// findPercents: "12%" ↔ "12 percent" ↔ "12 per cent".
func findPercents(b *block) []found {
	var out []found
	for _, m := range percent.FindAllStringSubmatchIndex(b.Text, -1) {
		out = append(out, found{m[2], m[3], []string{"%", " percent", " per cent"}, 0})
	}
	return out
}

var (
	initialism = regexp.MustCompile(`\b(U\.S\.|U\.K\.|U\.N\.|E\.U\.|US|UK|UN|EU)`)
	// Capitalised words that continue a name after "U.S.", so its final
	// period is not a sentence end.
	initialismNames = set("Courthouse Marshals Marshal Attorney Attorney's Attorneys Department Government Army Navy Air Coast Customs Border Postal Secret Treasury Congress Senate House Census Embassy Embassies District Court Courts Supreme Immigration Forest Park Capitol Mint Geological Space Fish Marine Marines Citizenship Agency Agencies Trade Federal Central Chamber Constitution Treasuries Dollar Security Council Commission Parliament Ambassador Ambassadors Representative")
)

// findInitialisms: "U.S." ↔ "US", likewise U.K., U.N. and E.U. The dotted
// form is only changed where its final period cannot be a sentence end.
func findInitialisms(b *block) []found {
	var out []found
	for _, m := range initialism.FindAllStringSubmatchIndex(b.Text, -1) {
		i, j := m[0], m[1]
		w := b.Text[i:j]
		dotted := strings.Contains(w, ".")
		if !dotted && !boundary(b.Text, i, j) {
			continue
		}
		if dotted && j < len(b.Text) && (unicode.IsLetter(rune(b.Text[j])) || b.Text[j] == '.') {
			continue
		}
		// What follows must show the sentence goes on.
		next := ""
		if j < len(b.Text) {
			next = b.Text[j:]
		}
		if !continues(next) {
			continue
		}
		plain := strings.ReplaceAll(w, ".", "")
		dots := ""
		for _, c := range plain {
			dots += string(c) + "."
		}
		out = append(out, found{i, j, []string{dots, plain}, 0})
	}
	return out
}

// fixedInitialism reports a dotted initialism that findInitialisms must
// leave alone (its period may end the sentence), or one inside a
// quotation or address, which the marker never changes.
func fixedInitialism(b *block) bool {
	found := findInitialisms(b)
	for _, m := range initialism.FindAllStringIndex(b.Text, -1) {
		w := b.Text[m[0]:m[1]]
		if !strings.Contains(w, ".") {
			continue
		}
		varied := false
		for _, f := range found {
			if f.start == m[0] {
				varied = true
			}
		}
		inside := false
		for _, x := range b.excluded {
			inside = inside || m[0] >= x.Start && m[0] < x.End
		}
		if !varied || inside {
			return true
		}
	}
	return false
}

// continues reports whether text after an initialism continues the
// sentence: a lower-case word, a name-continuing capitalised word, or
// mid-sentence punctuation.
func continues(next string) bool {
	if next == "" {
		return false
	}
	if strings.HasPrefix(next, "’") {
		return true
	}
	switch next[0] {
	case ',', ';', ')', ':', '\'':
		return true
	case ' ':
		w := wordAfter(next, 0)
		return isLowerWord(w) || initialismNames[w]
	}
	return false
}
