package parse

import (
	"bytes"
	"fmt"
)

// Error is a problem with a source document, located in the file as the
// author wrote it.
type Error struct {
	File string
	Line int // 1-based; 0 if the error concerns the whole file
	Col  int // 1-based; 0 if unknown
	Msg  string
	Hint string // what to do about it
}

func (e *Error) Error() string {
	loc := e.File
	if loc == "" {
		loc = "document"
	}
	if e.Line > 0 {
		loc += fmt.Sprintf(":%d", e.Line)
		if e.Col > 0 {
			loc += fmt.Sprintf(":%d", e.Col)
		}
	}
	s := loc + ": " + e.Msg
	if e.Hint != "" {
		s += " (hint: " + e.Hint + ")"
	}
	return s
}

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// positions maps offsets of the canonical source back to the file.
type positions struct {
	file      []byte
	bodyStart int
	shifts    []shift // in increasing src order
}

// shift records that source offsets from src on lie delta bytes further
// into the file, because a declared variant was shortened to its first
// alternative.
type shift struct {
	src   int
	delta int
}

func (p *positions) fileOffset(src int) int {
	off := p.bodyStart + src
	for _, s := range p.shifts {
		if s.src > src {
			break
		}
		off += s.delta
	}
	return off
}

func (p *positions) lineCol(off int) (int, int) {
	return lineOf(p.file, off), colOf(p.file, off)
}

func lineOf(b []byte, off int) int {
	off = min(max(off, 0), len(b))
	return bytes.Count(b[:off], []byte("\n")) + 1
}

func colOf(b []byte, off int) int {
	off = min(max(off, 0), len(b))
	start := bytes.LastIndexByte(b[:off], '\n') + 1
	return len([]rune(string(b[start:off]))) + 1
}
