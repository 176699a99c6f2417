package bundle

import (
	"archive/zip"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/telltale-dev/telltale/fingerprint"
	"github.com/telltale-dev/telltale/ledger"
	"github.com/telltale-dev/telltale/trace"
)

// Limits on what Verify reads: a bundle holds a case's evidence (each item
// at most 10 MB), its verdicts and proofs. They are checked against the
// sizes the zip declares before anything is read, and against the bytes
// actually read while streaming, so a small zip cannot expand into
// gigabytes.
const (
	MaxBundleSize = 256 << 20 // uncompressed, all files
	MaxFileSize   = 64 << 20  // uncompressed, one file
	MaxFiles      = 2000
)

// Verification says what Verify checked. The bundle verifies when Problems is
// empty.
type Verification struct {
	Manifest *Manifest
	// KeyFromBundle is true when no trusted key was given and the
	// bundle's own key was used: the signature then only shows the
	// bundle is self-consistent; compare the key with the published one.
	KeyFromBundle bool
	VerifierKey   string
	Checkpoint    *ledger.Checkpoint
	Checked       []string
	Problems      []string
}

// OK reports whether nothing was wrong.
func (r *Verification) OK() bool { return len(r.Problems) == 0 }

func (r *Verification) ok(format string, args ...any) {
	r.Checked = append(r.Checked, fmt.Sprintf(format, args...))
}
func (r *Verification) bad(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Verify checks a bundle offline against a trusted ledger verifier key
// (the contents of ledger.pub). With an empty key it uses the key in the
// bundle and says so. It returns an error only when the bundle cannot be
// read at all; everything wrong inside is a Problem.
func Verify(data []byte, trustedKey string) (*Verification, error) {
	files, err := readFiles(data)
	if err != nil {
		return nil, err
	}
	manifest, m, err := readManifest(files)
	if err != nil {
		return nil, err
	}
	r := &Verification{Manifest: m}
	r.checkFiles(m, files)
	entries, ok := r.checkLedger(files[LedgerFile], trustedKey)
	if !ok {
		return r, nil // nothing else can be checked against the ledger
	}
	v := &verifier{Verification: r, files: files, entries: entries, caseRef: fmt.Sprintf("case/%d", m.Case.ID)}
	v.checkManifestRecorded(manifest)
	verdicts := v.checkEvidence()
	revealed := v.checkCodewords()
	v.checkAccusations(verdicts, revealed)
	return r, nil
}

// readFiles reads every file of the zip, within MaxFiles and
// MaxBundleSize, refusing a name that appears twice.
func readFiles(data []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a bundle: %w", err)
	}
	if len(zr.File) > MaxFiles {
		return nil, fmt.Errorf("bundle has %d files; the limit is %d", len(zr.File), MaxFiles)
	}
	var declared uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > MaxFileSize {
			return nil, fmt.Errorf("bundle file %s is %d MB uncompressed; the limit is %d MB", f.Name, f.UncompressedSize64>>20, MaxFileSize>>20)
		}
		if declared += f.UncompressedSize64; declared > MaxBundleSize {
			return nil, fmt.Errorf("bundle is larger than %d MB uncompressed", MaxBundleSize>>20)
		}
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			return nil, fmt.Errorf("bundle holds %s twice", f.Name)
		}
		b, err := readFile(f)
		if err != nil {
			return nil, fmt.Errorf("bundle file %s: %w", f.Name, err)
		}
		files[f.Name] = b
	}
	return files, nil
}

// readFile reads one file, refusing more bytes than the zip declares for
// it.
func readFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := bytes.NewBuffer(make([]byte, 0, f.UncompressedSize64))
	n, err := io.Copy(buf, io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil {
		return nil, err
	}
	if uint64(n) > f.UncompressedSize64 {
		return nil, fmt.Errorf("holds more than the %d bytes its header declares", f.UncompressedSize64)
	}
	return buf.Bytes(), nil
}

// readManifest returns the manifest file and its decoded contents.
func readManifest(files map[string][]byte) ([]byte, *Manifest, error) {
	mb, ok := files[ManifestFile]
	if !ok {
		return nil, nil, fmt.Errorf("not a telltale bundle: no %s", ManifestFile)
	}
	var m Manifest
	if err := json.Unmarshal(mb, &m); err != nil || m.Format != Format {
		return nil, nil, fmt.Errorf("not a telltale bundle: %s is not a %s manifest", ManifestFile, Format)
	}
	return mb, &m, nil
}

// checkFiles checks that every file is as the manifest lists it: present,
// with its hash and size, and nothing unlisted.
func (r *Verification) checkFiles(m *Manifest, files map[string][]byte) {
	listed := map[string]bool{ManifestFile: true, LedgerFile: true}
	bad := 0
	for _, f := range m.Files {
		listed[f.Path] = true
		b, ok := files[f.Path]
		switch {
		case !ok:
			r.bad("%s is listed in the manifest but missing", f.Path)
			bad++
		case Hash(b) != f.SHA256 || len(b) != f.Size:
			r.bad("%s was changed: its SHA-256 is %s, the manifest says %s", f.Path, Hash(b), f.SHA256)
			bad++
		}
	}
	for name := range files {
		if !listed[name] {
			r.bad("%s is not listed in the manifest", name)
			bad++
		}
	}
	if bad == 0 {
		r.ok("all %d files match the manifest's SHA-256 hashes", len(m.Files))
	}
}

// checkLedger checks the ledger evidence (ledger.json): the checkpoint's
// signature and every entry's inclusion proof. It returns the proved
// entries, and false when the evidence does not verify, so nothing
// recorded in it can be trusted.
func (r *Verification) checkLedger(evidence []byte, trustedKey string) ([]*ledger.Entry, bool) {
	var ev ledger.Evidence
	if err := json.Unmarshal(evidence, &ev); err != nil {
		r.bad("%s is missing or damaged: %v", LedgerFile, err)
		return nil, false
	}
	r.VerifierKey = trustedKey
	if trustedKey == "" {
		r.VerifierKey, r.KeyFromBundle = ev.VerifierKey, true
	}
	entries, cp, err := ledger.VerifyEvidence(&ev, strings.TrimSpace(r.VerifierKey))
	if err != nil {
		r.bad("the ledger evidence does not verify: %v", err)
		return nil, false
	}
	r.Checkpoint = cp
	r.ok("the checkpoint (%d entries) is signed by %s, and all %d ledger entries are in its tree (inclusion proofs checked)", cp.Size, keyName(r.VerifierKey), len(entries))
	return entries, true
}

// verifier checks a bundle's contents against its proved ledger entries.
type verifier struct {
	*Verification
	files   map[string][]byte
	entries []*ledger.Entry
	caseRef string // "case/ID"
}

// find returns the first entry with the action and subject, and, unless
// field is empty, with that field's value.
func (v *verifier) find(action, subject, field, value string) *ledger.Entry {
	for _, e := range v.entries {
		if e.Action == action && e.Subject == subject && (field == "" || e.Fields[field] == value) {
			return e
		}
	}
	return nil
}

// checkManifestRecorded checks that the manifest is the one the export
// recorded in the ledger.
func (v *verifier) checkManifestRecorded(manifest []byte) {
	if e := v.find("case.export", v.caseRef, "manifest", Hash(manifest)); e != nil {
		v.ok("the manifest is the one recorded when the bundle was exported (%s, %s)", e.Time.Format(timeLayout), e.Actor)
	} else {
		v.bad("no case.export ledger entry records this manifest's hash %s: the manifest was changed or swapped", Hash(manifest))
	}
}

const timeLayout = "2006-01-02 15:04 UTC"

// checkEvidence checks every evidence item against the ledger, and its
// verdict against the trace that recorded it. It returns the verdicts that
// check, by path.
func (v *verifier) checkEvidence() map[string]*trace.Verdict {
	var items []Item
	if err := json.Unmarshal(v.files[EvidenceFile], &items); err != nil {
		v.bad("%s is missing or damaged: %v", EvidenceFile, err)
	}
	verdicts := map[string]*trace.Verdict{}
	for _, it := range items {
		e := v.checkItem(it)
		if e == nil || it.Verdict == "" {
			continue
		}
		if verdict := v.checkVerdict(it, e); verdict != nil {
			verdicts[it.Verdict] = verdict
		}
	}
	return verdicts
}

// checkItem checks that an evidence item's file is the one whose hash the
// ledger recorded, and returns the case.evidence entry, or nil.
func (v *verifier) checkItem(it Item) *ledger.Entry {
	content, ok := v.files[it.File]
	if !ok || Hash(content) != it.SHA256 {
		v.bad("evidence %d (%s): the file does not match its hash", it.ID, it.Name)
		return nil
	}
	e := v.find("case.evidence", v.caseRef, "evidence", fmt.Sprintf("evidence/%d", it.ID))
	if e == nil || e.Fields["sha256"] != it.SHA256 {
		v.bad("evidence %d (%s): no ledger entry records its hash %s", it.ID, it.Name, it.SHA256)
		return nil
	}
	v.ok("evidence %d (%s, %d bytes) is what was recorded on %s", it.ID, it.Name, len(content), e.Time.Format(timeLayout))
	return e
}

// checkVerdict checks that an evidence item's verdict is the one recorded
// with the evidence (entry e) and by a trace, and that it is about the
// evidence's text. It returns the decoded verdict, or nil.
func (v *verifier) checkVerdict(it Item, e *ledger.Entry) *trace.Verdict {
	vb := v.files[it.Verdict]
	if Hash(vb) != e.Fields["verdict"] {
		v.bad("evidence %d: the verdict file %s is not the verdict recorded with it", it.ID, it.Verdict)
		return nil
	}
	traced := v.lastTrace(Hash(vb))
	if traced == nil {
		v.bad("evidence %d: no trace.run ledger entry records the verdict %s", it.ID, Hash(vb))
		return nil
	}
	var verdict trace.Verdict
	if err := json.Unmarshal(vb, &verdict); err != nil {
		v.bad("evidence %d: the verdict does not decode: %v", it.ID, err)
		return nil
	}
	leak := "sha256:" + verdict.Leak.SHA256
	if leak != it.SHA256 && traced.Fields["leak"] != leak {
		v.bad("evidence %d: the verdict is about another text", it.ID)
		return nil
	}
	v.ok("verdict of evidence %d (%s, ε = %s, %d of %d slots read) is the one recorded by the trace on %s", it.ID, verdict.Outcome,
		trace.FormatEpsilon(verdict.Epsilon), verdict.Slots.Read, verdict.Slots.Total, traced.Time.Format(timeLayout))
	return &verdict
}

// lastTrace returns the last trace.run entry that records the verdict
// hash, or nil.
func (v *verifier) lastTrace(verdictHash string) *ledger.Entry {
	var traced *ledger.Entry
	for _, te := range v.entries {
		if te.Action == "trace.run" && te.Fields["verdict"] == verdictHash {
			traced = te
		}
	}
	return traced
}

// checkCodewords checks every revealed codeword (codewords/*) against the
// commitment recorded when its copy was issued. It returns the codewords
// that check, by copy reference.
func (v *verifier) checkCodewords() map[string]*Codeword {
	revealed := map[string]*Codeword{}
	var names []string
	for name := range v.files {
		if strings.HasPrefix(name, "codewords/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if cw := v.checkCodeword(name); cw != nil {
			revealed[cw.Copy] = cw
		}
	}
	return revealed
}

// checkCodeword checks one revealed codeword file and returns it, or nil.
func (v *verifier) checkCodeword(name string) *Codeword {
	var cw Codeword
	if err := json.Unmarshal(v.files[name], &cw); err != nil {
		v.bad("%s does not decode: %v", name, err)
		return nil
	}
	saltRaw, err := hex.DecodeString(cw.Salt)
	if err != nil || len(saltRaw) != 32 {
		v.bad("%s: the salt is not 32 hex bytes", name)
		return nil
	}
	var salt [32]byte
	copy(salt[:], saltRaw)
	sum := fingerprint.CommitWithSalt(salt, v.symbols(name, cw.Symbols))
	commit := "sha256:" + hex.EncodeToString(sum[:])
	issued := v.find("copy.issue", cw.Copy, "", "")
	switch {
	case issued == nil:
		v.bad("%s: no copy.issue ledger entry for %s", name, cw.Copy)
		return nil
	case commit != issued.Fields["commitment"]:
		v.bad("%s: the revealed codeword of %s does not match the commitment recorded when it was issued", name, cw.Copy)
		return nil
	}
	v.ok("codeword of %s (%s, %d symbols) matches the commitment recorded at issue on %s", cw.Copy, cw.Recipient, len(cw.Symbols), issued.Time.Format(timeLayout))
	return &cw
}

// symbols converts a revealed codeword's symbols, reporting each one out
// of range (it is left 0, so the commitment will not match).
func (v *verifier) symbols(name string, revealed []int) fingerprint.Codeword {
	symbols := make(fingerprint.Codeword, len(revealed))
	for i, s := range revealed {
		if s < 0 || s > 255 {
			v.bad("%s: symbol %d is out of range", name, i)
			continue
		}
		symbols[i] = uint8(s)
	}
	return symbols
}

// checkAccusations checks that the revealed codeword of every accused copy
// agrees with the leak in the slots each verdict says it matches.
func (v *verifier) checkAccusations(verdicts map[string]*trace.Verdict, revealed map[string]*Codeword) {
	for vpath, verdict := range verdicts {
		for _, f := range verdict.Accused {
			v.checkAccusation(vpath, verdict, f, revealed)
		}
	}
}

func (v *verifier) checkAccusation(vpath string, verdict *trace.Verdict, f trace.RecipientFinding, revealed map[string]*Codeword) {
	cref := fmt.Sprintf("copy/%d", f.CopyID)
	cw := revealed[cref]
	if cw == nil {
		v.bad("%s accuses %s but the bundle does not reveal its codeword", vpath, cref)
		return
	}
	seen := map[int][]int{}
	for _, o := range verdict.Observations {
		seen[o.Slot] = o.Seen
	}
	agree := 0
	for _, slot := range f.MatchedSlots {
		if slot >= 0 && slot < len(cw.Symbols) && slices.Contains(seen[slot], cw.Symbols[slot]) {
			agree++
		}
	}
	if agree != len(f.MatchedSlots) {
		v.bad("%s: %s agrees with the leak in %d of the %d slots the verdict says it matches", vpath, cref, agree, len(f.MatchedSlots))
		return
	}
	v.ok("%s: the revealed codeword of %s shows the symbols read from the leak in all %d matched slots", vpath, cref, agree)
	v.checkHolder(vpath, f, cw)
}

// checkHolder checks that the person a verdict accuses is the one the
// copy was issued to: the issue entry's recipient, and its holder
// commitment opened with the revealed salt over the name and e-mail the
// verdict shows.
func (v *verifier) checkHolder(vpath string, f trace.RecipientFinding, cw *Codeword) {
	cref := fmt.Sprintf("copy/%d", f.CopyID)
	rref := fmt.Sprintf("recipient/%d", f.Recipient.ID)
	issued := v.find("copy.issue", cref, "", "")
	if issued == nil {
		v.bad("%s accuses %s but the bundle has no entry recording its issue", vpath, cref)
		return
	}
	if issued.Fields["recipient"] != rref {
		v.bad("%s names %s (%s) as the holder of %s, but it was issued to %s", vpath, f.Recipient.Name, rref, cref, issued.Fields["recipient"])
		return
	}
	holder := issued.Fields["holder"]
	if holder == "" {
		v.ok("%s: %s was issued to %s (issued before holders' names were committed: the name is not checked)", vpath, cref, rref)
		return
	}
	raw, err := hex.DecodeString(cw.HolderSalt)
	if err != nil || len(raw) != 32 {
		v.bad("%s: the bundle does not reveal the holder salt of %s, so the name it accuses cannot be checked", vpath, cref)
		return
	}
	var salt [32]byte
	copy(salt[:], raw)
	if ledger.HolderCommitment(salt, rref, f.Recipient.Name, f.Recipient.Email) != holder {
		v.bad("%s names %s <%s> as the holder of %s, but that is not who it was issued to", vpath, f.Recipient.Name, f.Recipient.Email, cref)
		return
	}
	v.ok("%s: %s was issued to %s <%s>, as the signed issue entry commits", vpath, cref, f.Recipient.Name, f.Recipient.Email)
}

func keyName(vkey string) string {
	name, _, _ := strings.Cut(vkey, "+")
	return fmt.Sprintf("key %q", name)
}
