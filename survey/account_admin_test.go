package survey_test

import (
	"fmt"
	"testing"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

// tenants is two organisations with a consultant and a leader each, a
// leader of both and an admin.
type tenants struct {
	acme, beta           *survey.Organisation
	admin, consA, consB  *account.Account
	leadA, leadB, leadAB *account.Account
}

func newTenants(t *testing.T, db *gorm.DB) *tenants {
	w := &tenants{acme: mustOrg(t, db, "acme"), beta: mustOrg(t, db, "beta")}
	w.admin = mustAccount(t, db, "admin@accord.test", account.RoleAdmin)
	w.consA = mustAccount(t, db, "cons-a@accord.test", account.RoleConsultant, w.acme.ID)
	w.consB = mustAccount(t, db, "cons-b@accord.test", account.RoleConsultant, w.beta.ID)
	w.leadA = mustAccount(t, db, "lead-a@acme.test", account.RoleLeader, w.acme.ID)
	w.leadB = mustAccount(t, db, "lead-b@beta.test", account.RoleLeader, w.beta.ID)
	w.leadAB = mustAccount(t, db, "lead-ab@both.test", account.RoleLeader, w.acme.ID, w.beta.ID)
	return w
}

func emails(rows []account.AccountRow) string {
	var s []string
	for _, r := range rows {
		orgs := ""
		for _, o := range r.Orgs {
			orgs += "+" + o.Slug
		}
		s = append(s, r.Email+orgs)
	}
	return fmt.Sprint(s)
}

func TestAccountListsAreScoped(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx, w := t.Context(), newTenants(t, db)
		for _, c := range []struct {
			by   *account.Account
			want string
		}{
			{w.admin, "[admin@accord.test cons-a@accord.test+acme cons-b@accord.test+beta lead-a@acme.test+acme lead-ab@both.test+acme+beta lead-b@beta.test+beta]"},
			// A consultant sees the leaders of its organisations, and of a
			// leader of two tenants only its own organisation.
			{w.consA, "[lead-a@acme.test+acme lead-ab@both.test+acme]"},
			{w.consB, "[lead-ab@both.test+beta lead-b@beta.test+beta]"},
		} {
			rows, err := account.ListAccounts(ctx, db, c.by)
			databasetest.Must(t, err)
			if got := emails(rows); got != c.want {
				t.Errorf("%s sees %s, want %s", c.by.Email, got, c.want)
			}
		}
		if _, err := account.ListAccounts(ctx, db, w.leadA); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Errorf("leader lists accounts: %v", err)
		}
		for _, id := range []int64{w.leadB.ID, w.consB.ID, w.admin.ID, w.consA.ID} {
			if _, err := account.ManagedAccount(ctx, db, w.consA, id); apperr.ErrorCode(err) != apperr.ENOTFOUND {
				t.Errorf("consultant of acme reaches account %d: %v", id, err)
			}
		}
	})
}

func TestConsultantsInviteLeadersOfTheirOrganisationsOnly(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx, w, m, now := t.Context(), newTenants(t, db), accountMailer(t), utc(2026, 3, 10, 9, 0)
		for _, c := range []struct {
			name  string
			in    account.AccountInput
			field string
		}{
			{"a consultant", account.AccountInput{Email: "x@acme.test", Role: account.RoleConsultant, OrgIDs: []int64{w.acme.ID}}, "role"},
			{"an admin", account.AccountInput{Email: "x@acme.test", Role: account.RoleAdmin}, "role"},
			{"another tenant's leader", account.AccountInput{Email: "x@acme.test", Role: account.RoleLeader, OrgIDs: []int64{w.beta.ID}}, "orgs"},
			{"a leader of nothing", account.AccountInput{Email: "x@acme.test", Role: account.RoleLeader}, "orgs"},
			{"a bad address", account.AccountInput{Email: "not an address", Role: account.RoleLeader, OrgIDs: []int64{w.acme.ID}}, "email"},
			{"an existing account", account.AccountInput{Email: "lead-b@beta.test", Role: account.RoleLeader, OrgIDs: []int64{w.acme.ID}}, "email"},
		} {
			_, err := account.InviteAccount(ctx, db, m, w.consA, c.in, now)
			if apperr.FormErrorsOf(err)[c.field] == "" {
				t.Errorf("consultant invites %s: %v, want a message for %s", c.name, err, c.field)
			}
		}
		if _, err := account.InviteAccount(ctx, db, m, w.leadA, account.AccountInput{Email: "x@acme.test", Role: account.RoleLeader, OrgIDs: []int64{w.acme.ID}}, now); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Errorf("leader invites: %v", err)
		}
		if _, err := account.InviteAccount(ctx, db, m, w.admin, account.AccountInput{Email: "new-cons@accord.test", Role: account.RoleConsultant, OrgIDs: []int64{w.acme.ID, w.beta.ID}}, now); err != nil {
			t.Fatalf("admin invites a consultant: %v", err)
		}
		if _, err := account.UpdateAccount(ctx, db, w.consA, w.leadA.ID, account.AccountInput{Role: account.RoleConsultant, OrgIDs: []int64{w.acme.ID}}); apperr.ErrorCode(err) != apperr.EFORBIDDEN {
			t.Errorf("consultant promotes a leader: %v, want EFORBIDDEN", err)
		}
		if _, err := account.UpdateAccount(ctx, db, w.admin, w.admin.ID, account.AccountInput{Role: account.RoleConsultant}); apperr.FormErrorsOf(err)["role"] == "" {
			t.Errorf("admin demotes themselves: %v", err)
		}
		acc, err := account.UpdateAccount(ctx, db, w.admin, w.leadA.ID, account.AccountInput{Role: account.RoleLeader, OrgIDs: []int64{w.beta.ID}})
		databasetest.Must(t, err)
		if orgs, _ := survey.VisibleOrgs(ctx, db, acc); len(orgs) != 1 || orgs[0].Slug != "beta" {
			t.Errorf("after the move the leader sees %v", orgs)
		}
	})
}

func TestRemovingAccounts(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx, w, now := t.Context(), newTenants(t, db), utc(2026, 3, 10, 9, 0)
		session, _ := account.CreateSession(ctx, db, w.leadA.ID, now)
		// A leader of two tenants loses only the consultant's organisation.
		deleted, err := account.RemoveAccount(ctx, db, w.consA, w.leadAB.ID)
		databasetest.Must(t, err)
		if orgs, _ := survey.VisibleOrgs(ctx, db, w.leadAB); deleted || len(orgs) != 1 || orgs[0].Slug != "beta" {
			t.Errorf("deleted %v; leader of both now sees %v, want beta only", deleted, orgs)
		}
		if _, err := account.RemoveAccount(ctx, db, w.consA, w.leadB.ID); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Errorf("consultant of acme removes beta's leader: %v", err)
		}
		if deleted, err := account.RemoveAccount(ctx, db, w.consA, w.leadA.ID); err != nil || !deleted {
			t.Fatalf("remove acme's only-acme leader: deleted %v, %v", deleted, err)
		}
		if _, err := account.SessionAccount(ctx, db, session, now); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Errorf("removed leader's session still works: %v", err)
		}
		if _, err := account.RemoveAccount(ctx, db, w.admin, w.admin.ID); apperr.ErrorCode(err) != apperr.EINVALID {
			t.Errorf("admin removes themselves: %v", err)
		}
	})
}

func TestAuditLogIsScopedToTheReader(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newTenants(t, db)
		ctx := audit.WithActor(t.Context(), audit.Actor{AccountID: w.consA.ID, Email: w.consA.Email, Address: "192.0.2.7", At: utc(2026, 3, 10, 9, 0)})
		_, err := roster.CreatePerson(ctx, db, w.acme.ID, roster.PersonInput{Email: "sam@acme.test", Function: "sales"})
		databasetest.Must(t, err)
		_, err = roster.CreatePerson(ctx, db, w.beta.ID, roster.PersonInput{Email: "pat@beta.test", Function: "product"})
		databasetest.Must(t, err)
		page, err := account.ListAudit(t.Context(), db, w.consA, audit.Filter{})
		databasetest.Must(t, err)
		var targets []string
		for _, e := range page.Entries {
			targets = append(targets, e.Action+" "+e.Target)
			if e.OrgSlug != "acme" {
				t.Errorf("consultant of acme reads an entry of %q: %+v", e.OrgSlug, e.Entry)
			}
		}
		if len(page.Entries) == 0 || page.Entries[0].Target != "sam@acme.test" || page.Entries[0].Email != w.consA.Email || page.Entries[0].Address != "192.0.2.7" {
			t.Fatalf("consultant's newest entry: %v", targets)
		}
		all, err := account.ListAudit(t.Context(), db, w.admin, audit.Filter{OrgID: w.beta.ID})
		databasetest.Must(t, err)
		if all.Entries[0].Target != "pat@beta.test" {
			t.Errorf("admin's beta filter starts with %+v", all.Entries[0].Entry)
		}
		if _, err := account.ListAudit(t.Context(), db, w.leadA, audit.Filter{}); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Errorf("leader reads the audit log: %v", err)
		}
	})
}
