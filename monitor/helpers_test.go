package monitor

import (
	"net/netip"
	"testing"
	"time"

	"github.com/telltale-dev/telltale/disclose"
	"github.com/telltale-dev/telltale/mark"
	"github.com/telltale-dev/telltale/parse"
	"github.com/telltale-dev/telltale/samples"
)

// sampleIndex returns a disclosure index of the sample documents, IDs 1, 2,
// 3 in samples.Names() order, labelled by sample name.
func sampleIndex(t testing.TB) *disclose.Index {
	t.Helper()
	var versions []disclose.Protected
	for i, name := range samples.Names() {
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
		versions = append(versions, disclose.FromTemplate(int64(i+1), name, tpl))
	}
	ix, err := disclose.NewIndex(disclose.Options{}, versions...)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// testFetcher is a fetcher for local test servers: fast rate, short
// timeout.
func testFetcher(cfg FetcherConfig) *Fetcher {
	if cfg.PerHost == 0 {
		cfg.PerHost, cfg.Burst = 10000, 1000
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	cfg.Allow = append(cfg.Allow, netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
	return NewFetcher(cfg)
}
