package main

import (
	"context"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/secrets"
)

// TestDefaultDumpLinksNothingWithoutTheKeyFile takes the embedded
// database of the default setup (no SMTP: the development outbox) after
// demo data, and an open round's links sent, and attacks the file alone:
// every settings value as a key, every link-like token in any email, every
// invitation. Nothing may pair a response with an invitation or a link;
// with the key file beside it, the same attack pairs every response, so
// the key file is what protects them.
func TestDefaultDumpLinksNothingWithoutTheKeyFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "accord.db")
	getenv := env(map[string]string{"ACCORD_DATABASE_URL": "sqlite:" + path, "ACCORD_BASE_URL": "https://accord.example.com"})
	m := &Main{Args: []string{"demo", "--orgs", "1", "--people", "30", "--rounds", "1", "--seed", "5"}, Stdout: io.Discard, Stderr: io.Discard, Getenv: getenv}
	if err := m.Run(ctx); err != nil {
		t.Fatalf("accord demo: %v", err)
	}
	cfg, log, db, err := m.openDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := survey.NewScheduler(db, mailtest.DevOutbox(t, db), notifytest.Emails(t), cfg.BaseURL, log)
	if err != nil {
		t.Fatal(err)
	}
	var open survey.Round
	if err := db.Where("status = ?", survey.RoundOpen).Take(&open).Error; err != nil {
		t.Fatal(err)
	}
	if n, err := sched.SendLinks(ctx, open.OrgID, open.ID, time.Now()); err != nil || n == 0 {
		t.Fatalf("SendLinks = %d, %v", n, err)
	}
	mailtest.WaitSettled(t, db, 30*time.Second)
	database.Close(db)

	dump, err := database.Open(ctx, cfg.Database, nil) // the file alone, no key attached
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(dump)
	var keys [][]byte
	var settings []secrets.Setting
	dump.Find(&settings)
	for _, s := range settings {
		keys = append(keys, []byte(s.Value))
		if b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s.Value, "base64:")); err == nil {
			keys = append(keys, b)
		}
	}
	var bodies []string
	dump.Model(&mail.DevMail{}).Pluck("text", &bodies)
	var more []string
	dump.Model(&mail.DevMail{}).Pluck("html", &more)
	bodies = append(bodies, more...)
	dump.Model(&mail.Message{}).Pluck("text", &more)
	bodies = append(bodies, more...)
	tokens := regexp.MustCompile(`[A-Za-z0-9_-]{43}`).FindAllString(strings.Join(bodies, "\n"), -1)
	if len(tokens) > 0 {
		t.Errorf("the dump holds %d survey links, e.g. %s", len(tokens), tokens[0])
	}
	var invitations []int64
	dump.Model(&survey.Invitation{}).Pluck("id", &invitations)
	var responseKeys [][]byte
	dump.Model(&survey.Response{}).Pluck("edit_key", &responseKeys)
	stored := map[string]bool{}
	for _, k := range responseKeys {
		stored[string(k)] = true
	}
	linked := func(key []byte) int {
		n := 0
		for _, id := range invitations {
			if stored[string(secrets.ResponseKey(key, id))] {
				n++
			}
		}
		for _, tok := range tokens {
			if stored[string(secrets.LegacyEditKey(key, tok))] {
				n++
			}
		}
		return n
	}
	for _, k := range keys {
		if n := linked(k); n > 0 {
			t.Errorf("a settings value keys %d responses to their invitations", n)
		}
	}
	text, err := os.ReadFile(path + ".key")
	if err != nil {
		t.Fatalf("no key file beside the database: %v", err)
	}
	key, err := secrets.ParseSecret(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if n := linked(key); n != len(responseKeys) || n == 0 {
		t.Errorf("with the key file the attack pairs %d of %d responses; the test would not see a leak", n, len(responseKeys))
	}
}
