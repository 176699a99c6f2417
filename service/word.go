package service

import (
	"errors"
	"fmt"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/docx"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/render"
)

// A version added from a Word document keeps the Word file, sealed like
// its source (Version.SealedDocx); its source is the document's text as
// Markdown, which its md, html and txt copies, the reader and the
// suggester use. Its Word copies are written by package docx, editing the
// original's runs: nothing else of the file changes.

// markWord marks a Word document as a source. It returns the template
// and the document's text as Markdown, the version's source.
func (s *Service) markWord(filename string, file []byte) (*mark.Template, []byte, error) {
	tpl, r, err := docx.Mark(filename, file, mark.Options{Lexicon: s.lexicon})
	if err != nil {
		return nil, nil, wordError(filename, err)
	}
	return tpl, r.Markdown(), nil
}

// wordError tells the owner what is wrong with a Word file (damaged,
// encrypted, macros, too large) or with the markup written in it; any
// other failure is telltale's.
func wordError(filename string, err error) error {
	var de *docx.Error
	var pe *parse.Error
	if errors.As(err, &de) || errors.As(err, &pe) {
		return &telltale.Error{Code: telltale.EINVALID, Message: fmt.Sprintf("%s: %v", filename, err), Err: err}
	}
	return &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("failed to read the Word document %s", filename), Err: err}
}

// errNotWord refuses Word copies of a version added from Markdown.
func errNotWord(d string, v *telltale.Version) error {
	return telltale.Errorf(telltale.EINVALID, "version %d of %q: this version was added from Markdown; Word copies need a Word original (hint: add the document as a .docx, or choose md, html, txt or pdf)", v.Number, d)
}

// wordRenderer returns the writer of a Word version's copies, loading
// its Word file once.
func (s *Service) wordRenderer(v *telltale.Version, st *preparedVersion) (*docx.Renderer, error) {
	s.mu.Lock()
	w := st.word
	s.mu.Unlock()
	if w != nil {
		return w, nil
	}
	file, err := s.keys.OpenVersion(v, keys.VersionDocx, v.SealedDocx)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("failed to decrypt the Word file of version %d", v.Number), Err: err}
	}
	if w, err = docx.Load(file, st.tpl); err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("failed to prepare the Word copies of version %d", v.Number), Err: err}
	}
	s.mu.Lock()
	if st.word == nil {
		st.word = w
	}
	w = st.word
	s.mu.Unlock()
	return w, nil
}

// renderFile renders one file of a copy: a Word copy from the version's
// Word original, the other formats from its template.
func (s *Service) renderFile(v *telltale.Version, st *preparedVersion, f render.Format, c render.Copy) ([]byte, error) {
	if f != render.Word {
		return st.renderer.Render(f, c)
	}
	if !v.FromWord() {
		return nil, errors.New("a Word copy of a version added from Markdown")
	}
	w, err := s.wordRenderer(v, st)
	if err != nil {
		return nil, err
	}
	return w.Render(c, docx.Options{})
}

// defaultFormats are the formats of an issue that names none: md, html
// and txt, and docx first for a version added from Word.
func defaultFormats(v *telltale.Version) []render.Format {
	if v.FromWord() {
		return append([]render.Format{render.Word}, render.Formats...)
	}
	return render.Formats
}
