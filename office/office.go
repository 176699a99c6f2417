// Package office converts Word documents to PDF with LibreOffice.
//
// A [Converter] runs soffice --headless --convert-to pdf on a batch of
// documents in a private temporary directory, with a LibreOffice profile
// of its own (-env:UserInstallation), so conversions running at the same
// time — in one server or several — never share a profile or a lock, and
// under a deadline, after which the whole process group is killed. One
// run converts a whole batch: starting LibreOffice costs more than
// converting a plan.
//
// LibreOffice is Debian's libreoffice-writer-nogui; a machine without it
// gets a *MissingToolError that says so.
package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Converter converts Word documents to PDF. The zero value uses soffice
// from PATH with the default deadlines.
type Converter struct {
	// Program is the LibreOffice program; empty means "soffice".
	Program string
	// Timeout bounds one run: Base plus PerDocument for each document.
	// Zero means 60 s and 15 s.
	Base, PerDocument time.Duration
}

// Package is the Debian package that provides soffice.
const Package = "libreoffice-writer-nogui"

// MissingToolError says that LibreOffice is not installed.
type MissingToolError struct{ Program string }

func (e *MissingToolError) Error() string {
	return fmt.Sprintf("PDF copies of Word documents need LibreOffice (%s), which is not installed on this machine (Debian: apt-get install %s)", e.Program, Package)
}

// Available reports whether the converter's program is installed.
func (c Converter) Available() bool {
	_, err := exec.LookPath(c.program())
	return err == nil
}

func (c Converter) program() string {
	if c.Program == "" {
		return "soffice"
	}
	return c.Program
}

// PDF converts each document (the bytes of a .docx) to PDF, in one run
// of LibreOffice. It fails as a whole if any document fails.
func (c Converter) PDF(ctx context.Context, docs [][]byte) ([][]byte, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	path, err := exec.LookPath(c.program())
	if err != nil {
		return nil, &MissingToolError{Program: c.program()}
	}
	dir, err := os.MkdirTemp("", "telltale-office-")
	if err != nil {
		return nil, fmt.Errorf("failed to make a directory for LibreOffice: %w", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	for _, d := range []string{in, out} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, fmt.Errorf("failed to make a directory for LibreOffice: %w", err)
		}
	}
	args := []string{"--headless", "--norestore", "--nolockcheck", "--nologo", "--nodefault",
		"-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "pdf:writer_pdf_Export", "--outdir", out}
	for i, d := range docs {
		name := filepath.Join(in, fmt.Sprintf("copy-%05d.docx", i))
		if err := os.WriteFile(name, d, 0o600); err != nil {
			return nil, fmt.Errorf("failed to write a document for LibreOffice: %w", err)
		}
		args = append(args, name)
	}
	base, per := c.Base, c.PerDocument
	if base == 0 {
		base = 60 * time.Second
	}
	if per == 0 {
		per = 15 * time.Second
	}
	timeout := base + time.Duration(len(docs))*per
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "TMPDIR="+dir)
	killGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	err = cmd.Run()
	if parent.Err() != nil {
		return nil, parent.Err()
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("LibreOffice took longer than %s to convert %d documents to PDF and was stopped", timeout, len(docs))
	}
	if err != nil {
		return nil, fmt.Errorf("LibreOffice failed to convert to PDF: %v: %s", err, lastLines(stderr.String(), 3))
	}
	pdfs := make([][]byte, len(docs))
	for i := range docs {
		b, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("copy-%05d.pdf", i)))
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("LibreOffice could not convert document %d of %d to PDF: %s", i+1, len(docs), lastLines(stderr.String(), 3))
		}
		if err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			return nil, fmt.Errorf("LibreOffice wrote something that is not a PDF for document %d of %d", i+1, len(docs))
		}
		pdfs[i] = b
	}
	return pdfs, nil
}

func lastLines(s string, n int) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.Contains(l, "javaldx") {
			keep = append(keep, l)
		}
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	return strings.Join(keep, "; ")
}
