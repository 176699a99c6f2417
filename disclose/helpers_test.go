// Tests that read articles as the monitor extracts them, or poll them, are
// in package disclose_test, because package monitor imports disclose; they
// dot-import disclose so that they read as the package's own.
package disclose_test

import (
	"net/netip"
	"testing"
	"time"

	. "github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/monitor"
	"github.com/telltale-dev/telltale/monitor/monitortest"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

// sampleVersions returns the sample documents as protected versions, IDs
// 1, 2, 3 in samples.Names() order, labelled by sample name.
func sampleVersions(t testing.TB) []Protected {
	t.Helper()
	var out []Protected
	for i, name := range samples.Names() {
		out = append(out, sampleVersion(t, int64(i+1), name))
	}
	return out
}

func sampleVersion(t testing.TB, id int64, name string) Protected {
	t.Helper()
	src, ok := samples.Get(name)
	if !ok {
		t.Fatalf("no sample %q", name)
	}
	doc, err := parse.Parse(name+".md", src)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mark.Mark(doc, mark.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return FromTemplate(id, name, tpl)
}

func sampleIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := NewIndex(Options{}, sampleVersions(t)...)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// loadArticleText returns the text of a corpus article as the monitor
// extracts it.
func loadArticleText(t *testing.T, name string) string {
	t.Helper()
	for _, a := range monitortest.Corpus(t) {
		if a.Name == name {
			art, err := monitor.ExtractPage(a.Page, "text/html", "http://x.test/"+name)
			if err != nil {
				t.Fatal(err)
			}
			return art.Text
		}
	}
	t.Fatalf("no article %q", name)
	return ""
}

// testFetcher is a fetcher for local test servers: fast rate, short
// timeout.
func testFetcher(cfg monitor.FetcherConfig) *monitor.Fetcher {
	if cfg.PerHost == 0 {
		cfg.PerHost, cfg.Burst = 10000, 1000
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	cfg.Allow = append(cfg.Allow, netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
	return monitor.NewFetcher(cfg)
}
