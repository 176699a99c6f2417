package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// maxMIMEParts bounds the parts of one e-mail that are walked.
const maxMIMEParts = 200

// isEmail reports whether raw is an e-mail message: named .eml, or
// starting with a header block that has a sender and a date or subject.
func isEmail(name string, raw []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".eml") {
		return true
	}
	head := raw[:min(len(raw), 64<<10)]
	// A header block starts with a header field, not with prose.
	first, _, _ := bytes.Cut(head, []byte("\n"))
	colon := bytes.IndexByte(first, ':')
	if colon <= 0 || bytes.ContainsAny(first[:colon], " \t") {
		return false
	}
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	h, err := tp.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return false
	}
	return h.Get("From") != "" && (h.Get("Date") != "" || h.Get("Subject") != "" || h.Get("Message-Id") != "")
}

// email reads an e-mail's subject, its text (the plain part of an
// alternative, else the HTML part's visible text), any forwarded message,
// and the attachments telltale can read.
func (x *Extractor) email(ctx context.Context, raw []byte, depth int) (*Result, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, &Error{fmt.Sprintf("the e-mail cannot be read: %v", err)}
	}
	res := &Result{Format: FormatEmail}
	w := &mailWalk{x: x, ctx: ctx, depth: depth, res: res}
	if s := decodeWords(m.Header.Get("Subject")); s != "" {
		w.texts = append(w.texts, "Subject: "+s)
	}
	if err := w.entity(textproto.MIMEHeader(m.Header), m.Body, 0); err != nil {
		return nil, err
	}
	res.Text = strings.Join(w.texts, "\n\n")
	if w.confWords > 0 {
		res.Confidence = w.confSum / float64(w.confWords)
	}
	return res, nil
}

type mailWalk struct {
	x     *Extractor
	ctx   context.Context
	depth int
	res   *Result
	texts []string
	parts int
	// OCR confidence over attachments read by OCR, weighted by pages
	confSum   float64
	confWords int
}

// entity reads one MIME entity.
func (w *mailWalk) entity(h textproto.MIMEHeader, body io.Reader, level int) error {
	if w.parts++; w.parts > maxMIMEParts || level > 10 {
		return &Error{fmt.Sprintf("the e-mail has more than %d parts or is nested more than 10 deep", maxMIMEParts)}
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, params = "application/octet-stream", nil
	}
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	filename := decodeWords(dparams["filename"])
	if filename == "" {
		filename = decodeWords(params["name"])
	}
	if strings.HasPrefix(mt, "multipart/") {
		return w.multipart(mt, params["boundary"], body, level)
	}
	data, err := io.ReadAll(io.LimitReader(transferDecoder(h, body), MaxFileSize+1))
	if err != nil {
		return &Error{fmt.Sprintf("a part of the e-mail cannot be decoded: %v", err)}
	}
	attachment := disp == "attachment" || filename != "" && !strings.HasPrefix(mt, "text/")
	switch {
	case mt == "message/rfc822":
		sub, err := w.x.email(w.ctx, data, w.depth)
		if err != nil {
			return err
		}
		w.texts = append(w.texts, sub.Text)
		w.res.Notes = append(w.res.Notes, "forwarded message read")
	case !attachment && mt == "text/plain":
		w.texts = append(w.texts, charsetText(data, params["charset"]))
	case !attachment && mt == "text/html":
		text, _, err := Text([]byte(charsetText(data, params["charset"])))
		if err == nil {
			w.texts = append(w.texts, text)
		}
	default:
		return w.attachment(filename, mt, data)
	}
	return nil
}

// multipart reads a multipart entity: of an alternative, the plain text
// if there is one, else the last part.
func (w *mailWalk) multipart(mt, boundary string, body io.Reader, level int) error {
	if boundary == "" {
		return &Error{"the e-mail has a multipart part without a boundary"}
	}
	mr := multipart.NewReader(body, boundary)
	type part struct {
		h    textproto.MIMEHeader
		data []byte
	}
	var parts []part
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &Error{fmt.Sprintf("the e-mail's parts cannot be read: %v", err)}
		}
		data, err := io.ReadAll(io.LimitReader(p, 2*MaxFileSize))
		if err != nil {
			return &Error{fmt.Sprintf("the e-mail's parts cannot be read: %v", err)}
		}
		parts = append(parts, part{p.Header, data})
		if len(parts) > maxMIMEParts {
			return &Error{fmt.Sprintf("the e-mail has more than %d parts", maxMIMEParts)}
		}
	}
	if mt == "multipart/alternative" && len(parts) > 0 {
		chosen := parts[len(parts)-1]
		for _, p := range parts {
			if m, _, _ := mime.ParseMediaType(p.h.Get("Content-Type")); m == "text/plain" {
				chosen = p
				break
			}
		}
		parts = []part{chosen}
	}
	for _, p := range parts {
		if err := w.entity(p.h, bytes.NewReader(p.data), level+1); err != nil {
			return err
		}
	}
	return nil
}

// attachment reads an attached file if telltale can, and notes it.
func (w *mailWalk) attachment(name, mt string, data []byte) error {
	if name == "" {
		name = "unnamed " + mt
	}
	if w.depth > 0 {
		w.res.Notes = append(w.res.Notes, fmt.Sprintf("attachment %s inside an attachment not read", name))
		return nil
	}
	sub, err := w.x.extract(w.ctx, name, data, w.depth+1)
	var e *Error
	if errors.As(err, &e) {
		w.res.Notes = append(w.res.Notes, fmt.Sprintf("attachment %s not read: %s", name, e.Msg))
		return nil
	}
	if err != nil {
		return err
	}
	w.texts = append(w.texts, sub.Text)
	w.res.Notes = append(w.res.Notes, fmt.Sprintf("attachment %s read (%s)", name, sub.Obtained()))
	if sub.OCRPages > 0 {
		w.res.OCRPages += sub.OCRPages
		w.confSum += sub.Confidence * float64(sub.OCRPages)
		w.confWords += sub.OCRPages
	}
	w.res.Pages += sub.Pages
	return nil
}

// transferDecoder undoes a part's Content-Transfer-Encoding.
func transferDecoder(h textproto.MIMEHeader, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &spaceless{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// spaceless drops the line breaks and spaces base64 bodies are wrapped
// with.
type spaceless struct{ r io.Reader }

func (s *spaceless) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[k] = c
				k++
			}
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}

// charsetText decodes text in the named charset (UTF-8 if unknown).
func charsetText(data []byte, charset string) string {
	if charset != "" && !strings.EqualFold(charset, "utf-8") && !strings.EqualFold(charset, "us-ascii") {
		if enc, err := htmlindex.Get(charset); err == nil {
			if out, err := enc.NewDecoder().Bytes(data); err == nil {
				return strings.ReplaceAll(string(out), "\r\n", "\n")
			}
		}
	}
	return strings.ReplaceAll(strings.ToValidUTF8(string(data), "\uFFFD"), "\r\n", "\n")
}

// decodeWords decodes RFC 2047 encoded words in a header value.
func decodeWords(s string) string {
	d := &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(charset)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(r), nil
	}}
	if out, err := d.DecodeHeader(s); err == nil {
		return out
	}
	return s
}
