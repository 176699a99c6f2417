// Package bundle writes and verifies a case's evidence bundle: a zip that a
// reviewing office or a court can check offline, without telltale's
// database.
//
// A bundle holds the evidence as received, each verdict exactly as it was
// recorded, the accused recipients' codewords revealed with the salts of
// their commitments, the access timeline, a printable report, and ledger
// entries with inclusion proofs against a signed checkpoint. manifest.json
// lists every file with its SHA-256, and the ledger entry "case.export"
// commits to the manifest's hash, so no file can change without the
// signature check or a hash check failing.
package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/telltale-dev/telltale/ledger"
)

// Format identifies the bundle layout.
const Format = "telltale.bundle/v1"

// Fixed file names.
const (
	ManifestFile = "manifest.json"
	LedgerFile   = "ledger.json"
	EvidenceFile = "evidence.json"
	ReportFile   = "report.html"
	TimelineFile = "timeline.json"
)

// Manifest lists a bundle's files.
type Manifest struct {
	Format  string    `json:"format"`
	Case    CaseInfo  `json:"case"`
	Created time.Time `json:"created"`
	Files   []File    `json:"files"`
}

// CaseInfo describes the case the bundle comes from.
type CaseInfo struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	State       string    `json:"state"`
	Outcome     string    `json:"outcome,omitempty"`
	Office      string    `json:"office,omitempty"`
	Document    string    `json:"document,omitempty"`
	Version     int       `json:"version,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
}

// File is one listed file.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// Item describes one evidence item in evidence.json.
type Item struct {
	ID      int64     `json:"id"`
	Kind    string    `json:"kind"`
	Name    string    `json:"name"`
	URL     string    `json:"url,omitempty"`
	SHA256  string    `json:"sha256"`
	AddedAt time.Time `json:"added_at"`
	File    string    `json:"file"`
	Verdict string    `json:"verdict,omitempty"` // path of the verdict file
}

// Codeword is an accused copy's revealed codeword: with the salt, anyone
// can recompute the commitment recorded in the ledger when the copy was
// issued.
type Codeword struct {
	Copy       string `json:"copy"` // "copy/12"
	Recipient  string `json:"recipient"`
	Email      string `json:"email"`
	Symbols    []int  `json:"symbols"`
	Salt       string `json:"salt"`       // hex
	Commitment string `json:"commitment"` // "sha256:…" as in the ledger
	// HolderSalt (hex) opens the copy's holder commitment in its issue
	// entry (ledger.HolderCommitment), so a verifier can check that the
	// person a verdict names is the one the copy was issued to.
	HolderSalt string `json:"holder_salt,omitempty"`
}

// Writer assembles a bundle's files in memory.
type Writer struct {
	files map[string][]byte
	order []string
}

// NewWriter returns an empty bundle.
func NewWriter() *Writer { return &Writer{files: map[string][]byte{}} }

// Add adds a file; adding a path twice is a bug.
func (w *Writer) Add(path string, data []byte) {
	if _, ok := w.files[path]; ok {
		panic("bundle: file added twice: " + path)
	}
	w.files[path] = data
	w.order = append(w.order, path)
}

// AddJSON adds a file holding v as indented JSON.
func (w *Writer) AddJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to encode %s: %w", path, err)
	}
	w.Add(path, append(b, '\n'))
	return nil
}

// Manifest returns the manifest of the files added so far, encoded, and
// its hash ("sha256:…"), which the export's ledger entry records.
func (w *Writer) Manifest(info CaseInfo, created time.Time) ([]byte, string, error) {
	m := Manifest{Format: Format, Case: info, Created: created.UTC()}
	for _, p := range w.order {
		m.Files = append(m.Files, File{Path: p, SHA256: Hash(w.files[p]), Size: len(w.files[p])})
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, "", fmt.Errorf("failed to encode the manifest: %w", err)
	}
	b = append(b, '\n')
	return b, Hash(b), nil
}

// Write writes the zip: the files, the manifest and the ledger evidence.
func (w *Writer) Write(out io.Writer, manifest []byte, ev *ledger.Evidence) error {
	zw := zip.NewWriter(out)
	add := func(path string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: path, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	if err := add(ManifestFile, manifest); err != nil {
		return fmt.Errorf("failed to write the bundle: %w", err)
	}
	for _, p := range w.order {
		if err := add(p, w.files[p]); err != nil {
			return fmt.Errorf("failed to write the bundle: %w", err)
		}
	}
	lb, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to encode the ledger evidence: %w", err)
	}
	if err := add(LedgerFile, append(lb, '\n')); err != nil {
		return fmt.Errorf("failed to write the bundle: %w", err)
	}
	return zw.Close()
}

// Hash is "sha256:" and the hex SHA-256 of b, as the ledger writes hashes.
func Hash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Bytes is a convenience for tests: the zip in memory.
func (w *Writer) Bytes(manifest []byte, ev *ledger.Evidence) ([]byte, error) {
	var buf bytes.Buffer
	err := w.Write(&buf, manifest, ev)
	return buf.Bytes(), err
}
