package main

import "strings"

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// hunk is a place where two texts differ, with a few words of context.
type hunk [2]string

// wordHunks compares two texts line by line (copies of one template have
// the same lines, up to list order) and, within differing lines, word by
// word.
func wordHunks(a, b string) []hunk {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []hunk
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] == lb[i] {
			continue
		}
		out = append(out, lineHunks(strings.Fields(la[i]), strings.Fields(lb[i]))...)
	}
	return out
}

// lineHunks diffs two word lists by longest common subsequence.
func lineHunks(a, b []string) []hunk {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type span struct{ ai, aj, bi, bj int }
	var spans []span
	i, j := 0, 0
	for i < n || j < m {
		if i < n && j < m && a[i] == b[j] {
			i++
			j++
			continue
		}
		si, sj := i, j
		for (i < n || j < m) && !(i < n && j < m && a[i] == b[j]) {
			if j >= m || (i < n && lcs[i+1][j] >= lcs[i][j+1]) {
				i++
			} else {
				j++
			}
		}
		// Changes two words apart or closer read as one.
		if k := len(spans) - 1; k >= 0 && si-spans[k].aj <= 2 {
			spans[k].aj, spans[k].bj = i, j
			continue
		}
		spans = append(spans, span{si, i, sj, j})
	}
	const ctx = 4
	var out []hunk
	for _, s := range spans {
		pre := a[max(0, s.ai-ctx):s.ai]
		out = append(out, hunk{
			strings.Join(append(append(append([]string{}, pre...), a[s.ai:s.aj]...), a[s.aj:min(n, s.aj+ctx)]...), " "),
			strings.Join(append(append(append([]string{}, pre...), b[s.bi:s.bj]...), b[s.bj:min(m, s.bj+ctx)]...), " "),
		})
	}
	return out
}

func countDiffs(a, b []byte) int { return len(wordHunks(string(a), string(b))) }

func firstDiffs(a, b string, n int) []hunk {
	h := wordHunks(a, b)
	return h[:min(n, len(h))]
}
