package report_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"testing"

	"accord/analytics/report"
	"accord/survey/database/databasetest"
	"accord/survey/demo"
)

// pageObject matches a page (not a page tree node) of a Chromium PDF.
var pageObject = regexp.MustCompile(`/Type /Page[^s]`)

// BenchmarkPDF measures printing the demo's first organisation and the
// portfolio of all three, with a cold Chromium (started for the print, as
// `accord report` does) and a warm one (the server's Printer), and
// reports the page count; and a warm Chromium printing a report it has not
// printed before (two prints, the first to number the contents):
//
//	ACCORD_TEST_CHROMIUM=/usr/bin/chromium go test -run '^$' -bench PDF -benchtime 3x ./analytics/report/
func BenchmarkPDF(b *testing.B) {
	chromium, _, _ := printTools(b)
	db := databasetest.Open(b, "sqlite")
	res, err := demo.Generate(b.Context(), db, demo.Options{Orgs: 3, People: 60, Rounds: 8, Seed: 1, Now: now, Secret: []byte("secret")})
	databasetest.Must(b, err)
	org, err := report.Build(b.Context(), db, &res.Orgs[0], 0, now)
	databasetest.Must(b, err)
	portfolio, err := report.BuildPortfolio(b.Context(), db, res.Orgs, report.PortfolioOptions{PreparedBy: "Ada Lovelace"}, now)
	databasetest.Must(b, err)
	for _, doc := range []struct {
		name string
		doc  report.Document
	}{{"org", org}, {"portfolio", portfolio}} {
		print := func(b *testing.B, p *report.Printer) {
			var buf bytes.Buffer
			databasetest.Must(b, p.Print(context.Background(), doc.doc, &buf))
			b.ReportMetric(float64(len(pageObject.FindAll(buf.Bytes(), -1))), "pages")
		}
		b.Run(doc.name+"/cold", func(b *testing.B) {
			for b.Loop() {
				p := report.NewPrinter(chromium, 1)
				print(b, p)
				p.Close()
			}
		})
		b.Run(doc.name+"/warm", func(b *testing.B) {
			p := report.NewPrinter(chromium, 1)
			defer p.Close()
			print(b, p) // starts Chromium
			for b.Loop() {
				print(b, p)
			}
		})
	}
	// A report downloaded for the first time: Chromium is warm but the
	// printer has not laid this document out before, so it prints twice
	// (once to number the contents). The date differs at every print.
	b.Run("org/warm-new", func(b *testing.B) {
		p := report.NewPrinter(chromium, 1)
		defer p.Close()
		databasetest.Must(b, p.Print(context.Background(), org, io.Discard))
		day := 0
		for b.Loop() {
			day++
			org.Generated = fmt.Sprintf("%d March 2026", day)
			databasetest.Must(b, p.Print(context.Background(), org, io.Discard))
		}
	})
}
