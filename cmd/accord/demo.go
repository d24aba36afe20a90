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
	"accord/survey/roster"
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
	orgs := fs.Int("orgs", 6, "number of organisations (the cross-client benchmark needs five)")
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
	restore, err := demo.TuneForLoad(db.WithContext(ctx))
	if err != nil {
		return err
	}
	defer restore()
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
	if err := demo.Analyze(db.WithContext(ctx)); err != nil {
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
	case people < len(roster.Functions) || people > maxDemoPeople:
		return fmt.Errorf("--people must be between %d (one per function) and %d, not %d", len(roster.Functions), maxDemoPeople, people)
	case rounds < 0 || rounds > maxDemoRounds:
		return fmt.Errorf("--rounds must be between 0 and %d, not %d", maxDemoRounds, rounds)
	}
	if total := orgs * people * (rounds + 1); total > maxDemoInvitations {
		return fmt.Errorf("--orgs × --people × (--rounds + 1) = %d invitations; keep it under %d", total, maxDemoInvitations)
	}
	return nil
}

// demoRun is the demo organisation `serve --demo` created.
type demoRun struct {
	Org      survey.Organisation
	People   int
	Rounds   int
	Open     survey.Round
	Schedule survey.Schedule
	Invited  int      // invitations of the open round emailed at this start
	Links    []string // a few of the emailed invitations' tokens, to print
	invitees map[int64]string
}

// demoPeople and demoRounds size the organisation `serve --demo` shows:
// large enough that sales and product clear every threshold in every round.
const (
	demoPeople = 200
	demoRounds = 8
)

// demoIfEmpty gives `accord serve --demo` one demo organisation on an empty
// database, its rollups computed; it does nothing (and returns nil) once
// any organisation exists.
func (m *Main) demoIfEmpty(ctx context.Context, db *gorm.DB, cfg Config, secret []byte) (*demoRun, error) {
	n, err := countOrgs(ctx, db)
	if err != nil || n > 0 {
		return nil, err
	}
	now := time.Now().UTC()
	res, err := demo.Generate(ctx, db, demo.Options{Orgs: 1, People: demoPeople, Rounds: demoRounds, Seed: 1, Showcase: true,
		Now: now, Secret: secret, Log: m.logger(cfg)})
	if err != nil {
		return nil, err
	}
	if err := analytics.RollupAll(ctx, db, now); err != nil {
		return nil, err
	}
	if err := demo.Analyze(db.WithContext(ctx)); err != nil {
		return nil, err
	}
	d := &demoRun{Org: res.Orgs[0], People: res.People, Rounds: res.Rounds, Links: res.Links, invitees: res.Invitees}
	tx := db.WithContext(ctx)
	if err := tx.Where("org_id = ? AND status = ?", d.Org.ID, survey.RoundOpen).Take(&d.Open).Error; err != nil {
		return nil, fmt.Errorf("find the demo's open round: %w", err)
	}
	if err := tx.Where("org_id = ?", d.Org.ID).Take(&d.Schedule).Error; err != nil {
		return nil, fmt.Errorf("find the demo's schedule: %w", err)
	}
	return d, nil
}

// sendDemoInvitations puts the demo organisation on the same path as a
// real one: its open round's invitations go out through the outbox (to the
// development outbox without SMTP), carrying the links the block prints,
// and its schedule runs the following rounds.
func sendDemoInvitations(ctx context.Context, s *survey.Scheduler, d *demoRun, now time.Time) error {
	sent, err := s.SendInvitationLinks(ctx, d.Org.ID, d.Open.ID, d.invitees, now)
	if err != nil {
		return fmt.Errorf("send the demo round's invitations: %w", err)
	}
	d.Invited = sent
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
