package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/pdf"
)

// Printer prints a copy's HTML page to PDF (package pdf).
type Printer interface {
	Print(ctx context.Context, page []byte, m pdf.Marking) ([]byte, error)
}

// printCopy prints a copy's HTML page with its marking on every page: the
// classification at the top, the copy's marking line and the page number
// at the bottom, and the recipient's name across the page if the owner
// asked for a watermark.
func (s *Service) printCopy(ctx context.Context, v *telltale.Version, c *telltale.Copy, r *telltale.Recipient, page []byte) ([]byte, error) {
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
