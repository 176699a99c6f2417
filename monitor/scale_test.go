package monitor

import (
	"strings"
	"testing"
)

// TestCorpusAtScale matches the corpus against the samples hidden among 500
// synthetic versions: every disclosing article still finds its
// sample, at the same level as alone, no synthetic version is a hit, and
// unrelated articles report nothing.
func TestCorpusAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 500 versions")
	}
	ix, err := NewIndex(Options{}, synthVersions(t, 500, 0.5)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range loadCorpus(t) {
		want := manifest[a.name]
		art, err := ExtractPage(a.page, "text/html", "http://x.test/"+a.name)
		if err != nil {
			t.Fatal(err)
		}
		reports := ix.Match(*art)
		var got *Report
		for i, r := range reports {
			if r.VersionID <= 3 {
				got = &reports[i]
			} else if r.Hit {
				t.Errorf("%s: synthetic version %s is a hit:\n%s", a.name, r.Label, describe(reports))
			}
		}
		switch {
		case want.level == "" && got != nil:
			t.Errorf("%s: unrelated article reported:\n%s", a.name, describe(reports))
		case want.level != "" && (got == nil || got.Label != want.version || got.Level != want.level):
			t.Errorf("%s: want %s %s, got:\n%s", a.name, want.version, want.level, describe(reports))
		}
		if strings.HasPrefix(a.name, "unrelated") && len(reports) > 0 {
			t.Errorf("%s: chance reports:\n%s", a.name, describe(reports))
		}
	}
}
