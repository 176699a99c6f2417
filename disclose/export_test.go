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
