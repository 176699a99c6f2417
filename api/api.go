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
}

// AddDocumentRequest is the body of POST /api/v1/documents.
type AddDocumentRequest struct {
	// Name is the document's slug; empty means derived from Filename.
	Name      string `json:"name"`
	Filename  string `json:"filename"`
	Source    string `json:"source"`
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
}

// Declared is a declared variant ({{a|b|c}} in the source): the line of
// its first occurrence and its alternatives.
type Declared struct {
	Line         int      `json:"line"`
	Alternatives []string `json:"alternatives"`
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
	// Formats are md, html or txt; empty means all three.
	Formats []string `json:"formats,omitempty"`
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
	Leak     string  `json:"leak"`
	Name     string  `json:"name,omitempty"`
	Document string  `json:"document,omitempty"`
	Version  int     `json:"version,omitempty"`
	Epsilon  float64 `json:"epsilon,omitempty"`
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
	Kind     string `json:"kind,omitempty"`
	Name     string `json:"name,omitempty"`
	URL      string `json:"url,omitempty"`
	Content  string `json:"content"`
	Document string `json:"document,omitempty"`
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
	Article     string `json:"article"`
	ContentType string `json:"content_type,omitempty"` // text/html or text/plain
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
