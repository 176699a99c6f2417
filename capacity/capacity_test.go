package capacity

import (
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

func template(t *testing.T, src []byte) *mark.Template {
	t.Helper()
	doc, err := parse.Parse("doc.md", src)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestSamples(t *testing.T) {
	t.Parallel()
	for _, name := range samples.Names() {
		src, _ := samples.Get(name)
		r := Compute(template(t, src), fingerprint.DefaultDesign, 12, DefaultEpsilon)
		if !r.Verbatim.Enough {
			t.Errorf("%s: a whole verbatim copy is not attributable among 12: %s", name, r)
		}
		if r.ExcerptMedian == 0 || r.ExcerptMedian > r.Words {
			t.Errorf("%s: excerpt median %d words of %d", name, r.ExcerptMedian, r.Words)
		}
		if r.ExcerptP90 < r.ExcerptMedian {
			t.Errorf("%s: p90 %d < median %d", name, r.ExcerptP90, r.ExcerptMedian)
		}
		s := r.String()
		for _, want := range []string{"declared", "lexical", "verbatim", "Paraphrased"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: report lacks %q:\n%s", name, want, s)
			}
		}
	}
}

// TestAdvice: a plan with no declared facts cannot be attributed from a
// paraphrase, and the report says how many declared variants to add.
func TestAdvice(t *testing.T) {
	t.Parallel()
	src := []byte("# Plan\n\nThe team will begin approximately 140 arrests prior to the end of March, and they will ensure that the public is safe.\n")
	r := Compute(template(t, src), fingerprint.DefaultDesign, 1000, DefaultEpsilon)
	if r.Paraphrased.Enough || r.AddDeclared == 0 {
		t.Fatalf("paraphrase judged attributable with no declared slots: %+v", r)
	}
	if !strings.Contains(r.String(), "Add about") {
		t.Errorf("no advice in report:\n%s", r)
	}
	if r.Verbatim.Enough {
		t.Errorf("a two-sentence plan judged attributable among 1000: %s", r)
	}
	if r.ExcerptMedian != 0 {
		t.Errorf("excerpt length %d for a plan that cannot be attributed", r.ExcerptMedian)
	}
}

// TestMoreRecipientsNeedMore: the evidence needed grows with n.
func TestMoreRecipientsNeedMore(t *testing.T) {
	t.Parallel()
	src, _ := samples.Get("operations-plan")
	tpl := template(t, src)
	small := Compute(tpl, fingerprint.DefaultDesign, 12, DefaultEpsilon)
	large := Compute(tpl, fingerprint.DefaultDesign, 10000, DefaultEpsilon)
	if large.Need <= small.Need || large.ExcerptMedian < small.ExcerptMedian {
		t.Errorf("n=10000 needs %.1f nats / %d words, n=12 needs %.1f / %d", large.Need, large.ExcerptMedian, small.Need, small.ExcerptMedian)
	}
}
