package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/mail"
)

// firstRun is what `accord serve` tells the person who started it: where
// it runs, how to log in and, with --demo, where to look and answer. It is
// printed as one block once the server listens and the demo's invitations
// have gone out, so that it comes after the start's log lines.
type firstRun struct {
	URL        string
	AdminEmail string // the first admin's address ("" when there is none)
	Password   string // generated at this start and shown once; "" otherwise
	FromEnv    bool   // the admin was created with ACCORD_ADMIN_PASSWORD
	Orgs       int64  // organisations in the database before this start
	WantedDemo bool   // --demo was given
	Demo       *demoRun
}

// demoWait bounds how long serve --demo waits for its invitations to be
// delivered before printing the block anyway.
const demoWait = 15 * time.Second

const rule = "────────────────────────────────────────────────────────────────────────"

// print writes the block to w.
func (f *firstRun) print(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\nAccord is running at %s\n\n", rule, f.URL)
	f.printLogin(&b)
	switch {
	case f.Demo != nil:
		f.printDemo(&b)
	case f.WantedDemo:
		fmt.Fprintf(&b, "\nThe database already holds %d organisation(s), so --demo added nothing (it only fills an empty database;\n"+
			"point ACCORD_DATABASE_URL at a new one to see the demo).\n", f.Orgs)
	case f.Orgs == 0:
		fmt.Fprintf(&b, "\nNo organisations yet: log in and create the first one at %s/orgs, or start with --demo on an empty\ndatabase to explore a demo organisation.\n", f.URL)
	}
	fmt.Fprintln(&b, rule)
	io.WriteString(w, b.String())
}

func (f *firstRun) printLogin(b *strings.Builder) {
	switch {
	case f.AdminEmail == "":
		fmt.Fprintf(b, "No admin account exists: create one with\n  accord user add --email you@example.com --role admin\n")
	case f.Password != "":
		fmt.Fprintf(b, "Log in at %s/login\n  email     %s\n  password  %s\n", f.URL, f.AdminEmail, f.Password)
		fmt.Fprintf(b, "The password was generated and is shown only this once. To set another one:\n  accord user password --email %s\n", f.AdminEmail)
	case f.FromEnv:
		fmt.Fprintf(b, "Log in at %s/login as %s with the password in ACCORD_ADMIN_PASSWORD.\n", f.URL, f.AdminEmail)
	default:
		fmt.Fprintf(b, "Log in at %s/login with your account (the first admin is %s).\n"+
			"Lost the password? accord user password --email %s sets a new one.\n", f.URL, f.AdminEmail, f.AdminEmail)
	}
}

func (f *firstRun) printDemo(b *strings.Builder) {
	d := f.Demo
	fmt.Fprintf(b, "\nDemo organisation: %s, %d people, %d closed rounds\n  %s/orgs/%s\n",
		d.Org.Name, d.People, d.Rounds-1, f.URL, d.Org.Slug)
	fmt.Fprintf(b, "Open round: %s, until %s\n", d.Open.Title, survey.FormatInZone(d.Open.ClosesAt, d.Schedule.TimeZone))
	fmt.Fprintf(b, "  %d invitations sent through the outbox (without ACCORD_SMTP_URL: the development outbox, /dev/mail).\n", d.Invited)
	if len(d.Links) > 0 {
		fmt.Fprintf(b, "  Answer it as one of these invited people (each link is that person's invitation):\n")
		for _, token := range d.Links {
			fmt.Fprintf(b, "    %s/s/%s\n", f.URL, token)
		}
	}
	fmt.Fprintf(b, "Schedule: %s; reminders on days 3 and 5.\n", d.Schedule.Describe())
}

// loadFirstRun fills what the block says about logging in.
func loadFirstRun(ctx context.Context, db *gorm.DB, cfg Config, created *account.Account, password string) (*firstRun, error) {
	f := &firstRun{URL: strings.TrimSuffix(cfg.BaseURL.String(), "/")}
	if created != nil {
		f.AdminEmail, f.FromEnv = created.Email, cfg.AdminPassword != ""
		if !f.FromEnv {
			f.Password = password
		}
		return f, nil
	}
	var emails []string
	err := db.WithContext(ctx).Model(&account.Account{}).Where("role = ?", account.RoleAdmin).Order("id").Limit(1).Pluck("email", &emails).Error
	if err != nil {
		return nil, fmt.Errorf("find the first admin: %w", err)
	}
	if len(emails) > 0 {
		f.AdminEmail = emails[0]
	}
	return f, nil
}

// waitForInvitations waits until the outbox has handed on every email of
// round (or ctx ends, or demoWait passes), so that the block comes after
// their log lines.
func waitForInvitations(ctx context.Context, db *gorm.DB, roundID int64) {
	ctx, cancel := context.WithTimeout(ctx, demoWait)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		var pending int64
		err := db.WithContext(ctx).Model(&mail.Message{}).Where("round_id = ? AND status = ?", roundID, mail.StatusPending).Count(&pending).Error
		if err != nil || pending == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
