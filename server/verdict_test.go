package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/lexicon"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/trace"
)

// TestVerdictPages traces real leaks through the web page and the API and
// checks that everything the verdict says is shown: the accusation, the
// inconsistent copies with the caveat that clears nobody, and how the leak
// was made (an edited text).
func TestVerdictPages(t *testing.T) {
	w := newWorld(t)
	c := w.client("investigator")
	dana := string(w.plan[0].Files[render.Text])
	for _, tt := range []struct {
		name string
		leak string
	}{
		{"verbatim", dana},
		{"reverted and house style", leaktest.HouseStyle(leaktest.RevertSynonyms(dana, lexicon.Default()))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// JSON, through the API.
			inv := telltale.UserActor(w.users["investigator"])
			tok, _, err := w.svc.CreateAPIToken(ctx, inv, inv.UserID, "test")
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("POST", w.http.URL+"/api/v1/trace", strings.NewReader(tt.leak))
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var v trace.Verdict
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatalf("API verdict: %v\n%s", err, body)
			}
			if v.Outcome != trace.OutcomeAccused || len(v.Accused) != 1 || v.Accused[0].Recipient.Email != "dana@example.org" {
				t.Fatalf("API verdict: %s, accused %+v", v.Outcome, v.Accused)
			}
			if tt.name != "verbatim" && (!v.Edited || !strings.Contains(string(body), `"edited": true`) && !strings.Contains(string(body), `"edited":true`)) {
				t.Errorf("an edited leak is not reported as edited:\n%s", v.Text())
			}

			// The web page.
			resp, err = c.PostForm(w.http.URL+"/trace", url.Values{"leak": {tt.leak}})
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			html := string(page)
			for _, want := range []string{"The leak comes from a known copy", "Dana", v.Accused[0].Decoder} {
				if !strings.Contains(html, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if v.ExcludedTotal > 0 != strings.Contains(html, "Inconsistent as the sole, unedited source") {
				t.Errorf("verdict lists %d inconsistent copies; page shows the section: %v", v.ExcludedTotal, !(v.ExcludedTotal > 0))
			}
			if v.ExcludedTotal > 0 && !strings.Contains(html, "This does not clear anyone") {
				t.Error("inconsistent copies shown without the caveat")
			}
			if strings.Contains(html, "Excluded") || strings.Contains(html, "contradict the leak") {
				t.Error("page still says copies are excluded")
			}
			if v.Edited != strings.Contains(html, "How the leak was made") {
				t.Errorf("edited %v, page shows how the leak was made: %v", v.Edited, !v.Edited)
			}
			for _, n := range v.Notes {
				if !strings.Contains(html, n) && !strings.Contains(html, htmlEscape(n)) {
					t.Errorf("page lacks the note %q", n)
				}
			}
		})
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
