package service

import (
	"fmt"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/capacity"
	"github.com/telltale-dev/telltale/docx"
	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/keys"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/read"
	"github.com/telltale-dev/telltale/render"
)

// preparedVersion caches what a version needs for rendering and tracing.
type preparedVersion struct {
	tpl      *mark.Template
	renderer *render.Renderer
	biases   [][]float64
	reader   *read.Reader // built on first trace
	// word writes the Word copies of a version added from a .docx,
	// loaded on first use (see wordRenderer).
	word *docx.Renderer
	// reports are traceability reports by audience, measured once.
	reports map[int]*capacity.Traceability
}

// designOf returns a version's fingerprinting design.
func designOf(v *telltale.Version) fingerprint.Design {
	return fingerprint.Design{Coalition: v.Coalition, Version: max(v.Design, 1)}
}

// prepare decrypts and compiles a version once and caches the result.
func (s *Service) prepare(v *telltale.Version) (*preparedVersion, error) {
	s.mu.Lock()
	st, ok := s.versions[v.ID]
	s.mu.Unlock()
	if ok {
		return st, nil
	}
	plain, err := s.keys.OpenVersion(v, keys.VersionTemplate, v.SealedTemplate)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: fmt.Sprintf("failed to decrypt version %d (hint: is this the master key the document was stored with?)", v.Number), Err: err}
	}
	tpl, err := mark.Unmarshal(plain)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "stored template is damaged", Err: err}
	}
	r, err := render.Compile(tpl)
	if err != nil {
		return nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to prepare the version for rendering", Err: err}
	}
	biases := fingerprint.SlotBiases(s.biasKey(v), tpl.Arities(), tpl.Robust(), designOf(v))
	st = &preparedVersion{tpl: tpl, renderer: r, biases: biases}
	s.mu.Lock()
	s.versions[v.ID] = st
	s.mu.Unlock()
	return st, nil
}

func (s *Service) biasKey(v *telltale.Version) fingerprint.Key {
	return fingerprint.Key(s.keys.BiasKey(v))
}

func (s *Service) copyKey(c *telltale.Copy) fingerprint.Key {
	return fingerprint.Key(s.keys.CodewordKey(c))
}

// reader returns a version's reader, building it once.
func (s *Service) reader(v *telltale.Version) (*read.Reader, *preparedVersion, error) {
	st, err := s.prepare(v)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	rd := st.reader
	s.mu.Unlock()
	if rd != nil {
		return rd, st, nil
	}
	rd, err = read.New(st.tpl)
	if err != nil {
		return nil, nil, &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to prepare the version for reading", Err: err}
	}
	s.mu.Lock()
	st.reader = rd
	s.mu.Unlock()
	return rd, st, nil
}
