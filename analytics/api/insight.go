package api

import (
	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/analytics/format"
	"accord/survey/roster"
)

// Insight is what /orgs/{slug}/insight answers: the dashboard's headline
// for one round and group — the verdict against the study, the trend,
// every statement with sales and product side by side, the drivers, the
// focus areas and the response-rate check — under the same per-number
// threshold as everything else.
type Insight struct {
	Org            OrgRef       `json:"org"`
	Round          *Round       `json:"round"`
	Filter         GroupKey     `json:"filter"`
	MinGroupSize   int          `json:"min_group_size"`
	Open           bool         `json:"open"`
	Headline       string       `json:"headline"`
	Verdict        *Verdict     `json:"verdict"`
	ProductVerdict *Verdict     `json:"product_verdict"`
	Trend          InsightTrend `json:"trend"`
	Statements     []Statement  `json:"statements"`
	Drivers        []Driver     `json:"drivers"`
	FocusAreas     []string     `json:"focus_areas"`
	NonResponse    NonResponse  `json:"non_response"`
	// Weighted is present when the request asks for it (weighted=1).
	Weighted *Weighted `json:"weighted,omitempty"`
}

// Verdict is a completely-aligned share against the study's, two samples.
type Verdict struct {
	Hidden     *Hidden  `json:"hidden"`
	Share      Interval `json:"share"`
	Study      Interval `json:"study"`
	Difference Interval `json:"difference"`
	Direction  string   `json:"direction"` // above, in_line, below
}

// InsightTrend is the share's straight-line trend over the last year.
type InsightTrend struct {
	Rounds       int      `json:"rounds"` // 0: too few rounds
	From         *string  `json:"from"`
	To           *string  `json:"to"`
	SlopePerYear Interval `json:"slope_per_year"`
	P            *float64 `json:"p"`
	Direction    string   `json:"direction"` // rising, flat, falling
}

// Statement is one agree–disagree statement.
type Statement struct {
	Key     string           `json:"key"`
	Prompt  string           `json:"prompt"`
	Index   string           `json:"index"`
	Custom  bool             `json:"custom"`
	All     StatementScore   `json:"all"`
	Sales   StatementScore   `json:"sales"`
	Product StatementScore   `json:"product"`
	Gap     Difference       `json:"gap"`
	Change  *StatementChange `json:"change"`
}

// StatementScore is one group's answers to a statement.
type StatementScore struct {
	Hidden   *Hidden  `json:"hidden"`
	Answers  []int    `json:"answers"` // strongly disagree … strongly agree; null when hidden
	Disagree *float64 `json:"disagree"`
	Neutral  *float64 `json:"neutral"`
	Agree    *float64 `json:"agree"`
	Mean     Interval `json:"mean"`
}

// StatementChange is a statement's change since the previous closed round.
type StatementChange struct {
	From       string     `json:"from"`
	Difference Difference `json:"difference"`
	Q          *float64   `json:"q"`
}

// Driver is a statement's association with A1.
type Driver struct {
	Key         string   `json:"key"`
	Hidden      *Hidden  `json:"hidden"`
	R           Interval `json:"r"`
	P           *float64 `json:"p"`
	Q           *float64 `json:"q"`
	Significant bool     `json:"significant"`
}

// NonResponse compares the response rates of sales and product.
type NonResponse struct {
	Hidden      *Hidden  `json:"hidden"`
	Sales       Interval `json:"sales"`
	Product     Interval `json:"product"`
	Difference  Interval `json:"difference"`
	LeansToward *string  `json:"leans_toward"`
}

// Insight serves GET /api/v1/orgs/:slug/insight.
func (h *Handlers) Insight(c echo.Context) error {
	org, d, err := h.dashboardOf(c, weightedParam)
	if err != nil {
		return err
	}
	weighted, err := wantsWeighted(c)
	if err != nil {
		return err
	}
	out := Insight{Org: OrgRef{org.Slug, org.Name}, Filter: groupKey(d.Filter), MinGroupSize: d.K,
		Statements: []Statement{}, Drivers: []Driver{}, FocusAreas: []string{}, Trend: InsightTrend{Direction: "flat"}}
	if d.Round == nil {
		return ok(c, out)
	}
	if d.Current.Known && d.Current.Hidden {
		// A hidden group has no insight: only why.
		r := h.roundJSON(org, d.Round)
		r.Participation = cell(&d.Current.Measures, d.Current.Known, false, d.K)
		out.Round = &r
		out.Headline = "The results of this group are hidden: " + d.Current.Reason.Text(d.K) + "."
		return ok(c, out)
	}
	in, err := analytics.LoadInsight(ctx(c), h.app.DB, d)
	if err != nil {
		return err
	}
	r := h.roundJSON(org, d.Round)
	r.Participation = cell(&d.Current.Measures, d.Current.Known, false, d.K)
	out.Round = &r
	fillInsight(&out, in)
	if weighted && !in.Open {
		out.Weighted = weightedJSON(in)
	}
	return ok(c, out)
}

func fillInsight(out *Insight, in *analytics.Insight) {
	k := in.K
	out.Open = in.Open
	out.Headline = format.HeadlineOf(in).Sentence()
	if !in.Open {
		v, pv := verdictJSON(in.Verdict, k), verdictJSON(in.ProductVerdict, k)
		out.Verdict, out.ProductVerdict = &v, &pv
	}
	t := in.Trend
	out.Trend = InsightTrend{Rounds: t.Rounds, SlopePerYear: interval(t.Slope.Interval), P: num(t.Slope.P), Direction: "flat"}
	if !t.Enough {
		out.Trend.SlopePerYear, out.Trend.P = Interval{}, nil
	} else {
		from, to := timestamp(t.From), timestamp(t.To)
		out.Trend.From, out.Trend.To = &from, &to
	}
	switch t.Direction {
	case 1:
		out.Trend.Direction = "rising"
	case -1:
		out.Trend.Direction = "falling"
	}
	for _, s := range in.Statements {
		st := Statement{Key: s.Key, Prompt: s.Prompt, Index: s.Index, Custom: s.Custom,
			All: statementScore(s.All, k), Sales: statementScore(s.Sales, k), Product: statementScore(s.Product, k),
			Gap: Difference{interval(s.Gap), false, hidden(s.GapHidden, k)}}
		if s.GapHidden.Hidden() {
			st.Gap.Difference = Interval{}
		} else {
			st.Gap.Significant = s.Gap.Excludes(0)
		}
		if ch := s.Change; ch != nil {
			sc := &StatementChange{From: ch.From, Difference: Difference{interval(ch.Diff), ch.Significant, hidden(ch.Hidden, k)}, Q: num(ch.Q)}
			if ch.Hidden.Hidden() {
				sc.Difference.Difference = Interval{}
			}
			st.Change = sc
		}
		out.Statements = append(out.Statements, st)
	}
	for _, d := range in.Drivers {
		dj := Driver{Key: d.Key, Hidden: hidden(d.Hidden, k), R: interval(d.R), P: num(d.P), Q: num(d.Q), Significant: d.Significant}
		if d.Hidden.Hidden() {
			dj.R = Interval{}
		}
		out.Drivers = append(out.Drivers, dj)
	}
	for _, f := range in.FocusAreas {
		out.FocusAreas = append(out.FocusAreas, f.Key)
	}
	r := in.Response
	out.NonResponse = NonResponse{Hidden: hidden(r.Hidden, k)}
	if !r.Hidden.Hidden() {
		out.NonResponse.Sales, out.NonResponse.Product, out.NonResponse.Difference = interval(r.SalesRate), interval(r.ProductRate), interval(r.Diff)
		switch r.Leans {
		case 1:
			s := roster.FunctionSales
			out.NonResponse.LeansToward = &s
		case -1:
			p := roster.FunctionProduct
			out.NonResponse.LeansToward = &p
		}
	}
}

func verdictJSON(v analytics.BenchmarkVerdict, k int) Verdict {
	out := Verdict{Hidden: hidden(v.Hidden, k), Study: interval(v.Study), Direction: "in_line"}
	out.Study.N = v.StudyN
	if v.Hidden.Hidden() {
		return out
	}
	out.Share, out.Difference = interval(v.Share), interval(v.Diff)
	switch v.Direction {
	case 1:
		out.Direction = "above"
	case -1:
		out.Direction = "below"
	}
	return out
}

func statementScore(m analytics.StatementMeasure, k int) StatementScore {
	s := StatementScore{Hidden: hidden(m.Hidden, k)}
	if m.Hidden.Hidden() {
		return s
	}
	s.Answers = m.Answers[:]
	s.Disagree, s.Neutral, s.Agree = num(m.Disagree), num(m.Neutral), num(m.Agree)
	s.Mean = interval(m.Mean)
	return s
}
