// Package api defines the bodies of telltale's JSON API, the requests a
// client sends and the answers a server gives, as docs/api.md describes
// them. Package server encodes the answers and decodes the requests;
// package client does the reverse; the command line prints the answers
// whether it works on a server or on a local data directory.
//
// The JSON field names and encodings are the wire format: changing one
// breaks every deployed client. wire_test.go pins them. New fields are
// added at the end of a type and omitted when empty, so older clients and
// servers see the bytes they always saw.
//
// The package holds types only, and imports no part of the server.
package api

import (
	"encoding/json"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/trace"
)

// ErrorResponse is the body of every error answer, with a status code of
// 400 or more.
type ErrorResponse struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is an error's code (one of telltale's error codes, such as
// not_found or forbidden) and a message that can be shown to the user.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// User is a user as the API shows it (GET /api/v1/me).
type User struct {
	ID    int64           `json:"id"`
	Email string          `json:"email"`
	Name  string          `json:"name"`
	Roles []telltale.Role `json:"roles"`
}

// UserDetail is a user as administrators see it (GET /api/v1/users).
type UserDetail struct {
	User
	Disabled    bool      `json:"disabled"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// AddUserRequest is the body of POST /api/v1/users.
type AddUserRequest struct {
	Name     string          `json:"name"`
	Email    string          `json:"email"`
	Password string          `json:"password,omitempty"`
	Roles    []telltale.Role `json:"roles"`
}

// UpdateUserRequest is the body of PATCH /api/v1/users/{id}: the user's
// complete set of roles and whether the account is disabled.
type UpdateUserRequest struct {
	Roles    []telltale.Role `json:"roles"`
	Disabled bool            `json:"disabled"`
}

// Token describes an API token; the secret is in Token only once, in the
// answer to the request that created it.
type Token struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Token     string    `json:"token,omitempty"`
}

// CreateTokenRequest is the body of POST /api/v1/tokens; UserID 0 means
// the caller (admins may create tokens for others).
type CreateTokenRequest struct {
	Name   string `json:"name"`
	UserID int64  `json:"user_id,omitempty"`
}

// Document is a document as the API shows it (GET /api/v1/documents).
type Document struct {
	Slug      string    `json:"slug"`
	Title     string    `json:"title"`
	Owner     string    `json:"owner"`
	CreatedAt time.Time `json:"created_at"`
}

// DocumentDetail is a document with its versions and their copies (GET
// /api/v1/documents/{slug}).
type DocumentDetail struct {
	Document
	Versions []Version `json:"versions"`
	// Report is the traceability report of the latest version, present
	// when asked for with ?recipients=N.
	Report string `json:"report,omitempty"`
	// Traceability is the same report in fields, present with Report.
	Traceability *Traceability `json:"traceability,omitempty"`
}

// Version is a version of a document with its copies.
type Version struct {
	Number int `json:"number"`
	Words  int `json:"words"`
	// Slots counts the version's slots by kind (declared, order, lexical,
	// typographic).
	Slots          map[string]int `json:"slots"`
	Copies         []Copy         `json:"copies"`
	CreatedAt      time.Time      `json:"created_at,omitzero"`
	Classification string         `json:"classification,omitempty"`
	// Source is "docx" for a version added from a Word document, whose
	// copies may be issued as Word files; empty for Markdown.
	Source string `json:"source,omitempty"`
}

// AddDocumentRequest is the body of POST /api/v1/documents.
type AddDocumentRequest struct {
	// Name is the document's slug; empty means derived from Filename.
	Name     string `json:"name"`
	Filename string `json:"filename"`
	Source   string `json:"source"`
	// File is the source as a file (base64 in JSON), instead of
	// Source: a Word document (.docx, named by Filename), or Markdown.
	File      []byte `json:"file,omitempty"`
	Coalition int    `json:"coalition,omitempty"`
	// Recipients is the number of recipients the answer's report
	// assumes; 0 means DefaultRecipients.
	Recipients int `json:"recipients,omitempty"`
}

// DefaultRecipients is the number of recipients a traceability report
// assumes when a request names none.
const DefaultRecipients = 12

// AddDocumentResponse reports a stored version.
type AddDocumentResponse struct {
	Document Document `json:"document"`
	// Version is the stored version's number; 1 means a new document.
	Version int            `json:"version"`
	Words   int            `json:"words"`
	Slots   map[string]int `json:"slots"`
	Report  string         `json:"report"`
	// Declared lists the declared variants, which every copy states as
	// fact, for the owner to review.
	Declared []Declared `json:"declared,omitempty"`
	// Traceability is Report in fields.
	Traceability *Traceability `json:"traceability,omitempty"`
}

// Traceability is a version's traceability report in fields: what each
// kind of leak would prove among Recipients recipients at the bound
// Epsilon. docs/api.md describes every field.
type Traceability struct {
	Recipients int     `json:"recipients"`
	Epsilon    float64 `json:"epsilon"`
	// Coalition is the largest coalition of colluding recipients the
	// version's code resists; Design says so in words.
	Coalition int    `json:"coalition"`
	Design    string `json:"design"`
	Words     int    `json:"words"`
	// NeedNats is the evidence (in nats) that singles out one leaker from
	// a whole verbatim copy.
	NeedNats float64     `json:"need_nats"`
	Slots    []SlotCount `json:"slots"`
	// Verbatim, Retyped and Paraphrased are what each kind of leak
	// carries: every slot; all but typography; declared facts and list
	// orders only.
	Verbatim    LeakEvidence `json:"verbatim"`
	Retyped     LeakEvidence `json:"retyped"`
	Paraphrased LeakEvidence `json:"paraphrased"`
	// ExcerptsMeasured says the excerpt lengths were measured by reading
	// excerpts of a rendered copy; ExcerptWordsMedian and ExcerptWordsP90
	// are the verbatim excerpt lengths that single out the leaker in half
	// and in nine of ten cases (0: no excerpt does).
	ExcerptsMeasured   bool `json:"excerpts_measured"`
	ExcerptWordsMedian int  `json:"excerpt_words_median"`
	ExcerptWordsP90    int  `json:"excerpt_words_p90"`
	// DeclaredFacts counts the declared variants; FactsToRepeat is the
	// fewest of them (most alternatives first) a paraphrase naming no
	// list must repeat to be attributable, -1 if not even all do.
	DeclaredFacts int `json:"declared_facts"`
	FactsToRepeat int `json:"facts_to_repeat"`
	// AddDeclared is how many declared variants of three alternatives a
	// paraphrase would need besides; 0 if it is attributable.
	AddDeclared int `json:"add_declared"`
	// Suggested weighs the suggested facts, when suggestions were asked
	// for.
	Suggested *SuggestedEvidence `json:"suggested,omitempty"`
	// Findings say what each kind of leak would prove; Advice what to do,
	// most useful first (empty if nothing).
	Findings []Finding `json:"findings"`
	Advice   []string  `json:"advice"`
}

// SlotCount counts a version's slots of one kind.
type SlotCount struct {
	Kind        string  `json:"kind"`
	Count       int     `json:"count"`
	PerThousand float64 `json:"per_1000_words"`
	Bits        float64 `json:"bits"`
	// RobustTo is the harshest edit the kind survives: paraphrase,
	// retyping or verbatim (exact copies only).
	RobustTo string `json:"robust_to"`
}

// LeakEvidence is what one kind of leak carries against the evidence it
// needs.
type LeakEvidence struct {
	Slots        int     `json:"slots"`
	Nats         float64 `json:"nats"`
	NeedNats     float64 `json:"need_nats"`
	Attributable bool    `json:"attributable"`
}

// SuggestedEvidence weighs suggested facts not yet accepted.
type SuggestedEvidence struct {
	Offered int     `json:"offered"`
	Nats    float64 `json:"nats"`
	// Paraphrased is what a paraphrase repeating every fact and list
	// would carry with all of them accepted.
	Paraphrased LeakEvidence `json:"paraphrased"`
	// Needed is the fewest to accept (most alternatives first) for such a
	// paraphrase to be attributable; 0 if it is already, -1 if not even
	// all of them suffice.
	Needed        int `json:"needed"`
	FactsToRepeat int `json:"facts_to_repeat"`
}

// Finding is what one kind of leak would prove, in plain words.
type Finding struct {
	Leak         string `json:"leak"`
	Attributable bool   `json:"attributable"`
	Says         string `json:"says"`
}

// Suggestion is a proposed declared variant (GET
// /api/v1/documents/{slug}/suggestions).
type Suggestion struct {
	// ID is what POST /api/v1/documents/{slug}/suggestions accepts.
	ID   int    `json:"id"`
	Kind string `json:"kind"`
	// Line is the fact's line in the version's source.
	Line int    `json:"line"`
	Text string `json:"text"`
	// Alternatives are what copies may state, Text first.
	Alternatives []string `json:"alternatives"`
	Context      string   `json:"context"`
	Why          string   `json:"why"`
	// Name is the fact's name, written {{#name: …}}, when another
	// suggested fact has the same alternatives.
	Name string `json:"name,omitempty"`
	// Mentions are every place the fact is stated, Line first, when it is
	// stated more than once: accepting it writes the same {{…}} at each.
	Mentions []Mention `json:"mentions,omitempty"`
}

// Mention is one place a suggested fact is stated.
type Mention struct {
	Line    int    `json:"line"`
	Context string `json:"context"`
	// Table says the mention is in a table cell; Context is its row.
	Table bool `json:"table,omitempty"`
}

// Suggestions are the facts of a document's latest version that copies
// could state differently, with its traceability report weighing them.
type Suggestions struct {
	Document Document `json:"document"`
	// Version is the number of the version the suggestions are for; it
	// must still be the latest when they are accepted.
	Version     int          `json:"version"`
	Words       int          `json:"words"`
	Suggestions []Suggestion `json:"suggestions"`
	// Counts counts the suggestions by kind.
	Counts       map[string]int `json:"counts"`
	Report       string         `json:"report"`
	Traceability *Traceability  `json:"traceability,omitempty"`
}

// AcceptSuggestionsRequest is the body of POST
// /api/v1/documents/{slug}/suggestions: the suggestions (by ID) to write
// into a new version, and the version they were made for.
type AcceptSuggestionsRequest struct {
	Version int   `json:"version"`
	Accept  []int `json:"accept"`
	// Recipients is the number of recipients the answer's report
	// assumes; 0 means DefaultRecipients.
	Recipients int `json:"recipients,omitempty"`
}

// Declared is a declared variant ({{a|b|c}} in the source): the line of
// its first occurrence and its alternatives.
type Declared struct {
	Line         int      `json:"line"`
	Alternatives []string `json:"alternatives"`
	// Lines are the lines of every mention of the fact, when it is stated
	// more than once (one slot: every copy states the same alternative at
	// each).
	Lines []int `json:"lines,omitempty"`
	// Context is the text before the fact's first mention, for a
	// version added from Word, whose lines are those of its text as
	// Markdown and mean nothing to its author (Line is then 0).
	Context string `json:"context,omitempty"`
}

// Copy is an issued copy as the API shows it.
type Copy struct {
	ID       int64  `json:"id"`
	Document string `json:"document,omitempty"`
	Version  int    `json:"version,omitempty"`
	Number   int    `json:"number"`
	Of       int    `json:"of"`
	// Recipient is the recipient's email.
	Recipient     string    `json:"recipient,omitempty"`
	Formats       []string  `json:"formats"`
	IssuedAt      time.Time `json:"issued_at"`
	ExpiresAt     time.Time `json:"expires_at,omitzero"`
	RevokedAt     time.Time `json:"revoked_at,omitzero"`
	RecipientName string    `json:"recipient_name,omitempty"`
}

// IssueRequest is the body of POST /api/v1/documents/{slug}/issue.
type IssueRequest struct {
	To []string `json:"to"`
	// Formats are md, html, txt, pdf or docx (for a version added from
	// Word); empty means md, html and txt, with docx first for a version
	// added from Word.
	Formats []string `json:"formats,omitempty"`
	// Watermark puts the recipient's name across every page of the PDF.
	Watermark bool `json:"watermark,omitempty"`
	// KeepFiles stores the rendered files; by default a copy is rendered
	// when opened, from its version and codeword.
	KeepFiles bool `json:"keep_files,omitempty"`
	// Version 0 means the latest.
	Version   int       `json:"version,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// Recipient is a recipient as the API shows it, and the body of POST
// /api/v1/recipients.
type Recipient struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Unit  string `json:"unit,omitempty"`
	// Linked says an owner linked the account with this address, which
	// then reads the recipient's copies.
	Linked bool `json:"linked,omitempty"`
}

// LinkRequest is the body of POST /api/v1/recipients/link.
type LinkRequest struct {
	Email string `json:"email"`
}

// ImportResult is the answer of POST /api/v1/recipients/import: how many
// recipients were added, and the addresses that were registered already.
type ImportResult struct {
	Added    int      `json:"added"`
	Existing []string `json:"existing"`
}

// Access is one issue, opening or revocation of a copy.
type Access struct {
	Time      time.Time `json:"time"`
	Action    string    `json:"action"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name,omitempty"`
	Copy      int64     `json:"copy"`
	Number    int       `json:"number"`
	Recipient string    `json:"recipient"`
	Format    string    `json:"format,omitempty"`
	Via       string    `json:"via,omitempty"`
	Client    string    `json:"client,omitempty"`
}

// TraceRequest is the JSON body of POST /api/v1/trace; a text/plain,
// text/markdown or text/html body is traced as is. The answer is a
// trace.Verdict (docs/verdict.md).
type TraceRequest struct {
	// Leak is the leaked text; File, if set instead, is the leaked file
	// (PDF, Word, e-mail, image or text; base64 in JSON).
	Leak     string  `json:"leak"`
	File     []byte  `json:"file,omitempty"`
	Name     string  `json:"name,omitempty"`
	Document string  `json:"document,omitempty"`
	Version  int     `json:"version,omitempty"`
	Epsilon  float64 `json:"epsilon,omitempty"`
}

// Bytes returns the leak: the file if one was sent, else the text.
func (r *TraceRequest) Bytes() []byte {
	if len(r.File) > 0 {
		return r.File
	}
	return []byte(r.Leak)
}

// LedgerEntry is a ledger entry: its index, its canonical body (the bytes
// hashed into the log) and the fields parsed from it.
type LedgerEntry struct {
	Index     int64     `json:"index"`
	Time      time.Time `json:"time"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name,omitempty"`
	Action    string    `json:"action"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
}

// VerifyResult is the answer of POST /api/v1/ledger/verify.
type VerifyResult struct {
	OK      bool  `json:"ok"`
	Entries int64 `json:"entries"`
	// From is the first entry read: 0 when every entry was; otherwise
	// the size of the checkpoint the previous verification recorded,
	// which the signed head was proved consistent with.
	From        int64    `json:"from"`
	Checkpoints int      `json:"checkpoints"`
	Problems    []string `json:"problems"`
	// Head is the signed head the entries were checked against, absent
	// for an empty ledger or a head that does not verify.
	Head *Head `json:"head,omitempty"`
}

// Head is a signed ledger head: its size and its tree's root hash
// (base64).
type Head struct {
	Size int64  `json:"size"`
	Hash string `json:"hash"`
}

// Case is a case as the API shows it.
type Case struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	State       string    `json:"state"`
	Outcome     string    `json:"outcome,omitempty"`
	Office      string    `json:"office,omitempty"`
	Document    string    `json:"document,omitempty"`
	Assignee    string    `json:"assignee,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Evidence is evidence sent to the API, its content as text (the body of
// POST /api/v1/cases/{id}/evidence).
type Evidence struct {
	Kind    string `json:"kind,omitempty"`
	Name    string `json:"name,omitempty"`
	URL     string `json:"url,omitempty"`
	Content string `json:"content"`
	// File, if set instead of Content, is the evidence file (PDF, Word,
	// e-mail, image or text; base64 in JSON).
	File     []byte `json:"file,omitempty"`
	Document string `json:"document,omitempty"`
}

// Bytes returns the evidence's content: the file if one was sent, else
// the text.
func (e *Evidence) Bytes() []byte {
	if len(e.File) > 0 {
		return e.File
	}
	return []byte(e.Content)
}

// OpenCaseRequest is the body of POST /api/v1/cases.
type OpenCaseRequest struct {
	Title       string    `json:"title,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	Evidence    Evidence  `json:"evidence"`
}

// CaseDetail is a case with its evidence, history and timeline.
type CaseDetail struct {
	Case
	Verdict  *trace.Verdict  `json:"verdict,omitempty"`
	Evidence []EvidenceItem  `json:"evidence"`
	Events   []CaseEvent     `json:"history"`
	Timeline []TimelineEntry `json:"timeline"`
}

// EvidenceItem describes stored evidence (not its content).
type EvidenceItem struct {
	ID      int64     `json:"id"`
	Kind    string    `json:"kind"`
	Name    string    `json:"name"`
	URL     string    `json:"url,omitempty"`
	SHA256  string    `json:"sha256"`
	Size    int       `json:"size"`
	AddedAt time.Time `json:"added_at"`
	AddedBy string    `json:"added_by"`
	Outcome string    `json:"outcome,omitempty"`
}

// CaseEvent is an entry of a case's history.
type CaseEvent struct {
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"`
	Actor string    `json:"actor"`
	Text  string    `json:"text"`
}

// TimelineEntry is an access to the leaked version.
type TimelineEntry struct {
	Access
	Email    string `json:"email"`
	Relative string `json:"relative,omitempty"`
}

// CaseChangeRequest is the body of the note, move and assign calls.
type CaseChangeRequest struct {
	Note    string `json:"note,omitempty"`
	To      string `json:"to,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	Office  string `json:"office,omitempty"`
	Email   string `json:"email,omitempty"`
}

// Source is a watched source with its health.
type Source struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	URL         string    `json:"url"`
	Interval    string    `json:"interval"`
	Healthy     bool      `json:"healthy"`
	Failures    int       `json:"failures"`
	LastError   string    `json:"last_error,omitempty"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	NextAttempt time.Time `json:"next_attempt"`
}

// AddSourceRequest is the body of POST /api/v1/monitor/sources.
type AddSourceRequest struct {
	Kind  string `json:"kind"` // feed or page
	URL   string `json:"url"`
	Every string `json:"every,omitempty"` // a Go duration, e.g. "15m"
}

// CheckRequest is the body of POST /api/v1/monitor/check.
type CheckRequest struct {
	Article string `json:"article"`
	// File is the article as a file, base64 in JSON, instead of Article:
	// a PDF, a Word document, an image of a page, or any text type.
	File        []byte `json:"file,omitempty"`
	ContentType string `json:"content_type,omitempty"` // text/html, text/plain, text/markdown, application/pdf, …
	URL         string `json:"url,omitempty"`
}

// Flag is a flagged article.
type Flag struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Title       string    `json:"title"`
	Outlet      string    `json:"outlet"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	FoundAt     time.Time `json:"found_at"`
	Story       string    `json:"story"`
	Duplicate   bool      `json:"duplicate"`
	Document    string    `json:"document"`
	Score       float64   `json:"score"`
	Hit         bool      `json:"hit"`
	Level       string    `json:"level"`
	Snapshot    string    `json:"snapshot_sha256"`
	Case        int64     `json:"case,omitempty"`
	// Reports are the article's disclosure reports, a JSON array of
	// disclose.Report, kept raw so that this package does not bring the
	// monitor's feed and page readers into every client.
	Reports json.RawMessage `json:"reports,omitempty"`
	Text    string          `json:"text,omitempty"`
}
