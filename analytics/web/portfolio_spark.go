package web

import (
	"accord/analytics/format"
	"fmt"
	"math"
	"strings"

	"accord/analytics"
	"accord/survey"
)

// Sparkline size in SVG user units (CSS pixels at 100%).
const (
	sparkWidth  = 120
	sparkHeight = 32
	sparkPad    = 3
)

// sparkline is a tiny inline SVG of the completely-aligned share over the
// last closed rounds, drawn on the server: it needs no script, prints, and
// holds nothing but numbers the server formatted, so there is nothing to
// escape. Every sparkline of a page shares one vertical scale, so their
// heights compare.
type sparkline struct {
	Width, Height  int
	Path           string // "M x y L x y …", broken where a round has no result
	LastX, LastY   string
	BenchY         string
	Label          string // for screen readers: the values it shows
	Empty, HasLast bool
}

// sparkTop is the shared scale's top: the highest share shown, rounded up
// to 10%, never below 20% so the benchmark line stays clear of the top.
func sparkTop(rows []analytics.PortfolioRow) float64 {
	top := 0.2
	for _, r := range rows {
		for _, p := range r.Spark {
			if !math.IsNaN(p.Share) {
				top = math.Max(top, math.Ceil(p.Share*10)/10)
			}
		}
	}
	return top
}

func newSparkline(points []analytics.SparkPoint, top float64) sparkline {
	s := sparkline{Width: sparkWidth, Height: sparkHeight, BenchY: coord(sparkY(survey.BenchmarkCompletelyAligned, top))}
	var b strings.Builder
	var shown []string
	pen := false
	for i, p := range points {
		if math.IsNaN(p.Share) {
			pen = false
			continue
		}
		x, y := sparkX(i, len(points)), sparkY(p.Share, top)
		if pen {
			b.WriteString(" L")
		} else {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("M")
		}
		fmt.Fprintf(&b, "%s %s", coord(x), coord(y))
		pen = true
		shown = append(shown, format.Pct(p.Share))
		if i == len(points)-1 {
			s.LastX, s.LastY, s.HasLast = coord(x), coord(y), true
		}
	}
	s.Path = b.String()
	if len(shown) == 0 {
		s.Empty = true
		s.Label = "No closed round with a result yet."
		return s
	}
	s.Label = fmt.Sprintf("Completely aligned in the last %d closed rounds, oldest first: %s. Dashed line: the benchmark, %s.",
		len(points), strings.Join(shown, ", "), format.Pct(survey.BenchmarkCompletelyAligned))
	if len(shown) < len(points) {
		s.Label = fmt.Sprintf("Completely aligned in %d of the last %d closed rounds (the others had too few responses), oldest first: %s. Dashed line: the benchmark, %s.",
			len(shown), len(points), strings.Join(shown, ", "), format.Pct(survey.BenchmarkCompletelyAligned))
	}
	return s
}

func sparkX(i, n int) float64 {
	if n <= 1 {
		return sparkWidth / 2
	}
	return sparkPad + float64(i)*(sparkWidth-2*sparkPad)/float64(n-1)
}

func sparkY(share, top float64) float64 {
	return sparkHeight - sparkPad - math.Min(share/top, 1)*(sparkHeight-2*sparkPad)
}

func coord(x float64) string { return fmt.Sprintf("%.1f", x) }
