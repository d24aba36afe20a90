package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	env := map[string]string{"ACCORD_TEST_POSTGRES_URL": "postgres://x/test", "HOME": "/home/me"}
	o, err := parseFlags([]string{"--only", "dashboard, exports", "--quick"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if o.postgres != "postgres://x/test" || o.mailpit != "/home/me/go/bin/mailpit" || !o.quick {
		t.Errorf("options = %+v", o)
	}
	if !o.selected("dashboard") || !o.selected("exports") || o.selected("demo") || o.selected("firstbuild") {
		t.Errorf("--only dashboard,exports selects %+v", o.only)
	}
	all, _ := parseFlags(nil, func(string) string { return "" })
	if !all.selected("startup") || !all.selected("respondents") || all.selected("firstbuild") {
		t.Error("without --only every row but firstbuild runs")
	}
	if fb, _ := parseFlags([]string{"--only", "firstbuild"}, func(string) string { return "" }); !fb.selected("firstbuild") || fb.selected("startup") {
		t.Error("--only firstbuild runs the first build alone")
	}
	for _, bad := range [][]string{{"--only", "dashbord"}, {"--runs", "0"}, {"extra"}} {
		if _, err := parseFlags(bad, func(string) string { return "" }); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// TestCheckSaysWhatIsMissing: without PostgreSQL or Mailpit the command
// names what it needs instead of failing halfway.
func TestCheckSaysWhatIsMissing(t *testing.T) {
	o, err := parseFlags([]string{"--only", "dashboard,fanout", "--mailpit", "/nonexistent/mailpit"}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	err = o.check()
	if err == nil || !strings.Contains(err.Error(), "--postgres") || !strings.Contains(err.Error(), "go install github.com/axllent/mailpit") {
		t.Errorf("check() = %v, want it to name --postgres and how to get mailpit", err)
	}
	if o, _ := parseFlags([]string{"--only", "startup"}, func(string) string { return "" }); o.check() != nil {
		t.Errorf("startup alone needs neither PostgreSQL nor Mailpit: %v", o.check())
	}
}

func TestTablePrintsOneMarkdownTable(t *testing.T) {
	tb := &table{LoadBefore: "0.52 0.40 0.33", LoadAfter: "1.90 1.10 0.60", Elapsed: 95 * time.Second, Rows: []row{
		{Measure: "dashboard p95", Value: "12.0 ms", Reference: "raw 500 ms", Ratio: "raw ÷ rollups 40×", Target: "< 30 ms", Met: "yes"},
		{Measure: "a | b", Value: "failed: x"},
	}}
	var out bytes.Buffer
	tb.print(&out)
	got := out.String()
	for _, want := range []string{"load average before: 0.52 0.40 0.33; after: 1.90 1.10 0.60; 1m35s in all",
		"| measure ", "| dashboard p95 ", "raw ÷ rollups 40×", "| a / b ", "failed: x"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	lines := strings.Split(strings.TrimSpace(got[strings.Index(got, "| measure"):]), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d table lines, want header, rule and 2 rows:\n%s", len(lines), got)
	}
	for _, l := range lines {
		if strings.Count(l, "|") != 7 {
			t.Errorf("line %q has %d cell separators, want 7", l, strings.Count(l, "|"))
		}
	}
}

func TestParsers(t *testing.T) {
	dash := `GET default (latest round, whole organisation): p50 8.7ms, p95 16.5ms, p99 26ms, max 30ms (300 requests, 81 KB page)
measures for default (latest round, whole organisation): from rollups 4.2ms, from raw answers 585ms (median of 5): raw/rollups = 140×`
	r, err := parseDashbench(dash, "dash", 30*time.Millisecond)
	if err != nil || r.Value != "16.5 ms, 81 KB page" || r.Ratio != "raw ÷ rollups 140×" || r.Met != "yes" {
		t.Errorf("parseDashbench = %+v, %v", r, err)
	}
	ex, err := parseExports("export responses csv: first byte 12ms, last byte 1.2s, 6.3 MB\nexport responses xlsx: first byte 150ms, last byte 3s, 4.0 MB\n", 6000)
	if err != nil || len(ex) != 2 || ex[0].Met != "no" || ex[1].Met != "yes" {
		t.Errorf("parseExports = %+v, %v", ex, err)
	}
	ex, err = parseExports("export responses xlsx (1000000 responses): first byte 9ms, last byte 31.2s, 61.0 MB; peak RSS 51200 kB, peak Go heap 12 MB, CPU 30.5s\n", 6000)
	if err != nil || len(ex) != 1 || ex[0].Met != "yes" || ex[0].Measure != "anonymised responses export, XLSX (1000000 responses)" ||
		ex[0].Value != "first byte 9.0 ms, last byte 31.2 s (61.0 MB), peak RSS 50 MB, peak Go heap 12 MB, CPU 30.5s" {
		t.Errorf("parseExports with memory = %+v, %v", ex, err)
	}
	pf, err := parsePortfolio("GET /portfolio: p50 20ms, p95 24.1ms, p99 30ms, max 31ms (300 requests, 80 KB page)\nGET /portfolio/export?format=xlsx: 1m2.5s, 143.0 MB file", 100)
	if err != nil || len(pf) != 2 || pf[0].Met != "yes" || pf[1].Value != "1 min 02 s (143.0 MB)" || pf[1].Met != "no" {
		t.Errorf("parsePortfolio = %+v, %v", pf, err)
	}
	fo, err := parseFanout("sqlite     outbox/bare throughput ratio: 0.81\n\npostgres   outbox/bare throughput ratio: 0.74\n", 10000)
	if err != nil || len(fo) != 2 || fo[0].Met != "yes" || fo[1].Met != "no" {
		t.Errorf("parseFanout = %+v, %v", fo, err)
	}
	if d := clock("2:35.08"); d != 155080*time.Millisecond {
		t.Errorf("clock = %s", d)
	}
}
