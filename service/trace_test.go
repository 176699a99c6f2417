package service

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/samples"
	"github.com/telltale-dev/telltale/trace"
)

// traceWorld stores the three samples and issues a copy of each to twelve
// recipients.
type traceWorld struct {
	s      *Service
	issued map[string][]*Issued // by document
}

func newTraceWorld(t *testing.T) *traceWorld {
	t.Helper()
	s, _ := newService(t)
	emails := numberedRecipients(t, s, 12)
	w := &traceWorld{s: s, issued: map[string][]*Issued{}}
	for _, name := range samples.Names() {
		addSample(t, s, name)
		is, err := s.Issue(ctx, op, IssueRequest{Document: name, Emails: emails})
		if err != nil {
			t.Fatal(err)
		}
		w.issued[name] = is
	}
	return w
}

// accusedOnly asserts the verdict accuses exactly the given copy, or (if
// inconclusiveOK) nobody, and never anyone else.
func accusedOnly(t *testing.T, v *trace.Verdict, want *Issued, inconclusiveOK bool, what string) {
	t.Helper()
	for _, f := range v.Accused {
		if f.CopyID != want.Copy.ID {
			t.Fatalf("%s: accused %s (copy %d), the leak came from %s\n%s", what, f.Recipient.Name, f.Copy, want.Recipient.Name, v.Text())
		}
	}
	if len(v.Accused) == 0 && !inconclusiveOK {
		t.Errorf("%s: no accusation, want %s\n%s", what, want.Recipient.Name, v.Text())
	}
	for _, f := range v.Excluded {
		if f.CopyID == want.Copy.ID {
			t.Errorf("%s: the true source %s was excluded\n%s", what, want.Recipient.Name, v.Text())
		}
	}
}

// TestTraceCopies traces real rendered copies of the samples, changed the
// ways leaks are changed.
func TestTraceCopies(t *testing.T) {
	w := newTraceWorld(t)
	rng := rand.New(rand.NewPCG(4, 2))
	for _, name := range samples.Names() {
		for _, k := range []int{0, 5, 11} {
			is := w.issued[name][k]
			txt, html := string(is.Files[render.Text]), string(is.Files[render.HTML])
			for _, tc := range []struct {
				what         string
				leak         string
				inconclusive bool
				unnamed      bool // may be too short to tell its source
			}{
				{"verbatim text", txt, false, false},
				{"Markdown", string(is.Files[render.Markdown]), false, false},
				{"news page", leaktest.NewsPage(html), false, false},
				{"reflowed", leaktest.Reflow(txt, 64), false, false},
				{"retyped", leaktest.Retype(leaktest.Reflow(txt, 70)), false, false},
				{"OCR 2%", leaktest.OCR(rng, leaktest.Reflow(txt, 70), 0.02), false, false},
				{"edited", leaktest.Edit(rng, txt, 0.03), false, false},
				{"excerpt of 400 words", leaktest.Excerpt(rng, txt, 400), true, false},
				{"excerpt of 40 words", leaktest.Excerpt(rng, txt, 40), true, true},
			} {
				what := fmt.Sprintf("%s copy %d %s", name, is.Copy.Number, tc.what)
				v, err := w.s.Trace(ctx, op, TraceRequest{Leak: []byte(tc.leak), Name: "leak"})
				if telltale.ErrorCode(err) == telltale.ENOTFOUND && tc.unnamed {
					// Forty words may share too few sampled phrases with
					// any version (sampling is keyed): the user names the
					// document, as the error's hint says.
					v, err = w.s.Trace(ctx, op, TraceRequest{Leak: []byte(tc.leak), Name: "leak", Document: name})
				}
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if v.Source.Document != name {
					t.Fatalf("%s: identified as %q", what, v.Source.Document)
				}
				accusedOnly(t, v, is, tc.inconclusive, what)
			}
		}
	}
}

// TestTraceArticles traces journalist articles written from a recipient's
// copy (testdata/leaks): the reported facts and list orders are read
// wherever they appear. Thin evidence must stay inconclusive.
func TestTraceArticles(t *testing.T) {
	w := newTraceWorld(t)
	files, _ := filepath.Glob("../testdata/leaks/*.txt")
	if len(files) < 5 {
		t.Fatalf("only %d article fixtures", len(files))
	}
	for _, file := range files {
		base := filepath.Base(file)
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(base, "unrelated") {
			v, err := w.s.Trace(ctx, op, TraceRequest{Leak: raw})
			if err == nil && len(v.Accused) > 0 {
				t.Errorf("%s: unrelated story accused %s", base, v.Accused[0].Recipient.Name)
			}
			continue
		}
		doc := ""
		for _, n := range samples.Names() {
			if strings.HasPrefix(base, n) {
				doc = n
			}
		}
		for _, k := range []int{1, 6, 10} {
			is := w.issued[doc][k]
			article := w.renderArticle(t, doc, string(raw), is)
			what := fmt.Sprintf("%s for copy %d", base, is.Copy.Number)
			v, err := w.s.Trace(ctx, op, TraceRequest{Leak: []byte(article)})
			if strings.Contains(base, "thin") && telltale.ErrorCode(err) == telltale.ENOTFOUND {
				continue // too little to even tie it to the memo: inconclusive
			}
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if v.Source.Document != doc {
				t.Fatalf("%s: identified as %q", what, v.Source.Document)
			}
			accusedOnly(t, v, is, true, what)
			declaredRead := 0
			for _, o := range v.Observations {
				if o.Kind == "declared" || o.Kind == "order" {
					declaredRead++
				}
			}
			if strings.Contains(base, "thin") {
				if v.Outcome == trace.OutcomeAccused {
					t.Errorf("%s: thin article led to an accusation", what)
				}
				continue
			}
			if declaredRead < 3 {
				t.Errorf("%s: read only %d declared facts or list orders\n%s", what, declaredRead, v.Text())
			}
		}
	}
}

// renderArticle fills an article fixture with what a copy states.
func (w *traceWorld) renderArticle(t *testing.T, doc, text string, is *Issued) string {
	t.Helper()
	var tpl *mark.Template
	var cw []uint8
	err := w.s.store.View(ctx, func(tx telltale.Tx) error {
		v, err := tx.Version(is.Copy.VersionID)
		if err != nil {
			return err
		}
		if tpl, err = w.s.Template(ctx, v); err != nil {
			return err
		}
		cw, err = w.s.codeword(is.Copy, v)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var c leaktest.Copy
	for j, s := range tpl.Slots {
		switch s.Kind {
		case mark.Declared:
			c.Declared = append(c.Declared, s.Occurrences[0].Alts)
			c.Symbol = append(c.Symbol, int(cw[j]))
		case mark.Order:
			if len(s.Items) > 0 {
				c.Orders = append(c.Orders, tpl.ListOrder(j, cw))
			}
		}
	}
	out, err := leaktest.Article(text, c)
	if err != nil {
		t.Fatalf("%s: %v", doc, err)
	}
	return out
}

func TestTraceBadInput(t *testing.T) {
	w := newTraceWorld(t)
	tests := []struct {
		leak string
		code string
		want string
	}{
		{"", telltale.EINVALID, "empty"},
		{"\x00\x01\x02 binary", telltale.EINVALID, "not text"},
		{"... --- !!!", telltale.EINVALID, "no words"},
		{"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.", telltale.ENOTFOUND, "no stored document matches"},
	}
	for _, tt := range tests {
		_, err := w.s.Trace(ctx, op, TraceRequest{Leak: []byte(tt.leak)})
		if telltale.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Trace(%.20q) = %v (%s), want %s mentioning %q", tt.leak, err, telltale.ErrorCode(err), tt.code, tt.want)
		}
	}
	if _, err := w.s.Trace(ctx, op, TraceRequest{Leak: []byte("text"), Epsilon: 2}); telltale.ErrorCode(err) != telltale.EINVALID {
		t.Errorf("epsilon 2 accepted: %v", err)
	}
	// Naming the document reads even an unidentifiable leak, honestly.
	v, err := w.s.Trace(ctx, op, TraceRequest{Leak: []byte("Lorem ipsum dolor sit amet."), Document: "board-memo"})
	if err != nil || v.Outcome != trace.OutcomeNoEvidence {
		t.Errorf("named document, unrelated text: %v, %+v", err, v)
	}
}
