package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"accord/analytics/export/exporttest"
	"accord/analytics/report"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
)

// drawn is true when every chart holds a canvas that takes up space.
const drawn = `document.readyState === "complete" && [...document.querySelectorAll("[data-chart]")].every(el => {
	const c = el.querySelector("canvas");
	return el.hasAttribute("data-chart-ready") && c && c.width > 0 && c.height > 0 && c.getBoundingClientRect().width > 0;
})`

// writeReport builds the fixture's report and writes it to a file.
func writeReport(t *testing.T) (string, *report.Report) {
	t.Helper()
	db := databasetest.Open(t, "sqlite")
	org := exporttest.MustClient(t, db, exporttest.Client{Slug: "acme", Name: "Acme " + scriptName, Team: scriptName, Seed: 1})
	r := build(t, db, org)
	file := filepath.Join(t.TempDir(), "acme-report.html")
	if err := os.WriteFile(file, []byte(render(t, r)), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, r
}

// TestBrowserReportOffline opens the report from disk, with no server
// running and nothing else to load, as from a USB stick: every chart is
// drawn, no request leaves the page, the script-like names stay text, and
// nothing serious bothers axe, on a desktop and on a phone.
func TestBrowserReportOffline(t *testing.T) {
	b := browsertest.New(t)
	file, r := writeReport(t)
	charts := 0
	for _, s := range r.Sections {
		charts += len(s.Charts)
	}
	if charts != 7 {
		t.Fatalf("the report has %d charts, want 7", charts)
	}
	for _, tc := range []struct {
		name string
		opts []browsertest.Option
	}{{"desktop", nil}, {"phone", []browsertest.Option{browsertest.Phone()}}} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.Open(t, "file://"+file, tc.opts...)
			p.WaitFor(drawn)
			if n := browsertest.Eval[int](p, `document.querySelectorAll("[data-chart-ready]").length`); n != charts {
				t.Errorf("%d charts drawn, want %d", n, charts)
			}
			if res := browsertest.Eval[[]string](p, `performance.getEntriesByType("resource").map(e => e.name)`); len(res) > 0 {
				t.Errorf("the report loads resources, so it would not open offline: %v", res)
			}
			if n := browsertest.Eval[int](p, `document.scripts.length`); n != 2 {
				t.Errorf("%d script elements, want the 2 inlined (a name became a script?)", n)
			}
			if !strings.Contains(p.Text("h1"), scriptName) {
				t.Errorf("heading %q, want the organisation's name as text", p.Text("h1"))
			}
			if p.ScrollsSideways() {
				t.Errorf("the report scrolls sideways: %v", p.Overflowing())
			}
			p.AssertNoErrors()
			p.AssertAccessible("serious")
		})
	}
}

// TestReportPDF prints the report with Chromium and reads the PDF back
// with pdftotext (Debian's poppler-utils): every section is there, with
// page numbers. Locally a missing tool skips the test; under CI=true it fails.
func TestReportPDF(t *testing.T) {
	chromium, err := report.FindChromium(func(key string) string {
		if key == "ACCORD_CHROMIUM" && os.Getenv("ACCORD_TEST_CHROMIUM") != "" {
			return os.Getenv("ACCORD_TEST_CHROMIUM") // the browser .ci/run prepared
		}
		return os.Getenv(key)
	})
	pdftotext, perr := exec.LookPath("pdftotext")
	if err != nil || perr != nil {
		msg := "the PDF test needs Chromium and pdftotext (apt-get install -y chromium poppler-utils)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %v %v", msg, err, perr)
		}
		t.Skip(msg)
	}
	_, r := writeReport(t)
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	f, err := os.Create(pdf)
	databasetest.Must(t, err)
	databasetest.Must(t, r.WritePDF(context.Background(), chromium, f))
	databasetest.Must(t, f.Close())
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	if !strings.HasPrefix(string(must(os.ReadFile(pdf))), "%PDF-") {
		t.Fatal("not a PDF")
	}
	for _, want := range []string{"Accord benchmark report", "Executive summary", "Against the benchmark",
		"Trend", "Share of answers at each level, this round and the study", "Perception gap: sales and product", "Groups at a glance",
		"Response rates", "Comments", "Methods", "Questionnaire", "Thresholds", "Statistical methods", "The benchmark",
		"Study of Product Team Performance", "Page 1 of", scriptName} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if pages := strings.Count(text, "\f"); pages < 4 {
		t.Errorf("%d pages: the report should span several", pages)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
