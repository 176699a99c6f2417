package disclose_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/monitor/monitortest"
)

// expectation is what testdata/articles/MANIFEST.md says of one article.
type expectation struct {
	version string // sample disclosed, "" for none
	level   Level  // Strong (a hit), Weak, or "" for no report
	// declared are the canonical alternatives of the declared facts the
	// article reports.
	declared []string
	// items are the list items named: list index → canonical positions
	// (0-based), in any order.
	items map[int][]int
	// verbatim are sentences copied from the document (without the final
	// period, which articles replace by a comma).
	verbatim []string
	// others are the version texts that other reported items (numbers,
	// dates, times, names, passages) may show: the manifest's "other
	// specifics". A report listing anything else lists a false fact.
	others []string
	// dupOf is the article this one is a syndicated copy of.
	dupOf string
}

// Decisions on the weak articles: one declared fact on the document's
// subject is reported, as Weak, below the hit threshold; two facts or a
// verbatim passage would make a hit.
var manifest = map[string]expectation{
	"operations-plan-strong": {
		version:  "operations-plan",
		level:    Strong,
		declared: []string{"140", "eight", "312", "Tidewater", "5:30 a.m.", "24", "$1,250,000"},
		items:    map[int][]int{0: {0, 1, 2, 3, 4, 5}},
		verbatim: []string{
			"No member of the task force will confirm the existence of the operation to any member of the media prior to the official announcement",
			"Teams will not force entry into a residence where children are known to be present without the approval of a field coordinator",
		},
		others: []string{"72 hours", "Sunday"},
	},
	"operations-plan-strong-syndicated": {
		version:  "operations-plan",
		level:    Strong,
		declared: []string{"140", "eight", "312", "Tidewater", "5:30 a.m.", "24", "$1,250,000"},
		items:    map[int][]int{0: {0, 1, 2, 3, 4, 5}},
		verbatim: []string{
			"No member of the task force will confirm the existence of the operation to any member of the media prior to the official announcement",
			"Teams will not force entry into a residence where children are known to be present without the approval of a field coordinator",
		},
		others: []string{"72 hours", "Sunday"},
		dupOf:  "operations-plan-strong",
	},
	"operations-plan-weak": {
		version:  "operations-plan",
		level:    Weak,
		declared: []string{"eight"},
		items:    map[int][]int{0: {5}},
		others:   []string{"Nueces"},
	},
	"board-memo-strong": {
		version:  "board-memo",
		level:    Strong,
		declared: []string{"$48.50", "31", "$3.2 billion", "Project Meridian", "Monday, March 16", "$85 million", "$1.8 billion"},
		items:    map[int][]int{0: {6, 3, 4, 2}},
		verbatim: []string{
			"Management has not included any revenue synergies in the valuation",
			"We do not intend to issue equity, and the quarterly dividend would be maintained at its current level",
		},
		others: []string{
			"Northgate Logistics Holdings", "Halvorsen Cold Chain", "Catherine Ames", "Rajiv Menon", "Erik Halvorsen",
			"Northgate", "Halvorsen", "30-day", "41 temperature-controlled warehouses and a fleet of",
			// Sentences the article restates in its own words.
			"The combination would make Northgate the third-largest provider of cold storage capacity in the U.S. and would give us, for the first time, a meaningful presence in the Southeast and the Mountain West",
			"The companies overlap in four metropolitan areas—Chicago, Denver, Kansas City, and Columbus—and regulators may require us to divest up to two warehouses",
		},
	},
	"board-memo-weak": {
		version:  "board-memo",
		level:    Weak,
		declared: []string{"$48.50"},
		others:   []string{"Northgate Logistics Holdings", "Halvorsen Cold Chain", "Northgate", "Halvorsen"},
	},
	"policy-draft-strong": {
		version:  "policy-draft",
		level:    Strong,
		declared: []string{"Warm Homes Guarantee", "$6.2 billion", "1.4 million", "80", "$14,000", "October 1, 2026", "45"},
		items:    map[int][]int{0: {0, 2, 3, 5}, 1: {6, 1, 0, 4}},
		verbatim: []string{
			"Households above 150 percent of area median income would no longer be eligible for assistance, although they may continue to claim the existing federal tax credit",
		},
		others: []string{
			"Home Energy Affordability Administration", "Tuesday, March 3, 2026", // a date is shown whole
			"Draft 4, circulated for interagency review on Tuesday, March 3, 2026", // restated: "dated March 3 … circulated to other federal agencies for review"
		},
	},
	"policy-draft-weak": {
		version:  "policy-draft",
		level:    Weak,
		declared: []string{"$6.2 billion"},
		items:    map[int][]int{1: {1}},
		others:   []string{"Home Energy Affordability Administration"},
	},
	"unrelated-1": {},
	"unrelated-2": {},
	"unrelated-3": {},
	"unrelated-4": {},
}

// TestCorpus polls a local news site serving the article corpus and checks
// every article against the manifest: the right version, the right level,
// exactly the declared facts and list items the article reveals, its
// verbatim sentences, no false facts, and the syndicated copy grouped with
// its original.
func TestCorpus(t *testing.T) {
	corpus := monitortest.Corpus(t)
	if len(corpus) != len(manifest) {
		t.Fatalf("corpus has %d articles, manifest %d", len(corpus), len(manifest))
	}
	srv := monitortest.Server(t, corpus)
	versions := sampleVersions(t)
	ix, err := NewIndex(Options{}, versions...)
	if err != nil {
		t.Fatal(err)
	}
	p := &monitor.Poller{Fetcher: testFetcher(monitor.FetcherConfig{}), Matcher: ix, Dedupe: &Deduper{}}
	res := p.Poll(context.Background(), []monitor.Source{{ID: 7, Kind: monitor.KindFeed, URL: srv.URL + "/feed.xml"}})
	if len(res.Failures) > 0 || len(res.Errors) > 0 {
		t.Fatalf("poll failed: %v %v", res.Failures, res.Errors)
	}
	if src := res.Sources[0]; !src.Healthy || src.Failures != 0 || src.LastSuccess.IsZero() {
		t.Errorf("source state after a good poll: %+v", src)
	}
	byName := map[string]*monitor.Found{}
	for i := range res.Found {
		f := &res.Found[i]
		name := strings.TrimSuffix(f.Article.URL[strings.LastIndex(f.Article.URL, "/")+1:], ".html")
		byName[name] = f
	}
	byLabel := map[string]Protected{}
	for _, v := range versions {
		byLabel[v.Label] = v
	}
	for name, want := range manifest {
		t.Run(name, func(t *testing.T) {
			f := byName[name]
			if f == nil {
				t.Fatal("article not found by the poll")
			}
			checkArticle(t, f, want, byLabel)
			if want.dupOf != "" {
				orig := byName[want.dupOf]
				if !f.Duplicate || f.Story != orig.Article.URL || orig.Duplicate {
					t.Errorf("story %q (duplicate %v), want the story of %s, %q", f.Story, f.Duplicate, want.dupOf, orig.Article.URL)
				}
			} else if f.Duplicate {
				t.Errorf("grouped with %q, want its own story", f.Story)
			}
		})
	}
	if n := len(res.Stories()); n != len(corpus)-1 {
		t.Errorf("%d stories, want %d", n, len(corpus)-1)
	}
}

func checkArticle(t *testing.T, f *monitor.Found, want expectation, byLabel map[string]Protected) {
	t.Helper()
	a := f.Article
	if a.Outlet == "" || a.Title == "" || a.Published.IsZero() || a.Snapshot.SHA256 == "" || len(a.Snapshot.Body) == 0 {
		t.Errorf("article metadata incomplete: outlet %q title %q published %v sha256 %q", a.Outlet, a.Title, a.Published, a.Snapshot.SHA256)
	}
	if want.level == "" {
		if len(f.Reports) > 0 {
			t.Fatalf("unrelated article reported:\n%s", describe(f.Reports))
		}
		return
	}
	if len(f.Reports) != 1 {
		t.Fatalf("%d reports, want one for %s:\n%s", len(f.Reports), want.version, describe(f.Reports))
	}
	r := f.Reports[0]
	v := byLabel[want.version]
	if r.VersionID != v.ID || r.Label != want.version {
		t.Fatalf("reported version %d %q, want %d %q", r.VersionID, r.Label, v.ID, want.version)
	}
	if r.Level != want.level || r.Hit != (want.level == Strong) {
		t.Errorf("level %s (hit %v, score %.1f), want %s:\n%s", r.Level, r.Hit, r.Score, want.level, describe(f.Reports))
	}
	var declared []string
	items := map[int][]int{}
	var passages []string
	for _, d := range r.Facts {
		if d.Article[0] != (Span{}) && a.Text[d.Article[0].Start:d.Article[0].End] != d.ArticleText {
			t.Errorf("%s: article span %v does not hold %q", d.Kind, d.Article[0], d.ArticleText)
		}
		if v.Text[d.Source.Start:d.Source.End] != d.SourceText {
			t.Errorf("%s: source span %v does not hold %q", d.Kind, d.Source, d.SourceText)
		}
		switch d.Kind {
		case KindDeclared:
			declared = append(declared, v.Facts[d.Fact].Alts[0])
		case KindListItem:
			items[d.List] = append(items[d.List], d.Item)
		case KindPassage:
			passages = append(passages, d.SourceText)
			if !slices.Contains(want.others, d.SourceText) && !slices.ContainsFunc(want.verbatim, func(s string) bool { return strings.Contains(s, d.SourceText) }) {
				t.Errorf("false passage %q", d.SourceText)
			}
		default:
			if !slices.Contains(want.others, d.SourceText) {
				t.Errorf("false fact: %s %q (article %q)", d.Kind, d.SourceText, d.ArticleText)
			}
		}
	}
	if !sameSet(declared, want.declared) {
		t.Errorf("declared facts %q, want %q", declared, want.declared)
	}
	for l := range max(len(items), len(want.items)) {
		if !sameSet(items[l], want.items[l]) {
			t.Errorf("list %d items %v, want %v", l, items[l], want.items[l])
		}
	}
	for _, s := range want.verbatim {
		if !slices.ContainsFunc(passages, func(p string) bool { return strings.Contains(p, s) }) {
			t.Errorf("verbatim sentence not reported: %q", s)
		}
	}
}

func sameSet[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func describe(reports []Report) string {
	var b strings.Builder
	for _, r := range reports {
		fmt.Fprintf(&b, "  %s score %.1f topic %.1f %s\n", r.Label, r.Score, r.Topic, r.Level)
		for _, d := range r.Facts {
			fmt.Fprintf(&b, "    %-9s %5.2f %q ← %q\n", d.Kind, d.Weight, d.ArticleText, d.SourceText)
		}
	}
	return b.String()
}

// TestMatchArticlesDirectly matches the corpus texts without fetching, so
// that a matching regression shows apart from extraction.
func TestMatchUnrelatedNearMisses(t *testing.T) {
	ix := sampleIndex(t)
	for _, tc := range []struct {
		name, text string
	}{
		{"place alone", "Los Angeles police said Sunday that they had arrested two men in Houston."},
		{"numbers of the wrong kind", "The 31-year-old man and 24 percent of voters said 140 people attended in eight hours."},
		{"common words", "The task force will meet to discuss the operation with members of the media."},
		// A target city the dictionary knows, with its county, on the
		// same beat: common knowledge, not a list item only the plan has.
		{"a known city and its county", "Corpus Christi police and Nueces County sheriff's deputies will run a no-refusal weekend against drunk driving, officers with the regional task force said Friday before the warrant checks."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := ix.Match(tc.text, time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC)); len(r) > 0 {
				t.Errorf("reported:\n%s", describe(r))
			}
		})
	}
}
