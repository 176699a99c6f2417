package disclose_test

import (
	"strings"
	"testing"

	. "github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/monitor/monitortest"
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
	for _, a := range monitortest.Corpus(t) {
		want := manifest[a.Name]
		art, err := monitor.ExtractPage(a.Page, "text/html", "http://x.test/"+a.Name)
		if err != nil {
			t.Fatal(err)
		}
		reports := ix.Match(art.Text, art.Published)
		var got *Report
		for i, r := range reports {
			if r.VersionID <= 3 {
				got = &reports[i]
			} else if r.Hit {
				t.Errorf("%s: synthetic version %s is a hit:\n%s", a.Name, r.Label, describe(reports))
			}
		}
		switch {
		case want.level == "" && got != nil:
			t.Errorf("%s: unrelated article reported:\n%s", a.Name, describe(reports))
		case want.level != "" && (got == nil || got.Label != want.version || got.Level != want.level):
			t.Errorf("%s: want %s %s, got:\n%s", a.Name, want.version, want.level, describe(reports))
		}
		if strings.HasPrefix(a.Name, "unrelated") && len(reports) > 0 {
			t.Errorf("%s: chance reports:\n%s", a.Name, describe(reports))
		}
	}
}
