package pdf

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkPrint prints copies of the operations plan (about 1,500 words,
// five pages), as many at once as the printer allows; the browser is
// started before timing.
func BenchmarkPrint(b *testing.B) {
	p := New(Options{})
	if !p.Available() {
		b.Skip("needs chromium")
	}
	defer p.Close()
	page := benchPage(b)
	if _, err := p.Print(context.Background(), page, Marking{Footer: "Copy 3 of 12"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := p.Print(context.Background(), page, Marking{Footer: "Copy 3 of 12", Watermark: "DANA ORTIZ · COPY 3"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkPrintLatency prints one copy at a time, as a download does,
// and reports the median and 99th percentile time of a print.
func BenchmarkPrintLatency(b *testing.B) {
	p := New(Options{})
	if !p.Available() {
		b.Skip("needs chromium")
	}
	defer p.Close()
	page := benchPage(b)
	if _, err := p.Print(context.Background(), page, Marking{}); err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := p.Print(context.Background(), page, Marking{Footer: "Copy 3 of 12"}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(times[len(times)/2].Seconds(), "p50-s")
	b.ReportMetric(times[len(times)*99/100].Seconds(), "p99-s")
}
