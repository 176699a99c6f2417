package disclose_test

import (
	"bufio"
	"flag"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	. "github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/identify"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/trace"
)

// The news test set (testdata/news, described in its README.md): labelled
// articles about the plans and negatives. The held-out folders are for a
// final evaluation only:
//
//	go test ./disclose -run TestNewsSet -v -news heldout,heldout-negative
var newsFolders = flag.String("news", "dev,dev-negative,dev2,dev2-negative,dev3,dev3-negative", "folders of testdata/news to evaluate, comma-separated")

// newsPlans are the documents the positives disclose, as the README lists
// them; IDs are their positions plus one.
var newsPlans = []string{
	"samples/operations-plan.md",
	"samples/board-memo.md",
	"samples/policy-draft.md",
	"testdata/plans/dev/long-plan.md",
	"testdata/plans/dev/short-plan.md",
	"testdata/plans/heldout/long-plan.md",
	"testdata/plans/heldout/short-plan.md",
}

// newsArticle is one labelled article.
type newsArticle struct {
	path  string // relative to testdata/news
	kind  string // verbatim, strong, weak, thin, same-topic, unrelated
	plan  string // plan path for positives, "" for negatives
	facts []string
}

func (a newsArticle) positive() bool { return a.plan != "" }

// loadNewsLabels reads LABELS.tsv, keeping only the rows of the folders
// asked for, so that held-out labels are not even read otherwise.
func loadNewsLabels(t testing.TB, folders []string) []newsArticle {
	t.Helper()
	f, err := os.Open("../testdata/news/LABELS.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []newsArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 || !slices.Contains(folders, filepath.Dir(cols[0])) {
			continue
		}
		a := newsArticle{path: cols[0], kind: cols[2]}
		if cols[3] != "-" {
			a.plan = cols[3]
		}
		if len(cols) > 4 && cols[4] != "" {
			a.facts = strings.Split(cols[4], ";")
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// newsVersions returns the plans as protected versions.
func newsVersions(t testing.TB) []Protected {
	t.Helper()
	var out []Protected
	for i, path := range newsPlans {
		tpl := markFile(t, "../"+path)
		out = append(out, FromTemplate(int64(i+1), path, tpl))
	}
	return out
}

func markFile(t testing.TB, path string) *mark.Template {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parse.Parse(filepath.Base(path), src)
	if err != nil {
		t.Fatalf("failed to parse %s: %v", path, err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatalf("failed to mark %s: %v", path, err)
	}
	return tpl
}

// readNewsArticle extracts an article as `telltale monitor check` does.
func readNewsArticle(t testing.TB, a newsArticle) *monitor.Article {
	t.Helper()
	path := filepath.Join("../testdata/news", a.path)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	art, err := monitor.ExtractPage(raw, mime.TypeByExtension(filepath.Ext(path)), "file:///"+a.path)
	if err != nil {
		t.Fatalf("failed to extract %s: %v", a.path, err)
	}
	return art
}

// newsTally counts outcomes.
type newsTally struct {
	n, flagged, right, candidates, traced int
}

func (c newsTally) pct(k int) string {
	if c.n == 0 {
		return "   –  "
	}
	return fmt.Sprintf("%5.1f%%", 100*float64(k)/float64(c.n))
}

// TestNewsSet runs the monitor's matching and trace's identification over
// the news test set and reports recall by kind, precision and the
// false-positive rate, the candidate recall of the first stage and how many
// articles trace attributes to the right plan. Flagged means reported at
// any level; precision counts the flags naming the right plan among all
// flags. It fails below the targets of issue 16 (recall of verbatim,
// strong and weak articles 90%, precision 95%, false positives 1%,
// candidate recall 100%) and whenever trace attributes a text to a version
// the monitor would not compare it with.
func TestNewsSet(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the news test set")
	}
	folders := strings.Split(*newsFolders, ",")
	arts := loadNewsLabels(t, folders)
	if len(arts) == 0 {
		t.Fatalf("no labelled articles in %q", folders)
	}
	versions := newsVersions(t)
	ix, err := NewIndex(Options{}, versions...)
	if err != nil {
		t.Fatal(err)
	}
	readers := map[int64]*read.Reader{}
	for i, path := range newsPlans {
		rd, err := read.New(markFile(t, "../"+path))
		if err != nil {
			t.Fatal(err)
		}
		readers[int64(i+1)] = rd
	}
	idOf := map[string]int64{}
	for _, v := range versions {
		idOf[v.Label] = v.ID
	}
	byKind := map[string]*newsTally{}
	var fp, wrong int
	var lines []string
	for _, a := range arts {
		art := readNewsArticle(t, a)
		reports := ix.Match(art.Text, art.Published)
		var cands []int64
		for _, s := range ix.Sources(art.Text) {
			cands = append(cands, s.VersionID)
		}
		c := byKind[a.kind]
		if c == nil {
			c = &newsTally{}
			byKind[a.kind] = c
		}
		c.n++
		status := "-"
		if len(reports) > 0 {
			c.flagged++
			status = string(reports[0].Level)
		}
		switch {
		case !a.positive() && len(reports) > 0:
			fp++
		case a.positive() && len(reports) > 0 && reports[0].VersionID == idOf[a.plan]:
			c.right++
		case a.positive() && len(reports) > 0:
			wrong++
		}
		if a.positive() && slices.Contains(cands, idOf[a.plan]) {
			c.candidates++
		}
		// Trace's identification, on the text as trace extracts it: what
		// it attributes must be among the monitor's candidates.
		traced := "-"
		raw, _ := os.ReadFile(filepath.Join("../testdata/news", a.path))
		if leak, err := trace.PrepareLeak(a.path, raw); err == nil {
			found, err := identify.Find(ix, leak.Text, func(id int64) bool { return identify.Confirms(readers[id], leak.Text) })
			if err == nil {
				traced = found.Best.Label
				if a.positive() && found.Best.VersionID == idOf[a.plan] || !a.positive() {
					c.traced++
				}
				var monitorCands []int64
				for _, s := range ix.Sources(leak.Text) {
					monitorCands = append(monitorCands, s.VersionID)
				}
				if !slices.Contains(monitorCands, found.Best.VersionID) {
					t.Errorf("%s: trace attributes it to %s, not a candidate of the monitor", a.path, found.Best.Label)
				}
			}
		}
		if testing.Verbose() {
			score := 0.0
			if len(reports) > 0 {
				score = reports[0].Score
			}
			lines = append(lines, fmt.Sprintf("%-10s %-6s %5.1f %d cand  trace %-20s %s", a.kind, status, score, len(cands), traced, a.path))
			if a.positive() && len(reports) == 0 {
				for _, r := range CompareAll(ix, art.Text) {
					if r.VersionID == idOf[a.plan] {
						lines = append(lines, indent("not reported: "+describe([]Report{r})))
					}
				}
			}
			if a.positive() || len(reports) > 0 {
				lines = append(lines, indent(describe(reports)))
			}
		}
	}
	for _, l := range lines {
		t.Log(l)
	}
	var report strings.Builder
	fmt.Fprintf(&report, "news set %s: %d articles\n", strings.Join(folders, ","), len(arts))
	fmt.Fprintf(&report, "%-11s %4s %8s %8s %10s %8s\n", "kind", "n", "flagged", "right", "candidate", "traced")
	var pos, posRight, posFlagged, neg, core, coreRight newsTally
	for _, k := range []string{"verbatim", "strong", "weak", "thin", "same-topic", "unrelated"} {
		c := byKind[k]
		if c == nil {
			continue
		}
		fmt.Fprintf(&report, "%-11s %4d %8s %8s %10s %8s\n", k, c.n, c.pct(c.flagged), c.pct(c.right), c.pct(c.candidates), c.pct(c.traced))
		switch k {
		case "same-topic", "unrelated":
			neg.n += c.n
		default:
			pos.n += c.n
			pos.candidates += c.candidates
			posRight.n += c.right
			posFlagged.n += c.flagged
			if k != "thin" {
				core.n += c.n
				coreRight.n += c.right
			}
		}
	}
	flagged := posRight.n + wrong + fp
	precision := 1.0
	if flagged > 0 {
		precision = float64(posRight.n) / float64(flagged)
	}
	fmt.Fprintf(&report, "recall (verbatim, strong, weak): %d/%d = %s\n", coreRight.n, core.n, core.pct(coreRight.n))
	fmt.Fprintf(&report, "recall (all positives): %d/%d = %s\n", posRight.n, pos.n, pos.pct(posRight.n))
	fmt.Fprintf(&report, "candidate recall: %d/%d = %s\n", pos.candidates, pos.n, pos.pct(pos.candidates))
	fmt.Fprintf(&report, "precision: %d/%d = %.1f%% (%d flagged for the wrong plan)\n", posRight.n, flagged, 100*precision, wrong)
	fmt.Fprintf(&report, "false positives: %d/%d = %s\n", fp, neg.n, neg.pct(fp))
	fmt.Fprintf(&report, "(traced: articles trace reads against the right plan; for negatives, against any version, which accuses nobody by itself)\n")
	t.Log("\n" + report.String())
	// The targets of issue 16.
	switch {
	case core.n > 0 && float64(coreRight.n) < 0.9*float64(core.n):
		t.Errorf("recall (verbatim, strong, weak) %d/%d is under 90%%", coreRight.n, core.n)
	case precision < 0.95:
		t.Errorf("precision %.1f%% is under 95%%", 100*precision)
	case neg.n > 0 && float64(fp) > 0.01*float64(neg.n):
		t.Errorf("false positives %d/%d are over 1%%", fp, neg.n)
	case pos.candidates < pos.n:
		t.Errorf("candidate recall %d/%d is under 100%%", pos.candidates, pos.n)
	}
}

func indent(s string) string {
	return strings.TrimRight("  "+strings.ReplaceAll(s, "\n", "\n  "), " ")
}
