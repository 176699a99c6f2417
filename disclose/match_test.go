package disclose_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
)

func TestBackgroundWeights(t *testing.T) {
	bg := DefaultBackground()
	for _, tc := range []struct {
		word string
		max  float64 // weight at most
		min  float64 // weight at least
	}{
		{"the", 0, 0},
		{"with", 0, 0},
		{"warrants", 1, 0.5},
		{"Houston", 0.5, 0.1},
		{"Texas", 0.3, 0.1},
		{"reallocating", 1, 0.5}, // derived from "allocate"
		// The measured texts (news of 1989, prose of 1961) never encrypt.
		{"unencrypted", 3, 2.5},
		{"Tidewater", 1.5, 1.5}, // a real region, rare in news
		{"Galveston", 1.5, 1.5}, // a real place, rare in news
		{"Halvorsen", 3, 3},
		{"Southcentral", 3, 3},
	} {
		if w := bg.Weight(tc.word); w > tc.max || w < tc.min {
			t.Errorf("Weight(%q) = %v, want in [%v, %v]", tc.word, w, tc.min, tc.max)
		}
	}
	if bg.Len() < 10000 {
		t.Errorf("background has %d word forms", bg.Len())
	}
}

// TestDesignExample is DESIGN.md §5's example: "Los Angeles" alone is no
// disclosure, but "140 … Los Angeles" with "ten cities" and "Sunday" is.
func TestDesignExample(t *testing.T) {
	text := "# Spring sweep\n\nOn Sunday, 140 officers will serve warrants in ten cities around Los Angeles, starting with the eastern suburbs.\n\nBriefings are held at the regional office."
	at := strings.Index(text, "140")
	ten := strings.Index(text, "ten")
	ix, err := NewIndex(Options{}, Protected{ID: 9, Label: "sweep", Text: text, Facts: []Fact{
		{Span: Span{at, at + 3}, Alts: []string{"140", "150"}},
		{Span: Span{ten, ten + 3}, Alts: []string{"ten", "eleven"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if r := ix.Match("Traffic was heavy in Los Angeles on Sunday as fans left the stadium.", time.Time{}); len(r) > 0 {
		t.Errorf("Los Angeles alone reported:\n%s", describe(r))
	}
	r := ix.Match("Police plan to send 140 officers into ten cities near Los Angeles on Sunday, a memo shows.", time.Time{})
	if len(r) != 1 || !r[0].Hit {
		t.Fatalf("the example is not a hit:\n%s", describe(r))
	}
	// The other alternative of a fact is the same disclosure.
	r = ix.Match("Police plan to send 150 officers into eleven cities near Los Angeles on Sunday, a memo shows.", time.Time{})
	if len(r) != 1 || !r[0].Hit {
		t.Fatalf("alternatives not recognised:\n%s", describe(r))
	}
}

func TestIndexAddRemove(t *testing.T) {
	vs := sampleVersions(t)
	ix, err := NewIndex(Options{}, vs[0])
	if err != nil {
		t.Fatal(err)
	}
	text := loadArticleText(t, "policy-draft-strong")
	if r := ix.Match(text, time.Time{}); len(r) != 0 {
		t.Fatalf("matched a version not yet indexed: %v", r)
	}
	if err := ix.Add(vs[1:]...); err != nil {
		t.Fatal(err)
	}
	if r := ix.Match(text, time.Time{}); len(r) != 1 || r[0].Label != "policy-draft" || ix.Len() != 3 {
		t.Fatalf("after Add: %v (len %d)", r, ix.Len())
	}
	ix.Remove(vs[2].ID)
	if r := ix.Match(text, time.Time{}); len(r) != 0 || ix.Len() != 2 {
		t.Fatalf("after Remove: %v (len %d)", r, ix.Len())
	}
	// Adding again replaces.
	if err := ix.Add(vs[2], vs[2]); err != nil || ix.Len() != 3 {
		t.Fatalf("re-add: %v, len %d", err, ix.Len())
	}
	bad := vs[0]
	bad.Facts = append(bad.Facts, Fact{Span: Span{0, len(bad.Text) + 1}, Alts: []string{"x"}})
	if err := ix.Add(bad); err == nil {
		t.Error("a fact outside the text was accepted")
	}
}

// TestMatchConcurrent matches from several goroutines while versions are
// added and removed; run with -race.
func TestMatchConcurrent(t *testing.T) {
	vs := sampleVersions(t)
	ix, err := NewIndex(Options{ViewCache: 2}, vs...)
	if err != nil {
		t.Fatal(err)
	}
	text := loadArticleText(t, "board-memo-strong")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if r := ix.Match(text, time.Time{}); len(r) == 0 || r[0].Label != "board-memo" {
					t.Errorf("goroutine %d: %v", g, r)
					return
				}
			}
		}()
	}
	for i := range 10 {
		v := vs[2]
		v.ID = int64(100 + i)
		if err := ix.Add(v); err != nil {
			t.Error(err)
		}
		ix.Remove(v.ID)
	}
	wg.Wait()
}

func TestDeduper(t *testing.T) {
	orig := loadArticleText(t, "operations-plan-strong")
	synd := loadArticleText(t, "operations-plan-strong-syndicated")
	other := loadArticleText(t, "operations-plan-weak")
	a, b, c := Fingerprint(orig), Fingerprint(synd), Fingerprint(other)
	if s := a.Similarity(&b); s < 0.6 {
		t.Errorf("syndicated copy similarity %.2f", s)
	}
	if s := a.Similarity(&c); s > 0.2 {
		t.Errorf("another story on the subject: similarity %.2f", s)
	}
	d := &Deduper{Max: 2}
	if k, dup := d.Add("u1", "", orig); k != "u1" || dup {
		t.Errorf("first: %q %v", k, dup)
	}
	if k, dup := d.Add("u2", "", synd); k != "u1" || !dup {
		t.Errorf("copy: %q %v", k, dup)
	}
	if k, dup := d.Add("u3", "u1", "entirely different"); k != "u1" || !dup {
		t.Errorf("canonical: %q %v", k, dup)
	}
	if k, dup := d.Add("u4", "", other); k != "u4" || dup {
		t.Errorf("other story: %q %v", k, dup)
	}
	// Beyond Max the oldest story is forgotten.
	d.Add("u5", "", "a third story about something else entirely, long enough to shingle")
	if k, dup := d.Add("u6", "", synd); k != "u6" || dup {
		t.Errorf("forgotten story still grouped: %q %v", k, dup)
	}
}

func TestFromTemplate(t *testing.T) {
	p := sampleVersion(t, 5, "policy-draft")
	if p.ID != 5 || len(p.Facts) != 7 || len(p.Lists) != 2 || len(p.Lists[0].Items) != 7 {
		t.Fatalf("FromTemplate: %d facts, %d lists", len(p.Facts), len(p.Lists))
	}
	for _, f := range p.Facts {
		if p.Text[f.Span.Start:f.Span.End] != f.Alts[0] {
			t.Errorf("fact span %v holds %q, not %q", f.Span, p.Text[f.Span.Start:f.Span.End], f.Alts[0])
		}
	}
}

// TestFromTemplateHidesComments: the author's comments and telltale's
// directives are in no copy, so no passage the monitor shows of a version
// may contain them; offsets still hold.
func TestFromTemplateHidesComments(t *testing.T) {
	src := "# Operation Lantern\n\n<!-- note to self: the real target is Harwich -->\n" +
		"The operation starts on {{Sunday|Monday}} with {{140|138}} officers in the first wave across ten towns.\n\n" +
		"<!-- telltale:off -->\nThis sentence is quoted from the statute and never varies.\n<!-- telltale:on -->\n" +
		"Teams report to the regional command centre before dawn.\n"
	doc, err := parse.Parse("lantern.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := FromTemplate(1, "", tpl)
	if len(p.Text) != len(tpl.Source) {
		t.Fatalf("text is %d bytes, source %d: offsets moved", len(p.Text), len(tpl.Source))
	}
	for _, hidden := range []string{"Harwich", "note to self", "telltale:off", "telltale:on", "<!--"} {
		if strings.Contains(p.Text, hidden) {
			t.Errorf("protected text contains %q:\n%s", hidden, p.Text)
		}
	}
	for _, kept := range []string{"quoted from the statute", "regional command centre", "ten towns"} {
		if !strings.Contains(p.Text, kept) {
			t.Errorf("protected text lost %q", kept)
		}
	}
	for _, f := range p.Facts {
		if p.Text[f.Span.Start:f.Span.End] != f.Alts[0] {
			t.Errorf("fact span %v holds %q, not %q", f.Span, p.Text[f.Span.Start:f.Span.End], f.Alts[0])
		}
	}
	if len(p.Facts) != 2 {
		t.Errorf("%d facts, want 2", len(p.Facts))
	}
}

// TestPublicBackground: an article that names only what a plan is about
// (its organisation, places and people, a public report the plan quotes)
// discloses nothing, however rare the names; the plan's protected details
// do.
func TestPublicBackground(t *testing.T) {
	text := "# Operation Quillfeather\n\n" +
		"Brannock Mutual will move its members to a new banking platform. Brannock Mutual has branches across Ostervale, and Brannock Mutual staff will be briefed by Director Ilse Vardanyan.\n\n" +
		"The regulator's published review of Brannock Mutual said:\n\n" +
		"> Seventy-one percent of the society's complaints came from members in the top two income quintiles of its customer base.\n\n" +
		"Branch teams will visit:\n\n" +
		"- Brannock Market Place\n" +
		"- Ostervale Quay Road\n\n" +
		"The switchover needs 212 staff and contractors over the weekend.\n"
	item := func(s string) Span { at := strings.Index(text, s); return Span{Start: at, End: at + len(s)} }
	staff := item("212")
	ix, err := NewIndex(Options{}, Protected{ID: 4, Label: "switchover", Text: text,
		Facts: []Fact{{Span: staff, Alts: []string{"212", "216"}}},
		Lists: []List{{Items: []Span{item("Brannock Market Place"), item("Ostervale Quay Road")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, background := range []string{
		"Brannock Mutual members in Ostervale will get a new banking platform, Director Ilse Vardanyan said, as part of Operation Quillfeather.",
		"Brannock Mutual reported higher profits; its Brannock branches across Ostervale stay open, Director Ilse Vardanyan said.",
		// A public report the plan quotes, quoted at length.
		"A review of Brannock Mutual found that \"seventy-one percent of the society's complaints came from members in the top two income quintiles of its customer base,\" Director Ilse Vardanyan said.",
	} {
		if r := ix.Match(background, time.Time{}); len(r) > 0 {
			t.Errorf("public background reported: %q\n%s", background, describe(r))
		}
	}
	leak := "Brannock Mutual will need 216 staff and contractors for the switchover weekend, with teams at Brannock Market Place, according to a plan seen by this paper."
	if r := ix.Match(leak, time.Time{}); len(r) != 1 {
		t.Errorf("the plan's details not reported: %q\n%s", leak, describe(r))
	}
}
