package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

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
	})
}
