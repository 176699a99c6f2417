package render

import (
	"bytes"
	"fmt"
	"html"
	"slices"
	"strings"
)

// Preview renders the canonical HTML body for the owner's review with
// every slot occurrence wrapped in <mark class="slot slot-KIND"> (plus
// "slot-insert" where the canonical form is empty), titled with the slot's
// name and every alternative. The result is built from the renderer's
// escaped HTML and these tags only. Shuffled list items are whole <li>
// elements and are not marked; callers list them apart.
func (r *Renderer) Preview() ([]byte, error) {
	zero := make([]uint8, len(r.t.Slots))
	body, placed, err := r.BodySpans(HTML, zero, 0)
	if err != nil {
		return nil, err
	}
	// Wrap each placed occurrence, from the end so offsets stay valid.
	slices.SortFunc(placed, func(a, b Placed) int {
		if a.Start != b.Start {
			return b.Start - a.Start
		}
		return (a.End - a.Start) - (b.End - b.Start)
	})
	out := bytes.Clone(body)
	for _, pl := range placed {
		if pl.Occ < 0 {
			continue // a list item
		}
		sl := r.t.Slots[pl.Slot]
		title := fmt.Sprintf("%s — %s", sl.Name, strings.Join(quoteAll(r.Alternatives(Text, pl.Slot, pl.Occ)), " · "))
		class := "slot slot-" + sl.Kind.String()
		if pl.Start == pl.End {
			class += " slot-insert"
		}
		open := fmt.Sprintf(`<mark class="%s" title="%s">`, class, html.EscapeString(title))
		out = append(out[:pl.End], append([]byte("</mark>"), out[pl.End:]...)...)
		out = append(out[:pl.Start], append([]byte(open), out[pl.Start:]...)...)
	}
	return out, nil
}

func quoteAll(alts []string) []string {
	out := make([]string, len(alts))
	for i, a := range alts {
		if a == "" {
			a = "(nothing)"
		}
		out[i] = "“" + a + "”"
	}
	return out
}
