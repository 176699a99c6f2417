package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/office"
	"github.com/telltale-dev/telltale/pdf"
	"github.com/telltale-dev/telltale/render"
)

// Printer prints a copy's HTML page to PDF (package pdf).
type Printer interface {
	Print(ctx context.Context, page []byte, m pdf.Marking) ([]byte, error)
}

// Office converts Word documents to PDF (package office).
type Office interface {
	PDF(ctx context.Context, docs [][]byte) ([][]byte, error)
}

// pdfSource is the file a version's PDF copies are printed from: the
// Word copy of a version added from Word when LibreOffice is configured,
// else the HTML page.
func (s *Service) pdfSource(v *telltale.Version) render.Format {
	if v.FromWord() && s.office != nil {
		return render.Word
	}
	return render.HTML
}

// printCopy prints a copy to PDF from its pdfSource file. A Word copy is
// converted by LibreOffice, its formatting and the marking in its page
// headers kept. An HTML page is printed with its marking on every page:
// the classification at the top, the copy's marking line and the page
// number at the bottom, and the recipient's name across the page if the
// owner asked for a watermark.
func (s *Service) printCopy(ctx context.Context, v *telltale.Version, c *telltale.Copy, r *telltale.Recipient, page []byte) ([]byte, error) {
	if s.pdfSource(v) == render.Word {
		out, err := s.printWord(ctx, [][]byte{page})
		if err != nil {
			return nil, err
		}
		return out[0], nil
	}
	if s.printer == nil {
		return nil, telltale.Errorf(telltale.ENOTIMPL, "this installation cannot print PDF copies: it needs Chromium (Debian: apt-get install chromium)")
	}
	st, err := s.prepare(v)
	if err != nil {
		return nil, err
	}
	tpl := st.tpl
	m := pdf.Marking{Header: tpl.Classification, Footer: st.renderer.MarkingLine(s.renderCopy(c, r, nil))}
	if c.Watermark {
		m.Watermark = strings.ToUpper(r.Name) + fmt.Sprintf(" · COPY %d", c.Number)
	}
	out, err := s.printer.Print(ctx, page, m)
	var missing *pdf.MissingBrowserError
	switch {
	case errors.As(err, &missing):
		return nil, telltale.Errorf(telltale.ENOTIMPL, "this installation cannot print PDF copies: %v", err)
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to print the copy as PDF", Err: err}
	}
	return out, nil
}

// printWord converts Word copies to PDF in one run of LibreOffice.
func (s *Service) printWord(ctx context.Context, docs [][]byte) ([][]byte, error) {
	out, err := s.office.PDF(ctx, docs)
	var missing *office.MissingToolError
	switch {
	case errors.As(err, &missing):
		return nil, telltale.Errorf(telltale.ENOTIMPL, "this installation cannot print PDF copies of Word documents: %v", err)
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to convert the Word copy to PDF", Err: err}
	}
	return out, nil
}
