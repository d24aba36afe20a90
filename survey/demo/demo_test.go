package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/demo"
	"accord/survey/roster"
)

var (
	testNow    = time.Date(2026, 3, 18, 15, 4, 5, 0, time.UTC)
	testSecret = databasetest.Secret
)

func generate(t *testing.T, db *gorm.DB, opts demo.Options) *demo.Result {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	if opts.Secret == nil {
		opts.Secret = testSecret
	}
	res, err := demo.Generate(context.Background(), db, opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return res
}

// fingerprint summarises everything the seed decides: organisations,
// rosters, rounds, who answered when, every answer and every comment.
func fingerprint(t *testing.T, db *gorm.DB) string {
	t.Helper()
	queries := []string{
		`SELECT slug, name FROM organisations ORDER BY slug`,
		`SELECT o.slug, p.email, p.name, p.function, p.team, p.region, p.tenure_band
		   FROM people p JOIN organisations o ON o.id = p.org_id ORDER BY o.slug, p.email`,
		`SELECT o.slug, r.title, r.status, r.opens_at, r.closes_at
		   FROM rounds r JOIN organisations o ON o.id = r.org_id ORDER BY o.slug, r.opens_at`,
		`SELECT o.slug, r.title, p.email, i.team
		   FROM invitations i JOIN rounds r ON r.id = i.round_id JOIN people p ON p.id = i.person_id
		   JOIN organisations o ON o.id = r.org_id ORDER BY o.slug, r.title, p.email`,
		`SELECT o.slug, r.title, s.function, s.team, s.region, s.tenure_band, s.submitted_on, COUNT(*) AS n
		   FROM responses s JOIN rounds r ON r.id = s.round_id JOIN organisations o ON o.id = r.org_id
		   GROUP BY o.slug, r.title, s.function, s.team, s.region, s.tenure_band, s.submitted_on
		   ORDER BY o.slug, r.title, s.function, s.team, s.region, s.tenure_band, s.submitted_on`,
		`SELECT o.slug, r.title, s.function, q.key, a.value, a.text, COUNT(*) AS n
		   FROM answers a JOIN responses s ON s.id = a.response_id JOIN questions q ON q.id = a.question_id
		   JOIN rounds r ON r.id = s.round_id JOIN organisations o ON o.id = r.org_id
		   GROUP BY o.slug, r.title, s.function, q.key, a.value, a.text
		   ORDER BY o.slug, r.title, s.function, q.key, a.value, a.text`,
	}
	var b strings.Builder
	for _, q := range queries {
		rows, err := db.Raw(q).Rows()
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if tm, ok := v.(time.Time); ok {
					v = tm.UTC().Format(time.RFC3339)
				}
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	// Who answered is nowhere in the database: it takes the secret.
	var rounds []survey.Round
	databasetest.Must(t, db.Order("org_id, opens_at").Find(&rounds).Error)
	for _, r := range rounds {
		answered, err := survey.Answered(context.Background(), db, r.ID)
		databasetest.Must(t, err)
		var emails []string
		databasetest.Must(t, db.Model(&roster.Person{}).Where("id IN ?", slices.Collect(maps.Values(answered))).
			Order("email").Pluck("email", &emails).Error)
		fmt.Fprintf(&b, "%s answered: %v\n", r.Title, emails)
	}
	return b.String()
}

func TestGenerateIsDeterministic(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		opts := demo.Options{Orgs: 2, People: 25, Rounds: 3, Seed: 42}
		first := generate(t, db, opts)
		again := databasetest.Open(t, db.Dialector.Name())
		second := generate(t, again, opts)
		other := databasetest.Open(t, db.Dialector.Name())
		opts.Seed = 43
		generate(t, other, opts)

		if first.Responses != second.Responses || first.Answers != second.Answers || first.Invitations != second.Invitations {
			t.Errorf("counts differ for one seed: %+v vs %+v", first, second)
		}
		a, b := fingerprint(t, db), fingerprint(t, again)
		if a != b {
			t.Errorf("same seed, different data:\n%s", firstDifference(a, b))
		}
		if a == fingerprint(t, other) {
			t.Error("seeds 42 and 43 generated identical data")
		}
		if slices.Equal(first.Links, second.Links) {
			t.Error("respondent tokens repeat between runs; they must be random")
		}
	})
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines vs %d lines", len(al), len(bl))
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	db := databasetest.Open(t, database.SQLite)
	for _, opts := range []demo.Options{
		{Orgs: 0, People: 10, Rounds: 1, Secret: testSecret},
		{Orgs: 1, People: 0, Rounds: 1, Secret: testSecret},
		{Orgs: 1, People: 10, Rounds: -1, Secret: testSecret},
		{Orgs: 1, People: 10, Rounds: 1},
	} {
		if _, err := demo.Generate(context.Background(), db, opts); err == nil {
			t.Errorf("Generate(%+v) succeeded", opts)
		}
	}
	var n int64
	db.Model(&survey.Organisation{}).Count(&n)
	if n != 0 {
		t.Errorf("rejected options stored %d organisations", n)
	}
}

func TestGenerateSlugsNeverCollide(t *testing.T) {
	db := databasetest.Open(t, database.SQLite)
	first := generate(t, db, demo.Options{Orgs: 2, People: 6, Rounds: 0, Seed: 5})
	second := generate(t, db, demo.Options{Orgs: 2, People: 6, Rounds: 0, Seed: 5})
	for i := range first.Orgs {
		if got, want := second.Orgs[i].Slug, first.Orgs[i].Slug+"-2"; got != want {
			t.Errorf("second run slug = %q, want %q", got, want)
		}
	}
}

func TestGenerateLogsProgress(t *testing.T) {
	db := databasetest.Open(t, database.SQLite)
	var buf bytes.Buffer
	generate(t, db, demo.Options{Orgs: 2, People: 6, Rounds: 1, Seed: 1, Log: slog.New(slog.NewTextHandler(&buf, nil))})
	if got := strings.Count(buf.String(), "demo organisation generated"); got != 2 {
		t.Errorf("%d progress lines for 2 organisations:\n%s", got, buf.String())
	}
}

// TestGenerateFlushesFullBatches generates an organisation large enough
// that one flush holds thousands of responses (about 4,000): each INSERT
// must stay under SQLite's limit on parameters however many columns the
// models have (a hard-coded column count broke the 100 × 200 × 40 demo
// when responses gained a language).
func TestGenerateFlushesFullBatches(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	res := generate(t, db, demo.Options{Orgs: 1, People: 200, Rounds: 30, Seed: 1})
	if res.Responses < 3800 {
		t.Fatalf("only %d responses: too few to fill a batch", res.Responses)
	}
}
