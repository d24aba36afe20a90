package export_test

import (
	"io"
	"testing"

	"accord/analytics/export"
)

// BenchmarkWriters writes aggregate-like rows (the portfolio export's 22
// columns) in each format to io.Discard: the writers' own cost per row.
//
//	go test -run '^$' -bench Writers -benchmem ./analytics/export/
func BenchmarkWriters(b *testing.B) {
	row := []export.Value{export.Str("acme"), export.Str("Acme Widgets"), export.Int(1234), export.Str("Q3 2025 pulse"), export.Str("closed"),
		export.Date(now), export.Date(now), export.Int(2), export.Str("sales"), export.Str("SMB Sales"), {}, export.Str("1-3 years"), {},
		export.Str("trust_index"), export.Num(61.234567), export.Num(55.1), export.Num(67.9), export.Int(42), {}, {}, {}, {}}
	for _, f := range export.Formats {
		b.Run(string(f), func(b *testing.B) {
			w, err := export.NewWriter(f, io.Discard, export.Meta{Title: "bench", Generated: now}, export.AggregateColumns)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := w.Row(row); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		})
	}
}
