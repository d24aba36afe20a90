package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/export"
	"accord/analytics/export/exporttest"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

// jsonRows reads the JSON export's rows as text, as CSV and XLSX give them:
// null is "", numbers in full precision.
func jsonRows(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	var doc struct {
		Rows []map[string]any `json:"rows"`
	}
	databasetest.Must(t, json.Unmarshal(b, &doc))
	out := make([]map[string]string, len(doc.Rows))
	for i, r := range doc.Rows {
		m := map[string]string{}
		for k, v := range r {
			switch v := v.(type) {
			case nil:
				m[k] = ""
			case string:
				m[k] = v
			case float64:
				m[k] = fmt.Sprint(v)
			}
		}
		out[i] = m
	}
	return out
}

// csvRows reads the CSV export's rows by column key.
func csvRows(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	databasetest.Must(t, err)
	var out []map[string]string
	for _, rec := range records[1:] {
		m := map[string]string{}
		for i, k := range records[0] {
			m[k] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// insightRow returns the insight row of a measure, function and statement.
func insightRow(rows []map[string]string, measure, function, statement string) map[string]string {
	for _, r := range rows {
		if r["measure"] == measure && r["function"] == function && r["team"] == "" && r["statement"] == statement {
			return r
		}
	}
	return nil
}

// TestInsightRowsEqualInsight: every format carries the statements (whole
// organisation, sales, product), their gap and change, the drivers, the
// trends and the response-rate check with LoadInsight's numbers, and a
// hidden one empty with its reason.
func TestInsightRowsEqualInsight(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := exporttest.MustClient(t, db, exporttest.Client{Seed: 11, Rounds: 5})
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, now)
		databasetest.Must(t, err)
		in, err := analytics.LoadInsight(t.Context(), db, d)
		databasetest.Must(t, err)
		if len(in.Statements) == 0 || len(in.Drivers) == 0 || !in.Trend.Enough {
			t.Fatalf("the fixture's insight has %d statements, %d drivers, trend %v: the test proves less than it should",
				len(in.Statements), len(in.Drivers), in.Trend.Enough)
		}
		xlsx, _ := sheetRows(t, exportAll(t, db, export.XLSX, *org))
		for format, rows := range map[string][]map[string]string{
			"CSV":  csvRows(t, exportAll(t, db, export.CSV, *org)),
			"JSON": jsonRows(t, exportAll(t, db, export.JSON, *org)),
			"XLSX": xlsx,
		} {
			check := func(label string, r map[string]string, iv [3]float64, hidden bool) {
				t.Helper()
				if r == nil {
					t.Errorf("%s %s: no row", format, label)
					return
				}
				if r["round"] != d.Round.Title {
					t.Errorf("%s %s: round %q, want %q", format, label, r["round"], d.Round.Title)
				}
				if hidden {
					if r["estimate"] != "" || r["ci_low"] != "" || r["ci_high"] != "" || r["hidden"] == "" {
						t.Errorf("%s %s is hidden on the dashboard but exported as %v", format, label, r)
					}
					return
				}
				if r["hidden"] != "" {
					t.Errorf("%s %s: hidden %q, the dashboard shows it", format, label, r["hidden"])
				}
				near(t, format+" "+label, r["estimate"], iv[0])
				near(t, format+" "+label+" low", r["ci_low"], iv[1])
				near(t, format+" "+label+" high", r["ci_high"], iv[2])
			}
			var shown, hidden int
			for _, s := range in.Statements {
				for fn, m := range map[string]analytics.StatementMeasure{"": s.All, roster.FunctionSales: s.Sales, roster.FunctionProduct: s.Product} {
					label := s.Key + " " + fn
					r := insightRow(rows, export.MeasureStatementMean, fn, s.Key)
					check(label+" mean", r, [3]float64{m.Mean.Estimate, m.Mean.Low, m.Mean.High}, m.Hidden.Hidden())
					if m.Hidden.Hidden() {
						hidden++
						continue
					}
					shown++
					near(t, format+" "+label+" n", r["n"], float64(m.N))
					if r["statement_text"] != s.Prompt {
						t.Errorf("%s %s: statement %q, want %q", format, label, r["statement_text"], s.Prompt)
					}
					agree := insightRow(rows, export.MeasureStatementAgree, fn, s.Key)
					check(label+" agree", agree, [3]float64{m.Agree, math.NaN(), math.NaN()}, false)
					dis := insightRow(rows, export.MeasureStatementDisagree, fn, s.Key)
					check(label+" disagree", dis, [3]float64{m.Disagree, math.NaN(), math.NaN()}, false)
				}
				check(s.Key+" gap", insightRow(rows, export.MeasureStatementGap, "", s.Key),
					[3]float64{s.Gap.Estimate, s.Gap.Low, s.Gap.High}, s.GapHidden.Hidden())
				if c := s.Change; c != nil {
					r := insightRow(rows, export.MeasureStatementChange, "", s.Key)
					check(s.Key+" change", r, [3]float64{c.Diff.Estimate, c.Diff.Low, c.Diff.High}, c.Hidden.Hidden())
					if r != nil && !c.Hidden.Hidden() {
						near(t, format+" "+s.Key+" change q", r["q"], c.Q)
					}
				}
			}
			if shown == 0 {
				t.Errorf("%s: no statement shown", format)
			}
			for _, dr := range in.Drivers {
				r := insightRow(rows, export.MeasureDriver, "", dr.Key)
				check(dr.Key+" driver", r, [3]float64{dr.R.Estimate, dr.R.Low, dr.R.High}, dr.Hidden.Hidden())
				if r != nil && !dr.Hidden.Hidden() {
					near(t, format+" "+dr.Key+" driver q", r["q"], dr.Q)
				}
			}
			for _, f := range in.FocusAreas {
				check(f.Key+" focus area", insightRow(rows, export.MeasureFocusArea, "", f.Key), [3]float64{f.Priority, math.NaN(), math.NaN()}, false)
			}
			tr := insightRow(rows, analytics.MeasureCompletelyAligned+"_trend", "", "")
			check("trend", tr, [3]float64{in.Trend.Slope.Estimate, in.Trend.Slope.Low, in.Trend.Slope.High}, false)
			if tr != nil {
				near(t, format+" trend rounds", tr["n"], float64(in.Trend.Rounds))
			}
			rr := in.Response
			check("response rate gap", insightRow(rows, export.MeasureResponseRateGap, "", ""),
				[3]float64{rr.Diff.Estimate, rr.Diff.Low, rr.Diff.High}, rr.Hidden.Hidden())
			wt := in.Weighted
			check("weighted share", insightRow(rows, export.MeasureWeightedPrefix+analytics.MeasureCompletelyAligned, "", ""),
				[3]float64{wt.Share.Estimate, wt.Share.Low, wt.Share.High}, wt.Unweighted != "")
			for i, name := range analytics.IndexNames {
				wi := wt.Indices[i]
				check("weighted "+name, insightRow(rows, export.MeasureWeightedPrefix+analytics.IndexMeasureName(name), "", ""),
					[3]float64{wi.Mean.Estimate, wi.Mean.Low, wi.Mean.High}, wt.Unweighted != "" || wi.Hidden.Hidden())
			}
			weights := 0
			for _, r := range rows {
				if r["measure"] == export.MeasureRosterWeight {
					weights++
				}
			}
			for _, f := range wt.Functions {
				r := insightRow(rows, export.MeasureRosterWeight, f.Function, "")
				check(f.Function+" weight", r, [3]float64{f.Weight, math.NaN(), math.NaN()}, false)
				if r != nil {
					near(t, format+" "+f.Function+" invited", r["n"], float64(f.Invited))
				}
			}
			if weights != len(wt.Functions) {
				t.Errorf("%s: %d roster weights, %d functions take part", format, weights, len(wt.Functions))
			}
		}
		if in.Weighted.Unweighted != "" {
			t.Errorf("the fixture's insight is not weighted (%s): the test proves less than it should", in.Weighted.Unweighted)
		}
	})
}
