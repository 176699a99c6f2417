package extract

import (
	"strings"
	"testing"

	"github.com/telltale-dev/telltale/leaktest"
)

func TestExtractErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []byte
		want string
	}{
		{nil, "empty"},
		{[]byte("  \n\t "), "empty"},
		{[]byte("abc\x00\x01\x02def"), "not text"},
		{make([]byte, MaxFileSize+1), "limit"},
	}
	for _, tt := range tests {
		if _, _, err := Text(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Text(%.20q) = %v, want error mentioning %q", tt.in, err, tt.want)
		}
	}
	// Latin-1 text is read, not refused.
	text, _, err := Text([]byte("caf\xe9 in Houston"))
	if err != nil || !strings.Contains(text, "café") {
		t.Errorf("Latin-1: %q, %v", text, err)
	}
	// HTML: scripts and navigation dropped, the article kept.
	text, format, err := Text([]byte(leaktest.NewsPage("<main class=\"document\"><p>The plan &amp; its annex.</p></main>")))
	if err != nil || format != FormatHTML || !strings.Contains(text, "The plan & its annex.") || strings.Contains(text, "var ads") || strings.Contains(text, "Sports") {
		t.Errorf("HTML extract = %q (%s), %v", text, format, err)
	}
}

func TestExtractLimitsText(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("word ", MaxText/5+1)
	if _, _, err := Text([]byte(big)); err == nil || !strings.Contains(err.Error(), "at most 1024 KB") {
		t.Errorf("%d KB of text: %v", len(big)>>10, err)
	}
	if _, _, err := Text([]byte(big[:MaxText-10])); err != nil {
		t.Errorf("just under the limit: %v", err)
	}
}
