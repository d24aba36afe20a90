package survey_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/notify/notifytest"
	"accord/survey/ratelimit"
)

// password is the password of accounts made by mustAccount.
const password = "correct horse battery staple"

func mustAccount(tb testing.TB, db *gorm.DB, email, role string, orgIDs ...int64) *account.Account {
	tb.Helper()
	acc, err := account.CreateAccount(tb.Context(), db, email, role, password, orgIDs...)
	databasetest.Must(tb, err)
	return acc
}

func mustOrg(tb testing.TB, db *gorm.DB, slug string) *survey.Organisation {
	tb.Helper()
	org := &survey.Organisation{Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:], MinGroupSize: 5, CommentThreshold: 5}
	databasetest.Must(tb, db.Create(org).Error)
	return org
}

func accountMailer(tb testing.TB) *account.AccountMailer {
	tb.Helper()
	return &account.AccountMailer{Mail: &outbox{}, BaseURL: &url.URL{Scheme: "https", Host: "accord.example"}, Emails: notifytest.Emails(tb)}
}

var passwordLink = regexp.MustCompile(`https://accord\.example/password/set\?token=([A-Za-z0-9_-]{43})`)

// lastLink returns the token of the newest account email to address.
func lastLink(tb testing.TB, db *gorm.DB, to string) string {
	tb.Helper()
	var m mail.Message
	databasetest.Must(tb, db.Where("to_address = ? AND kind = ?", to, mail.KindAccount).Order("id DESC").Take(&m).Error)
	match := passwordLink.FindStringSubmatch(m.Text)
	if match == nil || !strings.Contains(m.HTML, match[0]) {
		tb.Fatalf("email to %s has no set-password link in both bodies:\n%s", to, m.Text)
	}
	return match[1]
}

func TestCanByRole(t *testing.T) {
	t.Parallel()
	admin, consultant, leader := &account.Account{Role: account.RoleAdmin}, &account.Account{Role: account.RoleConsultant}, &account.Account{Role: account.RoleLeader}
	for _, c := range []struct {
		action                 account.Action
		admin, consult, leader bool
		leaderCode             string
	}{
		{account.ViewOrg, true, true, true, ""},
		{account.ChangeSetup, true, true, false, apperr.EFORBIDDEN},
		{account.ManageOrgs, true, true, false, apperr.EFORBIDDEN},
		{account.ManageRoster, true, true, false, apperr.ENOTFOUND},
		{account.ManageAccounts, true, true, false, apperr.ENOTFOUND},
		{account.ReadAudit, true, true, false, apperr.ENOTFOUND},
		{account.ReadDevMail, true, false, false, apperr.ENOTFOUND},
	} {
		if account.Can(admin, c.action) != c.admin || account.Can(consultant, c.action) != c.consult || account.Can(leader, c.action) != c.leader {
			t.Errorf("%s: admin %v consultant %v leader %v, want %v %v %v", c.action,
				account.Can(admin, c.action), account.Can(consultant, c.action), account.Can(leader, c.action), c.admin, c.consult, c.leader)
		}
		if got := apperr.ErrorCode(account.Authorize(leader, c.action)); got != c.leaderCode {
			t.Errorf("%s: leader refused with %q, want %q", c.action, got, c.leaderCode)
		}
		if account.Can(nil, c.action) {
			t.Errorf("%s: allowed without an account", c.action)
		}
	}
}

func TestInvitationSetsPasswordOnceAndEndsSessions(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx, now, m := t.Context(), utc(2026, 3, 10, 9, 0), accountMailer(t)
		acme := mustOrg(t, db, "acme")
		cons := mustAccount(t, db, "cons@accord.test", account.RoleConsultant, acme.ID)
		acc, err := account.InviteAccount(ctx, db, m, cons, account.AccountInput{Email: " Lead@Acme.test", Role: account.RoleLeader, OrgIDs: []int64{acme.ID}}, now)
		databasetest.Must(t, err)
		if acc.Email != "lead@acme.test" {
			t.Errorf("invited %q", acc.Email)
		}
		// Before the link is used there is no password to guess.
		if _, err := account.Authenticate(ctx, db, "lead@acme.test", ""); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Fatalf("invited account with an empty password: %v, want EUNAUTH", err)
		}
		token := lastLink(t, db, "lead@acme.test")
		var stored account.AccountToken
		databasetest.Must(t, db.Take(&stored).Error)
		if strings.Contains(string(stored.TokenHash), token) || !stored.ExpiresAt.Equal(now.Add(account.InviteTTL)) {
			t.Errorf("stored token %+v: want only a hash, expiring after 72 hours", stored)
		}
		if _, purpose, err := account.PeekToken(ctx, db, token, now); err != nil || purpose != account.TokenInvite {
			t.Fatalf("peek: %q %v", purpose, err)
		}
		if _, err := account.SetPasswordWithToken(ctx, db, token, "short", now); apperr.ErrorCode(err) != apperr.EINVALID {
			t.Fatalf("short password: %v", err)
		}
		if _, err := account.SetPasswordWithToken(ctx, db, token, "a brand new password", now.Add(time.Hour)); err != nil {
			t.Fatalf("set password: %v", err)
		}
		if _, err := account.Authenticate(ctx, db, "lead@acme.test", "a brand new password"); err != nil {
			t.Fatalf("log in with the new password: %v", err)
		}
		if _, err := account.SetPasswordWithToken(ctx, db, token, "another new password", now.Add(time.Hour)); apperr.ErrorCode(err) != apperr.EGONE {
			t.Fatalf("link used twice: %v, want EGONE", err)
		}
	})
}

func TestResetLinkExpiresAndIsSingleUse(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx, now, m := t.Context(), utc(2026, 3, 10, 9, 0), accountMailer(t)
		acc := mustAccount(t, db, "lead@acme.test", account.RoleLeader)
		other, err := account.CreateSession(ctx, db, acc.ID, now)
		databasetest.Must(t, err)
		// Unknown addresses get the same answer and no email.
		databasetest.Must(t, account.RequestPasswordReset(ctx, db, m, "nobody@acme.test", "192.0.2.1", now))
		var n int64
		db.Model(&mail.Message{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d emails for an unknown address", n)
		}
		databasetest.Must(t, account.RequestPasswordReset(ctx, db, m, "LEAD@acme.test", "192.0.2.1", now))
		expired := lastLink(t, db, "lead@acme.test")
		if _, err := account.SetPasswordWithToken(ctx, db, expired, "a brand new password", now.Add(account.ResetTTL)); apperr.ErrorCode(err) != apperr.EGONE {
			t.Fatalf("link after an hour: %v, want EGONE", err)
		}
		databasetest.Must(t, account.RequestPasswordReset(ctx, db, m, "lead@acme.test", "192.0.2.1", now.Add(2*time.Hour)))
		fresh := lastLink(t, db, "lead@acme.test")
		if _, err := account.SetPasswordWithToken(ctx, db, fresh, "a brand new password", now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := account.SessionAccount(ctx, db, other, now.Add(2*time.Hour)); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Fatalf("session from before the reset: %v, want ended", err)
		}
		// A third request within the hour is dropped silently: no flood.
		for range 3 {
			databasetest.Must(t, account.RequestPasswordReset(ctx, db, m, "lead@acme.test", "192.0.2.2", now.Add(2*time.Hour+time.Minute)))
		}
		db.Model(&mail.Message{}).Where("to_address = ?", "lead@acme.test").Count(&n)
		if n != int64(2+ratelimit.ResetAccountLimit.Max-1) {
			t.Errorf("%d reset emails, want %d (the account's hourly limit)", n, 2+ratelimit.ResetAccountLimit.Max-1)
		}
	})
}

func TestChangePasswordKeepsOnlyTheCurrentSession(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx, now := t.Context(), utc(2026, 3, 10, 9, 0)
		acc := mustAccount(t, db, "cons@accord.test", account.RoleConsultant)
		here, _ := account.CreateSession(ctx, db, acc.ID, now)
		there, _ := account.CreateSession(ctx, db, acc.ID, now)
		err := account.ChangePassword(ctx, db, acc, "not my password", "a brand new password", here, now)
		if apperr.FormErrorsOf(err)["current"] == "" {
			t.Fatalf("wrong current password: %v", err)
		}
		databasetest.Must(t, account.ChangePassword(ctx, db, acc, password, "a brand new password", here, now))
		if _, err := account.SessionAccount(ctx, db, here, now); err != nil {
			t.Errorf("the session that changed the password ended: %v", err)
		}
		if _, err := account.SessionAccount(ctx, db, there, now); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Errorf("other session survived the change: %v", err)
		}
		databasetest.Must(t, account.LogoutEverywhere(ctx, db, acc))
		if _, err := account.SessionAccount(ctx, db, here, now); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Errorf("session survived logout everywhere: %v", err)
		}
	})
}
