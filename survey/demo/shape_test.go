package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/demo"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// TestGenerateShape checks the demo data the way a user of the dashboards
// would meet it: every function on every roster, one open round each,
// plausible response rates, anonymous responses, working respondent links.
func TestGenerateShape(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		const orgs, people, past = 3, 40, 4
		res := generate(t, db, demo.Options{Orgs: orgs, People: people, Rounds: past, Seed: 9})

		checkCounts(t, db, res, orgs, people, past)
		for _, org := range res.Orgs {
			checkRoster(t, db, org)
			checkRounds(t, db, org)
		}
		checkAnonymous(t, db)
		checkLinks(t, db, res)
		checkAnswers(t, db)
	})
}

func count(t *testing.T, db *gorm.DB, model any, where string, args ...any) int {
	t.Helper()
	var n int64
	q := db.Model(model)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func checkCounts(t *testing.T, db *gorm.DB, res *demo.Result, orgs, people, past int) {
	t.Helper()
	want := map[string][2]int{
		"organisations": {len(res.Orgs), count(t, db, &survey.Organisation{}, "")},
		"people":        {res.People, count(t, db, &roster.Person{}, "")},
		"rounds":        {res.Rounds, count(t, db, &survey.Round{}, "")},
		"invitations":   {res.Invitations, count(t, db, &survey.Invitation{}, "")},
		"responses":     {res.Responses, count(t, db, &survey.Response{}, "")},
		"answers":       {res.Answers, count(t, db, &survey.Answer{}, "")},
	}
	for name, got := range want {
		if got[0] != got[1] {
			t.Errorf("Result says %d %s, database holds %d", got[0], name, got[1])
		}
	}
	if len(res.Orgs) != orgs || res.People != orgs*people || res.Rounds != orgs*(past+1) {
		t.Errorf("generated %d orgs, %d people, %d rounds; want %d, %d, %d", len(res.Orgs), res.People, res.Rounds, orgs, orgs*people, orgs*(past+1))
	}
	if res.Invitations != res.People*(past+1) {
		t.Errorf("%d invitations, want one per person per round: %d", res.Invitations, res.People*(past+1))
	}
	var rounds []survey.Round
	databasetest.Must(t, db.Find(&rounds).Error)
	answered := 0
	for _, r := range rounds {
		a, err := survey.Answered(context.Background(), db, r.ID)
		databasetest.Must(t, err)
		answered += len(a)
	}
	if answered != res.Responses {
		t.Errorf("%d invitations answered (by their response keys) but %d responses", answered, res.Responses)
	}
}

func checkRoster(t *testing.T, db *gorm.DB, org survey.Organisation) {
	t.Helper()
	var fns []string
	db.Model(&roster.Person{}).Where("org_id = ?", org.ID).Distinct().Pluck("function", &fns)
	for _, f := range roster.Functions {
		if !slices.Contains(fns, f) {
			t.Errorf("%s has nobody in %s", org.Slug, f)
		}
	}
	if n := count(t, db, &roster.Person{}, "org_id = ? AND (team = '' OR tenure_band = '')", org.ID); n > 0 {
		t.Errorf("%s: %d people without team or tenure band", org.Slug, n)
	}
}

func checkRounds(t *testing.T, db *gorm.DB, org survey.Organisation) {
	t.Helper()
	var rounds []survey.Round
	db.Where("org_id = ?", org.ID).Order("opens_at").Find(&rounds)
	open := 0
	for i, r := range rounds {
		invited := count(t, db, &survey.Invitation{}, "round_id = ?", r.ID)
		answered := count(t, db, &survey.Response{}, "round_id = ?", r.ID)
		rate := float64(answered) / float64(invited)
		switch r.Status {
		case survey.RoundOpen:
			open++
			if i != len(rounds)-1 || !r.OpensAt.Before(testNow) || !r.ClosesAt.After(testNow) || r.ClosedAt != nil {
				t.Errorf("%s: open round %q opens %v closes %v: want the newest, open now", org.Slug, r.Title, r.OpensAt, r.ClosesAt)
			}
			if answered == 0 || answered == invited {
				t.Errorf("%s: open round has %d of %d answered; want some but not all", org.Slug, answered, invited)
			}
		case survey.RoundClosed:
			if r.ClosedAt == nil || !r.ClosesAt.Before(testNow) {
				t.Errorf("%s: closed round %q closes %v, closed at %v", org.Slug, r.Title, r.ClosesAt, r.ClosedAt)
			}
			if rate < 0.5 || rate > 0.92 {
				t.Errorf("%s: round %q response rate %.2f, want 55–90%%", org.Slug, r.Title, rate)
			}
		default:
			t.Errorf("%s: round %q has status %q", org.Slug, r.Title, r.Status)
		}
		early := count(t, db, &survey.Response{}, "round_id = ? AND (submitted_on < ? OR submitted_on > ?)",
			r.ID, r.OpensAt.Truncate(24*time.Hour).UTC(), r.ClosesAt.UTC())
		if early > 0 {
			t.Errorf("%s: %d responses of %q submitted outside the round", org.Slug, early, r.Title)
		}
	}
	if open != 1 {
		t.Errorf("%s has %d open rounds, want 1", org.Slug, open)
	}
}

// checkAnonymous: responses carry no column that could name a person, and
// their edit keys are not the invitations' token hashes.
func checkAnonymous(t *testing.T, db *gorm.DB) {
	t.Helper()
	cols, err := db.Migrator().ColumnTypes(&survey.Response{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		switch c.Name() {
		case "person_id", "invitation_id", "token", "token_hash", "email":
			t.Errorf("responses has a %s column", c.Name())
		}
	}
	if n := count(t, db, &survey.Response{}, "edit_key IN (SELECT token_hash FROM invitations)"); n > 0 {
		t.Errorf("%d responses use a token hash as edit key", n)
	}
}

func checkLinks(t *testing.T, db *gorm.DB, res *demo.Result) {
	t.Helper()
	if len(res.Links) != 5 {
		t.Fatalf("%d links, want 5", len(res.Links))
	}
	for _, token := range res.Links {
		if !secrets.ValidTokenShape(token) {
			t.Errorf("link token %q is malformed", token)
		}
		var inv survey.Invitation
		if err := db.Where("token_hash = ?", secrets.HashToken(token)).Take(&inv).Error; err != nil {
			t.Errorf("no invitation for link token: %v", err)
			continue
		}
		var r survey.Round
		db.Take(&r, inv.RoundID)
		if r.OrgID != res.Orgs[0].ID || r.Status != survey.RoundOpen {
			t.Errorf("link leads to round %q (%s) of org %d; want the first org's open round", r.Title, r.Status, r.OrgID)
		}
		if n := count(t, db, &survey.Response{}, "edit_key = ?", secrets.ResponseKey(testSecret, inv.ID)); n > 0 {
			t.Errorf("an unanswered link already has a response")
		}
	}
}

// checkAnswers: A1 near the study's distribution, sales seeing trust and
// process lower than product, about 30% varied comments.
func checkAnswers(t *testing.T, db *gorm.DB) {
	t.Helper()
	var rows []struct {
		Key, Function string
		Value         int
		N             int
	}
	err := db.Raw(`SELECT q.key, s.function, a.value, COUNT(*) AS n
		FROM answers a JOIN questions q ON q.id = a.question_id JOIN responses s ON s.id = a.response_id
		WHERE a.value IS NOT NULL GROUP BY q.key, s.function, a.value`).Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	var a1 [5]float64
	sum := map[string]float64{}
	n := map[string]float64{}
	for _, r := range rows {
		if r.Key == survey.QuestionA1 {
			a1[r.Value] += float64(r.N)
			a1[0] += float64(r.N)
			continue
		}
		k := r.Function + "/" + r.Key[:1] // T: trust, I: information, P: process
		sum[k] += float64(r.Value * r.N)
		n[k] += float64(r.N)
	}
	share := func(level int) float64 { return a1[level] / a1[0] }
	if share(1) < 0.02 || share(1) > 0.25 || share(2) < 0.35 || share(4) > 0.15 {
		t.Errorf("A1 shares %.2f / %.2f / %.2f / %.2f, want near the study's 9 / 64 / 24 / 3", share(1), share(2), share(3), share(4))
	}
	for _, index := range []string{"T", "P"} {
		sales, product := sum["sales/"+index]/n["sales/"+index], sum["product/"+index]/n["product/"+index]
		if sales >= product {
			t.Errorf("index %s: sales mean %.2f, product mean %.2f; want sales lower", index, sales, product)
		}
	}

	var comments []string
	db.Model(&survey.Answer{}).Where("text IS NOT NULL").Pluck("text", &comments)
	responses := count(t, db, &survey.Response{}, "")
	if f := float64(len(comments)) / float64(responses); f < 0.15 || f > 0.45 {
		t.Errorf("%.0f%% of responses carry a comment, want about 30%%", 100*f)
	}
	distinct := map[string]bool{}
	special := 0
	for _, c := range comments {
		distinct[c] = true
		if strings.ContainsAny(c, "<&\"") {
			special++
		}
	}
	if len(distinct) < 15 || special == 0 {
		t.Errorf("%d distinct comments, %d with <, & or quotes; want variety including special characters", len(distinct), special)
	}
}
