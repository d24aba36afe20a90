package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCronbachAlpha(t *testing.T) {
	cases := []struct {
		name  string
		items [][]float64
		want  float64
	}{
		// Item variances 5/3 and 19/12, total variance 25/4:
		// 2 * (1 - (5/3 + 19/12) / (25/4)) = 0.96.
		{"hand-checked", [][]float64{{1, 2}, {2, 3}, {3, 3}, {4, 5}}, 0.96},
		{"identical items agree perfectly", [][]float64{{1, 1}, {3, 3}, {5, 5}}, 1},
		// Item variances 5/3 and 19/12, totals 5,5,6,5 (variance 1/4):
		// 2 * (1 - 13) = -24. Not clamped: the items disagree.
		{"disagreeing items go negative", [][]float64{{1, 4}, {2, 3}, {3, 3}, {4, 1}}, -24},
		{"no respondents", nil, nan},
		{"one respondent", [][]float64{{1, 2, 3}}, nan},
		{"one item", [][]float64{{1}, {2}, {3}}, nan},
		{"ragged rows", [][]float64{{1, 2}, {2}}, nan},
		{"reversed item: totals constant", [][]float64{{1, 5}, {2, 4}, {5, 1}}, nan},
	}
	for _, c := range cases {
		if got := CronbachAlpha(c.items); !near(got, c.want, 1e-13, 0) {
			t.Errorf("%s: alpha = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCronbachAlphaFromSummariesEdges(t *testing.T) {
	item := Summarize([]float64{1, 2, 3})
	total := Summarize([]float64{2, 4, 6})
	if got := CronbachAlphaFromSummaries([]Summary{item, item}, total); got != 1 {
		t.Errorf("identical items = %v, want 1", got)
	}
	short := Summarize([]float64{1, 2})
	if got := CronbachAlphaFromSummaries([]Summary{item, short}, total); !math.IsNaN(got) {
		t.Errorf("incomplete answers = %v, want NaN", got)
	}
	if got := CronbachAlphaFromSummaries(nil, total); !math.IsNaN(got) {
		t.Errorf("no items = %v, want NaN", got)
	}
}

// TestCronbachAlphaRollup checks that summaries merged across rollup
// buckets give the same alpha as the raw answers.
func TestCronbachAlphaRollup(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const k = 6
	rows := make([][]float64, 400)
	for i := range rows {
		trait := rng.NormFloat64()
		rows[i] = make([]float64, k)
		for j := range rows[i] {
			v := math.Round(3 + trait + rng.NormFloat64())
			rows[i][j] = math.Max(1, math.Min(5, v))
		}
	}
	want := CronbachAlpha(rows)

	// Three buckets of uneven size, each storing only summaries.
	items := make([]Summary, k)
	var total Summary
	for _, bucket := range [][][]float64{rows[:17], rows[17:250], rows[250:]} {
		bItems := make([]Summary, k)
		var bTotal Summary
		for _, row := range bucket {
			sum := 0.0
			for j, x := range row {
				bItems[j].Add(x)
				sum += x
			}
			bTotal.Add(sum)
		}
		for j := range items {
			items[j] = items[j].Merge(bItems[j])
		}
		total = total.Merge(bTotal)
	}
	if got := CronbachAlphaFromSummaries(items, total); !near(got, want, 1e-12, 0) {
		t.Errorf("rollup alpha %v, raw %v", got, want)
	}

	// And both match the two-pass definition on raw data.
	itemVar := 0.0
	totals := make([]float64, len(rows))
	for j := range k {
		col := make([]float64, len(rows))
		for i, row := range rows {
			col[i] = row[j]
			totals[i] += row[j]
		}
		_, v := twoPass(col)
		itemVar += v
	}
	_, totalVar := twoPass(totals)
	if def := k / (k - 1.0) * (1 - itemVar/totalVar); !near(want, def, 1e-12, 0) || !(want > 0.5) {
		t.Errorf("alpha %v, two-pass definition %v", want, def)
	}
}
