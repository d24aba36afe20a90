package report

import (
	"encoding/json"
	"fmt"

	"accord/analytics"
	"accord/analytics/format"
)

// A printed page is narrow: round titles ("Quarterly alignment pulse – 2
// September 2026") would wrap over four lines of a table and be clipped
// on a chart's axis, so the report names rounds by the day they opened,
// and keeps hidden cells of wide tables to a word whose meaning a note
// gives.

// shortRoundsNote ends the caption of a table whose rounds are named short.
const shortRoundsNote = " (rounds named by the day they opened)"

// shortRound names a round by the day it opened: "2 Sep 2026".
func shortRound(r analytics.RoundInfo) string {
	s := r.OpensAt.UTC().Format("2 Jan 2006")
	if !r.Closed() {
		s += " (open)"
	}
	return s
}

func trendLabels(trend []analytics.TrendPoint) []string {
	out := make([]string, len(trend))
	for i, p := range trend {
		out[i] = shortRound(p.Round)
	}
	return out
}

// relabelled replaces the categories of a chart's x axis by labels.
func relabelled(option func() (string, error), labels []string) func() (string, error) {
	return func() (string, error) {
		opt, err := option()
		if err != nil {
			return "", err
		}
		var o map[string]any
		if err := json.Unmarshal([]byte(opt), &o); err != nil {
			return "", err
		}
		switch x := o["xAxis"].(type) {
		case []any:
			if len(x) > 0 {
				if axis, ok := x[0].(map[string]any); ok {
					axis["data"] = labels
				}
			}
		case map[string]any:
			x["data"] = labels
		}
		b, err := json.Marshal(o)
		return string(b), err
	}
}

// rateCell is a response rate in a wide table: "73.3% (44/60)", or a
// word saying it is hidden, which hiddenRatesNote explains.
func rateCell(p analytics.TrendPoint) (string, bool) {
	switch {
	case !p.Known:
		return "–", false
	case p.Hidden && p.Reason == analytics.Complementary:
		return "withheld", false
	case p.Hidden:
		return "too few", false
	}
	m := p.Measures
	s := fmt.Sprintf("%s (%d/%d)", format.Pct(m.ResponseRate), m.Responses, m.Invited)
	if m.Invited == 0 {
		s = fmt.Sprintf("%d responses", m.Responses)
	}
	if !p.Round.Closed() {
		s += " so far"
	}
	return s, true
}

func hiddenRatesNote(k int) string {
	return fmt.Sprintf("“Too few”: %s. “Withheld”: %s. “–”: no one of the group was invited.",
		analytics.FewResponses.Text(k), analytics.Complementary.Text(k))
}

// nonResponse says how many people did not answer in the round reported
// on, and which published group answered least: counts only, never who.
func nonResponse(d *analytics.Dashboard) string {
	m := d.Current.Measures
	if d.Round == nil || m.Invited == 0 {
		return ""
	}
	s := fmt.Sprintf("In %s, %d of the %d people invited did not answer (%s).", d.Round.Title, m.Invited-m.Responses, m.Invited, format.Pct(1-m.ResponseRate))
	at := -1
	for i, r := range d.Rounds {
		if r.ID == d.Round.ID {
			at = i
		}
	}
	lowest, label := 2.0, ""
	for _, series := range d.Rates {
		if at < 0 || series.Group == d.Filter || at >= len(series.Points) {
			continue
		}
		p := series.Points[at]
		if p.Known && !p.Hidden && p.Measures.Invited > 0 && p.Measures.ResponseRate < lowest {
			lowest, label = p.Measures.ResponseRate, d.RateDim.ValueLabel(series.Group.Get(d.RateDim))
		}
	}
	if label != "" {
		s += fmt.Sprintf(" Of the groups shown, %s answered least (%s).", label, format.Pct(lowest))
	}
	return s
}
