package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// FrontMatter is the YAML block at the top of a source document:
//
//	---
//	title: Operation Harbor Light
//	classification: LAW ENFORCEMENT SENSITIVE
//	marking: "Copy {copy} of {copies} — prepared for {recipient} — {classification}"
//	invisible: true
//	---
type FrontMatter struct {
	// Title of the document; defaults to its first heading.
	Title string `yaml:"title"`
	// Classification is the handling marking printed on every copy.
	Classification string `yaml:"classification"`
	// Marking is the visible marking line; see render.DefaultMarking for
	// the placeholders.
	Marking string `yaml:"marking"`
	// Invisible opts in to the zero-width channel, which survives digital
	// copy and paste only.
	Invisible bool `yaml:"invisible"`
}

var markingPlaceholder = regexp.MustCompile(`\{[a-z]*\}`)

// MarkingPlaceholders are the placeholders a marking line may use.
var MarkingPlaceholders = []string{"{copy}", "{copies}", "{recipient}", "{unit}", "{email}", "{classification}", "{title}", "{date}"}

// parseFrontMatter reads an optional front matter block and returns it with
// the offset where the body starts.
func parseFrontMatter(name string, file []byte) (FrontMatter, int, error) {
	var fm FrontMatter
	rest, ok := bytes.CutPrefix(file, []byte("\ufeff"))
	bom := len(file) - len(rest)
	if !ok {
		rest = file
	}
	first, _, _ := bytes.Cut(rest, []byte("\n"))
	if strings.TrimRight(string(first), " \r") != "---" {
		return fm, bom, nil
	}
	start := bom + len(first) + 1
	end, bodyStart := -1, -1
	for i := start; i < len(file); {
		j := bytes.IndexByte(file[i:], '\n')
		lineEnd := len(file)
		next := len(file)
		if j >= 0 {
			lineEnd, next = i+j, i+j+1
		}
		line := strings.TrimRight(string(file[i:lineEnd]), " \r")
		if line == "---" || line == "..." {
			end, bodyStart = i, next
			break
		}
		i = next
	}
	if end < 0 {
		return fm, 0, &Error{File: name, Line: 1, Msg: "front matter opened with --- is never closed", Hint: "end the front matter with a line containing only ---"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(file[start:end]))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil && !errors.Is(err, io.EOF) {
		return fm, 0, frontMatterError(name, err)
	}
	fm.Title = strings.TrimSpace(fm.Title)
	fm.Classification = strings.TrimSpace(fm.Classification)
	if fm.Marking != "" {
		for _, p := range markingPlaceholder.FindAllString(fm.Marking, -1) {
			known := false
			for _, k := range MarkingPlaceholders {
				known = known || k == p
			}
			if !known {
				return fm, 0, &Error{File: name, Msg: fmt.Sprintf("front matter: marking uses unknown placeholder %s", p), Hint: "use " + strings.Join(MarkingPlaceholders, " ")}
			}
		}
	}
	return fm, bodyStart, nil
}

var (
	yamlLine     = regexp.MustCompile(`line (\d+)`)
	yamlUnknown  = regexp.MustCompile(`field (\S+) not found in type`)
	yamlMismatch = regexp.MustCompile("cannot unmarshal !!(\\w+) `([^`]*)` into (\\S+)")
)

// frontMatterError turns a YAML error into one that names the file line
// (the YAML starts on line 2 of the file) and the key at fault.
func frontMatterError(name string, err error) error {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[1], &line)
		line++
	}
	switch {
	case yamlUnknown.MatchString(msg):
		msg = fmt.Sprintf("unknown key %q", yamlUnknown.FindStringSubmatch(msg)[1])
	case yamlMismatch.MatchString(msg):
		m := yamlMismatch.FindStringSubmatch(msg)
		want := strings.TrimPrefix(m[3], "[]")
		if want == "bool" {
			want = "true or false"
		} else {
			want = "text"
		}
		msg = fmt.Sprintf("value %q should be %s", m[2], want)
	default:
		msg = strings.TrimPrefix(msg, "yaml: ")
		msg = strings.TrimSpace(yamlLine.ReplaceAllString(msg, ""))
		msg = strings.TrimSpace(strings.TrimPrefix(msg, ":"))
	}
	return &Error{File: name, Line: line, Msg: "front matter: " + msg, Hint: "front matter is YAML with the keys title, classification, marking and invisible"}
}
