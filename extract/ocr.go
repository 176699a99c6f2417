package extract

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ocrResult is what OCR read from one page.
type ocrResult struct {
	text       string
	confidence float64 // mean word confidence, 0–100
	words      int
	angle      float64 // degrees the page was turned to level its lines
}

// ocr deskews a page image, enlarges it if its text is likely too small
// for Tesseract, and reads it. dpi is the image's resolution if known
// (0 if not); dir is a private temporary directory, or "" to make one.
func (x *Extractor) ocr(ctx context.Context, dir string, g *image.Gray, dpi int) (*ocrResult, error) {
	if dir == "" {
		d, err := os.MkdirTemp("", "telltale-ocr-")
		if err != nil {
			return nil, fmt.Errorf("failed to make a temporary directory for OCR: %w", err)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	angle := skew(g)
	if math.Abs(angle) < 0.1 {
		angle = 0
	}
	scale := 1.0
	if w := g.Rect.Dx(); dpi == 0 && w < 1800 {
		// A page photographed or scanned small: Tesseract reads best
		// with capital letters 20–30 pixels high, about 240 dpi for
		// 11-point type on a page 2,000 pixels wide.
		scale = math.Min(3, 2000/float64(w))
	}
	if angle != 0 || scale != 1 {
		g = rotate(g, angle, scale)
		if dpi != 0 {
			dpi = int(float64(dpi) * scale)
		}
	}
	in := filepath.Join(dir, "ocr.png")
	if err := writePNG(in, g); err != nil {
		return nil, err
	}
	defer os.Remove(in)
	args := []string{in, "stdout", "-l", x.tools.Languages, "--psm", "3"}
	if dpi != 0 {
		args = append(args, "--dpi", strconv.Itoa(dpi))
	}
	out, err := x.run(ctx, x.tesseract(), "reading an image (OCR)", 4*MaxText, append(args, "tsv")...)
	if err != nil {
		return nil, err
	}
	o := parseTSV(out)
	o.angle = angle
	return o, nil
}

func writePNG(name string, g *image.Gray) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("failed to write the page for OCR: %w", err)
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(f, g); err != nil {
		f.Close()
		return fmt.Errorf("failed to write the page for OCR: %w", err)
	}
	return f.Close()
}

// parseTSV turns Tesseract's TSV output into text (a line per line of
// the page, a blank line between paragraphs) and its mean word
// confidence.
func parseTSV(out []byte) *ocrResult {
	var b strings.Builder
	var sum float64
	o := &ocrResult{}
	var block, par, line string
	first := true
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		// level page block par line word left top width height conf text
		f := strings.SplitN(sc.Text(), "\t", 12)
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		word := strings.TrimSpace(f[11])
		if word == "" {
			continue
		}
		switch {
		case first:
		case f[2] != block || f[3] != par:
			b.WriteString("\n\n")
		case f[4] != line:
			b.WriteString("\n")
		default:
			b.WriteString(" ")
		}
		first = false
		block, par, line = f[2], f[3], f[4]
		b.WriteString(word)
		if c, err := strconv.ParseFloat(f[10], 64); err == nil && c >= 0 {
			sum += c
			o.words++
		}
	}
	o.text = b.String()
	if o.words > 0 {
		o.confidence = sum / float64(o.words)
	}
	return o
}
