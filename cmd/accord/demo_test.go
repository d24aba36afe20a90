package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/secrets"
)

var linkLine = regexp.MustCompile(`^  https://accord\.example\.com/s/([A-Za-z0-9_-]{43})$`)

// links returns the tokens of the respondent links printed in out.
func links(out string) []string {
	var tokens []string
	for _, line := range strings.Split(out, "\n") {
		if m := linkLine.FindStringSubmatch(line); m != nil {
			tokens = append(tokens, m[1])
		}
	}
	return tokens
}

// checkOpenLinks fails unless every token opens an unanswered invitation of an open round.
func checkOpenLinks(t *testing.T, db *gorm.DB, secret []byte, tokens []string) {
	t.Helper()
	for _, token := range tokens {
		var inv survey.Invitation
		if err := db.Where("token_hash = ?", secrets.HashToken(token)).Take(&inv).Error; err != nil {
			t.Errorf("printed link %s has no invitation: %v", token, err)
			continue
		}
		var r survey.Round
		db.Take(&r, inv.RoundID)
		if r.Status != survey.RoundOpen {
			t.Errorf("printed link leads to a %s round", r.Status)
		}
		var answered int64
		db.Model(&survey.Response{}).Where("round_id = ?", r.ID).Where("edit_key = ?", secrets.ResponseKey(secret, inv.ID)).Count(&answered)
		if answered > 0 {
			t.Errorf("printed link %s has already been answered", token)
		}
	}
}

func TestDemoCommand(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "demo.db")
	getenv := env(map[string]string{"ACCORD_DATABASE_URL": "sqlite:" + path, "ACCORD_BASE_URL": "https://accord.example.com"})
	run := func(args ...string) (string, error) {
		var out, errs bytes.Buffer
		m := &Main{Args: args, Stdout: &out, Stderr: &errs, Getenv: getenv}
		err := m.Run(context.Background())
		return out.String(), err
	}

	out, err := run("demo", "--orgs", "2", "--people", "12", "--rounds", "2", "--seed", "7")
	if err != nil {
		t.Fatalf("accord demo: %v", err)
	}
	if !strings.Contains(out, "Generated 2 organisations, 24 people, 6 rounds, 72 invitations") {
		t.Errorf("summary missing or wrong:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^  \S.* https://accord\.example\.com/orgs/[a-z0-9-]+$`).MatchString(out) {
		t.Errorf("no organisation link in:\n%s", out)
	}
	tokens := links(out)
	if len(tokens) == 0 || len(tokens) > 5 {
		t.Fatalf("want 1–5 respondent links, got %d in:\n%s", len(tokens), out)
	}
	target, _ := database.ParseURL("sqlite:" + path)
	db, err := database.Open(context.Background(), target, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	secret, err := secrets.LoadSecret(context.Background(), db, secrets.SecretSource{KeyFile: path + ".key"}, nil)
	if err != nil {
		t.Fatalf("the demo's key file: %v", err)
	}
	checkOpenLinks(t, db, secret, tokens)
	var rollups int64
	db.Model(&analytics.RollupRound{}).Count(&rollups)
	if rollups != 6 {
		t.Errorf("rollups computed for %d of 6 rounds; the first dashboard would pay for the rest", rollups)
	}
	// The planner's statistics include the rollups, computed after the
	// answers: without them the rollup tables' plans are those of empty tables.
	var analysed int64
	db.Raw("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'rollup_cells'").Scan(&analysed)
	if analysed == 0 {
		t.Error("no planner statistics for rollup_cells after accord demo")
	}

	if _, err := run("demo"); err == nil || !strings.Contains(err.Error(), "already holds 2 organisation") {
		t.Errorf("second accord demo into the same database: err = %v, want a refusal", err)
	}
}

func TestDemoCommandRejectsBadFlags(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "untouched.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--orgs", "0"}, "--orgs must be between 1 and 1000"},
		{[]string{"--people", "3"}, "--people must be between 6"},
		{[]string{"--rounds", "-1"}, "--rounds must be between 0 and 120"},
		{[]string{"--orgs", "1000", "--people", "10000", "--rounds", "120"}, "invitations; keep it under"},
		{[]string{"--orgs", "many"}, "invalid value"},
	} {
		var errs bytes.Buffer
		m := &Main{Args: append([]string{"demo"}, tc.args...), Stdout: &bytes.Buffer{}, Stderr: &errs,
			Getenv: env(map[string]string{"ACCORD_DATABASE_URL": "sqlite:" + path})}
		err := m.Run(context.Background())
		if err == nil || !strings.Contains(err.Error()+errs.String(), tc.want) {
			t.Errorf("accord demo %v: err = %v, stderr %q; want %q", tc.args, err, errs.String(), tc.want)
		}
	}
	if matches, _ := filepath.Glob(path + "*"); len(matches) > 0 {
		t.Errorf("bad flags created %v", matches)
	}
}

func TestDemoIfEmpty(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		cfg, err := LoadConfig(env(map[string]string{"ACCORD_BASE_URL": "https://accord.example.com"}))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: &bytes.Buffer{}}
		d, err := m.demoIfEmpty(context.Background(), db, cfg, databasetest.Secret)
		if err != nil || d == nil || d.Open.Status != survey.RoundOpen {
			t.Fatalf("demoIfEmpty = %+v, %v; want the open round", d, err)
		}
		if len(d.Links) != 5 {
			t.Errorf("%d respondent links, want 5", len(d.Links))
		}
		checkOpenLinks(t, db, databasetest.Secret, d.Links)
		var people, rounds, rollups int64
		db.Model(&roster.Person{}).Count(&people)
		db.Model(&survey.Round{}).Count(&rounds)
		db.Model(&analytics.RollupRound{}).Count(&rollups)
		if people != demoPeople || rounds != 9 || rollups != 9 {
			t.Errorf("demo organisation has %d people, %d rounds, %d with rollups; want %d, 8 closed + 1 open, all 9", people, rounds, rollups, demoPeople)
		}

		if again, err := m.demoIfEmpty(context.Background(), db, cfg, []byte("0123456789abcdef0123456789abcdef")); err != nil || again != nil {
			t.Fatalf("second demoIfEmpty = %v, %v; want nil, nil", again, err)
		}
		var orgs int64
		db.Model(&survey.Organisation{}).Count(&orgs)
		if out.Len() > 0 || orgs != 1 {
			t.Errorf("demoIfEmpty printed %q and left %d organisations; want silence (serve prints) and 1", out.String(), orgs)
		}
	})
}
