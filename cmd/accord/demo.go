package main

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
	"accord/survey/database"
	"accord/survey/demo"
)

// Limits of accord demo: generous enough for benchmarks, small enough that a
// typo cannot fill the disk.
const (
	maxDemoOrgs        = 1000
	maxDemoPeople      = 10000
	maxDemoRounds      = 120
	maxDemoInvitations = 20_000_000
	demoOrgsListed     = 10
)

func (m *Main) demo(ctx context.Context, args []string) error {
	fs := m.flagSet("demo")
	orgs := fs.Int("orgs", 3, "number of organisations")
	people := fs.Int("people", 60, "people per organisation (at least 6: one per function)")
	rounds := fs.Int("rounds", 8, "closed past rounds per organisation; each also gets one open round")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkDemoFlags(*orgs, *people, *rounds); err != nil {
		return err
	}
	cfg, log, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	// Demo data is refused on top of existing organisations: mixed into real
	// clients it would mislead, and a benchmark data set generated twice
	// would silently double.
	n, err := countOrgs(ctx, db)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the database already holds %d organisation(s); accord demo only fills an empty database "+
			"(point ACCORD_DATABASE_URL at a new one)", n)
	}
	secret, err := requireSecret(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	start, now := time.Now(), time.Now().UTC()
	res, err := demo.Generate(ctx, db, demo.Options{Orgs: *orgs, People: *people, Rounds: *rounds, Seed: *seed,
		Now: now, Secret: secret, Log: log})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Generated %d organisations, %d people, %d rounds, %d invitations, %d responses, %d answers in %s.\n",
		len(res.Orgs), res.People, res.Rounds, res.Invitations, res.Responses, res.Answers, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if err := analytics.RollupAll(ctx, db, now); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Computed the dashboards' rollups in %s.\n", time.Since(start).Round(time.Millisecond))
	for i, org := range res.Orgs {
		if i == demoOrgsListed {
			fmt.Fprintf(m.Stdout, "  … and %d more\n", len(res.Orgs)-demoOrgsListed)
			break
		}
		fmt.Fprintf(m.Stdout, "  %s  %s/orgs/%s\n", org.Name, cfg.BaseURL, org.Slug)
	}
	m.printLinks(cfg, res, fmt.Sprintf("Respondent links for the open round of %s:", res.Orgs[0].Name))
	return nil
}

// checkDemoFlags rejects sizes that make no sense before touching the database.
func checkDemoFlags(orgs, people, rounds int) error {
	switch {
	case orgs < 1 || orgs > maxDemoOrgs:
		return fmt.Errorf("--orgs must be between 1 and %d, not %d", maxDemoOrgs, orgs)
	case people < len(survey.Functions) || people > maxDemoPeople:
		return fmt.Errorf("--people must be between %d (one per function) and %d, not %d", len(survey.Functions), maxDemoPeople, people)
	case rounds < 0 || rounds > maxDemoRounds:
		return fmt.Errorf("--rounds must be between 0 and %d, not %d", maxDemoRounds, rounds)
	}
	if total := orgs * people * (rounds + 1); total > maxDemoInvitations {
		return fmt.Errorf("--orgs × --people × (--rounds + 1) = %d invitations; keep it under %d", total, maxDemoInvitations)
	}
	return nil
}

// demoIfEmpty gives `accord serve --demo` one demo organisation on an empty
// database, its rollups computed, and returns the organisation's open
// round; it does nothing (and returns nil) once any organisation exists.
func (m *Main) demoIfEmpty(ctx context.Context, db *gorm.DB, cfg Config, secret []byte) (*survey.Round, error) {
	n, err := countOrgs(ctx, db)
	if err != nil || n > 0 {
		return nil, err
	}
	now := time.Now().UTC()
	res, err := demo.Generate(ctx, db, demo.Options{Orgs: 1, People: 60, Rounds: 8, Seed: 1,
		Now: now, Secret: secret, Log: m.logger(cfg)})
	if err != nil {
		return nil, err
	}
	if err := analytics.RollupAll(ctx, db, now); err != nil {
		return nil, err
	}
	org := res.Orgs[0]
	fmt.Fprintf(m.Stdout, "Demo organisation: %s (/orgs/%s)\n", org.Name, org.Slug)
	m.printLinks(cfg, res, "Respondent links for the open round:")
	var open survey.Round
	if err := db.WithContext(ctx).Where("org_id = ? AND status = ?", org.ID, survey.RoundOpen).Take(&open).Error; err != nil {
		return nil, fmt.Errorf("find the demo's open round: %w", err)
	}
	return &open, nil
}

// demoSchedule puts the demo organisation on the same path as a real one:
// its open round's invitations go out through the outbox (to the
// development outbox without SMTP), and a monthly schedule takes over from
// the month after the open round closes.
func (m *Main) demoSchedule(ctx context.Context, db *gorm.DB, s *survey.Scheduler, open *survey.Round, now time.Time) error {
	sent, err := s.SendLinks(ctx, open.OrgID, open.ID, now)
	if err != nil {
		return fmt.Errorf("send the demo round's invitations: %w", err)
	}
	var org survey.Organisation
	if err := db.WithContext(ctx).Take(&org, open.OrgID).Error; err != nil {
		return err
	}
	after := open.ClosesAt.AddDate(0, 0, 1)
	start := time.Date(after.Year(), after.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	sched := &survey.Schedule{Name: "Monthly alignment pulse", Cadence: survey.CadenceMonthly, StartDate: start,
		SendTime: "09:00", TimeZone: "Europe/Berlin", WindowDays: 10, ReminderDays: []int{3, 5}, Active: true}
	if err := survey.SaveSchedule(ctx, db, &org, sched, now); err != nil {
		return fmt.Errorf("schedule the demo organisation: %w", err)
	}
	fmt.Fprintf(m.Stdout, "Invitations for the open round: %d emails through the outbox (see /dev/mail without SMTP).\n", sent)
	fmt.Fprintf(m.Stdout, "Schedule: %s, first round on %s.\n", sched.Describe(), start.Format("2 January 2006"))
	return nil
}

func (m *Main) printLinks(cfg Config, res *demo.Result, heading string) {
	if len(res.Links) == 0 {
		return
	}
	fmt.Fprintln(m.Stdout, heading)
	for _, token := range res.Links {
		fmt.Fprintf(m.Stdout, "  %s/s/%s\n", cfg.BaseURL.String(), token)
	}
}

func countOrgs(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&survey.Organisation{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count organisations: %w", err)
	}
	return n, nil
}
