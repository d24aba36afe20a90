package charts_test

import (
	"encoding/json"
	"testing"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/stats"
)

// option is the part of an echarts option the tests read.
type option struct {
	XAxis []struct {
		Data []string `json:"data"`
	} `json:"xAxis"`
	YAxis []struct {
		Name string  `json:"name"`
		Max  float64 `json:"max"`
	} `json:"yAxis"`
	Series []struct {
		Name      string                `json:"name"`
		Data      []struct{ Value any } `json:"data"`
		LineStyle struct{ Type string } `json:"lineStyle"`
		MarkLine  struct {
			Data []struct{ YAxis float64 } `json:"data"`
		} `json:"markLine"`
	} `json:"series"`
}

func parse(t *testing.T, s string) option {
	t.Helper()
	var o option
	if err := json.Unmarshal([]byte(s), &o); err != nil {
		t.Fatalf("option JSON does not parse: %v\n%s", err, s)
	}
	return o
}

func TestCompletelyAlignedTrend(t *testing.T) {
	trend := []analytics.RoundShare{
		{Title: "January", Suppressed: true, Threshold: 5},
		{Title: `"><img src=x onerror=alert(1)>`, N: 20, Aligned: 3, Share: stats.Wilson(3, 20, 0.95)},
	}
	s, err := charts.CompletelyAlignedTrend(trend)
	if err != nil {
		t.Fatal(err)
	}
	o := parse(t, s)
	if got := o.XAxis[0].Data; len(got) != 2 || got[1] != trend[1].Title {
		t.Errorf("x axis = %q, want both round titles verbatim", got)
	}
	if o.YAxis[0].Name == "" || o.YAxis[0].Max != 40 {
		t.Errorf("y axis = %+v, want a name and a max of 40 (the upper bound 36.0%% in view)", o.YAxis[0])
	}
	values := map[string][]any{}
	for _, sr := range o.Series {
		for _, d := range sr.Data {
			values[sr.Name] = append(values[sr.Name], d.Value)
		}
	}
	share := values[charts.SeriesShare]
	if len(share) != 2 || share[0] != "-" || share[1] != 15.0 {
		t.Errorf("share series = %v, want [- 15] (a gap for the suppressed round)", share)
	}
	for name, vs := range values {
		if vs[0] != "-" {
			t.Errorf("series %q shows %v for the suppressed round, want a gap", name, vs[0])
		}
	}
	var bench bool
	for _, sr := range o.Series {
		if sr.Name == charts.SeriesBenchmark {
			bench = sr.LineStyle.Type == "dashed" && len(sr.MarkLine.Data) == 1 && sr.MarkLine.Data[0].YAxis == 9.2
		}
	}
	if !bench {
		t.Errorf("no dashed benchmark line at 9.2%% in %s", s)
	}
}

func TestCompletelyAlignedTrendEmpty(t *testing.T) {
	s, err := charts.CompletelyAlignedTrend(nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := parse(t, s); len(o.XAxis) != 1 || o.YAxis[0].Max < 10 {
		t.Errorf("empty trend option = %s, want an empty axis still showing the benchmark", s)
	}
}

// TestHeatmapAgainstColoursByDifference: cells are coloured by their
// difference from the group as a whole and still read their own value.
func TestHeatmapAgainstColoursByDifference(t *testing.T) {
	ref := analytics.Measures{A1N: 10, Share: stats.Interval{Estimate: 0.2}}
	for i := range ref.Indices {
		ref.Indices[i] = analytics.IndexMeasure{Mean: stats.Interval{Estimate: 50}}
	}
	row := ref
	row.Share.Estimate = 0.3
	row.Indices[2].Mean.Estimate = 40
	s, err := charts.HeatmapAgainst([]charts.HeatmapRow{{Label: "Team: A", Measures: row}}, ref)
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Series []struct {
			Data  []struct{ Value []any }
			Label struct{ Formatter string }
		}
		VisualMap []struct {
			Min, Max  float64
			Dimension int
		}
	}
	if err := json.Unmarshal([]byte(s), &o); err != nil {
		t.Fatal(err)
	}
	got := map[float64][2]float64{}
	for _, d := range o.Series[0].Data {
		got[d.Value[0].(float64)] = [2]float64{d.Value[2].(float64), d.Value[3].(float64)}
	}
	if got[0] != [2]float64{10, 30} || got[3] != [2]float64{-10, 40} || got[1] != [2]float64{0, 50} {
		t.Errorf("cells (difference, value) %v", got)
	}
	if o.Series[0].Label.Formatter != "{@[3]}" || o.VisualMap[0].Dimension != 2 || o.VisualMap[0].Min != -charts.HeatmapSpread {
		t.Errorf("label %q, visual map %+v", o.Series[0].Label.Formatter, o.VisualMap)
	}
}
