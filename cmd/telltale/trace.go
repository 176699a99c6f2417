package main

import (
	"encoding/json"
	"fmt"

	"github.com/telltale-dev/telltale/service"
	"github.com/telltale-dev/telltale/trace"
)

// TraceCmd traces a leaked text.
type TraceCmd struct {
	File    string  `arg:"" help:"Leaked text: a .txt, .md or .html file (a saved web page works), or - for standard input."`
	Doc     string  `help:"Document the leak comes from (default: found automatically)."`
	Version int     `help:"Version of --doc (default: the latest)."`
	Epsilon float64 `default:"1e-6" help:"Bound on the probability of accusing any innocent recipient."`
	JSON    bool    `help:"Print the verdict as JSON (schema telltale.verdict/v1, see docs/verdict.md)."`
}

func (c *TraceCmd) Run(e *env) error {
	cl, err := e.remote()
	if err != nil {
		return err
	}
	leak, _, err := readText(e, c.File)
	if err != nil {
		return err
	}
	if cl != nil {
		return c.runRemote(e, cl, leak)
	}
	svc, err := e.open()
	if err != nil {
		return err
	}
	v, err := svc.Trace(e.ctx, e.actor(), service.TraceRequest{Leak: leak, Name: c.File, Document: c.Doc, Version: c.Version, Epsilon: c.Epsilon})
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	fmt.Fprint(e.stdout, v.Text())
	if v.Outcome != trace.OutcomeAccused {
		// Not an error: an honest "not proven" is a valid answer.
		return nil
	}
	return nil
}
