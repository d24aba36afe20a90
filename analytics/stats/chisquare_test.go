package stats

import (
	"errors"
	"math"
	"testing"
)

func TestChiSquareGoodnessOfFit(t *testing.T) {
	cases := []struct {
		name     string
		observed []int
		expected []float64
		want     ChiSquareResult
	}{
		{"perfect fit", []int{10, 10, 10}, []float64{1, 1, 1}, ChiSquareResult{0, 2, 1, 10}},
		// Expected 20 each: stat (4+4+0)/20; with 2 df the survival
		// function is exp(-x/2).
		{"two df closed form", []int{18, 22, 20}, []float64{1, 1, 1}, ChiSquareResult{0.4, 2, math.Exp(-0.2), 20}},
		// Weights need not sum to 1: 1:3 is the same as 0.25:0.75.
		{"unnormalised weights", []int{30, 70}, []float64{1, 3}, ChiSquareResult{
			Stat: 25.0/25 + 25.0/75, DF: 1, P: math.Erfc(math.Sqrt((25.0/25 + 25.0/75) / 2)), MinExpected: 25}},
	}
	for _, c := range cases {
		got, err := ChiSquareGoodnessOfFit(c.observed, c.expected)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !near(got.Stat, c.want.Stat, 1e-13, 1e-15) || got.DF != c.want.DF ||
			!near(got.P, c.want.P, 1e-12, 0) || !near(got.MinExpected, c.want.MinExpected, 1e-13, 0) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	// Proportions and counts as weights give the same answer.
	a, _ := ChiSquareGoodnessOfFit([]int{5, 30, 65}, []float64{1, 2, 3})
	b, _ := ChiSquareGoodnessOfFit([]int{5, 30, 65}, []float64{1.0 / 6, 2.0 / 6, 3.0 / 6})
	if !near(a.Stat, b.Stat, 1e-13, 0) || !near(a.P, b.P, 1e-12, 0) {
		t.Errorf("weights %+v vs proportions %+v", a, b)
	}
}

func TestChiSquareGoodnessOfFitErrors(t *testing.T) {
	cases := []struct {
		name     string
		observed []int
		expected []float64
		noData   bool
	}{
		{"no answers yet", []int{0, 0}, []float64{0.5, 0.5}, true},
		{"length mismatch", []int{1, 2}, []float64{1}, false},
		{"one category", []int{5}, []float64{1}, false},
		{"no categories", nil, nil, false},
		{"negative count", []int{-1, 4}, []float64{1, 1}, false},
		{"zero expected", []int{1, 4}, []float64{0, 1}, false},
		{"negative expected", []int{1, 4}, []float64{-1, 2}, false},
		{"NaN expected", []int{1, 4}, []float64{nan, 1}, false},
		{"infinite expected", []int{1, 4}, []float64{posInf, 1}, false},
	}
	for _, c := range cases {
		_, err := ChiSquareGoodnessOfFit(c.observed, c.expected)
		if err == nil {
			t.Errorf("%s: no error", c.name)
		} else if errors.Is(err, ErrNoData) != c.noData {
			t.Errorf("%s: error %v, ErrNoData expected %v", c.name, err, c.noData)
		}
	}
}
