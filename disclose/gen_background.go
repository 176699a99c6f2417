//go:build ignore

// gen_background measures the background vocabulary (background.tsv) and the
// noun synonyms (synonyms.txt) from three Debian packages:
//
//	apt-get install festlex-poslex wamerican wordnet-base
//	go run gen_background.go
//
// Word counts come from the part-of-speech lexicon of the Penn Treebank's
// Wall Street Journal text that festlex-poslex ships (wsj.wp39.poslexR: for
// every word, log P(word | tag) per tag). A tag's count is the inverse of
// its smallest probability (a word seen once), so a word's count is the sum
// over its tags of P(word | tag) × count(tag): about 824,000 tokens of news.
// WordNet's sense-tagged counts (cntlist.rev: about 259,000 content words of
// the Brown Corpus) are added to a lemma's count. Words that only SCOWL's
// American English list (wamerican) knows are added with a count of 0: known
// English words and names, rarer than anything the texts used. Noun synonyms
// are the synsets WordNet 3.0 gives as the first or second sense of two or
// more nouns that the newspaper used.
package main

import (
	"bufio"
	"cmp"
	"fmt"
	"log"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

const (
	poslex   = "/usr/share/festival/dicts/wsj.wp39.poslexR"
	scowl    = "/usr/share/dict/american-english"
	wnIndex  = "/usr/share/wordnet/index.noun"
	wnCounts = "/usr/share/wordnet/cntlist.rev"
	wnData   = "/usr/share/wordnet/data.noun"
	outPlace = "places.txt"
	outWords = "background.tsv"
	outSyn   = "synonyms.txt"
)

// closed are the Penn Treebank's closed-class tags: function words.
var closed = map[string]bool{
	"cc": true, "dt": true, "ex": true, "in": true, "md": true, "pdt": true, "pos": true, "prp": true,
	"prp$": true, "rp": true, "to": true, "wdt": true, "wp": true, "wp$": true, "wrb": true,
}

type word struct {
	count  float64
	class  byte // f: function word, n: proper noun, a: adjective or adverb, v: verb, w: other (mostly nouns)
	noun   float64
	scowlN bool
}

func main() {
	words := readPoslex()
	addSemcor(words)
	addScowl(words)
	for w, e := range words {
		if contraction(w) {
			e.class = 'f' // "don't": the newspaper text splits most of them ("do n't")
		}
	}
	writeWords(words)
	writeSynonyms(words)
	writePlaces()
}

var entry = regexp.MustCompile(`^\("(.*?)" \((.*)\) \(\) \)$`)
var tagProb = regexp.MustCompile(`\((\S+) (-?[\d.]+)\)`)

func readPoslex() map[string]*word {
	b, err := os.ReadFile(poslex)
	if err != nil {
		log.Fatal(err)
	}
	type tp struct {
		tag string
		lp  float64
	}
	lex := map[string][]tp{}
	minLP := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		m := entry.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, t := range tagProb.FindAllStringSubmatch(m[2], -1) {
			if !strings.ContainsFunc(t[1], unicode.IsLetter) {
				continue // one entry has a stray tag "2"
			}
			lp, _ := strconv.ParseFloat(t[2], 64)
			lex[m[1]] = append(lex[m[1]], tp{t[1], lp})
			minLP[t[1]] = min(minLP[t[1]], lp)
		}
	}
	// A tag with a single word (the Treebank's "of" and "to") has no
	// singleton to measure it by: its word is a function word, counted as
	// about 2.5 percent of the text, as "of" and "to" are in English news.
	tagCount := map[string]float64{}
	for tag, lp := range minLP {
		tagCount[tag] = math.Exp(-lp)
		if lp > -0.5 {
			tagCount[tag] = 20000
			closed[tag] = true
		}
	}
	words := map[string]*word{}
	for w, tags := range lex {
		if !isWord(w) {
			continue
		}
		var total, fn, nnp, noun, adj, verb float64
		for _, t := range tags {
			c := math.Exp(t.lp) * tagCount[t.tag]
			total += c
			switch {
			case closed[t.tag]:
				fn += c
			case t.tag == "nnp" || t.tag == "nnps":
				nnp += c
			case strings.HasPrefix(t.tag, "jj") || strings.HasPrefix(t.tag, "rb"):
				adj += c
			case strings.HasPrefix(t.tag, "vb"):
				verb += c
			}
			if t.tag == "nn" || t.tag == "nns" {
				noun += c
			}
		}
		cl := byte('w')
		switch {
		case fn > total/2:
			cl = 'f'
		case nnp > total/2:
			cl = 'n'
		case adj > total/2:
			cl = 'a'
		case verb > total/2:
			cl = 'v'
		}
		words[w] = &word{count: total, class: cl, noun: noun}
	}
	return words
}

// isWord keeps entries made of letters, with inner apostrophes, hyphens or
// periods ("o'neill", "u.s."): numbers and punctuation say nothing of a
// word's rarity.
func isWord(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == '\'' || r == '-' || r == '.' || r == '&':
		default:
			return false
		}
	}
	return letters > 0
}

// addSemcor adds the counts of WordNet's sense-tagged concordance (SemCor:
// about 259,000 content words of the Brown Corpus, American English of all
// genres including press reportage), summed over each lemma's senses. The
// newspaper alone knows finance better than crime or weather.
// namePseudoSense are the senses SemCor tags every proper name with: they
// count names, not the words "person", "group" and "location".
var namePseudoSense = map[string]bool{"person%1:03:00::": true, "group%1:03:00::": true, "location%1:03:00::": true}

func addSemcor(words map[string]*word) {
	f, err := os.Open(wnCounts)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Fields(sc.Text())
		if len(p) != 3 {
			continue
		}
		lemma, _, _ := strings.Cut(p[0], "%")
		c, err := strconv.Atoi(p[2])
		if err != nil || c == 0 || strings.Contains(lemma, "_") || !isWord(lemma) || namePseudoSense[p[0]] {
			continue
		}
		e := words[lemma]
		if e == nil {
			e = &word{class: semcorClass(p[0])}
			words[lemma] = e
		}
		e.count += float64(c)
		if strings.Contains(p[0], "%1:") {
			e.noun += float64(c)
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
}

// semcorClass is the class of a word only SemCor counts, from the part of
// speech in its sense key ("dawn%1:28:00::" is a noun).
func semcorClass(senseKey string) byte {
	_, rest, _ := strings.Cut(senseKey, "%")
	switch {
	case strings.HasPrefix(rest, "2:"):
		return 'v'
	case strings.HasPrefix(rest, "3:"), strings.HasPrefix(rest, "4:"), strings.HasPrefix(rest, "5:"):
		return 'a'
	}
	return 'w'
}

func addScowl(words map[string]*word) {
	f, err := os.Open(scowl)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := sc.Text()
		if strings.HasSuffix(w, "'s") || !isWord(w) {
			continue
		}
		lw := strings.ToLower(w)
		if _, ok := words[lw]; ok {
			continue
		}
		words[lw] = &word{class: 'w', scowlN: unicode.IsUpper([]rune(w)[0])}
		switch {
		case words[lw].scowlN:
			words[lw].class = 'n'
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	// A plural that only the word list knows adds nothing to its singular,
	// which the matcher looks up first.
	var keys []string
	for w := range words {
		keys = append(keys, w)
	}
	slices.Sort(keys) // deterministic: "diss" and "disses" both qualify
	for _, w := range keys {
		e := words[w]
		if e == nil || e.count > 0 || !strings.HasSuffix(w, "s") {
			continue
		}
		for _, base := range []string{strings.TrimSuffix(w, "s"), strings.TrimSuffix(w, "es"), strings.TrimSuffix(w, "ies") + "y"} {
			if b, ok := words[base]; ok && b != e {
				delete(words, w)
				break
			}
		}
	}
}

func contraction(w string) bool {
	for _, s := range []string{"n't", "'ll", "'re", "'ve", "'d", "'m"} {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

const header = `# Background vocabulary of English news for telltale's leak monitor:
# how often each word occurs in ordinary news, so that sharing a rare word
# with a protected document counts and sharing a common one does not.
#
# Generated by gen_background.go; do not edit. Columns: the word (lower
# case), its count, and its class: f a function word (mostly a closed-class
# tag), n mostly a proper noun, a mostly an adjective or adverb, v mostly a
# verb, w any other word (mostly nouns). The count is the word's in
# about 824,000 tokens of Wall Street Journal news text (Penn Treebank, as
# measured by the part-of-speech lexicon below) plus, for a lemma, its count
# in WordNet's sense-tagged concordance (SemCor: about 259,000 content words
# of the Brown Corpus). Words with count 0 are known English words and names
# from SCOWL's American English word list that neither text contains.
#
# Sources and licences:
#
# wsj.wp39.poslexR from Debian's festlex-poslex 2.4 (Festival's POSLEX
# lexicon, derived from the Penn Treebank's Wall Street Journal text). The
# counts are derived from it: modified from the original, which gives
# log probabilities per tag.
#
#                 Centre for Speech Technology Research
#                      University of Edinburgh, UK
#                        Copyright (c) 1996,1997
#                         All Rights Reserved.
#
#   Permission is hereby granted, free of charge, to use and distribute
#   this software and its documentation without restriction, including
#   without limitation the rights to use, copy, modify, merge, publish,
#   distribute, sublicense, and/or sell copies of this work, and to
#   permit persons to whom this work is furnished to do so, subject to
#   the following conditions:
#    1. The code must retain the above copyright notice, this list of
#       conditions and the following disclaimer.
#    2. Any modifications must be clearly marked as such.
#    3. Original authors' names are not deleted.
#    4. The authors' names are not used to endorse or promote products
#       derived from this software without specific prior written
#       permission.
#
#   THE UNIVERSITY OF EDINBURGH AND THE CONTRIBUTORS TO THIS WORK
#   DISCLAIM ALL WARRANTIES WITH REGARD TO THIS SOFTWARE, INCLUDING
#   ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS, IN NO EVENT
#   SHALL THE UNIVERSITY OF EDINBURGH NOR THE CONTRIBUTORS BE LIABLE
#   FOR ANY SPECIAL, INDIRECT OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
#   WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN
#   AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION,
#   ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF
#   THIS SOFTWARE.
#
# american-english from Debian's wamerican 2020.12.07 (SCOWL, size 50):
#
#   Copyright 2000-2011 by Kevin Atkinson
#
#   Permission to use, copy, modify, distribute and sell these word
#   lists, the associated scripts, the output created from the scripts,
#   and its documentation for any purpose is hereby granted without fee,
#   provided that the above copyright notice appears in all copies and
#   that both that copyright notice and this permission notice appear in
#   supporting documentation. Kevin Atkinson makes no representations
#   about the suitability of this array for any purpose. It is provided
#   "as is" without express or implied warranty.
#
#   (SCOWL's README lists the copyrights of its sources, all of them
#   permitting this use: Alan Beale, the Moby project, Ispell, 12dicts.)
#
# cntlist.rev from Debian's wordnet-base 3.0 (the counts are summed over
# each lemma's senses, a modification):
#
` + wordnetLicence

func writeWords(words map[string]*word) {
	type row struct {
		w string
		e *word
	}
	var rows []row
	for w, e := range words {
		rows = append(rows, row{w, e})
	}
	slices.SortFunc(rows, func(a, b row) int {
		if c := cmp.Compare(math.Round(b.e.count), math.Round(a.e.count)); c != 0 {
			return c
		}
		return cmp.Compare(a.w, b.w)
	})
	var b strings.Builder
	b.WriteString(header)
	for _, r := range rows {
		fmt.Fprintf(&b, "%s\t%d\t%c\n", r.w, int(math.Round(r.e.count)), r.e.class)
	}
	if err := os.WriteFile(outWords, []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

const synHeader = `# Noun synonyms for telltale's leak monitor: "2,000 households" reports
# the fact "2,000 family units". Each line is a WordNet 3.0 synset that is
# the first or second sense of at least two of its nouns, keeping the nouns
# whose sense it is and that Wall Street Journal news uses (see
# background.tsv); compounds are joined by "_".
#
# Generated by gen_background.go from Debian's wordnet-base; do not edit.
#
` + wordnetLicence

const wordnetLicence = `#   WordNet Release 3.0. This software and database is being provided to
#   you, the LICENSEE, by Princeton University under the following
#   license. By obtaining, using and/or copying this software and
#   database, you agree that you have read, understood, and will comply
#   with these terms and conditions.:
#
#   Permission to use, copy, modify and distribute this software and
#   database and its documentation for any purpose and without fee or
#   royalty is hereby granted, provided that you agree to comply with
#   the following copyright notice and statements, including the
#   disclaimer, and that the same appear on ALL copies of the software,
#   database and documentation, including modifications that you make
#   for internal use or for distribution.
#
#   WordNet 3.0 Copyright 2006 by Princeton University. All rights
#   reserved.
#
#   THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON
#   UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
#   IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
#   UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
#   ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF
#   THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE
#   ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.
#
#   The name of Princeton University or Princeton may not be used in
#   advertising or publicity pertaining to distribution of the software
#   and/or database. Title to copyright in this software, database and
#   any associated documentation shall at all times remain with
#   Princeton University and LICENSEE agrees to preserve same.
`

// writeSynonyms keeps the synsets that are among the first two senses of
// two or more nouns the newspaper uses as nouns.
func writeSynonyms(words map[string]*word) {
	f, err := os.Open(wnIndex)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	members := map[string][]string{} // synset offset → lemmas whose sense 1 or 2 it is
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, " ") {
			continue
		}
		p := strings.Fields(line)
		lemma := p[0]
		ptrs, _ := strconv.Atoi(p[3])
		offsets := p[4+ptrs+2:]
		if !usedNoun(words, lemma) {
			continue
		}
		for _, off := range offsets[:min(2, len(offsets))] {
			members[off] = append(members[off], lemma)
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	var lines []string
	for _, ms := range members {
		if len(ms) < 2 {
			continue
		}
		slices.Sort(ms)
		lines = append(lines, strings.Join(ms, " "))
	}
	slices.Sort(lines)
	out := synHeader + strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(outSyn, []byte(out), 0o644); err != nil {
		log.Fatal(err)
	}
}

const placeHeader = `# Places of two words or more that a general dictionary knows, for
# telltale's leak monitor: "Corpus Christi" or "Salt Lake City" in an
# article is common knowledge, not a detail only a protected document
# could give (a made-up "Halcyon Bay" is). Each line is a name from WordNet
# 3.0's locations (noun.location), compounds joined by "_".
#
# Generated by gen_background.go from Debian's wordnet-base; do not edit.
#
` + wordnetLicence

// writePlaces keeps the capitalised compound names of WordNet's locations.
func writePlaces() {
	b, err := os.ReadFile(wnData)
	if err != nil {
		log.Fatal(err)
	}
	set := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		p := strings.Fields(line)
		if len(p) < 5 || strings.HasPrefix(line, " ") || p[1] != "15" {
			continue
		}
		n, err := strconv.ParseInt(p[3], 16, 32)
		if err != nil {
			continue
		}
		for i := range int(n) {
			w := p[4+2*i]
			if strings.Contains(w, "_") && unicode.IsUpper([]rune(w)[0]) {
				set[strings.TrimSuffix(w, "(a)")] = true
			}
		}
	}
	var names []string
	for w := range set {
		names = append(names, w)
	}
	slices.Sort(names)
	out := placeHeader + strings.Join(names, "\n") + "\n"
	if err := os.WriteFile(outPlace, []byte(out), 0o644); err != nil {
		log.Fatal(err)
	}
}

// usedNoun reports whether the newspaper uses a lemma (each word of a
// compound) as a noun at least twice.
func usedNoun(words map[string]*word, lemma string) bool {
	if strings.ContainsAny(lemma, "0123456789") {
		return false
	}
	parts := strings.Split(lemma, "_")
	if len(parts) > 2 {
		return false
	}
	last := words[parts[len(parts)-1]]
	if last == nil || last.noun < 2 {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if e := words[p]; e == nil || e.count < 2 {
			return false
		}
	}
	return true
}
