package main

import (
	"encoding/json"
	"fmt"

	"github.com/telltale-dev/telltale/api"
)

// TraceCmd traces a leaked text.
type TraceCmd struct {
	File    string  `arg:"" help:"The leak: text, Markdown or HTML (a saved web page works), PDF, Word (.docx), e-mail (.eml), or a photo or scan of a page (PNG, JPEG, TIFF); - for standard input."`
	Doc     string  `help:"Document the leak comes from (default: found automatically)."`
	Version int     `help:"Version of --doc (default: the latest)."`
	Epsilon float64 `default:"1e-6" help:"Bound on the probability of accusing any innocent recipient."`
	JSON    bool    `help:"Print the verdict as JSON (schema telltale.verdict/v1, see docs/verdict.md)."`
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
		return enc.Encode(v)
	}
	// An honest "not proven" is a valid answer, not an error.
	fmt.Fprint(e.stdout, v.Text())
	return nil
}
