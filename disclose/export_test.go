package disclose

// SetViewCache empties the index's cache of analyzed versions and sets its
// size (0: Options.ViewCache; negative: none), so that benchmarks can share
// one index built once.
func SetViewCache(ix *Index, size int) {
	ix.views.mu.Lock()
	defer ix.views.mu.Unlock()
	if size == 0 {
		size = ix.opts.ViewCache
	}
	ix.views.max, ix.views.m = size, nil
	ix.views.order.Init()
}

// For the benchmarks' synthetic versions, which rewrite texts word by word
// as the matcher reads them.
var (
	TokenRules = tokenRules
	Months     = months
	Weekdays   = weekdays
)

// CompareAll compares a text with every version in detail, whatever the
// thresholds, for diagnostics.
func CompareAll(ix *Index, text string) []Report {
	sc := ix.getScratch()
	sc.diagnose = true
	defer func() {
		sc.diagnose = false
		ix.scratch.Put(sc)
	}()
	sc.prepareArticle(text)
	var out []Report
	for _, v := range ix.versions {
		if v == nil {
			continue
		}
		if r, ok := sc.compare(ix, v); ok {
			out = append(out, r)
		}
	}
	return out
}
