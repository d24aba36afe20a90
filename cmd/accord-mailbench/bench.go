package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"gorm.io/gorm"

	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

// outcome is one sender's run.
type outcome struct {
	sender     string
	enqueue    time.Duration // outbox only: the one transaction that stores the messages and their jobs
	wall       time.Duration // from the start of the enqueue to the last message accepted and recorded
	n          int
	duplicates int
}

type result struct {
	dialect      string
	outbox, bare outcome
}

func (r result) print(out io.Writer) {
	for _, o := range []outcome{r.outbox, r.bare} {
		enq := "-"
		if o.enqueue > 0 {
			enq = o.enqueue.Round(time.Millisecond).String()
		}
		fmt.Fprintf(out, "%-10s %-16s %10s %10s %12.0f %11d\n", r.dialect, o.sender, enq,
			o.wall.Round(time.Millisecond), float64(o.n)/o.wall.Seconds(), o.duplicates)
	}
	fmt.Fprintf(out, "%-10s outbox/bare throughput ratio: %.2f\n\n", r.dialect, r.bare.wall.Seconds()/r.outbox.wall.Seconds())
}

// measure runs the bare loop and then the outbox against one database.
// The bare loop goes first, so that the reference never shares the
// machine with what the outbox leaves behind (on PostgreSQL the server
// vacuuming thousands of finished jobs, in Mailpit the deletion of the
// outbox's messages), which would slow it and flatter the ratio.
func measure(ctx context.Context, o options, raw string, mp *mailtest.Mailpit) (result, error) {
	db, dialect, cleanup, err := openDB(ctx, raw)
	if err != nil {
		return result{}, err
	}
	defer cleanup()
	res := result{dialect: dialect}
	if err := mp.DeleteAll(ctx); err != nil {
		return res, err
	}
	if res.bare, err = runBare(ctx, o, mp); err != nil {
		return res, fmt.Errorf("bare go-mail loop: %w", err)
	}
	if err := mp.DeleteAll(ctx); err != nil {
		return res, err
	}
	if res.outbox, err = runOutbox(ctx, o, db, mp); err != nil {
		return res, fmt.Errorf("%s outbox: %w", dialect, err)
	}
	return res, mp.DeleteAll(ctx)
}

// messages builds n invitation-like messages with unique Message-IDs.
func messages(n int, run string) []*mail.Message {
	msgs := make([]*mail.Message, n)
	for i := range msgs {
		link := fmt.Sprintf("http://bench.accord.test/s/%043d", i)
		msgs[i] = &mail.Message{
			Kind: mail.KindInvitation, To: fmt.Sprintf("person%d@example.com", i), Subject: "Acme: how well do sales and product work together?",
			Text:      "Hello,\n\nYour personal link:\n" + link + "\n\nYour answers are confidential.\n",
			HTML:      `<p>Hello,</p><p><a href="` + link + `">Answer the survey</a></p><p>Your answers are confidential.</p>`,
			MessageID: fmt.Sprintf("invitation-%d-%s@bench.accord.test", i, run),
		}
	}
	return msgs
}

func runOutbox(ctx context.Context, o options, db *gorm.DB, mp *mailtest.Mailpit) (outcome, error) {
	res := outcome{sender: "outbox+River"}
	u, _ := url.Parse(mp.SMTPURL())
	settings, err := mail.ParseSMTPURL(u)
	if err != nil {
		return res, err
	}
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Settings: settings, From: "Accord <accord@bench.accord.test>", Rate: o.rate, Conns: o.conns})
	if err != nil {
		return res, err
	}
	outbox, err := mail.New(mail.Options{DB: db, Sender: sender, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Host: "bench.accord.test", Workers: o.workers, PollInterval: o.pollInterval, FetchCooldown: o.cooldown})
	if err != nil {
		return res, err
	}
	if err := outbox.Start(ctx); err != nil {
		return res, err
	}
	defer outbox.Stop(context.WithoutCancel(ctx))

	msgs := messages(o.n, "outbox-"+randomHex(4))
	start := time.Now()
	if err := outbox.EnqueueNow(ctx, msgs...); err != nil {
		return res, err
	}
	res.enqueue = time.Since(start)
	for {
		var pending int64
		if err := db.WithContext(ctx).Model(&mail.Message{}).Where("status = ?", mail.StatusPending).Count(&pending).Error; err != nil {
			return res, err
		}
		if pending == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	res.wall = time.Since(start)
	var failed int64
	db.Model(&mail.Message{}).Where("status = ?", mail.StatusFailed).Count(&failed)
	if failed > 0 {
		return res, fmt.Errorf("%d messages failed", failed)
	}
	res.n, res.duplicates, err = check(ctx, mp, msgs)
	return res, err
}

// runBare sends the same messages with go-mail alone: one connection, one
// message after another, nothing recorded anywhere.
func runBare(ctx context.Context, o options, mp *mailtest.Mailpit) (outcome, error) {
	res := outcome{sender: "bare go-mail"}
	u, _ := url.Parse(mp.SMTPURL())
	settings, err := mail.ParseSMTPURL(u)
	if err != nil {
		return res, err
	}
	client, err := gomail.NewClient(settings.Host, gomail.WithPort(settings.Port), gomail.WithTLSPolicy(gomail.NoTLS))
	if err != nil {
		return res, err
	}
	msgs := messages(o.n, "bare-"+randomHex(4))
	start := time.Now()
	if err := client.DialWithContext(ctx); err != nil {
		return res, err
	}
	for _, m := range msgs {
		msg := gomail.NewMsg()
		if err := msg.From("Accord <accord@bench.accord.test>"); err != nil {
			return res, err
		}
		if err := msg.To(m.To); err != nil {
			return res, err
		}
		msg.Subject(m.Subject)
		msg.SetMessageIDWithValue(m.MessageID)
		msg.SetDate()
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
		if err := client.Send(msg); err != nil {
			return res, err
		}
	}
	res.wall = time.Since(start)
	client.Close()
	res.n, res.duplicates, err = check(ctx, mp, msgs)
	return res, err
}

// check counts what Mailpit received: every message must be there, and any
// Message-ID seen more than once is a duplicate delivery. When messages are
// missing it says why if it can: a Mailpit started without --max 0 keeps
// only its newest messages (500 by default) and deletes the rest as they
// arrive.
func check(ctx context.Context, mp *mailtest.Mailpit, msgs []*mail.Message) (n, duplicates int, err error) {
	got, err := mp.List(ctx)
	if err != nil {
		return 0, 0, err
	}
	counts := mailtest.ByMessageID(got)
	missing := 0
	var first string
	for _, m := range msgs {
		if counts[m.MessageID] == 0 {
			if missing == 0 {
				first = m.MessageID
			}
			missing++
		}
	}
	if missing > 0 {
		return 0, 0, missingError(missing, len(msgs), len(got), first)
	}
	return len(got), len(got) - len(counts), nil
}

// missingError explains messages that Mailpit does not hold.
func missingError(missing, sent, held int, first string) error {
	if held < sent {
		return fmt.Errorf("only %d of the %d messages sent are in Mailpit (%d missing, e.g. %s): a Mailpit started "+
			"without --max 0 deletes all but its newest messages (500 by default); start it as `mailpit --max 0`, "+
			"or leave out --smtp and --api so that accord-mailbench starts its own", held, sent, missing, first)
	}
	return fmt.Errorf("%d of the %d messages never arrived in Mailpit (e.g. %s)", missing, sent, first)
}

// openDB opens a fresh, migrated database: a temporary SQLite file, or a
// new schema on the PostgreSQL server, removed by cleanup.
func openDB(ctx context.Context, raw string) (db *gorm.DB, dialect string, cleanup func(), err error) {
	var target database.Target
	var drop func() // set by whichever branch makes the database
	if raw == "sqlite" || raw == "" {
		dir, err := os.MkdirTemp("", "accord-mailbench-db-")
		if err != nil {
			return nil, "", nil, err
		}
		drop = func() { os.RemoveAll(dir) }
		target, err = database.ParseURL("sqlite:" + filepath.Join(dir, "bench.db"))
		if err != nil {
			return nil, "", nil, err
		}
	} else {
		if target, drop, err = freshSchema(ctx, raw); err != nil {
			return nil, "", nil, err
		}
	}
	db, err = database.Open(ctx, target, nil)
	if err == nil {
		_, err = database.Migrate(ctx, db)
	}
	if err == nil {
		err = mail.Migrate(ctx, db, nil)
	}
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	return db, target.Dialect, func() { database.Close(db); drop() }, nil
}

// freshSchema creates a schema for one run on the PostgreSQL server at raw.
func freshSchema(ctx context.Context, raw string) (database.Target, func(), error) {
	t, err := database.ParseURL(raw)
	if err != nil || t.Dialect != database.Postgres {
		return t, nil, fmt.Errorf("--db %q: expected sqlite or a postgres:// URL", raw)
	}
	admin, err := database.Open(ctx, t, nil)
	if err != nil {
		return t, nil, err
	}
	schema := "mailbench_" + randomHex(6)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		database.Close(admin)
		return t, nil, err
	}
	drop := func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); database.Close(admin) }
	u, _ := url.Parse(raw)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return database.Target{Dialect: database.Postgres, DSN: u.String()}, drop, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
