package stats

import (
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestCachedQuantilesEqualComputed: a kept quantile is the very value the
// distribution gives, asked first or again, and the cache stays bounded.
func TestCachedQuantilesEqualComputed(t *testing.T) {
	for _, df := range []float64{2.5, 17.25, 2500, 4711} {
		want := studentsTQuantile(0.95, df)
		for range 2 {
			if got := tQuantile(0.95, df); got != want {
				t.Errorf("t quantile at df %v: %v, want %v", df, got, want)
			}
		}
	}
	for _, d := range [][2]float64{{5, 15}, {4700, 18800}} {
		for _, p := range []float64{0.025, 0.975} {
			want := distuv.F{D1: d[0], D2: d[1]}.Quantile(p)
			for range 2 {
				if got := fQuantile(d[0], d[1], p); got != want {
					t.Errorf("F(%v, %v) quantile at %v: %v, want %v", d[0], d[1], p, got, want)
				}
			}
		}
	}
	for i := range quantileCacheSize + 10 {
		cachedTQuantile(0.9, 2000.5+float64(i))
	}
	quantiles.Lock()
	n := len(quantiles.m)
	quantiles.Unlock()
	if n > quantileCacheSize {
		t.Errorf("cache holds %d values, more than %d", n, quantileCacheSize)
	}
}
