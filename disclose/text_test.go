package disclose

import (
	"fmt"
	"strings"
	"testing"
)

func TestNumbers(t *testing.T) {
	tz := tokenizer{bg: DefaultBackground()}
	for _, tc := range []struct {
		text string
		want []string // "value|flags" of number and time tokens
	}{
		{"$1,250,000 and $1.25 million", []string{"1.25e+06 $", "1.25e+06 $"}},
		{"31 percent, 31% and 31 per cent", []string{"31 %", "31 %", "31 %"}},
		{"1.4 million households", []string{"1.4e+06 "}},
		{"eight cities", []string{"8 "}},
		{"at 5:30 a.m. Sunday and 2 p.m.", []string{"time 330", "time 840"}},
		{"the 45-day period", []string{"45 "}},
		{"3,4 and 12,345,6", []string{"3 ", "4 ", "12345 ", "6 "}},
		{"HL-2026-0308", []string{"2026 ", "308 "}},
		{"a dozen and three hundred officers", []string{"12 ", "300 "}}, // compounds are one number
		{"two dozen teams, twenty-one cities, hundreds of", []string{"24 ", "21 "}},
		{"Sunday the 8th", []string{"8 "}},
		{"$1.25m, 3.2bn, 5m and £14k", []string{"1.25e+06 $", "3.2e+09 ", "14000 $"}},
		{"at 6pm, 7.30am and 1800Z", []string{"time 1080", "time 450", "time 1080"}},
		{"5 m, 12 mn and €2 bn", []string{"5 ", "1.2e+07 ", "2e+09 $"}}, // a lone "m" is no million
		{"the 2’\u00a0board", []string{"2 "}},                           // the apostrophe is a quote
	} {
		var v view
		tz.analyze(tc.text, &v, false)
		var got []string
		for _, tk := range v.toks {
			switch tk.kind {
			case tokNumber:
				f := ""
				if tk.has(flagCurrency) {
					f += "$"
				}
				if tk.has(flagPercent) {
					f += "%"
				}
				got = append(got, fmt.Sprintf("%g %s", tk.val, f))
			case tokTime:
				got = append(got, fmt.Sprintf("time %g", tk.val))
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%q: numbers %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	tz := tokenizer{bg: DefaultBackground()}
	for _, tc := range []struct {
		text string
		want string // the tokens, sentences separated by |
	}{
		{"Mr. O’Neil's multi-agency plan. It starts <!-- telltale:off 12 --> Sunday!", "Mr O’Neil's multi agency plan | It starts Sunday"},
		{"Don't—it's late", "Don't it's late"},
		{"one\n\n- two\n- three", "one | two | three"},
		{"cut <!-- never closed 12", "cut"},
	} {
		var b strings.Builder
		prev := int32(0)
		for _, tk := range tz.tokenize(tc.text, nil) {
			if tk.has(flagConsumed) {
				continue
			}
			if b.Len() > 0 {
				if tk.sent != prev {
					b.WriteString(" |")
				}
				b.WriteString(" ")
			}
			b.WriteString(tc.text[tk.start:tk.end])
			prev = tk.sent
		}
		if b.String() != tc.want {
			t.Errorf("%q: tokens %q, want %q", tc.text, b.String(), tc.want)
		}
	}
}
