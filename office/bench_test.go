package office_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/telltale-dev/telltale/leaktest"
	"github.com/telltale-dev/telltale/office"
)

// BenchmarkPDF converts the Word plan to PDF, one document and ten per
// run of LibreOffice: what printing one PDF copy when it is opened costs,
// and a batch as the CLI prints them.
func BenchmarkPDF(b *testing.B) {
	leaktest.NeedTools(b, "soffice")
	doc, err := os.ReadFile("../docx/testdata/plan.docx")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			docs := make([][]byte, n)
			for i := range docs {
				docs[i] = doc
			}
			for range b.N {
				if _, err := (office.Converter{}).PDF(context.Background(), docs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "copies/s")
		})
	}
}
