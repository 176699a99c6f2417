package leaktest

import (
	"regexp"
	"strconv"
	"strings"
)

// HouseStyle rewrites a text the way a careful leaker (or a newsroom's
// copy desk) normalises typography to one house style, without looking at
// how any copy differs: straight quotes, spaced em dashes, "a.m."/"p.m."
// with no ":00", digits for small numbers, thousands separators, no serial
// comma, "percent", one date style ("March 8, 2026"), and "to" in ranges.
func HouseStyle(text string) string {
	for _, step := range houseStyle {
		text = step(text)
	}
	return text
}

var (
	quotes   = strings.NewReplacer("“", `"`, "”", `"`, "‘", "'", "’", "'")
	emDash   = regexp.MustCompile(`\s*(—|–|--)\s*`)
	range2   = regexp.MustCompile(`(\d)–(\d)`)
	meridiem = regexp.MustCompile(`(?i)\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?`)
	smallNum = regexp.MustCompile(`(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b`)
	bigNum   = regexp.MustCompile(`\b(\d{4,})\b`)
	serial   = regexp.MustCompile(`,(\s+(?:and|or)\s)`)
	pct      = regexp.MustCompile(`(\d)\s*(?:%|per cent\b|pct\b)`)
	dmy      = regexp.MustCompile(`\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})\b`)
)

var numberValue = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
	"seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"}

var houseStyle = []func(string) string{
	quotes.Replace,
	func(s string) string { return range2.ReplaceAllString(s, "$1 to $2") },
	func(s string) string { return emDash.ReplaceAllString(s, " — ") },
	func(s string) string {
		return meridiem.ReplaceAllStringFunc(s, func(m string) string {
			g := meridiem.FindStringSubmatch(m)
			t := g[1]
			if g[2] != "" && g[2] != "00" {
				t += ":" + g[2]
			}
			return t + " " + strings.ToLower(g[3]) + ".m."
		})
	},
	func(s string) string {
		return smallNum.ReplaceAllStringFunc(s, func(m string) string { return numberValue[strings.ToLower(m)] })
	},
	func(s string) string {
		return bigNum.ReplaceAllStringFunc(s, func(m string) string {
			n, err := strconv.Atoi(m)
			if err != nil || n >= 1900 && n <= 2100 { // a year
				return m
			}
			return thousands(m)
		})
	},
	func(s string) string { return serial.ReplaceAllString(s, "$1") },
	func(s string) string { return pct.ReplaceAllString(s, "$1 percent") },
	func(s string) string { return dmy.ReplaceAllString(s, "$2 $1, $3") },
}

// thousands groups a run of digits by three with commas.
func thousands(d string) string {
	var b strings.Builder
	for i, r := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ListsToProse rewrites every bulleted list as one sentence naming its
// items in order, the way a reporter or a retyping leaker does: each item
// shortened to its text before the first comma, dash, colon or
// parenthesis, joined with commas and "and".
func ListsToProse(text string) string {
	lines := strings.Split(text, "\n")
	var out []string
	var items []string
	flush := func() {
		switch len(items) {
		case 0:
			return
		case 1:
			out = append(out, "It covers "+items[0]+".")
		default:
			out = append(out, "It covers "+strings.Join(items[:len(items)-1], ", ")+" and "+items[len(items)-1]+".")
		}
		items = nil
	}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "• ") {
			item := strings.TrimSpace(t[2:])
			if k := strings.IndexAny(item, ",:(—–"); k > 0 {
				item = item[:k]
			}
			if k := strings.Index(item, " - "); k > 0 {
				item = item[:k]
			}
			items = append(items, strings.TrimSpace(item))
			continue
		}
		flush()
		out = append(out, l)
	}
	flush()
	return strings.Join(out, "\n")
}
