package extract

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// tool is an outside program and the Debian package that provides it.
type tool struct {
	path string // the configured path or name
	name string // the program's usual name, for messages
	pkg  string
}

func (x *Extractor) pdftotext() tool { return tool{x.tools.Pdftotext, "pdftotext", "poppler-utils"} }
func (x *Extractor) pdftoppm() tool  { return tool{x.tools.Pdftoppm, "pdftoppm", "poppler-utils"} }
func (x *Extractor) tesseract() tool { return tool{x.tools.Tesseract, "tesseract", "tesseract-ocr"} }

// limitedBuffer keeps at most max bytes and remembers that it overflowed.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

// run runs t with args under the extractor's deadline and returns what it
// wrote to standard output, at most limit bytes. what says what the
// program is run for, as in "reading a PDF".
func (x *Extractor) run(ctx context.Context, t tool, what string, limit int, args ...string) ([]byte, error) {
	path, err := exec.LookPath(t.path)
	if err != nil {
		return nil, &MissingToolError{Tool: t.name, Package: t.pkg, For: what}
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(parent, x.tools.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	// One thread per OCR run: the server runs several at once, and
	// Tesseract's own threads only slow that down.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.WaitDelay = 5 * time.Second
	stdout := &limitedBuffer{max: limit}
	stderr := &limitedBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	if parent.Err() != nil {
		return nil, parent.Err() // the caller gave up
	}
	if ctx.Err() != nil {
		return nil, &Error{fmt.Sprintf("%s: %s took longer than %s and was stopped (hint: trace the pages that matter, or a clearer image)", what, t.name, x.tools.Timeout)}
	}
	if err != nil {
		msg := firstLines(stderr.String(), 3)
		if msg == "" {
			msg = err.Error()
		}
		return nil, &Error{fmt.Sprintf("%s: %s could not read it: %s", what, t.name, msg)}
	}
	if stdout.over {
		return nil, &Error{fmt.Sprintf("%s: the text is longer than %d KB; telltale reads at most %d KB at a time (hint: trace the pages that matter)", what, limit>>10, MaxText>>10)}
	}
	return stdout.Bytes(), nil
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[:min(n, len(lines))], "; ")
}
