package analytics_test

import (
	"math"
	"testing"

	"accord/analytics"
	"accord/analytics/stats"
)

func TestBenchmarkInterval(t *testing.T) {
	t.Parallel()
	iv := analytics.BenchmarkInterval()
	// DESIGN §2: at ~350 respondents the benchmark's interval is roughly 7–13%.
	if iv.Estimate != 0.092 || math.Round(100*iv.Low) != 7 || math.Round(100*iv.High) != 13 {
		t.Errorf("benchmark interval = %+v, want 9.2%% within about 7%%–13%%", iv)
	}
}

func TestCompareWithBenchmark(t *testing.T) {
	t.Parallel()
	tests := []struct {
		aligned, n int
		want       int
	}{
		{3, 20, 0},   // 15% of 20: not distinguishable from 9.2%
		{30, 100, 1}, // 30% of 100: clearly above
		{0, 80, -1},  // none of 80: clearly below (p ≈ 0.0004)
		{0, 20, 0},   // none of 20 happens 15% of the time at 9.2%
	}
	for _, tt := range tests {
		r := analytics.RoundShare{N: tt.n, Aligned: tt.aligned, Share: stats.Wilson(tt.aligned, tt.n, 0.95)}
		if got := analytics.CompareWithBenchmark(r); got.Direction != tt.want {
			t.Errorf("%d of %d: direction %d (p = %.4f), want %d", tt.aligned, tt.n, got.Direction, got.P, tt.want)
		}
	}
}
