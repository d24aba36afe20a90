package format

import (
	"math"
	"testing"
	"time"

	"accord/analytics"
	"accord/analytics/stats"
	"accord/survey"
)

func TestFormat(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct{ got, want string }{
		{Pct(0.15), "15.0%"},
		{Pct(math.NaN()), "–"},
		{PctRange(stats.Interval{Low: 0.0524, High: 0.3604}), "5.2%–36.0%"},
		{Signed(-3.04, true), "−3.0"},
		{Signed(-0.04, true), "0.0"},
		{Signed(2.25, true), "+2.3"}, // halves away from zero, as charts round
		{Pct(0.3125), "31.3%"},
		{Num(43.21), "43.2"},
		{NumRange(stats.Interval{Low: 43.21, High: 81.84}), "43.2–81.8"},
		{NumRange(stats.Interval{Low: -inf, High: inf}), "not estimable"},
		{DiffRange(stats.Interval{Low: -0.16, High: 0.514}, 100), "[−16.0, +51.4]"},
		{DiffRange(stats.Interval{Low: math.NaN(), High: 1}, 100), "not estimable"},
		{PValue(0.0004), "p < 0.001"},
		{PValue(0.0571), "p = 0.057"},
		{Why(analytics.FewResponses, 5), "fewer than 5 responses"},
		{Why(analytics.Complementary, 5), "hidden so that a smaller group cannot be worked out"},
		{Why(analytics.FewAnswers, 7), "fewer than 7 answers to these questions"},
	}
	rateOf := func(known, hidden bool, responses, invited int) analytics.TrendPoint {
		p := analytics.TrendPoint{Known: known, Round: analytics.RoundInfo{Status: survey.RoundClosed}}
		p.Hidden, p.Responses, p.Invited = hidden, responses, invited
		if invited > 0 {
			p.ResponseRate = float64(responses) / float64(invited)
		}
		return p
	}
	cell := func(p analytics.TrendPoint) string { c, _ := RateCell(p, 5); return c }
	tests = append(tests, []struct{ got, want string }{
		{cell(rateOf(true, false, 5, 7)), "71.4% (5 of 7)"},
		{cell(rateOf(true, false, 3, 0)), "3 responses, no invitations recorded"},
		{cell(rateOf(true, true, 0, 0)), "fewer than 5 responses"},
		{cell(rateOf(false, false, 0, 0)), "–"},
	}...)
	open := rateOf(true, false, 3, 7)
	open.Round = analytics.RoundInfo{Title: "June", Status: survey.RoundOpen, ClosesAt: time.Date(2026, 6, 12, 9, 0, 0, 0, time.UTC)}
	now := time.Date(2026, 6, 8, 10, 0, 0, 0, time.UTC)
	tests = append(tests, []struct{ got, want string }{
		{cell(open), "42.9% (3 of 7) so far"},
		{RoundLabel(open.Round, now), "June (open, 4 days left)"},
		{RoundLabel(open.Round, now.AddDate(0, 0, 3)), "June (open, last day)"},
		{RoundLabel(open.Round, now.AddDate(0, 0, 5)), "June (open, closing now)"},
		{RoundAxisLabel(open.Round, now), "June\n(open, 4 days left)"},
		{RoundLabel(analytics.RoundInfo{Title: "May", Status: survey.RoundClosed, VersionChange: true, InstrumentVersion: 2}, now), "May (questionnaire v2)"},
	}...)
	if _, shown := RateCell(rateOf(true, true, 2, 4), 5); shown {
		t.Error("a hidden group's rate cell counts as shown")
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
