package trace

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/telltale-dev/telltale/extract"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/zerowidth"
)

// Leak is a leaked text prepared for tracing: its extracted words, with
// any zero-width marks decoded and stripped.
type Leak struct {
	Info LeakInfo
	// Text is the extracted text the verdict's spans index.
	Text  string
	Words []string
	// Tag is the zero-width tag read from Frames frames; TagOK says
	// whether the frames agreed on a valid tag.
	Tag    uint32
	Frames int
	TagOK  bool
	// Tags counts the frames of each valid tag read on its own: two tags
	// mean frames from two copies.
	Tags map[uint32]int
}

// PrepareLeak extracts the text of a leaked text file (HTML, Markdown or
// plain text) and decodes its zero-width marks. name is the file name or
// URL, for the record. The error says what is wrong with the file.
func PrepareLeak(name string, raw []byte) (*Leak, error) {
	text, format, err := extract.Text(raw)
	if err != nil {
		return nil, err
	}
	return PrepareExtracted(name, raw, &extract.Result{Text: text, Format: format})
}

// PrepareExtracted prepares a leaked file whose text was extracted (from
// a PDF, a Word file, an e-mail, an image) and decodes the text's
// zero-width marks. Where the text is not the file itself, the verdict
// keeps it, with how it was obtained.
func PrepareExtracted(name string, raw []byte, ext *extract.Result) (*Leak, error) {
	text := ext.Text
	tag, frames, ok := zerowidth.Decode(text)
	tags, _ := zerowidth.DecodeEach(text)
	text = zerowidth.Strip(text)
	words := read.Words(text)
	if len(words) == 0 {
		return nil, errors.New("the leaked text has no words")
	}
	sum := sha256.Sum256(raw)
	info := LeakInfo{Name: name, SHA256: hex.EncodeToString(sum[:]), Format: string(ext.Format), Bytes: len(raw), Words: len(words)}
	switch ext.Format {
	case extract.FormatText, extract.FormatMarkdown, extract.FormatHTML:
	default:
		info.Obtained, info.Text, info.OCR = ext.Obtained(), text, ext.OCR()
	}
	return &Leak{Info: info, Text: text, Words: words, Tag: tag, Frames: frames, TagOK: ok, Tags: tags}, nil
}

// Holder is one copy of the version a leak is traced against: who holds
// it and its codeword, already checked against its commitment.
type Holder struct {
	CopyID    int64
	Copy      int // the copy's number within its version
	Recipient RecipientRef
	Codeword  fingerprint.Codeword
	// Tag is the copy's zero-width tag.
	Tag uint32
}

// Input is what a trace needs: the version's reader and secret biases,
// every copy's holder and codeword, and the leak.
type Input struct {
	Reader *read.Reader
	Biases [][]float64
	Design fingerprint.Design
	// Source says which version the reader reads and why it was chosen;
	// Run fills in how much of it the leak aligns with.
	Source  SourceInfo
	Holders []Holder
	Leak    *Leak
	// Epsilon bounds the chance of accusing any innocent; 0 means
	// DefaultEpsilon.
	Epsilon float64
	// Verify, if set, checks an accused holder's stored records against
	// what was signed when the copy was issued. A holder that fails is not
	// accused, and the verdict says why.
	Verify func(Holder) error
}

// Run reads the leak against the version, blind to every codeword, then
// scores every holder and decides: the verdict. It needs no store.
func Run(in Input) (*Verdict, error) {
	eps := in.Epsilon
	if eps == 0 {
		eps = DefaultEpsilon
	}
	if err := CheckEpsilon(eps); err != nil {
		return nil, err
	}
	tpl := in.Reader.Template()
	obs := in.Reader.Read(in.Leak.Text)
	v := &Verdict{Schema: Schema, Leak: in.Leak.Info, Source: in.Source, Epsilon: eps, Recipients: len(in.Holders)}
	v.Source.Aligned = obs.Aligned

	classes := slotClasses(tpl)
	var notes []string
	for _, n := range normalised(in.Reader, obs, in.Biases) {
		eraseClass(obs.Masks, classes, tpl.Arities(), n.class)
		notes = append(notes, n.note())
	}
	ocrErased := 0
	if in.Leak.Info.OCR {
		ocrErased = eraseOCRBlind(tpl, obs.Masks)
	}
	ev, err := fingerprint.NewEvidence(in.Biases, obs.Masks)
	if err != nil {
		return nil, fmt.Errorf("failed to weigh the evidence: %w", err)
	}
	codewords := make([]fingerprint.Codeword, len(in.Holders))
	for i, h := range in.Holders {
		codewords[i] = h.Codeword
	}
	at := Attribute(ev, codewords, Params{Epsilon: eps, Classes: classes, TotalSlots: len(tpl.Slots),
		SlotInformation: meanInformation(in.Design, tpl, obs.Masks)})

	describeSlots(v, in.Reader, obs, ev)
	for _, d := range at.Decoders {
		di := DecoderInfo{Name: d.Name, Subset: d.Subset, Slots: d.Slots, Share: d.Share, PerRecipient: d.PerRecipient}
		if !math.IsInf(d.Threshold, 0) && !math.IsNaN(d.Threshold) {
			di.Threshold = d.Threshold
		}
		v.Decoders = append(v.Decoders, di)
	}
	var altered []string
	if in.Verify != nil {
		kept := at.Accused[:0:0]
		for _, f := range at.Accused {
			if err := in.Verify(in.Holders[f.Index]); err != nil {
				altered = append(altered, fmt.Sprintf("The records of copy %d were altered after it was issued (%v): nobody is accused from them. Check the database with telltale ledger verify.", in.Holders[f.Index].Copy, err))
				at.Consistent = append([]Finding{f}, at.Consistent...)
				at.ConsistentTotal++
				continue
			}
			kept = append(kept, f)
		}
		at.Accused = kept
	}
	v.Accused = findings(at.Accused, in.Holders, ev)
	v.Consistent = findings(at.Consistent, in.Holders, ev)
	v.Excluded = findings(at.Inconsistent, in.Holders, ev)
	v.ConsistentTotal, v.ExcludedTotal = at.ConsistentTotal, at.InconsistentTotal
	v.Edited = at.Edited
	v.Notes = append(notes, altered...)
	v.MoreSlots = at.MoreSlots
	if len(at.Accused) > 0 {
		v.Notes = append(v.Notes, classNotes(ev, classes, in.Holders[at.Accused[0].Index])...)
	}
	var invNotes []string
	v.Invisible, invNotes = invisible(in.Leak, in.Holders)
	v.Notes = append(v.Notes, invNotes...)
	if in.Leak.Info.OCR {
		v.Notes = append(v.Notes, ocrNote(in.Leak.Info.Obtained, ocrErased))
	}
	v.Outcome, v.Statement = conclude(v, len(ev.Slots))
	return v, nil
}

// slotClasses gives each slot's class: its kind.
func slotClasses(tpl *mark.Template) []uint8 {
	out := make([]uint8, len(tpl.Slots))
	for j, sl := range tpl.Slots {
		switch sl.Kind {
		case mark.Declared:
			out[j] = ClassDeclared
		case mark.Order:
			out[j] = ClassOrder
		case mark.Lexical:
			out[j] = ClassLexical
		default:
			out[j] = ClassTypographic
		}
	}
	return out
}

// findings turns the decision rule's findings into the verdict's.
func findings(fs []Finding, holders []Holder, ev *fingerprint.Evidence) []RecipientFinding {
	out := []RecipientFinding{}
	for _, f := range fs {
		h := holders[f.Index]
		rf := RecipientFinding{Recipient: h.Recipient, CopyID: h.CopyID, Copy: h.Copy,
			Decoder: f.Decoder, Score: finite(f.Score), Bound: f.Bound(), LogBound: f.LogBound, Matched: f.Matched, Mismatched: f.Mismatched}
		if f.Partner >= 0 {
			p := holders[f.Partner].Recipient
			rf.Partner = &p
		}
		for i, ok := range f.Matches {
			if ok {
				rf.MatchedSlots = append(rf.MatchedSlots, ev.Slots[i])
			}
		}
		out = append(out, rf)
	}
	return out
}

// invisible reports what the zero-width channel says, if the leak kept
// any of it. Frames of two or more copies are a conflict: a transplanted
// frame, or a text assembled from copies; no copy is named then.
func invisible(leak *Leak, holders []Holder) (*InvisibleInfo, []string) {
	if leak.Frames == 0 {
		return nil, nil
	}
	inv := &InvisibleInfo{Frames: leak.Frames, Valid: leak.TagOK, Tags: len(leak.Tags)}
	copyOf := func(tag uint32) (Holder, bool) {
		for _, h := range holders {
			if h.Tag == tag {
				return h, true
			}
		}
		return Holder{}, false
	}
	if len(leak.Tags) > 1 {
		inv.Conflict = true
		var which []string
		for tag, n := range leak.Tags {
			if h, ok := copyOf(tag); ok {
				which = append(which, fmt.Sprintf("copy %d (%d frames)", h.Copy, n))
			} else {
				which = append(which, fmt.Sprintf("an unknown copy (%d frames)", n))
			}
		}
		slices.Sort(which)
		return inv, []string{fmt.Sprintf("The leak carries invisible marks of %d different copies — %s: a mark was probably transplanted, or the text assembled from copies. The invisible marks were not used as evidence.",
			len(leak.Tags), strings.Join(which, ", "))}
	}
	if !leak.TagOK {
		return inv, nil
	}
	h, ok := copyOf(leak.Tag)
	if !ok {
		return inv, []string{"The leak carries an invisible mark that belongs to no copy of this version: it was probably copied from another document."}
	}
	r := h.Recipient
	inv.Match, inv.Copy = &r, h.Copy
	return inv, []string{fmt.Sprintf("The leak carries the invisible mark of copy %d (%s) in %d places. A mark can be copied from one text into another, so it points to a copy only together with the marks above; it was not counted as evidence.", h.Copy, r.Name, leak.Frames)}
}

// describeSlots fills the verdict's slot summary and observations.
func describeSlots(v *Verdict, rd *read.Reader, obs *read.Observation, ev *fingerprint.Evidence) {
	tpl := rd.Template()
	v.Slots = SlotSummary{Total: len(tpl.Slots), ByKind: map[string]KindCount{}}
	informative := map[int]bool{}
	for _, j := range ev.Slots {
		informative[j] = true
	}
	for j, sl := range tpl.Slots {
		kc := v.Slots.ByKind[sl.Kind.String()]
		kc.Total++
		if informative[j] {
			kc.Read++
			v.Slots.Read++
		}
		v.Slots.ByKind[sl.Kind.String()] = kc
	}
	v.Slots.Erased = v.Slots.Total - v.Slots.Read
	v.Observations = []Observation{}
	for _, r := range obs.Readings {
		if !informative[r.Slot] {
			continue
		}
		sl := tpl.Slots[r.Slot]
		o := Observation{Slot: r.Slot, Kind: sl.Kind.String(), Name: sl.Name, How: r.How, Spans: []Span{}}
		for sym := 0; sym < sl.Q; sym++ {
			if r.Seen.Has(uint8(sym)) {
				o.Seen = append(o.Seen, sym)
			}
		}
		o.Shown = rd.Shown(r.Slot, o.Seen[0])
		for _, sp := range r.Spans {
			o.Spans = append(o.Spans, Span{Start: sp.Start, End: sp.End, Text: sp.Text})
		}
		v.Observations = append(v.Observations, o)
	}
	slices.SortFunc(v.Observations, func(a, b Observation) int { return a.Slot - b.Slot })
}

// meanInformation is the expected evidence of one more observed slot of
// this version: the mean over the slots not read.
func meanInformation(d fingerprint.Design, tpl *mark.Template, masks []fingerprint.Mask) float64 {
	sum, n := 0.0, 0
	for j, sl := range tpl.Slots {
		if masks[j] == fingerprint.All(sl.Q) {
			sum += fingerprint.SlotInformation(d, sl.Q, sl.Robustness() == mark.Paraphrase)
			n++
		}
	}
	if n == 0 {
		return math.Ln2
	}
	return sum / float64(n)
}

func finite(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return 0
	}
	return x
}

// conclude states the outcome in plain words.
func conclude(v *Verdict, informative int) (string, string) {
	switch {
	case informative == 0:
		return OutcomeNoEvidence, fmt.Sprintf("INCONCLUSIVE: the leak matches %q version %d, but shows none of the places where its copies differ, so it cannot point to anyone.", v.Source.Document, v.Source.Version)
	case len(v.Accused) > 0:
		var names []string
		for _, f := range v.Accused {
			names = append(names, fmt.Sprintf("%s (copy %d)", f.Recipient.Name, f.Copy))
		}
		return OutcomeAccused, fmt.Sprintf("ACCUSED: the leak comes from the copy of %s. The probability that this evidence would point to an innocent recipient is below %s.",
			strings.Join(names, " and "), FormatEpsilon(v.Epsilon))
	case v.Edited && v.ExcludedTotal == 0:
		return OutcomeInconclusive, fmt.Sprintf("INCONCLUSIVE: %d slots were read, but the leak matches no copy as an unedited whole: it was probably edited or combined from several copies. Nobody is accused with error below %s, and nobody is ruled out.",
			informative, FormatEpsilon(v.Epsilon))
	default:
		return OutcomeInconclusive, fmt.Sprintf("INCONCLUSIVE: %d slots were read, not enough to accuse anyone with error below %s. %d recipients remain consistent with the leak; that is not evidence against them.",
			informative, FormatEpsilon(v.Epsilon), v.ConsistentTotal)
	}
}
