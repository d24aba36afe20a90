package report

import (
	"fmt"
	"strings"

	"accord/analytics"
	"accord/analytics/format"
)

// The sections fed by the insight layer (analytics.LoadInsight): every
// statement's result, and the statements that move alignment. Both are
// left out when the round has no statement results to show.

// statementsSection is the results per statement of the round reported on.
func statementsSection(in *analytics.Insight) (Section, bool) {
	if in == nil || len(in.Statements) == 0 {
		return Section{}, false
	}
	s := Section{ID: "statements", Heading: "Statement by statement",
		Intro: "Each agree–disagree statement on 0–100 (strongly disagree 0, strongly agree 100): the whole organisation with its 95% interval, sales and product side by side, and the change since the round before, called clear only when it stays so after allowing for the number of statements compared (Benjamini–Hochberg)."}
	t := Table{Caption: "Statements: mean score 0–100", Head: []string{"Key", "Statement", "All", "95% interval", "Sales", "Product", "Change"}}
	for _, st := range in.Statements {
		row := Row{Head: st.Key, Cells: []string{st.Prompt, measureText(st.All, in.K), "", measureText(st.Sales, in.K), measureText(st.Product, in.K), changeWords(st.Change, in.K)}}
		if !st.All.Hidden.Hidden() {
			row.Cells[2] = format.NumRange(st.All.Mean)
		}
		t.Rows = append(t.Rows, row)
	}
	s.Tables = append(s.Tables, t)
	return s, true
}

func measureText(m analytics.StatementMeasure, k int) string {
	if m.Hidden.Hidden() {
		return "hidden: " + format.Why(m.Hidden, k)
	}
	return format.Num(m.Mean.Estimate)
}

func changeWords(c *analytics.StatementChange, k int) string {
	switch {
	case c == nil:
		return "–"
	case c.Hidden.Hidden():
		return "hidden: " + format.Why(c.Hidden, k)
	case c.Significant:
		return format.Signed(c.Diff.Estimate, true) + ", clear"
	}
	return format.Signed(c.Diff.Estimate, true) + ", not clear"
}

// driversSection is how strongly each statement goes with seeing sales and
// product as aligned: where a change would likely move alignment most.
func driversSection(in *analytics.Insight) (Section, bool) {
	if in == nil || len(in.Drivers) == 0 {
		return Section{}, false
	}
	s := Section{ID: "drivers", Heading: "What goes with alignment",
		Intro: "How closely each statement's answers go with the answer to the benchmark question (Pearson's r with its 95% interval, Fisher z): the statements at the top are where people who agree also see sales and product as aligned. An association is not proof of cause."}
	t := Table{Caption: "Statements by their association with alignment, strongest first", Head: []string{"Key", "Statement", "r", "95% interval", "Association"}}
	hidden := map[string][]string{}
	var reasons []string
	for _, d := range in.Drivers {
		if d.Hidden.Hidden() {
			why := format.Why(d.Hidden, in.K)
			if hidden[why] == nil {
				reasons = append(reasons, why)
			}
			hidden[why] = append(hidden[why], d.Key)
			continue
		}
		clear := "not clear"
		if d.Significant {
			clear = "clear"
		}
		t.Rows = append(t.Rows, Row{Head: d.Key, Cells: []string{d.Prompt, fmt.Sprintf("%.2f", d.R.Estimate), fmt.Sprintf("%.2f to %.2f", d.R.Low, d.R.High), clear}})
	}
	if len(t.Rows) == 0 {
		return Section{}, false
	}
	s.Tables = append(s.Tables, t)
	for _, why := range reasons {
		s.Notes = append(s.Notes, fmt.Sprintf("Left out, %s: %s.", why, strings.Join(hidden[why], ", ")))
	}
	return s, true
}
