package main

import "fmt"

// RecipientImportCmd registers recipients from CSV.
type RecipientImportCmd struct {
	File string `arg:"" help:"CSV file with name, email and optional unit per line (a header line is fine), or - for standard input."`
}

func (c *RecipientImportCmd) Run(e *env) error {
	data, _, err := readText(e, c.File)
	if err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	res, err := b.ImportRecipients(e.ctx, data)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Registered %d recipients.\n", res.Added)
	if n := len(res.Existing); n > 0 {
		fmt.Fprintf(e.stdout, "%d were registered already and were left as they are.\n", n)
	}
	return nil
}
