package analytics

import (
	"slices"
	"testing"
)

func TestTenureBandsSortByYears(t *testing.T) {
	t.Parallel()
	for _, want := range [][]string{
		{"<1 year", "1-2 years", "2-5 years", "5+ years", ""},
		{"6 months", "under 1 year", "1 year", "1-3y", "3y+", "10+ years", "Founding team"},
		{"0-1y", "1-3y", "3-5y", "Alumni", "Interns"},
	} {
		got := slices.Clone(want)
		slices.Reverse(got)
		slices.SortFunc(got, func(a, b string) int { return compareValues(a, b, DimTenure) })
		if !slices.Equal(got, want) {
			t.Errorf("sorted %q, want %q", got, want)
		}
	}
	// Other attributes keep their alphabetical order.
	got := []string{"<1", "1"}
	slices.SortFunc(got, func(a, b string) int { return compareValues(a, b, DimTeam) })
	if !slices.Equal(got, []string{"1", "<1"}) {
		t.Errorf("teams sorted %q", got)
	}
}
