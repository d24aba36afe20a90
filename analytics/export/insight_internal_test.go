package export

import (
	"bytes"
	"encoding/csv"
	"math"
	"testing"

	"accord/analytics"
	"accord/analytics/stats"
	"accord/survey"
)

// TestInsightStatementTextIsNeutralised: an organisation's own statement
// is text it typed, so a prompt that a spreadsheet would run as a formula
// is neutralised in the CSV like every other text cell.
func TestInsightStatementTextIsNeutralised(t *testing.T) {
	var buf bytes.Buffer
	tw, err := NewWriter(CSV, &buf, Meta{}, AggregateColumns)
	if err != nil {
		t.Fatal(err)
	}
	org := &survey.Organisation{Slug: "acme", Name: "Acme"}
	d := &analytics.Dashboard{Round: &analytics.RoundInfo{ID: 1, Title: "March", Status: survey.RoundClosed}}
	w := &insightWriter{tw: tw, org: org, d: d, k: 5, row: make([]Value, len(AggregateColumns))}
	s := &analytics.StatementResult{Key: "-C1", Prompt: `=HYPERLINK("http://evil.test","x")`}
	if err := w.emit(analytics.Group{}, MeasureStatementMean, false, stats.Interval{Estimate: 50, Low: 40, High: 60}, 9, "", s, math.NaN()); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]string{}
	for i, k := range recs[0] {
		row[k] = recs[1][i]
	}
	if row["statement_text"] != "'"+s.Prompt || row["statement"] != "'"+s.Key {
		t.Errorf("statement %q, text %q: want both neutralised", row["statement"], row["statement_text"])
	}
	if row["estimate"] != "50" || row["n"] != "9" || row["q"] != "" || row["hidden"] != "" {
		t.Errorf("row %v", row)
	}
}
