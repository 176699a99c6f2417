// Package lexicon holds telltale's curated sets of interchangeable words and
// finds them in tokenized prose.
//
// The sets live in lexicon.txt, reviewed entry by entry; FORMAT.md describes
// the file. [Default] returns the embedded, reviewed lexicon. The marker
// (package mark) tokenizes each paragraph with [Tokenize], then asks
// [Lexicon.MatchAt] at every word whether a set matches there; a match becomes
// a lexical slot whose alternatives are the set's members, written in the
// case of the matched text.
package lexicon

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/telltale-dev/telltale/prose"
)

//go:embed lexicon.txt
var defaultData string

var (
	defaultOnce sync.Once
	defaultLex  *Lexicon
	defaultErr  error
)

// Default returns the embedded lexicon. It panics if the embedded file does
// not parse, which the package tests rule out.
func Default() *Lexicon {
	defaultOnce.Do(func() {
		defaultLex, defaultErr = Parse(strings.NewReader(defaultData))
	})
	if defaultErr != nil {
		panic("lexicon: embedded lexicon.txt is invalid: " + defaultErr.Error())
	}
	return defaultLex
}

// Lexicon is a parsed set of word sets, indexed for matching. It is
// immutable once parsed and safe for concurrent use.
type Lexicon struct {
	Sets []*Set
	// index maps the first word of every matchable form to its candidates.
	index map[string][]candidate
	// longest is the largest number of words in any form.
	longest int
}

// Set is one line of the lexicon: members that may replace one another.
type Set struct {
	Name    string // the first member's base form, for reports
	Line    int    // line number in the source file
	Members []Member
	Rule    Rule
	// Spelling, if known, is the only spelling of documents the set is
	// used in (the uk and us conditions).
	Spelling Spelling
	forms    int // number of forms per member
}

// Member is one word or phrase of a set with its inflected forms.
type Member struct {
	Forms       []string // each form as written in the file, lower case
	ReplaceOnly bool     // "=" members are offered but never matched
}

// Rule is the conjunction of a set's context conditions.
type Rule struct {
	Conds []Cond
}

// Cond is one context condition, such as next=NUM or !start.
type Cond struct {
	Where string   // "next", "prev" or "start"
	Not   bool     // negated
	Class string   // a class name (NUM, DET, …), or "" for a literal list
	Words []string // literal words for Class == ""
}

type candidate struct {
	set    *Set
	member int
	form   int
	words  []string
}

var classes = map[string]bool{"NUM": true, "DET": true, "PRON": true, "LOWER": true, "CAP": true, "PUNCT": true, "END": true}

// Parse reads a lexicon in the format of FORMAT.md. Errors name the line.
func Parse(r io.Reader) (*Lexicon, error) {
	lex := &Lexicon{index: map[string][]candidate{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set, err := parseLine(line, n)
		if err != nil {
			return nil, fmt.Errorf("lexicon line %d: %w", n, err)
		}
		lex.Sets = append(lex.Sets, set)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("failed to read lexicon: %w", err)
	}
	if err := lex.buildIndex(); err != nil {
		return nil, err
	}
	return lex, nil
}

func parseLine(line string, n int) (*Set, error) {
	body, rules, _ := strings.Cut(line, "@")
	set := &Set{Line: n}
	for _, raw := range strings.Split(body, "|") {
		raw = strings.TrimSpace(raw)
		m := Member{}
		if strings.HasPrefix(raw, "=") {
			m.ReplaceOnly = true
			raw = strings.TrimSpace(raw[1:])
		}
		if raw == "" {
			return nil, fmt.Errorf("empty member in %q", body)
		}
		for _, f := range strings.Split(raw, "/") {
			f = strings.Join(strings.Fields(f), " ")
			if f == "" {
				return nil, fmt.Errorf("empty form in member %q", raw)
			}
			if f != strings.ToLower(f) {
				return nil, fmt.Errorf("member %q must be written in lower case", raw)
			}
			m.Forms = append(m.Forms, f)
		}
		set.Members = append(set.Members, m)
	}
	if len(set.Members) < 2 {
		return nil, fmt.Errorf("a set needs at least two members, got %q", body)
	}
	set.forms = len(set.Members[0].Forms)
	matchable := false
	for _, m := range set.Members {
		if len(m.Forms) != set.forms {
			return nil, fmt.Errorf("member %q has %d forms, the first member has %d", strings.Join(m.Forms, "/"), len(m.Forms), set.forms)
		}
		matchable = matchable || !m.ReplaceOnly
	}
	if !matchable {
		return nil, fmt.Errorf("every member of %q is replacement-only (=)", body)
	}
	set.Name = set.Members[0].Forms[0]
	for _, c := range strings.Fields(rules) {
		switch c {
		case "uk":
			set.Spelling = British
			continue
		case "us":
			set.Spelling = American
			continue
		}
		cond, err := parseCond(c)
		if err != nil {
			return nil, err
		}
		set.Rule.Conds = append(set.Rule.Conds, cond)
	}
	return set, nil
}

func parseCond(s string) (Cond, error) {
	switch s {
	case "start":
		return Cond{Where: "start"}, nil
	case "!start":
		return Cond{Where: "start", Not: true}, nil
	}
	where, class, ok := strings.Cut(s, "=")
	if !ok {
		return Cond{}, fmt.Errorf("unknown condition %q (want next=, next!=, prev=, prev!=, start, !start, uk or us)", s)
	}
	c := Cond{}
	if strings.HasSuffix(where, "!") {
		c.Not = true
		where = strings.TrimSuffix(where, "!")
	}
	if where != "next" && where != "prev" {
		return Cond{}, fmt.Errorf("unknown condition %q (want next or prev before =)", s)
	}
	c.Where = where
	if class == "" {
		return Cond{}, fmt.Errorf("condition %q names no class", s)
	}
	if classes[class] {
		c.Class = class
		return c, nil
	}
	if class == strings.ToUpper(class) && strings.ToLower(class) != class {
		return Cond{}, fmt.Errorf("unknown class %q in %q (known: NUM DET PRON LOWER CAP PUNCT END)", class, s)
	}
	for _, w := range strings.Split(class, ",") {
		if w == "" {
			// "next=," names the comma itself.
			w = ","
		}
		c.Words = append(c.Words, w)
	}
	if class == "," {
		c.Words = []string{","}
	}
	return c, nil
}

func (l *Lexicon) buildIndex() error {
	owner := map[string]*Set{}
	for _, set := range l.Sets {
		for mi, m := range set.Members {
			if m.ReplaceOnly {
				continue
			}
			for fi, f := range m.Forms {
				if prev, ok := owner[f]; ok && prev != set {
					return fmt.Errorf("lexicon line %d: %q is already matched by the set on line %d", set.Line, f, prev.Line)
				}
				owner[f] = set
				words := strings.Fields(f)
				l.longest = max(l.longest, len(words))
				l.index[words[0]] = append(l.index[words[0]], candidate{set: set, member: mi, form: fi, words: words})
			}
		}
	}
	// Longer phrases first, so "in order to" wins over "in order".
	for k, cs := range l.index {
		slices.SortStableFunc(cs, func(a, b candidate) int { return len(b.words) - len(a.words) })
		l.index[k] = cs
	}
	return nil
}

// TokenKind classifies a token of prose.
type TokenKind uint8

const (
	Word   TokenKind = iota // letters, with inner apostrophes or hyphens
	Number                  // starts with a digit or a currency sign
	Punct                   // any other single character
)

// Token is one word, number or punctuation mark of a paragraph.
type Token struct {
	Text  string
	Kind  TokenKind
	Start int // byte offset of the token in the text given to Tokenize
	End   int
	// Joined is true when only plain spaces, or a single line break, separate
	// this token from the previous one.
	Joined bool
	// SentenceStart is true for the first word of a sentence.
	SentenceStart bool
}

// Tokenize splits a paragraph's text into tokens. Offsets are bytes into
// text. Whitespace is not a token; breaks is a sorted list of byte offsets at
// which the text is interrupted by markup (such as emphasis), so the tokens
// on either side are not Joined.
func Tokenize(text string, breaks []int) []Token {
	var toks []Token
	sentence := true
	lastEnd := 0
	bi := 0
	for pt := range tokenRules.Tokens(text) {
		kind := kinds[pt.Kind]
		for bi < len(breaks) && breaks[bi] < lastEnd {
			bi++
		}
		gap := text[lastEnd:pt.Start]
		joined := len(toks) > 0 && strings.Count(gap, "\n") <= 1 && !(bi < len(breaks) && breaks[bi] <= pt.Start)
		t := Token{Text: text[pt.Start:pt.End], Kind: kind, Start: pt.Start, End: pt.End, Joined: joined}
		if kind != Punct {
			t.SentenceStart = sentence
			sentence = false
		} else if strings.Contains(".!?:", t.Text) {
			sentence = true
		}
		if strings.Count(gap, "\n") > 1 {
			t.SentenceStart = kind != Punct
		}
		toks = append(toks, t)
		lastEnd = pt.End
	}
	return toks
}

// tokenRules split prose as the marker reads it: words of letters (with
// inner apostrophes and hyphens, and combining marks), numbers with their
// currency sign ("$1,250", "5:30"), and every other character but white
// space as punctuation.
var tokenRules = prose.Rules{Numbers: true, Marks: true, Punct: true, Hyphens: true, Colons: true}

var kinds = [...]TokenKind{prose.Word: Word, prose.Number: Number, prose.Punct: Punct}

// Match is a set found in prose.
type Match struct {
	Set   *Set
	First int // index of the first matched token
	Len   int // number of tokens matched
	// Alternatives are the set's members in the form and case of the match;
	// Alternatives[0] is the matched member as the set writes it (the caller
	// uses the source text as the canonical alternative).
	Alternatives []string
}

// MatchAt reports whether a set matches the tokens starting at toks[i], in
// a document whose spelling is unknown (see MatchIn).
func (l *Lexicon) MatchAt(toks []Token, i int) (Match, bool) {
	return l.MatchIn(toks, i, UnknownSpelling)
}

// MatchIn reports whether a set matches the tokens starting at toks[i] in a
// document of the given spelling: sets restricted to one spelling (uk, us)
// match only in documents of that spelling. Matching is case-insensitive on
// whole words; words in all capitals and capitalised words that do not
// start a sentence are never matched.
func (l *Lexicon) MatchIn(toks []Token, i int, spelling Spelling) (Match, bool) {
	t := toks[i]
	if t.Kind != Word {
		return Match{}, false
	}
	c := caseOf(t.Text)
	if c == caseUpper || c == caseOther || (c == caseTitle && !t.SentenceStart) {
		return Match{}, false
	}
	for _, cand := range l.index[strings.ToLower(t.Text)] {
		n := len(cand.words)
		if cand.set.Spelling != UnknownSpelling && cand.set.Spelling != spelling {
			continue
		}
		if !wordsMatch(toks, i, cand.words) {
			continue
		}
		if !cand.set.Rule.holds(toks, i, n) {
			continue
		}
		alts, ok := cand.alternatives(c)
		if !ok {
			continue
		}
		return Match{Set: cand.set, First: i, Len: n, Alternatives: alts}, true
	}
	return Match{}, false
}

func wordsMatch(toks []Token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		t := toks[i+k]
		if t.Kind == Punct && w != t.Text {
			return false
		}
		if k > 0 && !t.Joined {
			return false
		}
		if strings.ToLower(t.Text) != w {
			return false
		}
		// Inner words must be lower case: "prior To" is not a phrase.
		if k > 0 && t.Kind == Word && caseOf(t.Text) != caseLower {
			return false
		}
	}
	return true
}

// alternatives returns the members in the matched form, canonical first.
// A match is ambiguous, and refused, when the matched text is also another
// form of its member whose replacements differ.
func (c candidate) alternatives(cs textCase) ([]string, bool) {
	m := c.set.Members[c.member]
	text := m.Forms[c.form]
	for fi, f := range m.Forms {
		if fi == c.form || f != text {
			continue
		}
		for _, other := range c.set.Members {
			if other.Forms[fi] != other.Forms[c.form] {
				return nil, false
			}
		}
	}
	alts := []string{applyCase(text, cs)}
	for mi, other := range c.set.Members {
		if mi == c.member {
			continue
		}
		alt := applyCase(other.Forms[c.form], cs)
		if !slices.Contains(alts, alt) {
			alts = append(alts, alt)
		}
	}
	if len(alts) < 2 {
		return nil, false
	}
	return alts, true
}

func (r Rule) holds(toks []Token, i, n int) bool {
	for _, c := range r.Conds {
		if c.holds(toks, i, n) == c.Not {
			return false
		}
	}
	return true
}

func (c Cond) holds(toks []Token, i, n int) bool {
	switch c.Where {
	case "start":
		return toks[i].SentenceStart
	case "next":
		j := i + n
		if j >= len(toks) {
			return c.atEdge()
		}
		return c.inClass(toks[j])
	default: // prev
		j := i - 1
		if j < 0 {
			return c.atEdge()
		}
		return c.inClass(toks[j])
	}
}

// atEdge reports whether the edge of a paragraph is in the condition's
// class: it counts as punctuation and as a sentence end (".").
func (c Cond) atEdge() bool {
	return c.Class == "PUNCT" || c.Class == "END" || c.Class == "" && slices.Contains(c.Words, ".")
}

var (
	determiners = set("the a an this that these those each every all some any no its their our his her my your both either neither another such")
	pronouns    = set("i you he she it we they")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func (c Cond) inClass(t Token) bool {
	lower := strings.ToLower(t.Text)
	switch c.Class {
	case "":
		return slices.Contains(c.Words, lower)
	case "NUM":
		return t.Kind == Number && !isYear(t.Text) || (t.Kind == Word && isNumberWord(lower))
	case "DET":
		return t.Kind == Word && determiners[lower]
	case "PRON":
		return t.Kind == Word && pronouns[lower]
	case "LOWER":
		return t.Kind == Word && caseOf(t.Text) == caseLower
	case "CAP":
		return t.Kind == Word && caseOf(t.Text) != caseLower
	case "PUNCT":
		return t.Kind == Punct
	case "END":
		return t.Kind == Punct && strings.Contains(".!?;:", t.Text)
	}
	return false
}

type textCase uint8

const (
	caseLower textCase = iota // "about"
	caseTitle                 // "About"
	caseUpper                 // "ABOUT"
	caseOther                 // "aBout"
)

func caseOf(s string) textCase {
	upper, lower, first := 0, 0, true
	firstUpper := false
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.IsUpper(r) {
			upper++
			if first {
				firstUpper = true
			}
		} else {
			lower++
		}
		first = false
	}
	switch {
	case upper == 0:
		return caseLower
	case firstUpper && upper == 1:
		return caseTitle
	case lower == 0 && upper > 1:
		return caseUpper
	}
	return caseOther
}

func applyCase(s string, c textCase) string {
	switch c {
	case caseTitle:
		r, size := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(r)) + s[size:]
	case caseUpper:
		return strings.ToUpper(s)
	}
	return s
}

// isNumberWord reports whether a lower-case word stands for a quantity: a
// number word ("eight", "dozen", "hundred"), a scale word ("million") or
// "several".
func isNumberWord(w string) bool {
	_, number := prose.NumberWord(w)
	_, scale := prose.ScaleWord(w)
	return number || scale || w == "several"
}

// isYear reports a four-digit number from 1900 to 2099 written without a
// separator: "around 2015" is a date, not an approximate quantity.
func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s[:2] == "19" || s[:2] == "20"
}
