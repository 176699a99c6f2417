package trace

import (
	"fmt"
	"slices"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
)

// ocrBlind are the slots whose variants OCR cannot tell apart reliably:
// an em dash, an en dash and a hyphen, with or without spaces around
// them, come out of Tesseract as any of the others.
var ocrBlind = []string{"typographic:dashes", "typographic:ranges"}

// eraseOCRBlind erases the slots OCR cannot read (every symbol stays
// consistent with the leak) and says how many it erased.
func eraseOCRBlind(tpl *mark.Template, masks []fingerprint.Mask) int {
	n := 0
	for j, s := range tpl.Slots {
		if !slices.Contains(ocrBlind, s.Name) {
			continue
		}
		if all := fingerprint.All(s.Q); masks[j] != all {
			masks[j] = all
			n++
		}
	}
	return n
}

// ocrNote says that the text was read by OCR, and which slots it could
// not read.
func ocrNote(obtained string, erased int) string {
	note := "The text was read by OCR (" + obtained + "). A character OCR misread can hide a slot or show the wrong variant: that weakens the evidence against the true source, and the bound on accusing an innocent recipient already allows for it."
	if erased > 0 {
		what := fmt.Sprintf("%d dash and range slots were", erased)
		if erased == 1 {
			what = "1 dash or range slot was"
		}
		note += " " + what + " not read, because OCR does not tell an em dash from an en dash or a hyphen."
	}
	return note
}
