package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/client"
	"github.com/telltale-dev/telltale/render"
	"github.com/telltale-dev/telltale/server"
	"github.com/telltale-dev/telltale/service"
	"github.com/telltale-dev/telltale/trace"
)

// backend is what the commands that work both on the local data directory
// and on a server drive. localBackend calls the service as the local
// operator; remoteBackend calls the server's JSON API with a token. Both
// answer in the API's types (package api), so each command has one body
// and prints the same whichever it works on; env.backend picks one.
type backend interface {
	Documents(ctx context.Context) ([]api.Document, error)
	AddDocument(ctx context.Context, req api.AddDocumentRequest) (*api.AddDocumentResponse, error)
	// Document returns a document's versions and copies and, if
	// recipients is positive, its latest version's traceability report
	// for that many recipients.
	Document(ctx context.Context, slug string, recipients int) (*api.DocumentDetail, error)
	// Suggestions proposes facts to vary in a document's latest version,
	// with its report for that many recipients weighing them.
	Suggestions(ctx context.Context, slug string, recipients int) (*api.Suggestions, error)
	// AcceptSuggestions stores the next version with the accepted
	// suggestions written in.
	AcceptSuggestions(ctx context.Context, slug string, req api.AcceptSuggestionsRequest) (*api.AddDocumentResponse, error)
	Recipients(ctx context.Context) ([]api.Recipient, error)
	AddRecipient(ctx context.Context, r api.Recipient) (*api.Recipient, error)
	LinkRecipient(ctx context.Context, email string) (*api.Recipient, error)
	// ImportRecipients registers the recipients of a CSV file (name,
	// email and optional unit per line), all or none.
	ImportRecipients(ctx context.Context, csv []byte) (*api.ImportResult, error)
	// Issue issues copies of the document slug and, if files is set,
	// returns their contents in the requested formats. It reports its
	// progress, where it can, to progress (see service.IssueRequest).
	Issue(ctx context.Context, slug string, req api.IssueRequest, files bool, progress func(done, total int)) ([]issuedCopy, error)
	// OpenCopy returns a copy's file in a format (md, html, txt, pdf or docx); the
	// opening is recorded in the ledger.
	OpenCopy(ctx context.Context, id int64, format string) ([]byte, error)
	Revoke(ctx context.Context, id int64) error
	Trace(ctx context.Context, req api.TraceRequest) (*trace.Verdict, error)
	// Checkpoint returns the ledger's latest signed checkpoint. On the
	// data directory it is also recorded as published, so ledger verify
	// checks it from then on; the API has no call that publishes.
	Checkpoint(ctx context.Context) ([]byte, error)
	// VerifyLedger verifies what was appended since the last
	// verification, or with full every entry.
	VerifyLedger(ctx context.Context, full bool) (*api.VerifyResult, error)
}

// issuedCopy is an issued copy with its files by format, if asked for.
type issuedCopy struct {
	api.Copy
	Files map[string][]byte
}

var (
	_ backend = localBackend{}
	_ backend = remoteBackend{}
)

// remoteCommands are the commands that can work on a server, for
// messages.
const remoteCommands = "doc, recipient, issue, copy, trace, ledger checkpoint and ledger verify"

// serverURL returns the server the command line works on and the setting
// that names it, --server or else TELLTALE_SERVER, or "" for the local data
// directory. It is the one place that decides: every command asks it,
// through backend or localOnly.
func (e *env) serverURL() (url, setting string) {
	if e.cli.Server != "" {
		return e.cli.Server, "--server"
	}
	if u := e.main.Getenv("TELLTALE_SERVER"); u != "" {
		return u, "TELLTALE_SERVER"
	}
	return "", ""
}

// backend returns what a command that can work on a server works on: the
// server if one is named, else the local data directory.
func (e *env) backend() (backend, error) {
	if url, _ := e.serverURL(); url != "" {
		cl, err := client.New(url, e.main.Getenv("TELLTALE_TOKEN"))
		if err != nil {
			return nil, err
		}
		return remoteBackend{cl}, nil
	}
	svc, err := e.open()
	if err != nil {
		return nil, err
	}
	return localBackend{svc: svc, actor: e.actor()}, nil
}

// localOnly refuses to run a command that needs the local data directory
// itself when a server is named, rather than quietly work on local data
// the user did not mean.
func (e *env) localOnly() error {
	url, setting := e.serverURL()
	if url == "" || e.embedded {
		return nil
	}
	hint := "leave out --server"
	if setting == "TELLTALE_SERVER" {
		hint = "unset TELLTALE_SERVER"
	}
	return fmt.Errorf("telltale %s works on the local data directory only and cannot use a server, but %s names %s (hint: %s to work on the data directory; the commands that work on a server are %s)",
		e.command, setting, url, hint, remoteCommands)
}

// localBackend works on the local data directory's service.
type localBackend struct {
	svc   *service.Service
	actor telltale.Actor
}

func (l localBackend) Documents(ctx context.Context) ([]api.Document, error) {
	docs, err := l.svc.Documents(ctx, l.actor)
	if err != nil {
		return nil, err
	}
	out := []api.Document{}
	for _, d := range docs {
		out = append(out, server.WireDocument(d))
	}
	return out, nil
}

func (l localBackend) AddDocument(ctx context.Context, req api.AddDocumentRequest) (*api.AddDocumentResponse, error) {
	src := []byte(req.Source)
	if req.File != nil {
		src = req.File
	}
	res, err := l.svc.AddDocument(ctx, l.actor, service.AddDocumentRequest{Name: req.Name, Filename: req.Filename, Source: src, Coalition: req.Coalition, Audience: req.Recipients})
	if err != nil {
		return nil, err
	}
	return l.added(ctx, res, req.Recipients)
}

// added answers a command that stored a version: the version and its
// traceability report for the expected number of recipients (0: the
// default).
func (l localBackend) added(ctx context.Context, res *service.AddDocumentResult, recipients int) (*api.AddDocumentResponse, error) {
	if recipients == 0 {
		recipients = api.DefaultRecipients
	}
	report, err := l.svc.TraceabilityReport(ctx, res.Version, recipients)
	if err != nil {
		return nil, err
	}
	out := server.WireAddDocument(res, report)
	return &out, nil
}

func (l localBackend) Document(ctx context.Context, slug string, recipients int) (*api.DocumentDetail, error) {
	d, err := l.svc.Show(ctx, l.actor, slug)
	if err != nil {
		return nil, err
	}
	out := server.WireDocumentDetail(d)
	if n := len(d.Versions); n > 0 && recipients > 0 {
		report, err := l.svc.TraceabilityReport(ctx, d.Versions[n-1].Version, recipients)
		if err != nil {
			return nil, err
		}
		out.Report = report.String()
		out.Traceability = server.WireTraceability(report)
	}
	return &out, nil
}

func (l localBackend) Suggestions(ctx context.Context, slug string, recipients int) (*api.Suggestions, error) {
	res, err := l.svc.Suggestions(ctx, l.actor, slug, recipients)
	if err != nil {
		return nil, err
	}
	out := server.WireSuggestions(res)
	return &out, nil
}

func (l localBackend) AcceptSuggestions(ctx context.Context, slug string, req api.AcceptSuggestionsRequest) (*api.AddDocumentResponse, error) {
	res, err := l.svc.AcceptSuggestions(ctx, l.actor, service.AcceptSuggestionsRequest{Document: slug, Version: req.Version, Accept: req.Accept})
	if err != nil {
		return nil, err
	}
	return l.added(ctx, res, req.Recipients)
}

func (l localBackend) Recipients(ctx context.Context) ([]api.Recipient, error) {
	rs, err := l.svc.Recipients(ctx, l.actor)
	if err != nil {
		return nil, err
	}
	out := []api.Recipient{}
	for _, r := range rs {
		out = append(out, server.WireRecipient(r))
	}
	return out, nil
}

func (l localBackend) LinkRecipient(ctx context.Context, email string) (*api.Recipient, error) {
	rc, err := l.svc.LinkRecipient(ctx, l.actor, email)
	if err != nil {
		return nil, err
	}
	out := server.WireRecipient(rc)
	return &out, nil
}

func (l localBackend) AddRecipient(ctx context.Context, r api.Recipient) (*api.Recipient, error) {
	rc := &telltale.Recipient{Name: r.Name, Email: r.Email, Unit: r.Unit}
	if err := l.svc.AddRecipient(ctx, l.actor, rc); err != nil {
		return nil, err
	}
	out := server.WireRecipient(rc)
	return &out, nil
}

func (l localBackend) ImportRecipients(ctx context.Context, csv []byte) (*api.ImportResult, error) {
	rs, err := service.ParseRecipients(bytes.NewReader(csv))
	if err != nil {
		return nil, err
	}
	res, err := l.svc.ImportRecipients(ctx, l.actor, rs)
	if err != nil {
		return nil, err
	}
	return &api.ImportResult{Added: res.Added, Existing: res.Existing}, nil
}

func (l localBackend) Issue(ctx context.Context, slug string, req api.IssueRequest, files bool, progress func(done, total int)) ([]issuedCopy, error) {
	formats, err := parseFormatList(req.Formats)
	if err != nil {
		return nil, err
	}
	issued, err := l.svc.Issue(ctx, l.actor, service.IssueRequest{Document: slug, Version: req.Version, Emails: req.To, Formats: formats, ExpiresAt: req.ExpiresAt,
		Watermark: req.Watermark, KeepFiles: req.KeepFiles, PrintPDF: files, NoFiles: !files, Progress: progress})
	if err != nil {
		return nil, err
	}
	var out []issuedCopy
	for i, c := range server.WireIssued(slug, issued) {
		ic := issuedCopy{Copy: c}
		if files {
			ic.Files = map[string][]byte{}
			for f, b := range issued[i].Files {
				ic.Files[string(f)] = b
			}
		}
		out = append(out, ic)
	}
	return out, nil
}

func (l localBackend) OpenCopy(ctx context.Context, id int64, format string) ([]byte, error) {
	f, err := render.ParseFormat(format)
	if err != nil {
		return nil, err
	}
	body, _, err := l.svc.OpenCopy(ctx, l.actor, id, f, "cli", "")
	return body, err
}

func (l localBackend) Revoke(ctx context.Context, id int64) error {
	return l.svc.Revoke(ctx, l.actor, id)
}

func (l localBackend) Trace(ctx context.Context, req api.TraceRequest) (*trace.Verdict, error) {
	return l.svc.Trace(ctx, l.actor, service.TraceRequest{Leak: req.Bytes(), Name: req.Name, Document: req.Document, Version: req.Version, Epsilon: req.Epsilon})
}

func (l localBackend) Checkpoint(ctx context.Context) ([]byte, error) {
	cp, err := l.svc.PublishCheckpoint(ctx, l.actor)
	if err != nil {
		return nil, err
	}
	return cp.Note, nil
}

func (l localBackend) VerifyLedger(ctx context.Context, full bool) (*api.VerifyResult, error) {
	rep, err := l.svc.VerifyLedger(ctx, l.actor, service.VerifyLedgerRequest{Full: full})
	if err != nil {
		return nil, err
	}
	out := server.WireVerify(rep)
	return &out, nil
}

// remoteBackend works on a server through its JSON API.
type remoteBackend struct {
	cl *client.Client
}

func (r remoteBackend) Documents(ctx context.Context) ([]api.Document, error) {
	return r.cl.Documents(ctx)
}

func (r remoteBackend) AddDocument(ctx context.Context, req api.AddDocumentRequest) (*api.AddDocumentResponse, error) {
	return r.cl.AddDocument(ctx, req)
}

func (r remoteBackend) Document(ctx context.Context, slug string, recipients int) (*api.DocumentDetail, error) {
	return r.cl.Document(ctx, slug, recipients)
}

func (r remoteBackend) Suggestions(ctx context.Context, slug string, recipients int) (*api.Suggestions, error) {
	return r.cl.Suggestions(ctx, slug, recipients)
}

func (r remoteBackend) AcceptSuggestions(ctx context.Context, slug string, req api.AcceptSuggestionsRequest) (*api.AddDocumentResponse, error) {
	return r.cl.AcceptSuggestions(ctx, slug, req)
}

func (r remoteBackend) Recipients(ctx context.Context) ([]api.Recipient, error) {
	return r.cl.Recipients(ctx)
}

func (r remoteBackend) LinkRecipient(ctx context.Context, email string) (*api.Recipient, error) {
	return r.cl.LinkRecipient(ctx, email)
}

func (r remoteBackend) AddRecipient(ctx context.Context, rc api.Recipient) (*api.Recipient, error) {
	return r.cl.AddRecipient(ctx, rc)
}

func (r remoteBackend) ImportRecipients(ctx context.Context, csv []byte) (*api.ImportResult, error) {
	return r.cl.ImportRecipients(ctx, csv)
}

// Issue fetches the files of the issued copies one by one: the API's
// answer to issuing carries none. The server records each fetch as an
// opening.
// Issue issues on the server in one request, which reports no progress;
// progress hears when it is answered.
func (r remoteBackend) Issue(ctx context.Context, slug string, req api.IssueRequest, files bool, progress func(done, total int)) ([]issuedCopy, error) {
	copies, err := r.cl.Issue(ctx, slug, req)
	if err != nil {
		return nil, err
	}
	progress(len(copies), len(copies))
	var out []issuedCopy
	for _, c := range copies {
		ic := issuedCopy{Copy: c}
		if files {
			ic.Files = map[string][]byte{}
			for _, f := range c.Formats {
				b, err := r.cl.Copy(ctx, c.ID, f)
				if err != nil {
					return nil, fmt.Errorf("failed to fetch copy %d as %s (the copies are issued; fetch them with telltale copy open): %v", c.ID, f, err)
				}
				ic.Files[f] = b
			}
		}
		out = append(out, ic)
	}
	return out, nil
}

func (r remoteBackend) OpenCopy(ctx context.Context, id int64, format string) ([]byte, error) {
	return r.cl.Copy(ctx, id, format)
}

func (r remoteBackend) Revoke(ctx context.Context, id int64) error {
	return r.cl.Revoke(ctx, id)
}

func (r remoteBackend) Trace(ctx context.Context, req api.TraceRequest) (*trace.Verdict, error) {
	return r.cl.Trace(ctx, req)
}

func (r remoteBackend) Checkpoint(ctx context.Context) ([]byte, error) {
	return r.cl.Checkpoint(ctx)
}

func (r remoteBackend) VerifyLedger(ctx context.Context, full bool) (*api.VerifyResult, error) {
	return r.cl.VerifyLedger(ctx, full)
}
