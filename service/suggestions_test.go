package service

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/internal/heavy"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/suggest"
	"github.com/telltale-dev/telltale/trace"
)

func TestSuggestions(t *testing.T) {
	s, _ := newService(t)
	addSample(t, s, "board-memo")
	res, err := s.Suggestions(ctx, op, "board-memo", 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Suggestions) < 5 || res.Version.Number != 1 || res.Report.Suggested == nil || res.Report.Suggested.Offered != len(res.Suggestions) {
		t.Fatalf("suggestions: %d, version %d, report %+v", len(res.Suggestions), res.Version.Number, res.Report.Suggested)
	}
	before, _ := s.Template(ctx, res.Version)
	declared := func(tpl *mark.Template) int {
		n := 0
		for _, sl := range tpl.Slots {
			if sl.Kind == mark.Declared {
				n++
			}
		}
		return n
	}

	t.Run("ErrConflict", func(t *testing.T) {
		_, err := s.AcceptSuggestions(ctx, op, AcceptSuggestionsRequest{Document: "board-memo", Version: 2, Accept: []int{1}})
		if telltale.ErrorCode(err) != telltale.ECONFLICT {
			t.Errorf("accepting for a version that is not the latest: %v", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, ids := range [][]int{nil, {len(res.Suggestions) + 1}, {1, 1}, {0}} {
			if _, err := s.AcceptSuggestions(ctx, op, AcceptSuggestionsRequest{Document: "board-memo", Version: 1, Accept: ids}); telltale.ErrorCode(err) != telltale.EINVALID {
				t.Errorf("accepting %v: %v", ids, err)
			}
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		recipient := telltale.Actor{UserID: 9, Email: "dana@example.org", Roles: []telltale.Role{telltale.RoleRecipient}}
		if _, err := s.Suggestions(ctx, recipient, "board-memo", 12); telltale.ErrorCode(err) != telltale.EFORBIDDEN {
			t.Errorf("a recipient asked for suggestions: %v", err)
		}
		other := telltale.Actor{UserID: 10, Email: "oscar@example.org", Roles: []telltale.Role{telltale.RoleOwner}}
		if _, err := s.Suggestions(ctx, other, "board-memo", 12); telltale.ErrorCode(err) != telltale.ENOTFOUND {
			t.Errorf("another owner asked for suggestions: %v", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		added, err := s.AcceptSuggestions(ctx, op, AcceptSuggestionsRequest{Document: "board-memo", Version: 1, Accept: []int{1, 3, 5}})
		if err != nil {
			t.Fatal(err)
		}
		if added.Version.Number != 2 || declared(added.Template) != declared(before)+3 || added.Template.Source != before.Source {
			t.Fatalf("version %d with %d declared (had %d); same text: %v", added.Version.Number, declared(added.Template), declared(before), added.Template.Source == before.Source)
		}
		if added.Version.Coalition != res.Version.Coalition {
			t.Errorf("coalition %d, was %d", added.Version.Coalition, res.Version.Coalition)
		}
		again, err := s.Suggestions(ctx, op, "board-memo", 12)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Suggestions) != len(res.Suggestions)-3 || again.Version.Number != 2 {
			t.Errorf("after accepting 3 of %d: %d suggestions for version %d", len(res.Suggestions), len(again.Suggestions), again.Version.Number)
		}
	})
}

// recallPlan is the development corpus's recall logistics plan with its
// list of objectives shuffled.
func recallPlan(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile("../testdata/corpus/dev/product-recall-logistics-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Replace(string(src), "1. Zero sales", "<!-- telltale:shuffle -->\n\n1. Zero sales", 1)
	if out == string(src) {
		t.Fatal("the recall plan has no list of objectives")
	}
	return []byte(out)
}

// paraphraseFact is a declared fact of a version as a reporter would use
// it: the slot, and words from around it.
type paraphraseFact struct {
	slot   int
	q      int
	unit   string // the words after the figure: "cases", "stores"
	nearby string // content words of its sentence
}

// TestSuggestedFactsTraceParaphrase is the end-to-end measure of
// docs/benchmarks.md: a development operations plan with a shuffled list
// gets its suggestions accepted and is issued to 12 recipients; for each
// copy a journalist-style paraphrase is written from the copy's facts
// (counts and money first, as reporters choose) and the order of some
// list items, and traced at ε = 10⁻⁶. Each setting is run five times
// with new keys (60 stories). No innocent recipient may ever be accused;
// whether the leaker is named must follow the arithmetic: the evidence of
// the facts read, Σ ln q, against ln(n·D/ε).
//
// The settings: the suggestions as offered (at most 11 alternatives a
// fact where its tolerance allows), with at most 7 (the default before)
// or 16 (doc suggest --alternatives), and stories that repeat the facts
// with the most alternatives rather than the first counts.
func TestSuggestedFactsTraceParaphrase(t *testing.T) {
	heavy.Test(t)
	if testing.Short() {
		t.Skip("end-to-end paraphrase test skipped in -short mode")
	}
	type scenario struct {
		alternatives int  // suggest.Options.MaxAlternatives; 0 for the default
		widest       bool // the story repeats the facts with the most alternatives
		facts, items int
	}
	scenarios := []scenario{
		{7, false, 8, 4}, {7, false, 9, 4}, {7, false, 10, 4}, {7, false, 8, 5}, {7, true, 8, 4},
		{0, false, 8, 4}, {0, true, 8, 4}, {0, false, 7, 4}, {0, false, 8, 3}, {0, false, 8, 5},
		{16, false, 8, 4},
	}
	const runs = 5
	type tally struct {
		qs                      string
		nats, read              float64
		named, enough, misreads int
	}
	tallies := make([]tally, len(scenarios))
	need := math.Log(12 * float64(trace.DecoderCount(1<<trace.ClassDeclared|1<<trace.ClassOrder, 12)) / 1e-6)
	for _, alternatives := range []int{7, 0, 16} {
		for run := range runs {
			w := newParaphraseWorld(t, alternatives)
			for i, sc := range scenarios {
				if sc.alternatives != alternatives {
					continue
				}
				facts := w.facts
				if sc.widest {
					facts = slices.Clone(facts)
					slices.SortStableFunc(facts, func(a, b paraphraseFact) int { return b.q - a.q })
				}
				facts = facts[:sc.facts]
				nats := math.Log(float64(factorial(sc.items)))
				var qs []string
				for _, f := range facts {
					nats += math.Log(float64(f.q))
					qs = append(qs, fmt.Sprint(f.q))
				}
				tl := &tallies[i]
				tl.qs, tl.nats = strings.Join(qs, ", "), nats
				for _, is := range w.issued {
					named, read, wrong := w.trace(t, is, facts, sc.items, fmt.Sprintf("run %d, setting %d", run, i))
					if named {
						tl.named++
					}
					if wrong == 0 && read >= need+0.05 {
						tl.enough++
						if !named {
							t.Errorf("setting %+v, copy %d: %.2f nats read without a misread (%.2f needed), yet nobody was named", sc, is.Copy.Number, read, need)
						}
					}
					tl.misreads += wrong
					tl.read += read
				}
			}
		}
	}
	for i, sc := range scenarios {
		tl := tallies[i]
		what := "the first facts a reporter picks"
		if sc.widest {
			what = "the facts with the most alternatives"
		}
		t.Logf("up to %d alternatives; %d facts (%s: %s) and the order of %d items: %.2f nats by design, %.2f read on average, %.2f needed; %d of %d stories read with enough evidence and no misread (%d slots misread); leaker named in %d of %d, no innocent accused",
			cmp.Or(sc.alternatives, suggest.DefaultMaxAlternatives), sc.facts, what, tl.qs, sc.items, tl.nats, tl.read/(12*runs), need, tl.enough, 12*runs, tl.misreads, tl.named, 12*runs)
		if sc.alternatives == 0 && !sc.widest && sc.facts == 8 && sc.items >= 4 && tl.named < 11*runs {
			t.Errorf("the target (8 facts and %d list items, %.2f nats of %.2f) named only %d of %d leakers", sc.items, tl.nats, need, tl.named, 12*runs)
		}
	}
}

// paraphraseWorld is the recall plan stored with all its suggestions
// accepted and issued to 12 recipients.
type paraphraseWorld struct {
	s      *Service
	tpl    *mark.Template
	issued []*Issued
	facts  []paraphraseFact // as a reporter picks them
	list   int              // the shuffled list's first slot
	names  []string         // a word for each of its items
}

// newParaphraseWorld stores the recall plan, accepts every suggestion
// made with at most the given alternatives a fact (0: the default, the
// service's own path) and issues a copy to each of 12 recipients.
func newParaphraseWorld(t *testing.T, alternatives int) *paraphraseWorld {
	t.Helper()
	s, _ := newService(t)
	if _, err := s.AddDocument(ctx, op, AddDocumentRequest{Name: "recall", Filename: "recall.md", Source: recallPlan(t), Audience: 12}); err != nil {
		t.Fatal(err)
	}
	var added *AddDocumentResult
	var sugs []suggest.Suggestion
	if alternatives == 0 {
		res, err := s.Suggestions(ctx, op, "recall", 12)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, sg := range res.Suggestions {
			ids = append(ids, sg.ID)
		}
		sugs = res.Suggestions
		if added, err = s.AcceptSuggestions(ctx, op, AcceptSuggestionsRequest{Document: "recall", Version: 1, Accept: ids}); err != nil {
			t.Fatal(err)
		}
	} else {
		// AcceptSuggestions with suggest.Options{MaxAlternatives}: the
		// same Apply and AddDocument.
		src := recallPlan(t)
		doc, err := parse.Parse("recall.md", src)
		if err != nil {
			t.Fatal(err)
		}
		sugs = suggest.Suggest(doc, suggest.Options{MaxAlternatives: alternatives})
		out, err := suggest.Apply(src, doc, sugs)
		if err != nil {
			t.Fatal(err)
		}
		if added, err = s.AddDocument(ctx, op, AddDocumentRequest{Name: "recall", Filename: "recall.md", Source: out, Audience: 12}); err != nil {
			t.Fatal(err)
		}
	}
	emails := numberedRecipients(t, s, 12)
	issued, err := s.Issue(ctx, op, IssueRequest{Document: "recall", Emails: emails})
	if err != nil {
		t.Fatal(err)
	}
	w := &paraphraseWorld{s: s, tpl: added.Template, issued: issued, facts: reporterFacts(t, added.Template, sugs)}
	w.list, w.names = firstList(t, w.tpl)
	return w
}

// trace writes the paraphrase of a copy that repeats the given facts and
// the order of its first items, traces it, and says whether its leaker
// was named, the evidence read (as the exact decoder weighs it: ln(q/|seen|)
// for each slot read as the copy has it; the biases of facts and lists are
// uniform) and how many slots were misread. It fails if anyone else is
// accused.
func (w *paraphraseWorld) trace(t *testing.T, is *Issued, facts []paraphraseFact, items int, what string) (named bool, read float64, wrong int) {
	t.Helper()
	var cw []uint8
	err := w.s.store.View(ctx, func(tx telltale.Tx) error {
		v, err := tx.Version(is.Copy.VersionID)
		if err != nil {
			return err
		}
		cw, err = w.s.codeword(is.Copy, v)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	leak := paraphrase(w.tpl, cw, facts, w.tpl.ListOrder(w.list, cw)[:items], w.names)
	v, err := w.s.Trace(ctx, op, TraceRequest{Leak: []byte(leak), Name: "story", Document: "recall"})
	if err != nil {
		t.Fatal(err)
	}
	what = fmt.Sprintf("%s: %d facts and %d items, copy %d", what, len(facts), items, is.Copy.Number)
	accusedOnly(t, v, is, true, what)
	for _, o := range v.Observations {
		if slices.Contains(o.Seen, int(cw[o.Slot])) {
			read += math.Log(float64(w.tpl.Slots[o.Slot].Q) / float64(len(o.Seen)))
		} else {
			wrong++
		}
	}
	return len(v.Accused) > 0, read, wrong
}

func factorial(k int) int {
	f := 1
	for i := 2; i <= k; i++ {
		f *= i
	}
	return f
}

// reporterFacts returns the version's suggested facts as a reporter would
// pick them: counts and money before times and the rest, each kind in
// document order.
func reporterFacts(t *testing.T, tpl *mark.Template, sugs []suggest.Suggestion) []paraphraseFact {
	t.Helper()
	rank := map[suggest.Kind]int{suggest.Count: 0, suggest.Amount: 0, suggest.CodeName: 1, suggest.Time: 2, suggest.Ordinal: 3, suggest.Detail: 4}
	sugs = slices.Clone(sugs)
	slices.SortStableFunc(sugs, func(a, b suggest.Suggestion) int { return rank[a.Kind] - rank[b.Kind] })
	var out []paraphraseFact
	for _, sg := range sugs {
		j := slices.IndexFunc(tpl.Slots, func(s mark.Slot) bool {
			return s.Kind == mark.Declared && s.Occurrences[0].Start == sg.Span.Start && slices.Equal(s.Occurrences[0].Alts, sg.Alternatives)
		})
		if j < 0 {
			t.Fatalf("suggestion %q is not a declared slot of the new version", sg.Text())
		}
		words := contentWords(sg.Context)
		i := strings.Index(sg.Context, sg.Text())
		unit := ""
		if sg.Kind == suggest.Count {
			// The counted noun: the first word after the figure, and a
			// second if the first is a modifier ("pilot stores").
			after := strings.Fields(strings.Map(keepLetters, sg.Context[i+len(sg.Text()):]))
			if len(after) > 0 {
				unit = after[0]
			}
		}
		if sg.Kind == suggest.Amount && !strings.ContainsAny(sg.Text(), "$£€") {
			unit = "percent"
		}
		// Context words nearest the fact first.
		slices.SortStableFunc(words, func(a, b string) int {
			return abs(strings.Index(sg.Context, a)-i) - abs(strings.Index(sg.Context, b)-i)
		})
		var nearby []string
		for _, w := range words {
			if w != strings.ToLower(unit) && len(nearby) < 2 {
				nearby = append(nearby, w)
			}
		}
		out = append(out, paraphraseFact{slot: j, q: tpl.Slots[j].Q, unit: unit, nearby: strings.Join(nearby, " and ")})
	}
	if len(out) < 9 {
		t.Fatalf("only %d suggested facts", len(out))
	}
	return out
}

func abs(x int) int { return max(x, -x) }

func keepLetters(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == ' ' {
		return r
	}
	return ' '
}

var small = map[string]bool{"about": true, "with": true, "from": true, "that": true, "this": true, "their": true, "have": true, "been": true, "were": true, "will": true, "into": true, "under": true, "which": true, "there": true, "still": true, "based": true, "data": true}

// contentWords are the words of four letters or more of a sentence.
func contentWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(strings.Map(keepLetters, s)) {
		w = strings.ToLower(w)
		if len(w) >= 4 && !small[w] && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// firstList returns the first shuffled list's first slot and a short
// name for each item: a word of it that no other item has.
func firstList(t *testing.T, tpl *mark.Template) (int, []string) {
	t.Helper()
	j := slices.IndexFunc(tpl.Slots, func(s mark.Slot) bool { return s.Kind == mark.Order && len(s.Items) > 0 })
	if j < 0 {
		t.Fatal("no shuffled list")
	}
	items := tpl.Slots[j].Items
	var words [][]string
	count := map[string]int{}
	for _, it := range items {
		w := contentWords(tpl.Source[it.Start:it.End])
		words = append(words, w)
		for _, x := range w {
			count[x]++
		}
	}
	var names []string
	for _, w := range words {
		name := ""
		for _, x := range w {
			if count[x] == 1 && len(x) >= 5 {
				name = x
				break
			}
		}
		if name == "" {
			t.Fatalf("an item with no word of its own: %q", w)
		}
		names = append(names, name)
	}
	return j, names
}

// paraphrase writes a story from a copy's facts, in the reporter's words:
// one sentence per fact with the words of its unit and two words of its
// context, and the list's items by short names in the copy's order.
func paraphrase(tpl *mark.Template, cw []uint8, facts []paraphraseFact, order []int, names []string) string {
	var b strings.Builder
	b.WriteString("A retailer prepared in secret for a spinach recall, a planning document seen by the Ledger shows. ")
	b.WriteString("Its goals, listed in this order, are ")
	for i, k := range order {
		switch {
		case i == len(order)-1:
			b.WriteString(" and ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(names[k])
	}
	b.WriteString(".\n\n")
	for i, f := range facts {
		v := tpl.Slots[f.slot].Occurrences[0].Alts[cw[f.slot]]
		if f.nearby == "" {
			fmt.Fprintf(&b, "It also gives %s %s. ", v, f.unit)
			continue
		}
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "The document mentions %s %s, in a passage on %s. ", v, f.unit, f.nearby)
		case 1:
			fmt.Fprintf(&b, "It puts the figure at %s %s where it discusses %s. ", v, f.unit, f.nearby)
		default:
			fmt.Fprintf(&b, "Elsewhere, writing about %s, it gives %s %s. ", f.nearby, v, f.unit)
		}
	}
	b.WriteString("\n\nA spokeswoman declined to comment on the plan.\n")
	return b.String()
}
