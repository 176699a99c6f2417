package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// A progress reporter tells the person at the terminal how far long work
// has got, on standard error so standard output stays the result: a bar
// when standard error is a terminal; a line now and then with --verbose
// when it is not (a log, a CI job); nothing otherwise, so scripts stay
// quiet.
type progress struct {
	report func(done, total int)
	finish func()
}

// progressEvery is how often --verbose prints a progress line at most.
const progressEvery = time.Second

// newProgress returns the reporter of work on total items, described as
// verb in the past tense ("issued"): a bar whose label is doing
// ("issuing copies"). report may be called with a total that differs
// from the estimate; finish must be called when the work ends, done or
// not.
func (e *env) newProgress(doing, verb, noun string, total int) progress {
	if isTerminal(e.stderr) {
		bar := progressbar.NewOptions(total,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription(doing),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(e.stderr) }), // keep the full bar, with how long it took
		)
		bar.RenderBlank()
		return progress{
			report: func(done, total int) {
				if total != bar.GetMax() {
					bar.ChangeMax(total)
				}
				bar.Set(done)
			},
			finish: func() {
				if !bar.IsFinished() { // failed part way: keep the bar, end its line
					bar.Exit()
				}
			},
		}
	}
	if !e.cli.Verbose {
		return progress{report: func(int, int) {}, finish: func() {}}
	}
	var last time.Time
	return progress{
		report: func(done, total int) {
			now := e.main.Now()
			if done < total && now.Sub(last) < progressEvery {
				return
			}
			last = now
			fmt.Fprintf(e.stderr, "%s %d of %d %s\n", verb, done, total, noun)
		},
		finish: func() {},
	}
}

// isTerminal says whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
