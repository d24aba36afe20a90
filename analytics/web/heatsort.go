package web

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/format"
)

// The heatmap's sorting, as query parameters that links set, so that it
// works without JavaScript: ?sort=name|value|gap&col=0…4 (col is the
// measure, in charts.HeatmapColumns order).
const (
	sortParam = "sort"
	colParam  = "col"
	sortName  = "name"
	sortValue = "value"
	// sortGap orders by the distance from the group as a whole, largest
	// first: the groups that stand out most, above or below.
	sortGap = "gap"
)

// heatSort is how the heatmap's rows are ordered; By "" keeps the
// breakdowns' order (attribute by attribute).
type heatSort struct {
	By  string
	Col int
}

func parseHeatSort(q url.Values) heatSort {
	s := heatSort{}
	switch v := q.Get(sortParam); v {
	case sortName, sortValue, sortGap:
		s.By = v
	}
	if c, err := strconv.Atoi(q.Get(colParam)); err == nil && c >= 0 && c < len(charts.HeatmapColumns) {
		s.Col = c
	}
	return s
}

// headCell is a sortable column header: a link, and aria-sort when the
// table is sorted by it.
type headCell struct {
	Label, Href, AriaSort string
}

// sortNav is the heatmap's sorting links above the chart.
type sortNav struct {
	Orders, Measures []navLink
}

type navLink struct {
	Label, Href string
	Current     bool
}

// sortLink is the page's query with the sorting set, relative to the page.
func sortLink(q url.Values, s heatSort) string {
	next := url.Values{}
	for k, vs := range q {
		next[k] = vs
	}
	next.Set(sortParam, s.By)
	next.Set(colParam, strconv.Itoa(s.Col))
	if s.By == sortName {
		next.Del(colParam)
	}
	return "?" + next.Encode() + "#" + charts.HeatmapID + "-heading"
}

// heatEntry is one heatmap row before sorting.
type heatEntry struct {
	row   charts.HeatmapRow
	cells tableRow
	vals  [analytics.HeatmapMeasures]float64 // NaN where hidden
}

func heatmapChart(d *analytics.Dashboard, q url.Values) chartView {
	s := parseHeatSort(q)
	c := chartView{ID: charts.HeatmapID, Heading: "Groups at a glance",
		Intro: fmt.Sprintf("Each group of %s in %s: the completely aligned share and the four indices. Colour shows each against %s as a whole: purple above, orange below, white alike. ▲ and ▼ mark a group clearly above or below the rest of %s, after controlling false discoveries across all the cells tested (Benjamini–Hochberg); unmarked differences may be chance.",
			lower(d.Filter), d.Round.Title, lower(d.Filter), lower(d.Filter)),
		AriaLabel: "Heatmap of groups by measure. The table below lists the values.",
		TableOpen: s.By != ""}
	contrasts := analytics.HeatmapContrasts(d)
	ref := heatRef(d.Current.Measures)
	var entries []heatEntry
	shown := false
	for _, b := range d.Breakdowns {
		for _, m := range b.Groups {
			label := b.Dim.Label() + ": " + b.Dim.ValueLabel(m.Group.Get(b.Dim))
			e := heatEntry{row: charts.HeatmapRow{Label: label, Measures: m}, cells: tableRow{Head: label}, vals: heatRef(m)}
			ct := contrasts[m.Group]
			for x := range ct {
				e.row.Marks[x] = ct[x].Direction
			}
			if m.Hidden {
				e.cells.Hidden, e.cells.Span, e.cells.Cells = true, len(charts.HeatmapColumns)+1, []string{format.Why(m.Reason, d.K)}
			} else {
				shown = true
				e.cells.Cells = []string{fmt.Sprint(m.Responses), format.Share(m, d.K) + markWords(ct[0])}
				for i, im := range m.Indices {
					e.cells.Cells = append(e.cells.Cells, format.Index(im, d.K)+markWords(ct[i+1]))
				}
			}
			entries = append(entries, e)
		}
	}
	sortEntries(entries, s, ref)
	var rows []charts.HeatmapRow
	c.Table = tableView{Caption: "Measures per group", Head: append([]string{"Group", "Responses"}, charts.HeatmapColumns...)}
	for _, e := range entries {
		rows = append(rows, e.row)
		c.Table.Rows = append(c.Table.Rows, e.cells)
	}
	c.Table.Sortable, c.Sort = sortHeads(c.Table.Head, s, q)
	if shown {
		c.Height = charts.HeatmapHeight(len(rows))
		m := d.Current.Measures
		build(&c, func() (string, error) { return charts.HeatmapAgainst(rows, m) })
	}
	return c
}

// markWords says a cell's contrast in the table.
func markWords(c analytics.Contrast) string {
	switch c.Direction {
	case 1:
		return charts.MarkAbove + " above the rest"
	case -1:
		return charts.MarkBelow + " below the rest"
	}
	return ""
}

// heatRef is a group's heatmap values, NaN where hidden.
func heatRef(m analytics.Measures) [analytics.HeatmapMeasures]float64 {
	var out [analytics.HeatmapMeasures]float64
	for i := range out {
		out[i] = math.NaN()
	}
	if m.Hidden {
		return out
	}
	if !m.A1Hidden.Hidden() {
		out[0] = 100 * m.Share.Estimate
	}
	for i, im := range m.Indices {
		if !im.Hidden.Hidden() {
			out[i+1] = im.Mean.Estimate
		}
	}
	return out
}

// sortEntries orders the rows: by name ascending, by value or by distance
// from the group as a whole descending; rows without the value last, in
// their breakdown order.
func sortEntries(es []heatEntry, s heatSort, ref [analytics.HeatmapMeasures]float64) {
	key := func(e heatEntry) float64 {
		v := e.vals[s.Col]
		if s.By == sortGap {
			return math.Abs(v - ref[s.Col])
		}
		return v
	}
	switch s.By {
	case sortName:
		slices.SortStableFunc(es, func(a, b heatEntry) int { return cmp.Compare(a.row.Label, b.row.Label) })
	case sortValue, sortGap:
		slices.SortStableFunc(es, func(a, b heatEntry) int {
			ka, kb := key(a), key(b)
			switch an, bn := math.IsNaN(ka), math.IsNaN(kb); {
			case an && bn:
				return 0
			case an:
				return 1
			case bn:
				return -1
			}
			return cmp.Compare(kb, ka)
		})
	}
}

// sortHeads makes the table's headers sorting links, with aria-sort on the
// column the rows are sorted by, and the links above the chart.
func sortHeads(head []string, s heatSort, q url.Values) ([]headCell, *sortNav) {
	cells := make([]headCell, len(head))
	for i, h := range head {
		cells[i] = headCell{Label: h}
	}
	cells[0].Href = sortLink(q, heatSort{By: sortName})
	if s.By == sortName {
		cells[0].AriaSort = "ascending"
	}
	for x := range charts.HeatmapColumns {
		cell := &cells[x+2]
		cell.Href = sortLink(q, heatSort{By: sortValue, Col: x})
		if s.Col == x {
			switch s.By {
			case sortValue:
				cell.AriaSort = "descending"
			case sortGap:
				cell.AriaSort = "other"
			}
		}
	}
	nav := &sortNav{}
	for _, o := range []struct{ by, label string }{{sortName, "By name"}, {sortValue, "By value"}, {sortGap, "By gap from the whole"}} {
		nav.Orders = append(nav.Orders, navLink{Label: o.label, Href: sortLink(q, heatSort{By: o.by, Col: s.Col}), Current: s.By == o.by})
	}
	by := s.By
	if by == "" || by == sortName {
		by = sortValue
	}
	for x, name := range charts.HeatmapColumns {
		nav.Measures = append(nav.Measures, navLink{Label: name, Href: sortLink(q, heatSort{By: by, Col: x}), Current: s.By != "" && s.By != sortName && s.Col == x})
	}
	return cells, nav
}
