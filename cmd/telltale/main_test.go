package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/samples"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"telltale": func() { os.Exit(NewMain().Run(context.Background(), os.Args[1:])) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: each is a
// testscript (txtar) file that runs the real program in a fresh directory
// with its own data directory.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("TELLTALE_DATA", filepath.Join(env.WorkDir, "data"))
			env.Setenv("USER", "tester")
			for _, name := range samples.Names() {
				src, _ := samples.Get(name)
				if err := os.WriteFile(filepath.Join(env.WorkDir, name+".md"), src, 0o644); err != nil {
					return err
				}
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"topdf": toPDF,
		},
	})
}

// toPDF writes a text file as a PDF with a text layer, or with -scan as
// a photo of its first page (printed at 150 dpi, turned 1.5°, JPEG):
// topdf [-scan] IN OUT.
func toPDF(ts *testscript.TestScript, neg bool, args []string) {
	scan := len(args) > 0 && args[0] == "-scan"
	if scan {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: topdf [-scan] IN OUT")
	}
	pdf := leaktest.PDF(ts.ReadFile(args[0]))
	if scan {
		page, err := leaktest.Raster(pdf, 1, 150)
		ts.Check(err)
		pdf = leaktest.Photo(page, 1.5, 60)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), pdf, 0o644))
}
