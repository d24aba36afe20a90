package analytics

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// PortfolioSort is a column the portfolio can be sorted by.
type PortfolioSort string

// Portfolio sort keys, as ?sort= gives them.
const (
	SortName        PortfolioSort = "name"
	SortShare       PortfolioSort = "share" // completely aligned; the percentile sorts the same way
	SortAlignment   PortfolioSort = "alignment"
	SortTrust       PortfolioSort = "trust"
	SortInformation PortfolioSort = "information"
	SortProcess     PortfolioSort = "process"
	SortRate        PortfolioSort = "rate"
	SortRound       PortfolioSort = "round" // when the latest closed round closed
)

// PortfolioSorts lists every sort key.
var PortfolioSorts = []PortfolioSort{SortName, SortShare, SortAlignment, SortTrust, SortInformation, SortProcess, SortRate, SortRound}

// ParsePortfolioSort reads a sort key; anything unknown sorts by name, as
// a link from an older page may ask for a column that no longer exists.
func ParsePortfolioSort(s string) PortfolioSort {
	if slices.Contains(PortfolioSorts, PortfolioSort(s)) {
		return PortfolioSort(s)
	}
	return SortName
}

// value is the row's number for key, and whether it has one.
func (r *PortfolioRow) value(key PortfolioSort) (float64, bool) {
	if key == SortRound {
		if r.Latest == nil {
			return 0, false
		}
		return float64(r.Latest.ClosedAt.Unix()), true
	}
	if !r.Published {
		return 0, false
	}
	m := &r.Measures
	var x float64
	switch key {
	case SortShare:
		x = m.Share.Estimate
	case SortAlignment:
		x = m.Indices[0].Mean.Estimate
	case SortTrust:
		x = m.Indices[1].Mean.Estimate
	case SortInformation:
		x = m.Indices[2].Mean.Estimate
	case SortProcess:
		x = m.Indices[3].Mean.Estimate
	case SortRate:
		x = m.ResponseRate
	}
	return x, !math.IsNaN(x)
}

// sortRows orders rows by key, ascending or descending; rows without a
// value come last either way, and ties go by label.
func sortRows(rows []PortfolioRow, key PortfolioSort, desc bool) {
	byLabel := func(a, b *PortfolioRow) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)), cmp.Compare(a.Org.ID, b.Org.ID))
	}
	slices.SortStableFunc(rows, func(a, b PortfolioRow) int {
		if key == SortName || key == "" {
			if desc {
				return byLabel(&b, &a)
			}
			return byLabel(&a, &b)
		}
		x, okA := a.value(key)
		y, okB := b.value(key)
		switch {
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		case !okA || x == y:
			return byLabel(&a, &b)
		case desc:
			return cmp.Compare(y, x)
		}
		return cmp.Compare(x, y)
	})
}
