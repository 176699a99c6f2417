package trace

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Schema names the verdict's JSON format; docs/verdict.md describes it.
// Fields are only ever added within a schema version.
const Schema = "telltale.verdict/v1"

// Outcomes of a trace.
const (
	OutcomeAccused      = "accused"      // at least one recipient accused within the bound
	OutcomeInconclusive = "inconclusive" // evidence consistent with some recipients, not proof
	OutcomeNoEvidence   = "no-evidence"  // the leak shows none of the version's slots
)

// Verdict is the result of tracing a leak: the stable, documented record
// the CLI prints, the server shows and cases keep.
type Verdict struct {
	Schema    string `json:"schema"`
	Outcome   string `json:"outcome"`
	Statement string `json:"statement"`

	Leak   LeakInfo   `json:"leak"`
	Source SourceInfo `json:"source"`

	Epsilon    float64       `json:"epsilon"`
	Recipients int           `json:"recipients"`
	Decoders   []DecoderInfo `json:"decoders"`

	Slots        SlotSummary   `json:"slots"`
	Observations []Observation `json:"observations"`

	Accused    []RecipientFinding `json:"accused"`
	Consistent []RecipientFinding `json:"consistent"`
	// Excluded lists the copies that contradict the leak as its sole,
	// unedited source in every class of slots. It does not clear their
	// holders: an edited or combined leak contradicts every copy.
	Excluded []RecipientFinding `json:"excluded"`
	// ConsistentTotal and ExcludedTotal count every recipient of each
	// class; the lists stop at 10,000.
	ConsistentTotal int `json:"consistent_total"`
	ExcludedTotal   int `json:"excluded_total"`
	// Edited is true when no copy matches the whole evidence as the sole,
	// unedited source: the text was probably edited, normalised, or
	// combined from several copies.
	Edited bool `json:"edited"`
	// Notes say what the reading found about how the leak was made (a
	// class of slots that looks reverted or normalised, a transplanted
	// invisible mark), in plain words.
	Notes []string `json:"notes,omitempty"`

	// MoreSlots estimates how many more observed slots, agreeing with the
	// leading candidate, would make the evidence conclusive.
	MoreSlots int `json:"more_slots,omitempty"`

	Invisible *InvisibleInfo `json:"invisible,omitempty"`
}

// LeakInfo identifies the leaked text.
type LeakInfo struct {
	Name   string `json:"name,omitempty"`
	SHA256 string `json:"sha256"`
	Format string `json:"format"`
	Bytes  int    `json:"bytes"`
	Words  int    `json:"words"`
	// Obtained says how the text was obtained from a file that is not
	// text (a PDF, a Word file, an e-mail, an image), and Text is that
	// text, which the observations' spans index; OCR says whether any of
	// it was read by OCR. All three are empty for a text file.
	Obtained string `json:"obtained,omitempty"`
	Text     string `json:"text,omitempty"`
	OCR      bool   `json:"ocr,omitempty"`
}

// SourceInfo says which version the leak was read against and why.
type SourceInfo struct {
	Document string  `json:"document"`
	Version  int     `json:"version"`
	Title    string  `json:"title"`
	Given    bool    `json:"given"` // named by the user rather than found
	Overlap  float64 `json:"overlap"`
	Phrases  int     `json:"phrases"`
	// Score is the source finder's evidence for the version, roughly in
	// bits (see package identify); Confirmed says the version was chosen
	// because its declared facts or list items were found in the leak
	// (by the monitor's comparison or the reader), which shares few of its
	// phrases.
	Score     float64 `json:"score"`
	Confirmed bool    `json:"confirmed,omitempty"`
	Aligned   float64 `json:"aligned"` // fraction of the version's fixed text found
	// RunnerUp is the next best candidate, if any.
	RunnerUp *Candidate `json:"runner_up,omitempty"`
}

// Candidate is another version the leak resembles.
type Candidate struct {
	Document string  `json:"document"`
	Version  int     `json:"version"`
	Overlap  float64 `json:"overlap"`
}

// DecoderInfo documents one decoder's part.
type DecoderInfo struct {
	Name string `json:"name"`
	// Subset names the classes of slots the decoder read ("all",
	// "no-typography", "no-lexical", "facts"); Slots counts the read
	// slots among them.
	Subset       string  `json:"subset,omitempty"`
	Slots        int     `json:"slots,omitempty"`
	Share        float64 `json:"epsilon_share"`
	PerRecipient float64 `json:"per_recipient"`
	Threshold    float64 `json:"threshold,omitempty"`
}

// SlotSummary counts slots read.
type SlotSummary struct {
	Total  int                  `json:"total"`
	Read   int                  `json:"read"`
	Erased int                  `json:"erased"`
	ByKind map[string]KindCount `json:"by_kind"`
}

// KindCount counts one kind.
type KindCount struct {
	Total int `json:"total"`
	Read  int `json:"read"`
}

// Observation is one slot read from the leak.
type Observation struct {
	Slot int    `json:"slot"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Seen lists the symbols consistent with the leak; Shown is what the
	// first of them looks like.
	Seen  []int  `json:"seen"`
	Shown string `json:"shown"`
	How   string `json:"how"`
	Spans []Span `json:"spans"`
}

// Span is a byte range of the leak's extracted text.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// RecipientFinding is one recipient's place in the verdict.
type RecipientFinding struct {
	Recipient RecipientRef `json:"recipient"`
	CopyID    int64        `json:"copy_id"`
	Copy      int          `json:"copy"`
	Decoder   string       `json:"decoder,omitempty"`
	Score     float64      `json:"score"`
	// Bound is the probability bound that an innocent scores this high;
	// LogBound its natural logarithm (for bounds below float range).
	Bound      float64       `json:"bound"`
	LogBound   float64       `json:"log_bound"`
	Matched    int           `json:"matched"`
	Mismatched int           `json:"mismatched"`
	Partner    *RecipientRef `json:"partner,omitempty"`
	// MatchedSlots lists the slots where the copy agrees with the leak.
	MatchedSlots []int `json:"matched_slots,omitempty"`
}

// RecipientRef names a recipient.
type RecipientRef struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Unit  string `json:"unit,omitempty"`
}

// InvisibleInfo reports the zero-width channel.
type InvisibleInfo struct {
	Frames int `json:"frames"`
	// Valid is false when frames were found but their check failed.
	Valid bool          `json:"valid"`
	Match *RecipientRef `json:"match,omitempty"`
	Copy  int           `json:"copy,omitempty"`
	// Tags counts the distinct valid tags among frames read one by one;
	// Conflict is true when there are two or more: frames from different
	// copies (a transplant, or a text assembled from copies). No copy is
	// named then.
	Tags     int  `json:"tags,omitempty"`
	Conflict bool `json:"conflict,omitempty"`
}

// FormatBound renders a probability bound for people.
func FormatBound(logBound float64) string {
	if logBound >= 0 {
		return "1"
	}
	exp := logBound / math.Ln10
	if exp > -4 {
		return fmt.Sprintf("%.4f", math.Exp(logBound))
	}
	e := math.Floor(exp)
	mant := math.Pow(10, exp-e)
	if mant >= 9.95 { // rounds up to the next power
		mant, e = 1, e+1
	}
	return fmt.Sprintf("%.1f × 10%s", mant, superscript(int(e)))
}

// FormatEpsilon renders a probability such as ε for people: 10⁻⁶, or
// 2.5 × 10⁻⁷; values from 0.0001 up as decimals.
func FormatEpsilon(p float64) string {
	if p <= 0 || p >= 1e-4 {
		return strconv.FormatFloat(p, 'f', -1, 64)
	}
	e := math.Floor(math.Log10(p))
	mant := p / math.Pow(10, e)
	if math.Abs(mant-1) < 1e-9 {
		return "10" + superscript(int(e))
	}
	return strconv.FormatFloat(mant, 'g', 3, 64) + " × 10" + superscript(int(e))
}

// superscript writes an integer with Unicode superscript digits.
func superscript(n int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	var b strings.Builder
	if n < 0 {
		b.WriteString("⁻")
		n = -n
	}
	for _, d := range strconv.Itoa(n) {
		b.WriteString(string([]rune(digits)[d-'0']))
	}
	return b.String()
}

// InconsistentCaveat is what every list of inconsistent copies says about
// them.
const InconsistentCaveat = "their copies differ from the leak in more places than misreading explains, in every class of marks; this does not clear anyone, because a leaker who edits the text or combines copies looks the same"

// EditedNote is what a verdict says when no copy matches the whole
// evidence as the sole, unedited source.
const EditedNote = "No copy matches the leak in every respect: the text was probably edited, normalised or combined from several copies, so nobody is ruled out by the places where it differs."

// Text renders the verdict for people who are not specialists.
func (v *Verdict) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", v.Statement)
	fmt.Fprintf(&b, "Source: %q version %d — %s", v.Source.Document, v.Source.Version, v.Source.Title)
	if v.Source.Given {
		b.WriteString(" (named by you)\n")
	} else {
		how := ""
		if v.Source.Confirmed {
			how = "; its declared facts or lists are in the leak"
		}
		fmt.Fprintf(&b, " (found: %.0f%% of the leak's phrases, evidence %.1f%s)\n", 100*v.Source.Overlap, v.Source.Score, how)
	}
	if v.Source.RunnerUp != nil {
		fmt.Fprintf(&b, "  next closest: %q version %d (%.0f%% of phrases)\n", v.Source.RunnerUp.Document, v.Source.RunnerUp.Version, 100*v.Source.RunnerUp.Overlap)
	}
	fmt.Fprintf(&b, "Leak: %d words (%s), %.0f%% of the version's fixed text found in it.\n", v.Leak.Words, v.Leak.Format, 100*v.Source.Aligned)
	if v.Leak.Obtained != "" {
		fmt.Fprintf(&b, "  read from the file: %s\n", v.Leak.Obtained)
	}
	fmt.Fprintf(&b, "Slots: %d of %d read, %d erased or not in the leak", v.Slots.Read, v.Slots.Total, v.Slots.Erased)
	var kinds []string
	for _, k := range []string{"declared", "order", "lexical", "typographic"} {
		if c, ok := v.Slots.ByKind[k]; ok && c.Total > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d/%d", k, c.Read, c.Total))
		}
	}
	fmt.Fprintf(&b, " (%s).\n", strings.Join(kinds, ", "))
	fmt.Fprintf(&b, "Error bound: ε = %s over %d recipients, split among %d decoders.\n", FormatEpsilon(v.Epsilon), v.Recipients, len(v.Decoders))

	if len(v.Accused) > 0 {
		b.WriteString("\nACCUSED — the evidence points to:\n")
		for _, f := range v.Accused {
			fmt.Fprintf(&b, "  %s <%s>, copy %d: the chance that an innocent recipient's copy matches the leak this well is at most %s (decoder %s, %d of %d slots agree)",
				f.Recipient.Name, f.Recipient.Email, f.Copy, FormatBound(f.LogBound), f.Decoder, f.Matched, f.Matched+f.Mismatched)
			if f.Partner != nil {
				fmt.Fprintf(&b, "; together with %s <%s>", f.Partner.Name, f.Partner.Email)
			}
			b.WriteString(".\n")
		}
	}
	if len(v.Consistent) > 0 {
		fmt.Fprintf(&b, "\nSTILL CONSISTENT with the evidence (%d) — this is NOT proof against them:\n", v.ConsistentTotal)
		for i, f := range v.Consistent {
			if i == 10 {
				fmt.Fprintf(&b, "  … and %d more\n", v.ConsistentTotal-10)
				break
			}
			fmt.Fprintf(&b, "  %s <%s>, copy %d: %d of %d slots agree\n", f.Recipient.Name, f.Recipient.Email, f.Copy, f.Matched, f.Matched+f.Mismatched)
		}
	}
	if len(v.Excluded) > 0 {
		fmt.Fprintf(&b, "\nINCONSISTENT as the sole, unedited source (%d) — %s:\n", v.ExcludedTotal, InconsistentCaveat)
		for i, f := range v.Excluded {
			if i == 10 {
				fmt.Fprintf(&b, "  … and %d more\n", v.ExcludedTotal-10)
				break
			}
			fmt.Fprintf(&b, "  %s <%s>, copy %d: %d of %d slots agree\n", f.Recipient.Name, f.Recipient.Email, f.Copy, f.Matched, f.Matched+f.Mismatched)
		}
	}
	if v.Edited || len(v.Notes) > 0 {
		b.WriteString("\nHOW THE LEAK WAS MADE:\n")
		for _, n := range v.Notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
		if v.Edited {
			fmt.Fprintf(&b, "  %s\n", EditedNote)
		}
	}
	if inv := v.Invisible; inv != nil && !inv.Valid && !inv.Conflict {
		fmt.Fprintf(&b, "\nThe leak carries %d damaged invisible marks; they were not used.\n", inv.Frames)
	}
	switch {
	case v.Outcome == OutcomeAccused:
	case v.MoreSlots > 0:
		fmt.Fprintf(&b, "\nTo be conclusive, about %d more slots would have to be observed agreeing with the leading candidate: a longer excerpt, the original file, or more reported facts.\n", v.MoreSlots)
	case v.Slots.Read > 0 && v.Slots.Erased == 0:
		b.WriteString("\nEvery slot of this version was read: no longer excerpt could say more.\n")
	}
	return b.String()
}
