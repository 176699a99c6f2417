package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/capacity"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/server"
	"github.com/telltale-dev/telltale/suggest"
)

// DocSuggestCmd proposes facts to vary: in a Markdown file (no data
// directory needed), or in a stored document's latest version.
type DocSuggestCmd struct {
	File         string `arg:"" optional:"" help:"Markdown file to suggest facts in, or - for standard input. Needs no data directory."`
	Doc          string `help:"Suggest facts in the latest version of this stored document instead of a file (works on a server too)." placeholder:"NAME"`
	Out          string `help:"Write the document with the suggestions to FILE instead of standard output (file mode)." placeholder:"FILE"`
	Accept       string `help:"The suggestions to accept, by number (1,3,4) or all. File mode writes them (default all); with --doc they are stored as the next version (default none: only list them)."`
	Alternatives int    `help:"Most alternatives per fact, the written one included (2 to 16; default 11). File mode only."`
	Recipients   int    `help:"Recipients to assume in the report (default 12)."`
	JSON         bool   `help:"Print the suggestions and the report as JSON (the API's answer, docs/api.md) instead of the summary."`
}

func (c *DocSuggestCmd) Run(e *env) error {
	switch {
	case c.File != "" && c.Doc != "":
		return fmt.Errorf("give a file or --doc NAME, not both")
	case c.File == "" && c.Doc == "":
		return fmt.Errorf("name a Markdown file, or a stored document with --doc NAME")
	case c.Alternatives != 0 && (c.Alternatives < 2 || c.Alternatives > 16):
		return fmt.Errorf("--alternatives %d: give 2 to 16", c.Alternatives)
	}
	n := c.Recipients
	if n <= 0 {
		n = api.DefaultRecipients
	}
	if c.Doc != "" {
		return c.stored(e, n)
	}
	return c.file(e, n)
}

// file suggests facts in a file and writes it back with the accepted ones.
func (c *DocSuggestCmd) file(e *env, n int) error {
	if c.Out != "" && c.Out == c.File {
		return fmt.Errorf("--out %s would overwrite the file read (hint: write elsewhere, review, then replace it)", c.Out)
	}
	src, err := readInput(e, c.File)
	if err != nil {
		return err
	}
	name := c.File
	if name == "-" {
		name = "stdin.md"
	}
	doc, err := parse.Parse(name, src)
	if err != nil {
		return err
	}
	sugs := suggest.Suggest(doc, suggest.Options{MaxAlternatives: c.Alternatives})
	ids, err := acceptList(c.Accept, len(sugs), true)
	if err != nil {
		return err
	}
	chosen, err := suggest.Select(sugs, ids)
	if err != nil {
		return err
	}
	out, err := suggest.Apply(src, doc, chosen)
	if err != nil {
		return err
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		return err
	}
	report := capacity.Compute(capacity.Input{Template: tpl, Design: fingerprint.DesignFor(n), Recipients: n,
		Epsilon: capacity.DefaultEpsilon, Suggested: suggest.Arities(sugs)})
	answer := api.Suggestions{Document: api.Document{Title: tpl.Title}, Words: suggest.Measure(doc, sugs).Words,
		Suggestions: []api.Suggestion{}, Counts: map[string]int{}, Report: report.String(), Traceability: server.WireTraceability(report)}
	for _, k := range suggest.Kinds {
		answer.Counts[k.String()] = 0
	}
	for _, s := range sugs {
		answer.Suggestions = append(answer.Suggestions, server.WireSuggestion(s))
		answer.Counts[s.Kind.String()]++
	}
	if err := c.write(e, out); err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stderr, answer)
	}
	printSuggestions(e.stderr, name, &answer, len(chosen))
	return nil
}

// write writes the rewritten document to --out or standard output.
func (c *DocSuggestCmd) write(e *env, out []byte) error {
	if c.Out == "" {
		_, err := e.stdout.Write(out)
		return err
	}
	if err := os.WriteFile(c.Out, out, 0o644); err != nil {
		return fmt.Errorf("failed to write %s: %w", c.Out, unwrapPathError(err))
	}
	return nil
}

// stored lists the suggestions for a stored document and, with --accept,
// stores the next version.
func (c *DocSuggestCmd) stored(e *env, n int) error {
	if c.Out != "" || c.Alternatives != 0 {
		return fmt.Errorf("--out and --alternatives work on a file; with --doc the suggestions are the server's and are stored with --accept")
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	sg, err := b.Suggestions(e.ctx, c.Doc, n)
	if err != nil {
		return err
	}
	ids, err := acceptList(c.Accept, len(sg.Suggestions), false)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		if c.JSON {
			return printJSON(e.stdout, sg)
		}
		printSuggestions(e.stdout, fmt.Sprintf("%s version %d", sg.Document.Slug, sg.Version), sg, 0)
		fmt.Fprintf(e.stdout, "\nStore the next version with some accepted: telltale doc suggest --doc %s --accept 1,2,… (or all)\n", c.Doc)
		return nil
	}
	res, err := b.AcceptSuggestions(e.ctx, c.Doc, api.AcceptSuggestionsRequest{Version: sg.Version, Accept: ids, Recipients: n})
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "Stored version %d of %q with %d of the %d suggested facts as declared variants.\n\n", res.Version, res.Document.Slug, len(ids), len(sg.Suggestions))
	fmt.Fprint(e.stdout, res.Report)
	return nil
}

// acceptList reads --accept: "all", or numbers separated by commas.
// Empty means all in file mode, none with --doc.
func acceptList(s string, n int, all bool) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "all" || s == "" && all {
		ids := make([]int, n)
		for i := range ids {
			ids[i] = i + 1
		}
		return ids, nil
	}
	var ids []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.Atoi(f)
		if err != nil || id < 1 || id > n {
			return nil, fmt.Errorf("--accept: %q is not a suggestion; they are numbered 1 to %d", f, n)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// printSuggestions prints the suggestions for review and what accepting
// them would prove.
func printSuggestions(w io.Writer, name string, sg *api.Suggestions, written int) {
	rate := float64(len(sg.Suggestions)) * 100 / float64(max(sg.Words, 1))
	places := 0
	for _, s := range sg.Suggestions {
		places += max(len(s.Mentions), 1)
	}
	where := ""
	if places > len(sg.Suggestions) {
		where = fmt.Sprintf(", stated in %d places (%.2f per 100)", places, float64(places)*100/float64(max(sg.Words, 1)))
	}
	fmt.Fprintf(w, "%s: %d facts to vary suggested (%.2f per 100 prose words, %d words%s): %s\n", name, len(sg.Suggestions), rate, sg.Words, where, countSummary(sg.Counts))
	for _, s := range sg.Suggestions {
		fmt.Fprintf(w, "  %2d. line %d, %s: %s → %s\n", s.ID, s.Line, s.Kind, s.Text, strings.Join(s.Alternatives[1:], " | "))
		if len(s.Mentions) > 1 {
			var lines []string
			for _, m := range s.Mentions {
				l := strconv.Itoa(m.Line)
				if m.Table {
					l += " (table)"
				}
				lines = append(lines, l)
			}
			fmt.Fprintf(w, "      stated %d times, lines %s: every copy states the same alternative at each\n", len(s.Mentions), strings.Join(lines, ", "))
		}
		if s.Name != "" {
			fmt.Fprintf(w, "      written {{#%s: …}}: another fact has the same alternatives\n", s.Name)
		}
		fmt.Fprintf(w, "      %s\n", s.Why)
	}
	if len(sg.Suggestions) == 0 {
		fmt.Fprintln(w, "Nothing to suggest: no figure, time or code name outside headings, quotations and protected regions can vary in every place it is stated without contradicting the document.")
	}
	if t := sg.Traceability; t != nil && t.Suggested != nil && t.Suggested.Offered > 0 {
		sug := t.Suggested
		fmt.Fprintf(w, "\nFor %d recipients at ε = %g: a paraphrase repeating every varied fact and list order carries %.1f nats now and %.1f with all %d accepted (%.1f needed).\n",
			t.Recipients, t.Epsilon, t.Paraphrased.Nats, sug.Paraphrased.Nats, sug.Offered, sug.Paraphrased.NeedNats)
		switch {
		case t.Paraphrased.Attributable:
			fmt.Fprintln(w, "A paraphrase is attributable already; every accepted suggestion adds evidence.")
		case sug.Needed > 0:
			fmt.Fprintf(w, "Accepting at least %d of them (those with the most alternatives first) makes it attributable.\n", sug.Needed)
		default:
			fmt.Fprintln(w, "Not even all of them make it attributable: add declared variants by hand, or shuffle a list.")
		}
		if sug.FactsToRepeat > 0 {
			fmt.Fprintf(w, "With all accepted, a paraphrase naming no list must repeat at least %d varied facts.\n", sug.FactsToRepeat)
		}
	}
	if written > 0 {
		fmt.Fprintf(w, "\nWrote %d of them as {{written|alternative|…}}. Every copy will state one alternative of each as fact: review them, and put back the written value of any you reject.\n", written)
	}
	fmt.Fprintln(w, "Never suggested: dates, years, names, addresses, legal citations, phone and reference numbers, ranges, rules and limits, ages, figures adding up to a total, figures stated in different words in different places (140, one hundred and forty); nothing stated only in tables, nothing in totals, headings, code, quotations, links, telltale:off regions or existing {{…}}. A fact stated several times is suggested once, written at every mention.")
}

func countSummary(counts map[string]int) string {
	var parts []string
	for _, k := range suggest.Kinds {
		name := k.Plural()
		if counts[k.String()] == 1 {
			name = k.String()
		}
		parts = append(parts, fmt.Sprintf("%d %s", counts[k.String()], name))
	}
	return strings.Join(parts, ", ")
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
