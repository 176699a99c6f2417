package bundle

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/trace"
)

// ReportData is what the printable report shows.
type ReportData struct {
	Case      CaseInfo
	Generated time.Time
	Verdict   *trace.Verdict // the most conclusive verdict, or nil
	Evidence  []Item
	Timeline  []TimelineEntry
	Events    []Event
	Verifier  string // the ledger's verifier key
}

// TimelineEntry is one access to a copy of the leaked version.
type TimelineEntry struct {
	Time      time.Time `json:"time"`
	Action    string    `json:"action"`
	Recipient string    `json:"recipient"`
	Email     string    `json:"email"`
	Copy      string    `json:"copy"`
	Format    string    `json:"format,omitempty"`
	Via       string    `json:"via,omitempty"`
	Client    string    `json:"client,omitempty"`
	Relative  string    `json:"relative,omitempty"`
}

// Event is an entry of the case's history.
type Event struct {
	Time  time.Time `json:"time"`
	Kind  string    `json:"kind"`
	Actor string    `json:"actor"`
	Text  string    `json:"text"`
}

//go:embed report.html.tmpl
var reportText string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"datetime": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
	"bound":    trace.FormatBound,
	"epsilon":  trace.FormatEpsilon,
	"add":      func(a, b int) int { return a + b },
}).Parse(reportText))

// RenderReport renders the printable HTML report.
func RenderReport(d ReportData) ([]byte, error) {
	var buf bytes.Buffer
	if err := reportTmpl.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("failed to render the report: %w", err)
	}
	return buf.Bytes(), nil
}

// ReportStyleHash is the CSP source of the report's one inline
// stylesheet ("sha256-…"), so a server can show the report with no other
// style or script allowed.
func ReportStyleHash() string {
	start := strings.Index(reportText, "<style>") + len("<style>")
	end := strings.Index(reportText, "</style>")
	sum := sha256.Sum256([]byte(reportText[start:end]))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
