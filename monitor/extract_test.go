package monitor

import (
	"errors"
	"strings"
	"testing"
)

// mhtmlSample is a page saved as one file, as browsers write it.
const mhtmlSample = "From: <Saved by Blink>\r\n" +
	"Snapshot-Content-Location: https://news.example/sweep\r\n" +
	"Subject: Sweep planned\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--x\"\r\n" +
	"\r\n" +
	"------MultipartBoundary--x\r\n" +
	"Content-Type: text/html\r\n" +
	"Content-ID: <frame-1@mhtml.blink>\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"Content-Location: https://news.example/sweep\r\n" +
	"\r\n" +
	"<html><head><title>Sweep planned</title></head><body><article><p>About 140 deputies will =\r\n" +
	"serve warrants in nine cities on Sunday, officials said.</p></article></body></html>\r\n" +
	"------MultipartBoundary--x\r\n" +
	"Content-Type: text/css\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"p { color: black; }\r\n" +
	"------MultipartBoundary--x--\r\n"

// TestExtractKinds: an article may come as HTML, a saved page, Markdown or
// text, named by its Content-Type or sniffed.
func TestExtractKinds(t *testing.T) {
	for _, tc := range []struct {
		name, ctype, body string
		method, title     string
		want              string // a phrase of the text
	}{
		{"html", "text/html", "<html><head><title>Sweep</title></head><body><p>About 140 deputies.</p></body></html>", "visible", "Sweep", "About 140 deputies."},
		{"mhtml", "multipart/related", mhtmlSample, "mhtml+visible", "Sweep planned", "About 140 deputies will serve warrants in nine cities"},
		{"mhtml sniffed", "", mhtmlSample, "mhtml+visible", "Sweep planned", "nine cities on Sunday"},
		{"markdown", "text/markdown; charset=utf-8", "---\ntitle: Operation Harbor Light\n---\n\n## 1. Objective\n\nArrest the subjects of 312 warrants.\n", "markdown", "Operation Harbor Light", "312 warrants"},
		{"markdown sniffed", "", "# Plan\n\nArrest the subjects of 312 warrants.\n", "markdown", "Plan", "312 warrants"},
		{"other text", "text/x-rst", "Plan\n====\n\n312 warrants.", "text", "", "312 warrants"},
		{"text", "text/plain", "Plan: 312 warrants.", "text", "", "312 warrants"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ExtractPage([]byte(tc.body), tc.ctype, "")
			if err != nil {
				t.Fatal(err)
			}
			if a.Method != tc.method || a.Title != tc.title || !strings.Contains(a.Text, tc.want) {
				t.Errorf("method %q title %q text %q", a.Method, a.Title, a.Text)
			}
		})
	}
	for _, ctype := range []string{"application/pdf", "text/css", "image/png"} {
		if _, err := ExtractPage([]byte("x"), ctype, "u"); !errors.Is(err, ErrNotArticle) {
			t.Errorf("%s: %v, want ErrNotArticle", ctype, err)
		}
	}
	if _, err := ExtractPage([]byte("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhi"), "multipart/related", "u"); err == nil {
		t.Error("a saved page without HTML was read")
	}
}
