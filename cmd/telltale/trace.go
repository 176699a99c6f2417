package main

import (
	"encoding/json"
	"fmt"

	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/trace"
)

// TraceCmd traces a leaked text.
type TraceCmd struct {
	File    string  `arg:"" help:"The leak: text, Markdown or HTML (a saved web page works), PDF, Word (.docx), e-mail (.eml), or a photo or scan of a page (PNG, JPEG, TIFF); - for standard input."`
	Doc     string  `help:"Document the leak comes from (default: found automatically)."`
	Version int     `help:"Version of --doc (default: the latest)."`
	Epsilon float64 `default:"1e-6" help:"Bound on the probability of accusing any innocent recipient."`
	JSON    bool    `help:"Print the verdict as JSON (schema telltale.verdict/v1, see docs/verdict.md)."`
}

// Help is shown after the usage line of telltale trace --help.
func (c *TraceCmd) Help() string {
	return `Exit status, so scripts can act on the verdict without parsing it:
  0  accused: the leak comes from the copy of the recipients named
  3  inconclusive: slots were read, but not enough to accuse anyone
  4  no evidence: the leak matches a document but shows none of its marks
  1  error: the leak could not be read or matches no stored document
  2  usage error: the command line is wrong
The verdict is printed (or with --json written) in every case but 1 and 2.`
}

func (c *TraceCmd) Run(e *env) error {
	leak, _, err := readText(e, c.File)
	if err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	v, err := b.Trace(e.ctx, api.TraceRequest{File: leak, Name: c.File, Document: c.Doc, Version: c.Version, Epsilon: c.Epsilon})
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
	} else {
		fmt.Fprint(e.stdout, v.Text())
	}
	// An honest "not proven" is a valid answer, not an error: it is
	// printed like any verdict, and only the exit status tells it apart.
	return verdictStatus(v.Outcome)
}

// verdictStatus returns nil for an accusation and otherwise the exit
// status of the outcome (see TraceCmd.Help).
func verdictStatus(outcome string) error {
	switch outcome {
	case trace.OutcomeAccused:
		return nil
	case trace.OutcomeInconclusive:
		return statusError(exitInconclusive)
	case trace.OutcomeNoEvidence:
		return statusError(exitNoEvidence)
	}
	return fmt.Errorf("unknown trace outcome %q", outcome)
}
