// Package client talks to a telltale server's JSON API (docs/api.md) with
// an API token, so the command line can drive a server with --server. The
// requests and answers are the types of package api; errors the server
// answers come back as *telltale.Error with the server's code and message.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/api"
	"github.com/telltale-dev/telltale/trace"
)

// Client is an API client. It is safe for concurrent use.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// New returns a client for the server at base (e.g. https://telltale.example)
// acting with an API token.
func New(base, token string) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--server %q: want a URL such as https://telltale.example.org", base)
	}
	if token == "" {
		return nil, fmt.Errorf("no API token (hint: set TELLTALE_TOKEN to a token from the server's API tokens page, or telltale user token)")
	}
	return &Client{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: 5 * time.Minute}}, nil
}

// do sends a request and decodes a JSON answer into out (if non-nil), or
// returns the server's error as a *telltale.Error.
func (c *Client) do(ctx context.Context, method, path, contentType string, body io.Reader, out any) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("failed to reach the server: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("failed to read the server's answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		var e api.ErrorResponse
		if json.Unmarshal(b, &e) == nil && e.Error.Code != "" {
			return nil, &telltale.Error{Code: e.Error.Code, Message: e.Error.Message}
		}
		return nil, fmt.Errorf("server answered %s", resp.Status)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return nil, fmt.Errorf("unexpected answer from the server: %w", err)
		}
	}
	return b, nil
}

func (c *Client) json(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	ct := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body, ct = bytes.NewReader(b), "application/json"
	}
	_, err := c.do(ctx, method, path, ct, body, out)
	return err
}

// Me returns the token's user.
func (c *Client) Me(ctx context.Context) (*api.User, error) {
	var u api.User
	return &u, c.json(ctx, "GET", "/api/v1/me", nil, &u)
}

// Documents lists documents.
func (c *Client) Documents(ctx context.Context) ([]api.Document, error) {
	var out []api.Document
	return out, c.json(ctx, "GET", "/api/v1/documents", nil, &out)
}

// AddDocument stores a document or a new version.
func (c *Client) AddDocument(ctx context.Context, req api.AddDocumentRequest) (*api.AddDocumentResponse, error) {
	var out api.AddDocumentResponse
	return &out, c.json(ctx, "POST", "/api/v1/documents", req, &out)
}

// Document returns a document with its versions and copies and, if
// recipients is positive, the traceability report of its latest version
// for that many recipients.
func (c *Client) Document(ctx context.Context, slug string, recipients int) (*api.DocumentDetail, error) {
	path := "/api/v1/documents/" + url.PathEscape(slug)
	if recipients > 0 {
		path += fmt.Sprintf("?recipients=%d", recipients)
	}
	var out api.DocumentDetail
	return &out, c.json(ctx, "GET", path, nil, &out)
}

// Suggestions returns the facts of a document's latest version that
// copies could state differently, with its traceability report for that
// many recipients (0: the server's default) weighing them.
func (c *Client) Suggestions(ctx context.Context, slug string, recipients int) (*api.Suggestions, error) {
	path := "/api/v1/documents/" + url.PathEscape(slug) + "/suggestions"
	if recipients > 0 {
		path += fmt.Sprintf("?recipients=%d", recipients)
	}
	var out api.Suggestions
	return &out, c.json(ctx, "GET", path, nil, &out)
}

// AcceptSuggestions stores the document's next version with the accepted
// suggestions written in as declared variants.
func (c *Client) AcceptSuggestions(ctx context.Context, slug string, req api.AcceptSuggestionsRequest) (*api.AddDocumentResponse, error) {
	var out api.AddDocumentResponse
	return &out, c.json(ctx, "POST", "/api/v1/documents/"+url.PathEscape(slug)+"/suggestions", req, &out)
}

// Recipients lists recipients.
func (c *Client) Recipients(ctx context.Context) ([]api.Recipient, error) {
	var out []api.Recipient
	return out, c.json(ctx, "GET", "/api/v1/recipients", nil, &out)
}

// AddRecipient registers a recipient.
func (c *Client) AddRecipient(ctx context.Context, r api.Recipient) (*api.Recipient, error) {
	var out api.Recipient
	return &out, c.json(ctx, "POST", "/api/v1/recipients", r, &out)
}

// LinkRecipient links the recipient with an address to the account with
// the same address.
func (c *Client) LinkRecipient(ctx context.Context, email string) (*api.Recipient, error) {
	var out api.Recipient
	return &out, c.json(ctx, "POST", "/api/v1/recipients/link", api.LinkRequest{Email: email}, &out)
}

// ImportRecipients registers the recipients of a CSV file (name, email
// and optional unit per line), all or none.
func (c *Client) ImportRecipients(ctx context.Context, csv []byte) (*api.ImportResult, error) {
	var out api.ImportResult
	_, err := c.do(ctx, "POST", "/api/v1/recipients/import", "text/csv", bytes.NewReader(csv), &out)
	return &out, err
}

// Issue issues copies.
func (c *Client) Issue(ctx context.Context, slug string, req api.IssueRequest) ([]api.Copy, error) {
	var out []api.Copy
	return out, c.json(ctx, "POST", "/api/v1/documents/"+url.PathEscape(slug)+"/issue", req, &out)
}

// Copy returns a copy's file in a format (md, html or txt). The server
// records the opening in its ledger.
func (c *Client) Copy(ctx context.Context, id int64, format string) ([]byte, error) {
	return c.do(ctx, "GET", fmt.Sprintf("/api/v1/copies/%d?format=%s", id, url.QueryEscape(format)), "", nil, nil)
}

// Revoke revokes a copy.
func (c *Client) Revoke(ctx context.Context, id int64) error {
	_, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/copies/%d/revoke", id), "", nil, nil)
	return err
}

// Trace traces a leak.
func (c *Client) Trace(ctx context.Context, req api.TraceRequest) (*trace.Verdict, error) {
	var v trace.Verdict
	return &v, c.json(ctx, "POST", "/api/v1/trace", req, &v)
}

// Checkpoint returns the ledger's latest signed checkpoint.
func (c *Client) Checkpoint(ctx context.Context) ([]byte, error) {
	return c.do(ctx, "GET", "/api/v1/ledger/checkpoint", "", nil, nil)
}

// VerifyLedger asks the server to verify its ledger: what was appended
// since the last verification, or with full every entry.
func (c *Client) VerifyLedger(ctx context.Context, full bool) (*api.VerifyResult, error) {
	path := "/api/v1/ledger/verify"
	if full {
		path += "?full=true"
	}
	var out api.VerifyResult
	return &out, c.json(ctx, "POST", path, nil, &out)
}
