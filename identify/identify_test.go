package identify

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/disclose"
)

const (
	planText = "# Spring sweep\n\nThe task force will serve 312 outstanding felony warrants across eight cities during a single enforcement window, with priority given to subjects wanted for homicide, aggravated assault, armed robbery and offenses against children, while the logistics section reserves vehicles at the Tidewater staging yard.\n"
	memoText = "# Project Meridian\n\nNorthgate Logistics recommends that the board authorize a definitive offer to acquire Halvorsen Cold Chain for cash at $48.50 per share, representing a premium over the volume-weighted average share price, financed with committed term loans.\n"
)

func testIndex(t *testing.T) *disclose.Index {
	t.Helper()
	at, eight := strings.Index(planText, "312"), strings.Index(planText, "eight")
	ix, err := disclose.NewIndex(disclose.Options{Key: []byte("k")},
		disclose.Protected{ID: 1, Label: "plan", Text: planText, Facts: []disclose.Fact{
			{Span: disclose.Span{Start: at, End: at + 3}, Alts: []string{"312", "309"}},
			{Span: disclose.Span{Start: eight, End: eight + 5}, Alts: []string{"eight", "nine"}},
		}},
		disclose.Protected{ID: 2, Label: "memo", Text: memoText})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestFind(t *testing.T) {
	ix := testIndex(t)
	excerpt := planText[strings.Index(planText, "The task"):strings.Index(planText, ", while")]
	r, err := Find(ix, excerpt, nil)
	if err != nil || r.Best.VersionID != 1 || r.Best.Confirmed {
		t.Fatalf("excerpt: %+v, %v", r, err)
	}
	if !Confident(r.Best.Source) || r.Best.Overlap < 0.5 {
		t.Errorf("verbatim excerpt overlap %.2f", r.Best.Overlap)
	}
	// A paraphrase shares few phrases: the monitor's comparison or the
	// reader's confirmation decides.
	para := "Officers plan to arrest people named in about 312 outstanding felony warrants in eight cities, staging at Tidewater."
	r, err = Find(ix, para, func(int64) bool { return false })
	if err != nil || r.Best.VersionID != 1 || !r.Best.Confirmed || len(ix.Match(para, time.Time{})) == 0 {
		t.Fatalf("paraphrase the monitor reports: %+v, %v", r, err)
	}
	vague := "Halvorsen Cold Chain and Northgate Logistics have not commented on the talks."
	if len(ix.Sources(vague)) == 0 || len(ix.Match(vague, time.Time{})) > 0 {
		t.Fatalf("the vague text should be a candidate the monitor does not report: %v", ix.Sources(vague))
	}
	_, err = Find(ix, vague, func(int64) bool { return false })
	var nc *NotConfirmedError
	if !errors.As(err, &nc) || nc.Closest.VersionID != 2 {
		t.Fatalf("unconfirmed paraphrase: %v", err)
	}
	r, err = Find(ix, vague, func(id int64) bool { return id == 2 })
	if err != nil || r.Best.VersionID != 2 || !r.Best.Confirmed {
		t.Fatalf("confirmed paraphrase: %+v, %v", r, err)
	}
	// An unrelated text matches nothing.
	if _, err := Find(ix, "The city council voted on Tuesday to extend the library's opening hours on weekends after a petition.", nil); !errors.Is(err, ErrNoSource) {
		t.Errorf("unrelated text: %v", err)
	}
}

// TestFindAmongSources: whatever Find chooses is one of the index's
// sources, the versions the monitor compares in detail.
func TestFindAmongSources(t *testing.T) {
	ix := testIndex(t)
	for _, text := range []string{planText, memoText, planText[40:200], "Northgate will pay $48.50 for Halvorsen Cold Chain, people said."} {
		r, err := Find(ix, text, func(int64) bool { return true })
		if err != nil {
			continue
		}
		found := false
		for _, s := range ix.Sources(text) {
			found = found || s.VersionID == r.Best.VersionID
		}
		if !found {
			t.Errorf("%.30q: chose version %d, not among the sources", text, r.Best.VersionID)
		}
	}
}
