package main

import (
	"fmt"
	"io"
)

// summaryRows is how many rows of a long list a show command prints
// unless asked for --all: a document issued to 1,000 recipients should
// not print 1,000 lines to say so.
const summaryRows = 20

// shownRows returns how many of n rows to print: every one with all, else
// at most summaryRows.
func shownRows(n int, all bool) int {
	if all || n <= summaryRows {
		return n
	}
	return summaryRows
}

// printMore says how many of n rows were left out after shown were
// printed, and how to see them, if any were.
func printMore(w io.Writer, indent string, n, shown int) {
	if n > shown {
		fmt.Fprintf(w, "%s… and %d more (--all for everything)\n", indent, n-shown)
	}
}
