package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Pairs holds sufficient statistics of paired observations (x, y): what a
// rollup stores for a correlation.
type Pairs struct {
	N                   int
	SumX, SumY          float64
	SumXX, SumYY, SumXY float64
}

// Add records one pair.
func (p *Pairs) Add(x, y float64) {
	p.N++
	p.SumX += x
	p.SumY += y
	p.SumXX += x * x
	p.SumYY += y * y
	p.SumXY += x * y
}

// Merge returns the statistics of both samples combined.
func (p Pairs) Merge(o Pairs) Pairs {
	return Pairs{N: p.N + o.N, SumX: p.SumX + o.SumX, SumY: p.SumY + o.SumY,
		SumXX: p.SumXX + o.SumXX, SumYY: p.SumYY + o.SumYY, SumXY: p.SumXY + o.SumXY}
}

// Correlation is Pearson's r with its Fisher-z confidence interval and the
// two-sided p-value of the t test of r = 0, as scipy.stats.pearsonr gives
// them.
type Correlation struct {
	R Interval
	P float64
}

// Pearson returns the correlation of the pairs.
//
// The interval is Fisher's: atanh(r) ± z/√(n−3), transformed back; its
// width reflects n, so a correlation over ten people reads as the rough
// estimate it is. Edge cases: fewer than 4 pairs, or no spread in x or y,
// leave r undefined: Estimate and P NaN, bounds −1 and 1 (never excludes
// 0). |r| = 1 gives the interval [r, r] and P 0, as SciPy does.
func Pearson(p Pairs, level float64) Correlation {
	undefined := Correlation{R: Interval{Estimate: math.NaN(), Low: -1, High: 1, N: p.N}, P: math.NaN()}
	if !validLevel(level) {
		return Correlation{R: nanInterval(p.N), P: math.NaN()}
	}
	if p.N < 4 {
		return undefined
	}
	n := float64(p.N)
	sxx := p.SumXX - p.SumX*p.SumX/n
	syy := p.SumYY - p.SumY*p.SumY/n
	sxy := p.SumXY - p.SumX*p.SumY/n
	// Relative to the sums, a spread this small is rounding, not data.
	if sxx <= 1e-12*math.Max(1, p.SumXX) || syy <= 1e-12*math.Max(1, p.SumYY) {
		return undefined
	}
	r := math.Max(-1, math.Min(1, sxy/math.Sqrt(sxx*syy)))
	if math.Abs(r) == 1 {
		return Correlation{R: Interval{Estimate: r, Low: r, High: r, N: p.N}, P: 0}
	}
	zr, se := math.Atanh(r), 1/math.Sqrt(n-3)
	h := zQuantile(level) * se
	t := r * math.Sqrt((n-2)/(1-r*r))
	pv := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 2}.Survival(math.Abs(t))
	return Correlation{R: Interval{Estimate: r, Low: math.Tanh(zr - h), High: math.Tanh(zr + h), N: p.N}, P: math.Min(1, pv)}
}
