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

// Limits on what Verify reads.
const (
	MaxBundleSize = 1 << 30 // uncompressed, all files
	MaxFiles      = 10000
)

// Report says what Verify checked. The bundle verifies when Problems is
// empty.
type Report struct {
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
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) ok(format string, args ...any) {
	r.Checked = append(r.Checked, fmt.Sprintf(format, args...))
}
func (r *Report) bad(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Verify checks a bundle offline against a trusted ledger verifier key
// (the contents of ledger.pub). With an empty key it uses the key in the
// bundle and says so. It returns an error only when the bundle cannot be
// read at all; everything wrong inside is a Problem.
func Verify(data []byte, trustedKey string) (*Report, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a bundle: %w", err)
	}
	if len(zr.File) > MaxFiles {
		return nil, fmt.Errorf("bundle has %d files; the limit is %d", len(zr.File), MaxFiles)
	}
	files := map[string][]byte{}
	var total int64
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			return nil, fmt.Errorf("bundle holds %s twice", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("bundle file %s: %w", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, MaxBundleSize-total+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("bundle file %s: %w", f.Name, err)
		}
		if total += int64(len(b)); total > MaxBundleSize {
			return nil, fmt.Errorf("bundle is larger than %d MB uncompressed", MaxBundleSize>>20)
		}
		files[f.Name] = b
	}
	r := &Report{}
	mb, ok := files[ManifestFile]
	if !ok {
		return nil, fmt.Errorf("not a telltale bundle: no %s", ManifestFile)
	}
	var m Manifest
	if err := json.Unmarshal(mb, &m); err != nil || m.Format != Format {
		return nil, fmt.Errorf("not a telltale bundle: %s is not a %s manifest", ManifestFile, Format)
	}
	r.Manifest = &m

	// 1. Every file is as listed.
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

	// 2. The ledger evidence: signature and inclusion proofs.
	var ev ledger.Evidence
	if err := json.Unmarshal(files[LedgerFile], &ev); err != nil {
		r.bad("%s is missing or damaged: %v", LedgerFile, err)
		return r, nil
	}
	r.VerifierKey = trustedKey
	if trustedKey == "" {
		r.VerifierKey, r.KeyFromBundle = ev.VerifierKey, true
	}
	entries, cp, err := ledger.VerifyEvidence(&ev, strings.TrimSpace(r.VerifierKey))
	if err != nil {
		r.bad("the ledger evidence does not verify: %v", err)
		return r, nil
	}
	r.Checkpoint = cp
	r.ok("the checkpoint (%d entries) is signed by %s, and all %d ledger entries are in its tree (inclusion proofs checked)", cp.Size, keyName(r.VerifierKey), len(entries))
	caseRef := fmt.Sprintf("case/%d", m.Case.ID)
	find := func(action, subject, field, value string) *ledger.Entry {
		for _, e := range entries {
			if e.Action == action && e.Subject == subject && (field == "" || e.Fields[field] == value) {
				return e
			}
		}
		return nil
	}

	// 3. The manifest is the one the export recorded.
	if e := find("case.export", caseRef, "manifest", Hash(mb)); e != nil {
		r.ok("the manifest is the one recorded when the bundle was exported (%s, %s)", e.Time.Format("2006-01-02 15:04 UTC"), e.Actor)
	} else {
		r.bad("no case.export ledger entry records this manifest's hash %s: the manifest was changed or swapped", Hash(mb))
	}

	// 4. Evidence and verdicts.
	var items []Item
	if err := json.Unmarshal(files[EvidenceFile], &items); err != nil {
		r.bad("%s is missing or damaged: %v", EvidenceFile, err)
	}
	verdicts := map[string]*trace.Verdict{}
	for _, it := range items {
		content, ok := files[it.File]
		if !ok || Hash(content) != it.SHA256 {
			r.bad("evidence %d (%s): the file does not match its hash", it.ID, it.Name)
			continue
		}
		e := find("case.evidence", caseRef, "evidence", fmt.Sprintf("evidence/%d", it.ID))
		if e == nil || e.Fields["sha256"] != it.SHA256 {
			r.bad("evidence %d (%s): no ledger entry records its hash %s", it.ID, it.Name, it.SHA256)
			continue
		}
		r.ok("evidence %d (%s, %d bytes) is what was recorded on %s", it.ID, it.Name, len(content), e.Time.Format("2006-01-02 15:04 UTC"))
		if it.Verdict == "" {
			continue
		}
		vb := files[it.Verdict]
		if Hash(vb) != e.Fields["verdict"] {
			r.bad("evidence %d: the verdict file %s is not the verdict recorded with it", it.ID, it.Verdict)
			continue
		}
		var traced *ledger.Entry
		for _, te := range entries {
			if te.Action == "trace.run" && te.Fields["verdict"] == Hash(vb) {
				traced = te
			}
		}
		if traced == nil {
			r.bad("evidence %d: no trace.run ledger entry records the verdict %s", it.ID, Hash(vb))
			continue
		}
		var v trace.Verdict
		if err := json.Unmarshal(vb, &v); err != nil {
			r.bad("evidence %d: the verdict does not decode: %v", it.ID, err)
			continue
		}
		if "sha256:"+v.Leak.SHA256 != it.SHA256 && traced.Fields["leak"] != "sha256:"+v.Leak.SHA256 {
			r.bad("evidence %d: the verdict is about another text", it.ID)
			continue
		}
		verdicts[it.Verdict] = &v
		r.ok("verdict of evidence %d (%s, ε = %s, %d of %d slots read) is the one recorded by the trace on %s", it.ID, v.Outcome,
			trace.FormatEpsilon(v.Epsilon), v.Slots.Read, v.Slots.Total, traced.Time.Format("2006-01-02 15:04 UTC"))
	}

	// 5. Revealed codewords: committed at issue time, and agreeing with
	// the verdicts that accuse them.
	revealed := map[string]*Codeword{}
	var names []string
	for name := range files {
		if strings.HasPrefix(name, "codewords/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		var cw Codeword
		if err := json.Unmarshal(files[name], &cw); err != nil {
			r.bad("%s does not decode: %v", name, err)
			continue
		}
		saltRaw, err := hex.DecodeString(cw.Salt)
		if err != nil || len(saltRaw) != 32 {
			r.bad("%s: the salt is not 32 hex bytes", name)
			continue
		}
		var salt [32]byte
		copy(salt[:], saltRaw)
		symbols := make(fingerprint.Codeword, len(cw.Symbols))
		for i, s := range cw.Symbols {
			if s < 0 || s > 255 {
				r.bad("%s: symbol %d is out of range", name, i)
				continue
			}
			symbols[i] = uint8(s)
		}
		sum := fingerprint.CommitWithSalt(salt, symbols)
		commit := "sha256:" + hex.EncodeToString(sum[:])
		issued := find("copy.issue", cw.Copy, "", "")
		switch {
		case issued == nil:
			r.bad("%s: no copy.issue ledger entry for %s", name, cw.Copy)
			continue
		case commit != issued.Fields["commitment"]:
			r.bad("%s: the revealed codeword of %s does not match the commitment recorded when it was issued", name, cw.Copy)
			continue
		}
		revealed[cw.Copy] = &cw
		r.ok("codeword of %s (%s, %d symbols) matches the commitment recorded at issue on %s", cw.Copy, cw.Recipient, len(cw.Symbols), issued.Time.Format("2006-01-02 15:04 UTC"))
	}
	for vpath, v := range verdicts {
		for _, f := range v.Accused {
			cref := fmt.Sprintf("copy/%d", f.CopyID)
			cw := revealed[cref]
			if cw == nil {
				r.bad("%s accuses %s but the bundle does not reveal its codeword", vpath, cref)
				continue
			}
			seen := map[int][]int{}
			for _, o := range v.Observations {
				seen[o.Slot] = o.Seen
			}
			agree := 0
			for _, slot := range f.MatchedSlots {
				if slot >= 0 && slot < len(cw.Symbols) && slices.Contains(seen[slot], cw.Symbols[slot]) {
					agree++
				}
			}
			if agree != len(f.MatchedSlots) {
				r.bad("%s: %s agrees with the leak in %d of the %d slots the verdict says it matches", vpath, cref, agree, len(f.MatchedSlots))
				continue
			}
			r.ok("%s: the revealed codeword of %s shows the symbols read from the leak in all %d matched slots", vpath, cref, agree)
		}
	}
	return r, nil
}

func keyName(vkey string) string {
	name, _, _ := strings.Cut(vkey, "+")
	return fmt.Sprintf("key %q", name)
}
