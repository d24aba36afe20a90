package format

import (
	"fmt"
	"math"
	"strings"

	"accord/analytics"
	"accord/survey"
)

// Headline is the insight in plain words, in the order a leader reads it:
// the verdict against the study, the trend, the largest gap between sales
// and product, the weakest and strongest statements, the focus areas and,
// when the response rates lean, a warning. No p-values or test names: the
// detail behind each sentence is under "How we know".
type Headline struct {
	Verdict   string // "12.5% completely aligned: in line with the study's 9.2%."
	Tone      int    // +1 good (above), −1 bad (below), 0 in line; for colours
	Trend     string
	TrendSign int // +1 rising, −1 falling, 0 no clear trend; for arrows
	Gap       string
	Weakest   string
	Strongest string
	Focus     []string // up to three statements, "Prompt (key)"
	Warning   string   // non-response leaning, or ""
}

// Sentence is the headline in one sentence: the verdict and the trend.
func (h Headline) Sentence() string {
	if h.Trend == "" {
		return h.Verdict
	}
	return h.Verdict + " " + h.Trend
}

// HeadlineOf words in.
func HeadlineOf(in *analytics.Insight) Headline {
	var h Headline
	who := "of " + strings.ToLower(in.Filter.Label()[:1]) + in.Filter.Label()[1:]
	if in.Filter.IsOrg() {
		who = "of the organisation"
	}
	v := in.Verdict
	switch {
	case in.Open:
		h.Verdict = "This round is still open: results appear when it closes."
	case v.Hidden.Hidden():
		h.Verdict = fmt.Sprintf("The completely-aligned share %s is hidden: %s.", who, v.Hidden.Text(in.K))
	default:
		h.Verdict = fmt.Sprintf("%s %s are completely aligned: %s the study's %s.", Pct(v.Share.Estimate), who, v.Words(), Pct(v.Study.Estimate))
		h.Tone = v.Direction
	}
	h.Trend, h.TrendSign = trendWords(in.Trend)
	if g := in.LargestGap; g != nil {
		side := "higher"
		if g.Diff.Estimate < 0 {
			side = "lower"
		}
		h.Gap = fmt.Sprintf("Largest gap between sales and product: %s, where sales score %s points %s than product.",
			indexWords(g.Index), Num(math.Abs(g.Diff.Estimate)), side)
		if !g.Significant() {
			h.Gap += " It may be chance."
		}
	}
	if s := in.Statement(in.Weakest); s != nil {
		h.Weakest = fmt.Sprintf("Weakest statement: “%s” (%s of 100).", s.Prompt, Num(s.All.Mean.Estimate))
	}
	if s := in.Statement(in.Strongest); s != nil {
		h.Strongest = fmt.Sprintf("Strongest statement: “%s” (%s of 100).", s.Prompt, Num(s.All.Mean.Estimate))
	}
	for _, f := range in.FocusAreas {
		h.Focus = append(h.Focus, f.Prompt)
	}
	if r := in.Response; !r.Hidden.Hidden() && r.Leans != 0 {
		more, less := "Sales", "product"
		if r.Leans < 0 {
			more, less = "Product", "sales"
		}
		h.Warning = fmt.Sprintf("%s answered more than %s (%s against %s of those invited): the results may lean toward %s's view.",
			more, less, Pct(r.SalesRate.Estimate), Pct(r.ProductRate.Estimate), strings.ToLower(more))
		if r.Leans < 0 {
			h.Warning = fmt.Sprintf("%s answered more than %s (%s against %s of those invited): the results may lean toward %s's view.",
				more, less, Pct(r.ProductRate.Estimate), Pct(r.SalesRate.Estimate), strings.ToLower(more))
		}
	}
	return h
}

func trendWords(t analytics.TrendTest) (string, int) {
	if !t.Enough {
		return fmt.Sprintf("A trend needs %d closed rounds with published results.", analytics.MinTrendRounds), 0
	}
	span := fmt.Sprintf("over the last %d rounds", t.Rounds)
	switch t.Direction {
	case 1:
		return fmt.Sprintf("The share rose %s, by about %s points a year.", span, Num(t.Slope.Estimate)), 1
	case -1:
		return fmt.Sprintf("The share fell %s, by about %s points a year.", span, Num(-t.Slope.Estimate)), -1
	}
	return fmt.Sprintf("No clear trend %s.", span), 0
}

// indexWords names an index in a sentence: "trust".
func indexWords(index string) string {
	if index == survey.IndexAlignment {
		return "alignment"
	}
	return strings.ToLower(index)
}
