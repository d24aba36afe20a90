package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/roster"
)

// cli runs commands in-process against one database of a dialect.
type cli struct {
	t   *testing.T
	url string
	db  *gorm.DB
}

// eachCLI runs fn once per database, like databasetest.Each, with the
// database's ACCORD_DATABASE_URL for commands and a handle to check it.
func eachCLI(t *testing.T, fn func(t *testing.T, c *cli)) {
	for _, dialect := range databasetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			url := "sqlite:" + filepath.Join(t.TempDir(), "accord.db")
			if dialect == database.Postgres {
				url = databasetest.Target(t, dialect).DSN
			}
			c := &cli{t: t, url: url}
			c.ok("", "migrate")
			target, err := database.ParseURL(url)
			databasetest.Must(t, err)
			c.db, err = database.Open(context.Background(), target, nil)
			databasetest.Must(t, err)
			t.Cleanup(func() { database.Close(c.db) })
			fn(t, c)
		})
	}
}

// run runs accord with args and stdin, returning its output and error.
func (c *cli) run(stdin string, args ...string) (string, error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: env(map[string]string{"ACCORD_DATABASE_URL": c.url, "ACCORD_BASE_URL": "https://accord.example.com",
			"ACCORD_SECRET_KEY": "0123456789abcdef0123456789abcdef"})}
	err := m.Run(context.Background())
	return out.String() + errOut.String(), err
}

// ok runs a command that must succeed and returns its output.
func (c *cli) ok(stdin string, args ...string) string {
	c.t.Helper()
	out, err := c.run(stdin, args...)
	if err != nil {
		c.t.Fatalf("accord %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// fails runs a command that must fail with a message containing want.
func (c *cli) fails(want string, args ...string) {
	c.t.Helper()
	out, err := c.run("", args...)
	if err == nil || !strings.Contains(err.Error()+"\n"+out, want) {
		c.t.Errorf("accord %s: err=%v out=%s; want a failure saying %q", strings.Join(args, " "), err, out, want)
	}
}

func (c *cli) org(slug string) *survey.Organisation {
	c.t.Helper()
	o := &survey.Organisation{Slug: slug, Name: "Acme & Co", MinGroupSize: 3, CommentThreshold: 5}
	databasetest.Must(c.t, c.db.Create(o).Error)
	return o
}

func csvFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	databasetest.Must(t, os.WriteFile(path, []byte(body), 0o600))
	return path
}

func TestPeopleImportCommand(t *testing.T) {
	t.Parallel()
	eachCLI(t, func(t *testing.T, c *cli) {
		acme := c.org("acme")
		good := csvFile(t, "people.csv", "email,name,function,team\nann@acme.test,Ann,sales,North\nbob@acme.test,Bob,product,Core\n")
		out := c.ok("", "people", "import", "--org", "acme", good)
		for _, want := range []string{"line 2: added ann@acme.test (sales)", "line 3: added bob@acme.test (product)", "2 added, 0 updated, 0 unchanged"} {
			if !strings.Contains(out, want) {
				t.Errorf("first import lacks %q:\n%s", want, out)
			}
		}
		// Flags after the file work too; a changed team is reported as such.
		changed := csvFile(t, "people.csv", "email,function,team\nann@acme.test,sales,South\nbob@acme.test,product,Core\ncat@acme.test,engineering,\n")
		out = c.ok("", "people", "import", changed, "--org", "acme")
		for _, want := range []string{`line 2: updated ann@acme.test: team "North" → "South"`, "line 4: added cat@acme.test", "1 added, 1 updated, 1 unchanged"} {
			if !strings.Contains(out, want) {
				t.Errorf("second import lacks %q:\n%s", want, out)
			}
		}
		bad := csvFile(t, "bad.csv", "email,function\ndan@acme.test,sales\nnot-an-email,sales\neve@acme.test,salse\n")
		out, err := c.run("", "people", "import", "--org", "acme", bad)
		if err == nil || !strings.Contains(err.Error(), "2 problem(s), so nothing was imported") ||
			!strings.Contains(out, "refused line 3, email") || !strings.Contains(out, "refused line 4, function") {
			t.Fatalf("bad file: %v\n%s", err, out)
		}
		var n int64
		databasetest.Must(t, c.db.Model(&roster.Person{}).Where("org_id = ?", acme.ID).Count(&n).Error)
		if n != 3 {
			t.Fatalf("%d people after a refused file, want 3: nothing of it may be saved", n)
		}
		c.fails("--org is required", "people", "import", good)
		c.fails("name one CSV file", "people", "import", "--org", "acme")
		c.fails("--org nope: no such organisation", "people", "import", "--org", "nope", good)
		c.fails("cannot read the roster file", "people", "import", "--org", "acme", filepath.Join(t.TempDir(), "missing.csv"))
		c.fails("usage: accord people import", "people", "export")
	})
}

func TestRoundOpenAndCloseCommands(t *testing.T) {
	t.Parallel()
	eachCLI(t, func(t *testing.T, c *cli) {
		acme := c.org("acme")
		c.fails("Nobody active on the roster", "round", "open", "--org", "acme")
		roster := csvFile(t, "people.csv", "email,function\nann@acme.test,sales\nbob@acme.test,product\ncat@acme.test,sales\n")
		c.ok("", "people", "import", "--org", "acme", roster)
		c.fails("Acme & Co has no open round to close", "round", "close", "--org", "acme")

		out := c.ok("", "round", "open", "--org", "acme", "--title", "Kick-off", "--closes-in", "3d")
		if !strings.Contains(out, `Opened "Kick-off" for Acme & Co: 3 invitations queued in the outbox`) {
			t.Fatalf("round open printed:\n%s", out)
		}
		var r survey.Round
		databasetest.Must(t, c.db.Where("org_id = ?", acme.ID).Take(&r).Error)
		if open := r.ClosesAt.Sub(r.OpensAt); r.Status != survey.RoundOpen || open != 72*time.Hour {
			t.Fatalf("round %+v open for %s; want open for 3 days", r, open)
		}
		var pending int64
		databasetest.Must(t, c.db.Model(&mail.Message{}).Where("round_id = ? AND kind = ? AND status = ?", r.ID, mail.KindInvitation, mail.StatusPending).Count(&pending).Error)
		if pending != 3 {
			t.Fatalf("%d invitations pending in the outbox, want 3 for a server to send", pending)
		}
		c.fails(`"Kick-off" is still open`, "round", "open", "--org", "acme")

		out = c.ok("", "round", "close", "--org", "acme")
		if !strings.Contains(out, `Closed "Kick-off" of Acme & Co: 0 of 3 invited answered (0.0%)`) {
			t.Fatalf("round close printed:\n%s", out)
		}
		databasetest.Must(t, c.db.Take(&r, r.ID).Error)
		if r.Status != survey.RoundClosed {
			t.Fatalf("round is %s after round close", r.Status)
		}
		c.fails("has no open round", "round", "close", "--org", "acme")
		out = c.ok("", "round", "open", "--org", "acme", "--closes-in", "36h")
		if !strings.Contains(out, `"Pulse of `) {
			t.Errorf("default title missing:\n%s", out)
		}
		c.fails("--org is required", "round", "open")
		c.fails("--closes-in \"soon\"", "round", "open", "--org", "acme", "--closes-in", "soon")
		c.fails("at most 90 days", "round", "open", "--org", "acme", "--closes-in", "120d")
		c.fails("at least an hour", "round", "open", "--org", "acme", "--closes-in", "10m")
		c.fails("unknown round command", "round", "reopen", "--org", "acme")
	})
}

func TestParseClosesIn(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "1d12h": 36 * time.Hour, "90m": 90 * time.Minute} {
		if got, err := parseClosesIn(in); err != nil || got != want {
			t.Errorf("parseClosesIn(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "7 days", "-3h", "7dd"} {
		if _, err := parseClosesIn(in); err == nil {
			t.Errorf("parseClosesIn(%q) accepted", in)
		}
	}
}

func TestUserPasswordCommand(t *testing.T) {
	t.Parallel()
	eachCLI(t, func(t *testing.T, c *cli) {
		c.ok("", "user", "add", "--email", "ops@example.com", "--role", "admin")
		session := func() string {
			var a account.Account
			databasetest.Must(t, c.db.Where("email = ?", "ops@example.com").Take(&a).Error)
			tok, err := account.CreateSession(context.Background(), c.db, a.ID, time.Now())
			databasetest.Must(t, err)
			return tok
		}()
		out := c.ok("", "user", "password", "--email", "OPS@example.com")
		i := strings.Index(out, "Password: ")
		if i < 0 || !strings.Contains(out, "their sessions have ended") || !strings.Contains(out, "(shown once)") {
			t.Fatalf("generated reset printed:\n%s", out)
		}
		generated := strings.Fields(out[i+len("Password: "):])[0]
		if _, err := account.Authenticate(context.Background(), c.db, "ops@example.com", generated); err != nil {
			t.Fatalf("the printed password does not log in: %v", err)
		}
		if _, err := account.SessionAccount(context.Background(), c.db, session, time.Now()); err == nil {
			t.Error("a session from before the reset still works")
		}
		out = c.ok("a piped password of some length\n", "user", "password", "--email", "ops@example.com")
		if strings.Contains(out, "Password: ") {
			t.Errorf("a piped password was printed:\n%s", out)
		}
		if _, err := account.Authenticate(context.Background(), c.db, "ops@example.com", "a piped password of some length"); err != nil {
			t.Fatalf("the piped password does not log in: %v", err)
		}
		c.fails("There is no account with the email nobody@example.com", "user", "password", "--email", "nobody@example.com")
		c.fails("--email is required", "user", "password")
		if _, err := c.run("short\n", "user", "password", "--email", "ops@example.com"); err == nil || !strings.Contains(err.Error(), "at least 12") {
			t.Errorf("short piped password: %v", err)
		}
	})
}

// TestRoundOpenRefusesMissingTranslations: an organisation created in
// French, with a question of its own written in English only, cannot open
// a round: the command says which language lacks which question.
func TestRoundOpenRefusesMissingTranslations(t *testing.T) {
	eachCLI(t, func(t *testing.T, c *cli) {
		c.fails(`--language: Unknown language "klingon"`, "org", "add", "--name", "Nope", "--language", "klingon")
		slug := strings.TrimSpace(c.ok("", "org", "add", "--name", "Société Générale d'Essai", "--language", "fr"))
		var org survey.Organisation
		databasetest.Must(t, c.db.Where("slug = ?", slug).Take(&org).Error)
		if org.DefaultLanguage != "fr" {
			t.Fatalf("default language %q, want fr", org.DefaultLanguage)
		}
		_, err := survey.AddQuestion(context.Background(), c.db, org.ID, 1, survey.QuestionInput{Kind: survey.KindLikert, Prompt: "Our tools help."})
		databasetest.Must(t, err)
		c.ok("", "people", "import", "--org", slug, csvFile(t, "people.csv", "email,function,language\nann@x.test,sales,\nbob@x.test,product,en\n"))
		c.fails("French (fr): Q1 (wording)", "round", "open", "--org", slug)
		databasetest.Must(t, c.db.Model(&roster.Person{}).Where("org_id = ?", org.ID).Update("language", "en").Error)
		c.ok("", "round", "open", "--org", slug)
	})
}
