package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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
			"topdf":   toPDF,
			"fixture": fixture,
			"docm":    docm,
			"exits":   exits,
			"json":    jsonHas,
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

// fixture copies a Word document of package docx's test data into the
// script's directory: fixture NAME.
func fixture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fixture NAME")
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "docx", "testdata", args[0]))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o644))
}

// docm writes a Word document with a macro project added: docm IN OUT.
func docm(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: docm IN OUT")
	}
	in := []byte(ts.ReadFile(args[0]))
	z, err := zip.NewReader(bytes.NewReader(in), int64(len(in)))
	ts.Check(err)
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range z.File {
		ts.Check(zw.Copy(f))
	}
	w, err := zw.Create("word/vbaProject.bin")
	ts.Check(err)
	w.Write([]byte("VBA"))
	ts.Check(zw.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b.Bytes(), 0o644))
}

// exits runs a command like exec and checks its exit status, which exec
// and ! exec cannot tell apart beyond zero and not zero: exits N PROG ARGS,
// or exits N,M,… for any of several statuses.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS[,STATUS…] PROGRAM [ARGS...]")
	}
	want := map[int]bool{}
	for _, s := range strings.Split(args[0], ",") {
		n, err := strconv.Atoi(s)
		ts.Check(err)
		want[n] = true
	}
	err := ts.Exec(args[1], args[2:]...)
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if !want[got] {
		ts.Fatalf("%s exited %d, want %s", strings.Join(args[1:], " "), got, args[0])
	}
}

// jsonHas checks that the last command's standard output is one JSON
// value and that it has every path given: json [PATH...], where a path is
// keys and array indexes joined by dots, such as 0.versions.0.copies. With
// !, some path must be missing.
func jsonHas(ts *testscript.TestScript, neg bool, args []string) {
	var v any
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile("stdout")))
	if err := dec.Decode(&v); err != nil {
		ts.Fatalf("stdout is not JSON: %v", err)
	}
	if dec.More() {
		ts.Fatalf("stdout holds more than one JSON value")
	}
	for _, path := range args {
		_, ok := jsonAt(v, path)
		switch {
		case !ok && !neg:
			ts.Fatalf("stdout has no %s", path)
		case ok && neg:
			ts.Fatalf("stdout has %s", path)
		}
	}
}

// jsonAt returns the value at a dotted path of keys and indexes.
func jsonAt(v any, path string) (any, bool) {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}
