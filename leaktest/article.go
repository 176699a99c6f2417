package leaktest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Copy describes what one recipient's copy states, for rendering an
// article fixture (testdata/leaks, see its README) as written from it.
type Copy struct {
	// Declared lists the alternatives of each declared slot, in document
	// order, and Symbol says which one this copy shows.
	Declared [][]string
	Symbol   []int
	// Orders gives, for each shuffled list in document order, the items
	// in the order this copy shows them (canonical item indices).
	Orders [][]int
}

var placeholder = regexp.MustCompile(`⟦([^⟧]*)⟧`)

// Article renders an article fixture for a copy: each ⟦a|b|c⟧ becomes the
// alternative the copy states for the matching declared slot, each
// ⟦list:N:names[:k]⟧ the first k items in the copy's order.
func Article(text string, c Copy) (string, error) {
	var err error
	out := placeholder.ReplaceAllStringFunc(text, func(m string) string {
		body := strings.TrimSuffix(strings.TrimPrefix(m, "⟦"), "⟧")
		if strings.HasPrefix(body, "list:") {
			s, e := renderList(body, c)
			if e != nil && err == nil {
				err = e
			}
			return s
		}
		alts := strings.Split(body, "|")
		slot, e := matchDeclared(alts, c.Declared)
		if e != nil {
			if err == nil {
				err = e
			}
			return m
		}
		return alts[c.Symbol[slot]]
	})
	return out, err
}

func renderList(body string, c Copy) (string, error) {
	parts := strings.Split(body, ":")
	if len(parts) < 3 {
		return "", fmt.Errorf("bad list placeholder %q", body)
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 1 || n > len(c.Orders) {
		return "", fmt.Errorf("list placeholder %q names list %s of %d", body, parts[1], len(c.Orders))
	}
	names := strings.Split(parts[2], ";")
	order := c.Orders[n-1]
	if len(names) != len(order) {
		return "", fmt.Errorf("list placeholder has %d names, the list %d items", len(names), len(order))
	}
	k := len(order)
	if len(parts) > 3 {
		if k, err = strconv.Atoi(parts[3]); err != nil {
			return "", err
		}
	}
	var shown []string
	for _, item := range order[:k] {
		shown = append(shown, names[item])
	}
	switch len(shown) {
	case 1:
		return shown[0], nil
	case 2:
		return shown[0] + " and " + shown[1], nil
	}
	return strings.Join(shown[:len(shown)-1], ", ") + ", and " + shown[len(shown)-1], nil
}

var digits = regexp.MustCompile(`\d+(?:[.,]\d+)*`)

// matchDeclared finds the declared slot a placeholder stands for: same
// number of alternatives, and alternatives that agree pairwise in words or
// numbers.
func matchDeclared(alts []string, declared [][]string) (int, error) {
	best, bestScore, tie := -1, 0, false
	for d, slot := range declared {
		if len(slot) != len(alts) {
			continue
		}
		score := 0
		for i := range alts {
			score += agreement(alts[i], slot[i])
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = d, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	if best < 0 || tie {
		return 0, fmt.Errorf("placeholder %q matches no single declared slot", strings.Join(alts, "|"))
	}
	return best, nil
}

func agreement(a, b string) int {
	na, nb := strings.ToLower(a), strings.ToLower(b)
	if na == nb {
		return 3
	}
	if va, ok := value(na); ok {
		if vb, ok := value(nb); ok && va == vb {
			return 3
		}
	}
	score := 0
	da, db := digits.FindAllString(na, -1), digits.FindAllString(nb, -1)
	for _, x := range da {
		for _, y := range db {
			if x == y {
				score++
			}
		}
	}
	for _, w := range strings.Fields(na) {
		if len(w) > 3 && strings.Contains(nb, strings.Trim(w, ".,")) {
			score++
		}
	}
	return score
}

// value parses "$1.25 million" or "$1,250,000" as a number.
func value(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(s, "$"))
	scale := 1.0
	for word, f := range map[string]float64{" million": 1e6, " billion": 1e9} {
		if strings.HasSuffix(s, word) {
			s, scale = strings.TrimSuffix(s, word), f
		}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return v * scale, err == nil
}
