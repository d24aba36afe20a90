package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/export"
	"accord/analytics/export/exporttest"
	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
)

var now = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func TestNeutralise(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1", "'+1"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"North", "North"},
		{"a=b", "a=b"},
		{"", ""},
	} {
		if got := export.Neutralise(tc.in); got != tc.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"csv", "XLSX", " json "} {
		if _, err := export.ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	_, err := export.ParseFormat("pdf")
	if apperr.ErrorCode(err) != apperr.EINVALID || !strings.Contains(apperr.ErrorMessage(err), "csv, xlsx or json") {
		t.Errorf("ParseFormat(pdf) = %v, want an EINVALID naming the formats", err)
	}
}

// exportAll writes the aggregates of org in format f.
func exportAll(t *testing.T, db *gorm.DB, f export.Format, orgs ...survey.Organisation) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Aggregates(t.Context(), db, orgs, now, f, &buf); err != nil {
		t.Fatalf("export %s: %v", f, err)
	}
	return buf.Bytes()
}

// sheetRows reads every row of the XLSX's data sheets, keyed by column key.
func sheetRows(t *testing.T, b []byte) ([]map[string]string, *excelize.File) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open XLSX: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	var out []map[string]string
	for _, sheet := range f.GetSheetList() {
		if sheet == "About" {
			continue
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("read sheet %s: %v", sheet, err)
		}
		for _, r := range rows[1:] {
			m := map[string]string{}
			for i, c := range export.AggregateColumns {
				if i < len(r) {
					m[c.Key] = r[i]
				}
			}
			out = append(out, m)
		}
	}
	return out, f
}

// find returns the row of a group and measure in a round, or nil.
func find(rows []map[string]string, round, function, team, measure string) map[string]string {
	for _, r := range rows {
		if r["round"] == round && r["function"] == function && r["team"] == team && r["region"] == "" && r["tenure"] == "" && r["measure"] == measure {
			return r
		}
	}
	return nil
}

// near compares an exported number with the dashboard's, exactly as far as
// text round-trips allow.
func near(t *testing.T, what, got string, want float64) {
	t.Helper()
	if math.IsNaN(want) || math.IsInf(want, 0) {
		if got != "" {
			t.Errorf("%s = %q, want empty", what, got)
		}
		return
	}
	var x float64
	if err := json.Unmarshal([]byte(got), &x); err != nil {
		t.Errorf("%s = %q, not a number", what, got)
		return
	}
	if math.Abs(x-want) > 1e-12*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v, dashboard says %v", what, x, want)
	}
}

// TestXLSXEqualsDashboard reads the XLSX back and compares it with what the
// dashboard shows for the whole organisation and for sales, in the latest
// closed round: the same numbers, and nothing for hidden groups.
func TestXLSXEqualsDashboard(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := exporttest.MustClient(t, db, exporttest.Client{Seed: 1})
		data, f := sheetRows(t, exportAll(t, db, export.XLSX, *org))
		if sheets := f.GetSheetList(); len(data) == 0 || len(sheets) != 2 || sheets[1] != "Aggregates" {
			t.Fatalf("sheets %v with %d rows, want About and Aggregates", sheets, len(data))
		}
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, now)
		databasetest.Must(t, err)
		check := func(label, function, team string, m analytics.Measures) {
			t.Helper()
			round := d.Round.Title
			share := find(data, round, function, team, analytics.MeasureCompletelyAligned)
			if share == nil {
				t.Fatalf("%s: no completely_aligned row in %s", label, round)
			}
			near(t, label+" share", share["estimate"], m.Share.Estimate)
			near(t, label+" share low", share["ci_low"], m.Share.Low)
			near(t, label+" share high", share["ci_high"], m.Share.High)
			near(t, label+" share n", share["n"], float64(m.A1N))
			for _, im := range m.Indices {
				r := find(data, round, function, team, analytics.IndexMeasureName(im.Name))
				if r == nil {
					t.Fatalf("%s: no %s row", label, im.Name)
				}
				near(t, label+" "+im.Name, r["estimate"], im.Mean.Estimate)
				near(t, label+" "+im.Name+" low", r["ci_low"], im.Mean.Low)
				near(t, label+" "+im.Name+" high", r["ci_high"], im.Mean.High)
			}
			rate := find(data, round, function, team, analytics.MeasureResponseRate)
			near(t, label+" response rate", rate["estimate"], m.ResponseRate)
			near(t, label+" invited", rate["n"], float64(m.Invited))
		}
		check("whole organisation", "", "", d.Current.Measures)
		var sawHidden bool
		for _, b := range d.Breakdowns {
			if b.Dim != analytics.DimFunction {
				continue
			}
			for _, m := range b.Groups {
				if m.Hidden {
					sawHidden = true
					if r := find(data, d.Round.Title, m.Group.Function, "", analytics.MeasureResponses); r != nil {
						t.Errorf("hidden group %s is in the export: %v", m.Group.Function, r)
					}
					continue
				}
				check(m.Group.Function, m.Group.Function, "", m)
			}
		}
		if !sawHidden {
			t.Fatal("the fixture has no hidden function: the test proves less than it should")
		}
	})
}

// TestNumbersAreNumbers: spreadsheets must be able to compute with the
// numbers, so they are numeric cells with a display format, not text.
func TestNumbersAreNumbers(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	org := exporttest.MustClient(t, db, exporttest.Client{Seed: 2})
	_, f := sheetRows(t, exportAll(t, db, export.XLSX, *org))
	for _, cell := range []string{"C2", "O2", "R2"} { // round id, estimate, n
		typ, err := f.GetCellType("Aggregates", cell)
		databasetest.Must(t, err)
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("cell %s has type %v, want a number", cell, typ)
		}
		v, _ := f.GetCellValue("Aggregates", cell, excelize.Options{RawCellValue: true})
		if v == "" {
			t.Errorf("cell %s is empty", cell)
		}
	}
	// Dates are dates: a number underneath, shown as ISO 8601.
	raw, _ := f.GetCellValue("Aggregates", "F2", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue("Aggregates", "F2")
	if raw != "45901" || shown != "2025-09-01" {
		t.Errorf("opening date: raw %q shown %q, want 45901 shown as 2025-09-01", raw, shown)
	}
}

// hostile names every text column a client controls.
var hostile = exporttest.Client{Slug: "evil", Name: "=HYPERLINK(\"http://evil.test\",\"x\")", Team: "+cmd|' /C calc'!A0", Seed: 3}

// TestFormulaInjection: text that a spreadsheet would run as a formula is
// neutralised in CSV and XLSX, and kept intact in JSON.
func TestFormulaInjection(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	org := exporttest.MustClient(t, db, hostile)

	records, err := csv.NewReader(bytes.NewReader(exportAll(t, db, export.CSV, *org))).ReadAll()
	databasetest.Must(t, err)
	sawTeam := false
	for _, rec := range records[1:] {
		if rec[1] != "'"+org.Name {
			t.Fatalf("CSV organisation = %q, want it neutralised", rec[1])
		}
		if strings.Contains(rec[9], "cmd") {
			sawTeam = true
			if rec[9] != "'"+hostile.Team {
				t.Errorf("CSV team = %q, want it neutralised", rec[9])
			}
		}
		for i, v := range rec {
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				if _, err := json.Number(v).Float64(); err != nil || isText(i) {
					t.Errorf("CSV cell %q in column %s could run as a formula", v, export.AggregateColumns[i].Key)
				}
			}
		}
	}
	if !sawTeam {
		t.Fatal("the hostile team is not in the CSV")
	}

	rows, f := sheetRows(t, exportAll(t, db, export.XLSX, *org))
	for _, r := range rows {
		if r["organisation"] != "'"+org.Name {
			t.Fatalf("XLSX organisation = %q, want it neutralised", r["organisation"])
		}
		if strings.Contains(r["team"], "cmd") && r["team"] != "'"+hostile.Team {
			t.Errorf("XLSX team = %q, want it neutralised", r["team"])
		}
	}
	for _, sheet := range f.GetSheetList() {
		formulas, err := f.GetRows(sheet)
		databasetest.Must(t, err)
		for i := range formulas {
			for j := range formulas[i] {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fx, _ := f.GetCellFormula(sheet, cell); fx != "" {
					t.Errorf("sheet %s cell %s holds a formula %q", sheet, cell, fx)
				}
			}
		}
	}

	var doc struct {
		Rows []map[string]any `json:"rows"`
	}
	databasetest.Must(t, json.Unmarshal(exportAll(t, db, export.JSON, *org), &doc))
	if got := doc.Rows[0]["organisation"]; got != org.Name {
		t.Errorf("JSON organisation = %q, want the name as it is", got)
	}
}

// isText reports whether column i holds text.
func isText(i int) bool {
	switch export.AggregateColumns[i].Key {
	case "round_id", "questionnaire_version", "estimate", "ci_low", "ci_high", "n":
		return false
	}
	return true
}

// TestJSONEscaping: a team named like a script is escaped in the JSON text
// (so the file can be embedded in a page) and reads back unchanged.
func TestJSONEscaping(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	const team = "</script><script>alert(1)</script>"
	org := exporttest.MustClient(t, db, exporttest.Client{Team: team, Seed: 4})
	b := exportAll(t, db, export.JSON, *org)
	if bytes.Contains(b, []byte("<script>")) {
		t.Error("the JSON export holds a raw <script> tag")
	}
	var doc struct {
		Meta struct {
			Columns []string `json:"columns"`
		} `json:"meta"`
		Rows []map[string]any `json:"rows"`
	}
	databasetest.Must(t, json.Unmarshal(b, &doc))
	found := false
	for _, r := range doc.Rows {
		found = found || r["team"] == team
	}
	if !found {
		t.Errorf("no row has the team %q", team)
	}
	if len(doc.Meta.Columns) != len(export.AggregateColumns) {
		t.Errorf("meta lists %d columns, want %d", len(doc.Meta.Columns), len(export.AggregateColumns))
	}
}

// TestFormatsAgree: CSV, XLSX and JSON hold the same rows.
func TestFormatsAgree(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	a := exporttest.MustClient(t, db, exporttest.Client{Seed: 5})
	b := exporttest.MustClient(t, db, exporttest.Client{Slug: "beta", Name: "Beta Tools", Seed: 6})
	orgs := []survey.Organisation{*a, *b}
	records, err := csv.NewReader(bytes.NewReader(exportAll(t, db, export.CSV, orgs...))).ReadAll()
	databasetest.Must(t, err)
	var doc struct {
		Rows []map[string]any `json:"rows"`
	}
	databasetest.Must(t, json.Unmarshal(exportAll(t, db, export.JSON, orgs...), &doc))
	xlsx, _ := sheetRows(t, exportAll(t, db, export.XLSX, orgs...))
	if n := len(records) - 1; n == 0 || n != len(doc.Rows) || n != len(xlsx) {
		t.Errorf("CSV has %d rows, JSON %d, XLSX %d", n, len(doc.Rows), len(xlsx))
	}
	var audits int64
	databasetest.Must(t, db.Model(&audit.Entry{}).Where("action = ?", audit.AuditExport).Count(&audits).Error)
	if audits != 6 {
		t.Errorf("%d export audit entries, want 6 (three exports of two organisations)", audits)
	}
}
