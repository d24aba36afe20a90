package web_test

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/charts"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

// TestDashboardLeadsWithTheInsight: the dashboard opens with the verdict in
// plain words, the trend, the gap and the weakest and strongest statements,
// keeps the statistics under "How we know", and shows every statement
// (built-in and custom, escaped in page and chart) and the drivers with
// their caveat, each chart with its table.
func TestDashboardLeadsWithTheInsight(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		pulse(t, db, org)
		const prompt = `Roadmaps are <script>alert(5)</script> shared early.`
		inst, err := survey.AddQuestion(t.Context(), db, org.ID, 1, survey.QuestionInput{Kind: survey.KindLikert, Prompt: prompt})
		databasetest.Must(t, err)
		rs := append(people("s", roster.FunctionSales, "Hunters", 8), people("p", roster.FunctionProduct, "Builders", 8)...)
		for i := range rs {
			rs[i].Likert["Q1"] = 1 + i%5
		}
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Summer pulse", OpensAt: jan.AddDate(0, 4, 0), Respondents: rs, InstrumentID: inst.ID})

		r := client.Get("/orgs/acme")
		if r.Status != http.StatusOK {
			t.Fatalf("GET /orgs/acme: status %d\n%s", r.Status, r.Body)
		}
		for _, want := range []string{
			"Where you stand", "are completely aligned:", "the study&#39;s 9.2%", "A trend needs 4 closed rounds",
			"Largest gap between sales and product", "Weakest statement:", "Strongest statement:",
			"<summary>How we know</summary>", "350 respondents", "Newcombe",
			"Statement by statement", "Disagree / neutral / agree", "T1: I trust the other side",
			"What goes with alignment", "Association, not proof of cause",
			"Roadmaps are &lt;script&gt;alert(5)&lt;/script&gt; shared early.",
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "<script>alert(5)") {
			t.Error("a custom statement's prompt is not escaped")
		}
		if first, card := strings.Index(r.Body, "Where you stand"), strings.Index(r.Body, "<h3>Completely aligned</h3>"); first < 0 || card < first {
			t.Errorf("the headline (at %d) does not come before the cards (at %d)", first, card)
		}
		how := r.Body[strings.Index(r.Body, "<summary>How we know</summary>"):]
		if verdict := r.Body[:strings.Index(r.Body, "<summary>How we know</summary>")]; strings.Contains(verdict[strings.Index(verdict, "Where you stand"):], "p = ") || !strings.Contains(how, "interval") {
			t.Error("the headline speaks statistician before “How we know”")
		}
		st, ok := chartsIn(t, r.Body)[charts.StatementsID]
		if !ok || len(st.YAxis) == 0 || len(st.YAxis[0].Data) != 11 {
			t.Fatalf("statements chart %+v, want 11 statements on its axis", st.YAxis)
		}
		if !strings.HasPrefix(st.YAxis[0].Data[0], "Q1 Roadmaps are <script>") {
			t.Errorf("custom statement label %q, want the prompt back intact from the chart data", st.YAxis[0].Data[0])
		}
		if len(st.series("Agree")) != 11 || len(st.series("Disagree")) != 11 {
			t.Errorf("statements chart series %+v", st.Series)
		}
	})
}
