package render

import (
	"regexp"
	"strings"
	"testing"
)

// TestPreview: every slot occurrence is marked once with its name and
// alternatives, and removing the marks gives back the canonical body.
func TestPreview(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"operations-plan", "board-memo"} {
		t.Run(name, func(t *testing.T) {
			r := compileSample(t, name)
			got, err := r.Preview()
			if err != nil {
				t.Fatal(err)
			}
			canonical, err := r.Body(HTML, make([]uint8, len(r.t.Slots)), 0)
			if err != nil {
				t.Fatal(err)
			}
			tags := regexp.MustCompile(`<mark class="slot slot-[a-z]+( slot-insert)?" title="[^"<>]*">|</mark>`)
			if stripped := tags.ReplaceAllString(string(got), ""); stripped != string(canonical) {
				t.Fatal("removing the marks does not give back the canonical body")
			}
			opens := strings.Count(string(got), "<mark ")
			if opens == 0 || opens != strings.Count(string(got), "</mark>") {
				t.Fatalf("%d <mark> and %d </mark>", opens, strings.Count(string(got), "</mark>"))
			}
			for _, sl := range r.t.Slots {
				if sl.Kind.String() != "order" && !strings.Contains(string(got), `title="`+escapeAttr(sl.Name)+" — ") {
					t.Errorf("slot %q is not marked", sl.Name)
				}
			}
		})
	}
}

func escapeAttr(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;").Replace(s)
}
