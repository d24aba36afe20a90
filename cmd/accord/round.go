package main

import (
	analyticsweb "accord/analytics/web"
	"context"
	"flag"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/notify"
)

// round is `accord round open|close --org SLUG`: a round for the active
// roster started or ended from a script, through the same machinery as
// the rounds page. Opening only queues the invitations in the outbox; a
// running `accord serve` sends them.
func (m *Main) round(ctx context.Context, args []string) error {
	const usage = "usage: accord round open --org SLUG [--title T] [--closes-in DURATION]\n       accord round close --org SLUG"
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch args[0] {
	case "open":
		return m.roundOpen(ctx, args[1:])
	case "close":
		return m.roundClose(ctx, args[1:])
	}
	return fmt.Errorf("unknown round command %q\n%s", args[0], usage)
}

func (m *Main) roundOpen(ctx context.Context, args []string) error {
	fs := m.flagSet("round open")
	slug := fs.String("org", "", "slug of the organisation (required)")
	title := fs.String("title", "", `the round's title (default "Pulse of <today's date>")`)
	closesIn := fs.String("closes-in", strconv.Itoa(survey.DefaultAdHocDays)+"d", "how long the round stays open: days like 7d, or a Go duration like 36h or 1h30m")
	if err := m.parseRoundFlags(fs, args, slug); err != nil {
		return err
	}
	open, err := parseClosesIn(*closesIn)
	if err != nil {
		return err
	}
	now := time.Now()
	spec := survey.AdHocRound{Title: strings.TrimSpace(*title), ClosesIn: open}
	if spec.Title == "" {
		spec.Title = survey.DefaultTitle(now)
	}
	if err := spec.Check(); err != nil {
		return cliError(err)
	}
	return m.withScheduler(ctx, *slug, func(db *gorm.DB, s *survey.Scheduler, org *survey.Organisation) error {
		r, invited, err := s.StartRound(ctx, org, spec, now)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(m.Stdout, "Opened %q for %s: %d invitations queued in the outbox. It closes on %s.\n",
			r.Title, org.Name, invited, survey.FormatInZone(r.ClosesAt, org.TimeZone))
		fmt.Fprintln(m.Stdout, "A running `accord serve` sends them (over ACCORD_SMTP_URL, or into the development outbox at /dev/mail).")
		return nil
	})
}

func (m *Main) roundClose(ctx context.Context, args []string) error {
	fs := m.flagSet("round close")
	slug := fs.String("org", "", "slug of the organisation (required)")
	if err := m.parseRoundFlags(fs, args, slug); err != nil {
		return err
	}
	return m.withScheduler(ctx, *slug, func(db *gorm.DB, s *survey.Scheduler, org *survey.Organisation) error {
		open, err := survey.OpenRounds(ctx, db, org.ID)
		if err != nil {
			return err
		}
		switch {
		case len(open) == 0:
			return fmt.Errorf("%s has no open round to close", org.Name)
		case len(open) > 1:
			return fmt.Errorf("%s has %d open rounds; close the one you mean on its rounds page, /orgs/%s/rounds", org.Name, len(open), org.Slug)
		}
		r := &open[0]
		if _, err := s.CloseNow(ctx, org.ID, r.ID, time.Now()); err != nil {
			return cliError(err)
		}
		sum, err := survey.RoundSummaryOf(ctx, db, org.ID, r.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Closed %q of %s: %d of %d invited answered (%.1f%%). Its results are on the dashboard, /orgs/%s.\n",
			r.Title, org.Name, sum.Responded, sum.Invited, 100*sum.ResponseRate(), org.Slug)
		return nil
	})
}

// parseRoundFlags parses a round command's flags and insists on --org.
func (m *Main) parseRoundFlags(fs *flag.FlagSet, args []string, slug *string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *slug == "" {
		return fmt.Errorf("--org is required: the slug of the organisation")
	}
	return nil
}

// withScheduler opens the database and runs fn with the organisation and a
// scheduler whose emails go into the outbox (without sending them) and
// whose closes compute the dashboards' rollups, as the server's do.
func (m *Main) withScheduler(ctx context.Context, slug string, fn func(*gorm.DB, *survey.Scheduler, *survey.Organisation) error) error {
	cfg, log, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	org, err := orgBySlug(ctx, db, slug)
	if err != nil {
		return err
	}
	outbox, err := newOutbox(cfg, db, log)
	if err != nil {
		return err
	}
	emails, err := notify.New()
	if err != nil {
		return err
	}
	s, err := survey.NewScheduler(db, outbox, emails, cfg.BaseURL, log)
	if err != nil {
		return err
	}
	s.OnClose = analyticsweb.CloseHook(outbox, emails, cfg.BaseURL)
	return fn(db, s, org)
}

var daysPattern = regexp.MustCompile(`^(\d+)d(.*)$`)

// parseClosesIn reads --closes-in: whole days like 7d (optionally followed
// by a Go duration, 1d12h), or a Go duration like 36h or 90m.
func parseClosesIn(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	bad := fmt.Errorf("--closes-in %q: write days like 7d, or a duration like 36h or 1h30m", v)
	var d time.Duration
	if m := daysPattern.FindStringSubmatch(v); m != nil {
		days, err := strconv.Atoi(m[1])
		if err != nil || days > survey.MaxWindowDays {
			return 0, fmt.Errorf("--closes-in %q: a round may stay open for at most %d days", v, survey.MaxWindowDays)
		}
		d, v = time.Duration(days)*24*time.Hour, m[2]
		if v == "" {
			return d, nil
		}
	}
	rest, err := time.ParseDuration(v)
	if err != nil || rest < 0 {
		return 0, bad
	}
	return d + rest, nil
}
