package analytics

import (
	"math"

	"accord/analytics/stats"
)

// HeatmapMeasures is how many measures each heatmap row has: the
// completely-aligned share and the four indices (IndexNames).
const HeatmapMeasures = 5

// Contrast is one heatmap cell tested against the rest of the group shown
// (the group as a whole without this part): the share by the pooled z
// test, an index by Welch's test. The cells of the heatmap are tested
// together, so their p-values are adjusted for false discoveries across
// all the cells tested (Benjamini–Hochberg): with dozens of cells, some
// would differ "significantly" by chance alone.
type Contrast struct {
	// Tested is false when the cell is hidden, the group as a whole has
	// that number hidden, or the rest has fewer than the minimum group
	// size of answers: then P and Q are NaN and Direction 0.
	Tested bool
	P, Q   float64
	// Direction is +1 when the part is clearly above the rest, −1 clearly
	// below (Q < 0.05), 0 otherwise.
	Direction int
}

// HeatmapContrasts tests every published cell of the dashboard's
// breakdowns against the rest of the group shown. The rest is the group's
// published numbers minus the part's, so the test reveals nothing that
// published numbers do not; it is made only when the rest has at least k
// answers. The result is keyed by the part's group, in HeatmapColumns
// order.
func HeatmapContrasts(d *Dashboard) map[Group][HeatmapMeasures]Contrast {
	out := map[Group][HeatmapMeasures]Contrast{}
	whole := d.Current.Measures
	type cell struct {
		g    Group
		x    int
		diff float64
	}
	var cells []cell
	var ps []float64
	for _, b := range d.Breakdowns {
		for _, m := range b.Groups {
			var row [HeatmapMeasures]Contrast
			for x := range row {
				row[x] = Contrast{P: math.NaN(), Q: math.NaN()}
			}
			p, diff := contrasts(&whole, d.Current.Known, &m, d.K)
			for x := range row {
				if !math.IsNaN(p[x]) {
					row[x].Tested, row[x].P = true, p[x]
					cells = append(cells, cell{m.Group, x, diff[x]})
					ps = append(ps, p[x])
				}
			}
			out[m.Group] = row
		}
	}
	qs := stats.BenjaminiHochberg(ps)
	for i, c := range cells {
		row := out[c.g]
		row[c.x].Q = qs[i]
		if qs[i] < 1-ConfidenceLevel {
			switch {
			case c.diff > 0:
				row[c.x].Direction = 1
			case c.diff < 0:
				row[c.x].Direction = -1
			}
		}
		out[c.g] = row
	}
	return out
}

// contrasts returns the p-values of part m against the rest of whole (NaN
// where untested) and the part's difference from the rest.
func contrasts(whole *Measures, known bool, m *Measures, k int) (p, diff [HeatmapMeasures]float64) {
	for x := range p {
		p[x], diff[x] = math.NaN(), math.NaN()
	}
	if !known || whole.Hidden || m.Hidden {
		return p, diff
	}
	if !whole.A1Hidden.Hidden() && !m.A1Hidden.Hidden() {
		restK, restN := whole.A1[0]-m.A1[0], whole.A1N-m.A1N
		if restN >= k && m.A1N > 0 && restK >= 0 {
			p[0] = stats.TwoProportionTest(m.A1[0], m.A1N, restK, restN)
			diff[0] = float64(m.A1[0])/float64(m.A1N) - float64(restK)/float64(restN)
		}
	}
	for i := range whole.Indices {
		w, g := whole.Indices[i], m.Indices[i]
		if w.Hidden.Hidden() || g.Hidden.Hidden() {
			continue
		}
		rest := stats.Summary{N: w.Summary.N - g.Summary.N, Sum: w.Summary.Sum - g.Summary.Sum, SumSq: w.Summary.SumSq - g.Summary.SumSq}
		if rest.N < k || g.Summary.N < 2 {
			continue
		}
		p[i+1] = stats.WelchTest(g.Summary, rest)
		diff[i+1] = g.Summary.Mean() - rest.Mean()
	}
	return p, diff
}
