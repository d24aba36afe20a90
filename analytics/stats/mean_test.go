package stats

import (
	"math"
	"testing"
)

func TestTQuantileClosedForms(t *testing.T) {
	// df = 1 is the Cauchy distribution: q = tan(pi*(p - 1/2)).
	// df = 2 has q = (2p - 1) / sqrt(2p(1 - p)).
	for _, level := range []float64{0.5, 0.9, 0.95, 0.99} {
		p := 0.5 + level/2
		if got, want := tQuantile(level, 1), math.Tan(math.Pi*(p-0.5)); !near(got, want, 1e-12, 0) {
			t.Errorf("df 1, level %v: %v, want %v", level, got, want)
		}
		if got, want := tQuantile(level, 2), (2*p-1)/math.Sqrt(2*p*(1-p)); !near(got, want, 1e-12, 0) {
			t.Errorf("df 2, level %v: %v, want %v", level, got, want)
		}
	}
}

func TestMeanInterval(t *testing.T) {
	t1 := math.Tan(math.Pi * 0.475) // 97.5% quantile of t with 1 df
	cases := []struct {
		name  string
		s     Summary
		level float64
		want  Interval
	}{
		{"no answers: nothing known", Summary{}, 0.95, Interval{nan, negInf, posInf, 0}},
		{"one answer: spread unknown", Summarize([]float64{4}), 0.95, Interval{4, negInf, posInf, 1}},
		// mean 3.5, s = 3/sqrt(2), se = 1.5.
		{"two answers", Summarize([]float64{2, 5}), 0.95, Interval{3.5, 3.5 - 1.5*t1, 3.5 + 1.5*t1, 2}},
		{"zero variance: no spread observed", Summarize([]float64{3, 3, 3}), 0.95, Interval{3, 3, 3, 3}},
		{"negative N", Summary{N: -1}, 0.95, Interval{nan, nan, nan, -1}},
		{"level out of range", Summarize([]float64{1, 2}), 95, Interval{nan, nan, nan, 2}},
	}
	for _, c := range cases {
		assertInterval(t, c.name, MeanInterval(c.s, c.level), c.want, 1e-12)
	}
	if iv := MeanInterval(Summarize([]float64{4}), 0.95); iv.Excludes(1e9) {
		t.Error("a single answer must not exclude anything")
	}
}

func TestMeanDifference(t *testing.T) {
	b := Summarize([]float64{1, 2, 4, 5, 2})
	constant := Summarize([]float64{3, 3, 3, 3})
	cases := []struct {
		name string
		a, b Summary
		want Interval
	}{
		{"first group empty", Summary{}, b, Interval{nan, negInf, posInf, 5}},
		{"second group has one answer", constant, Summarize([]float64{7}), Interval{-4, negInf, posInf, 5}},
		{"both constant", constant, Summarize([]float64{1, 1}), Interval{2, 2, 2, 6}},
		{"negative N", Summary{N: -2}, b, Interval{nan, nan, nan, 3}},
	}
	for _, c := range cases {
		assertInterval(t, c.name, MeanDifference(c.a, c.b, 0.95), c.want, 0)
	}

	// With one group constant, Welch reduces to the other group's
	// one-sample interval (df = n-1), mirrored and shifted.
	one := MeanInterval(b, 0.95)
	assertInterval(t, "constant minus b", MeanDifference(constant, b, 0.95),
		Interval{3 - one.Estimate, 3 - one.High, 3 - one.Low, 9}, 1e-12)

	// Swapping the groups mirrors the interval.
	a := Summarize([]float64{2, 4, 4, 5, 1, 3, 5})
	ab, ba := MeanDifference(a, b, 0.9), MeanDifference(b, a, 0.9)
	assertInterval(t, "mirror", ab, Interval{-ba.Estimate, -ba.High, -ba.Low, 12}, 1e-12)

	// Welch is wider than either group's own spread alone suggests.
	if ab.High-ab.Low <= MeanInterval(a, 0.9).High-MeanInterval(a, 0.9).Low {
		t.Errorf("difference interval %+v narrower than one group's", ab)
	}
}
