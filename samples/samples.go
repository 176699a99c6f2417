// Package samples holds realistic documents written for telltale: an
// operations plan, a board memorandum and a policy draft. The demo command
// distributes them, and tests of every stage run on them.
package samples

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed *.md
var files embed.FS

// Names lists the sample documents, without extension.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".md"))
	}
	return names
}

// Get returns a sample document's Markdown source.
func Get(name string) ([]byte, bool) {
	b, err := files.ReadFile(name + ".md")
	return b, err == nil
}
