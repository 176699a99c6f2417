package docx

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// loc is a place in a paragraph: a byte offset in one item's text.
type loc struct {
	p         *Paragraph
	item, off int
}

// cover is text of one item that an edit replaces: bytes [from, to) of
// a text item, or the whole of a tab or break.
type cover struct {
	p              *Paragraph
	item, from, to int
}

// segLen returns how many bytes of its item's text a segment stands for.
func (s *seg) textLen() int {
	switch s.kind {
	case segText:
		return s.md1 - s.md0
	case segEscape:
		return s.md1 - s.md0 - 1
	case segSpace:
		return len(s.p.Items[s.item].Text)
	}
	return 0
}

// locate maps Markdown bytes [a, b) to the items of one paragraph: the
// place a replacement goes (the start of the first text it replaces, or
// for an insertion the end of the text before it) and the text it
// replaces. It fails if the range touches markup, an object or text that
// never changes, or more than one paragraph.
func (s *Source) locate(a, b int) (loc, []cover, bool) {
	segs := s.segs
	i := sort.Search(len(segs), func(i int) bool { return segs[i].md1 >= a })
	if a == b {
		for j := i; j < len(segs) && segs[j].md0 <= a; j++ {
			sg := &segs[j]
			if sg.md1 == a && sg.md0 < sg.md1 && (sg.kind == segText || sg.kind == segEscape) {
				return loc{sg.p, sg.item, sg.off + sg.textLen()}, nil, true
			}
		}
		for j := i; j < len(segs) && segs[j].md0 <= a; j++ {
			sg := &segs[j]
			if sg.md0 <= a && a < sg.md1 && (sg.kind == segText || sg.kind == segEscape && a == sg.md0) {
				return loc{sg.p, sg.item, sg.off + (a - sg.md0)}, nil, true
			}
		}
		return loc{}, nil, false
	}
	var covers []cover
	var p *Paragraph
	var anchor loc
	found := false
	pos := a
	for j := i; j < len(segs) && segs[j].md0 < b; j++ {
		sg := &segs[j]
		if sg.md1 <= a {
			continue
		}
		if sg.md0 == sg.md1 {
			return loc{}, nil, false // an object inside the range
		}
		from, to := max(a, sg.md0), min(b, sg.md1)
		if sg.kind == segFixed || (p != nil && sg.p != p) || from != pos {
			return loc{}, nil, false
		}
		p = sg.p
		var c cover
		switch sg.kind {
		case segText:
			c = cover{p, sg.item, sg.off + from - sg.md0, sg.off + to - sg.md0}
		case segEscape, segSpace:
			if from != sg.md0 || to != sg.md1 {
				return loc{}, nil, false
			}
			c = cover{p, sg.item, sg.off, sg.off + sg.textLen()}
		}
		if !found && sg.kind != segSpace {
			anchor, found = loc{p, c.item, c.from}, true
		}
		if n := len(covers); n > 0 && covers[n-1].item == c.item && covers[n-1].to == c.from {
			covers[n-1].to = c.to
		} else {
			covers = append(covers, c)
		}
		pos = to
	}
	if pos != b || !found {
		return loc{}, nil, false
	}
	return anchor, covers, true
}

// coveredText is the text the covers hold now.
func coveredText(covers []cover) string {
	var b strings.Builder
	for _, c := range covers {
		b.WriteString(c.p.Items[c.item].Text[c.from:c.to])
	}
	return b.String()
}

// mdUnescape removes Markdown's backslash escapes from an alternative.
func mdUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			b.WriteByte(s[i+1])
			i += 2
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
