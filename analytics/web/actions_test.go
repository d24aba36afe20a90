package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// TestLeaderRecordsAnActionAndSeesItsEffect goes through the real router as
// a leader: a form with mistakes comes back with messages beside the
// fields, a valid one is recorded and audited, and the rounds that close
// afterwards show the targeted share moving, then hidden for a small round.
func TestLeaderRecordsAnActionAndSeesItsEffect(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, leader, org := setup(t, db, "Acme")
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "January", OpensAt: jan, A1: analyticstest.A1(2, 20)})
		if r := leader.Get("/orgs/acme"); !strings.Contains(r.Body, `href="/orgs/acme/actions"`) {
			t.Errorf("the dashboard's navigation has no link to the actions")
		}
		if r := leader.Get("/orgs/acme/actions"); r.Status != http.StatusOK || !strings.Contains(r.Body, "No action recorded yet") {
			t.Fatalf("empty list: %d %.300s", r.Status, r.Body)
		}
		bad := url.Values{"target": {survey.TargetCompletelyAligned}, "title": {" "}, "owner": {"Dana <b>"}, "due": {"31/03/2027"}}
		r := leader.Submit("/orgs/acme/actions", "/orgs/acme/actions", bad)
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid form: status %d", r.Status)
		}
		for _, want := range []string{`id="title-error">Say what will be done`, `id="due-error">Give the due date as year-month-day`,
			`value="Dana &lt;b&gt;"`, `aria-invalid="true"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("invalid form's page lacks %q", want)
			}
		}
		good := url.Values{"target": {survey.TargetCompletelyAligned}, "title": {"Joint pipeline review"}, "owner": {"Dana <b>"},
			"due": {"2027-03-31"}, "status": {survey.ActionInProgress}, "notes": {"Every month.\nWith product."}}
		r = leader.Submit("/orgs/acme/actions", "/orgs/acme/actions", good)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/orgs/acme/actions" {
			t.Fatalf("create: status %d, Location %q: %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		var a survey.ActionPlan
		databasetest.Must(t, db.Where("org_id = ?", org.ID).Take(&a).Error)
		var audited int64
		databasetest.Must(t, db.Model(&audit.Entry{}).Where("org_id = ? AND action = ?", org.ID, survey.AuditActionCreate).Count(&audited).Error)
		if audited != 1 {
			t.Errorf("%d audit entries for the new action", audited)
		}
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "February", OpensAt: jan.AddDate(0, 1, 0), A1: analyticstest.A1(15, 20)})
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "March", OpensAt: jan.AddDate(0, 2, 0), A1: analyticstest.A1(1, 3)})
		r = leader.Get("/orgs/acme/actions")
		for _, want := range []string{"Action “Joint pipeline review” recorded.", "Dana &lt;b&gt;", "31 March 2027", "In progress",
			"<dd>January</dd>", "<td>75.0%</td>", "<td>&#43;65.0 points</td>", "<td>moved</td>",
			"Hidden: fewer than 5 responses", "hidden: fewer than 5 responses"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("actions page lacks %q", want)
			}
		}
		// The same numbers leave as a file, audited like every export.
		csv := leader.Get("/orgs/acme/actions/export?format=csv")
		for _, want := range []string{"action_id,action,target", "Joint pipeline review,completely_aligned,Dana <b>,2027-03-31,in_progress",
			",February,no,0.75,", ",moved,", ",March,no,,,,,,,,fewer than 5 responses"} {
			if !strings.Contains(csv.Body, want) {
				t.Errorf("CSV export lacks %q:\n%s", want, csv.Body)
			}
		}
		databasetest.Must(t, db.Model(&audit.Entry{}).Where("org_id = ? AND action = ? AND target = ?", org.ID, audit.AuditExport, "actions (csv)").Count(&audited).Error)
		if audited != 1 {
			t.Errorf("%d audit entries for the actions export", audited)
		}
		update := fmt.Sprintf("/orgs/acme/actions/%d", a.ID)
		if r := leader.Submit("/orgs/acme/actions", update, url.Values{"status": {"abandoned"}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, fmt.Sprintf(`id="status-%d-error">Choose a status`, a.ID)) {
			t.Errorf("bad status: %d %.300s", r.Status, r.Body)
		}
		if r := leader.Submit("/orgs/acme/actions", update, url.Values{"status": {survey.ActionDone}, "notes": {"Held three times."}}); r.Status != http.StatusSeeOther {
			t.Fatalf("update: %d %.300s", r.Status, r.Body)
		}
		databasetest.Must(t, db.Take(&a, a.ID).Error)
		if a.Status != survey.ActionDone || a.Notes != "Held three times." {
			t.Errorf("after the update: %+v", a)
		}
		// Without the form's CSRF token nothing is recorded.
		if r := leader.PostForm("/orgs/acme/actions", good); r.Status != http.StatusForbidden {
			t.Errorf("without CSRF: status %d", r.Status)
		}
	})
}

// TestAnotherOrganisationsLeaderCannotTouchActions: a leader of beta can
// neither record an action for acme nor change acme's action through
// beta's address.
func TestAnotherOrganisationsLeaderCannotTouchActions(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _, org := setup(t, db, "Acme")
		beta := webtest.MustOrg(t, db, "beta", "Beta")
		webtest.MustAccount(t, db, "leader@beta.test", account.RoleLeader, beta.ID)
		a, err := survey.CreateActionPlan(t.Context(), db, org.ID, survey.ActionInput{Target: survey.IndexTrust, Title: "Acme's own"})
		databasetest.Must(t, err)
		other := srv.Client(t)
		other.Login("leader@beta.test", webtest.Password)
		form := url.Values{"target": {survey.IndexTrust}, "title": {"Intrusion"}, "status": {survey.ActionDropped}}
		for _, path := range []string{"/orgs/acme/actions", fmt.Sprintf("/orgs/acme/actions/%d", a.ID), fmt.Sprintf("/orgs/beta/actions/%d", a.ID)} {
			if r := other.Submit("/orgs/beta/actions", path, form); r.Status != http.StatusNotFound {
				t.Errorf("POST %s as beta's leader: status %d", path, r.Status)
			}
		}
		if r := other.Get("/orgs/acme/actions"); r.Status != http.StatusNotFound {
			t.Errorf("GET acme's actions as beta's leader: %d", r.Status)
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.ActionPlan{}).Count(&n).Error)
		databasetest.Must(t, db.Take(a, a.ID).Error)
		if n != 1 || a.Status != survey.ActionPlanned {
			t.Errorf("%d actions, acme's is %s", n, a.Status)
		}
	})
}

// TestLeaderTellsEveryoneInvited: the actions page offers the latest
// closed round's results message with what it will report; sent, it is
// queued to everyone invited and the page says when it went; a second
// message for the round is refused.
func TestLeaderTellsEveryoneInvited(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, leader, org := setup(t, db, "Acme")
		srv.App.Mail = mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db}))
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "January", OpensAt: jan,
			Respondents: append(people("s", roster.FunctionSales, "North", 8), people("p", roster.FunctionProduct, "Core", 8)...)})
		r := leader.Get("/orgs/acme/actions")
		if !strings.Contains(r.Body, "Tell everyone invited what you heard") || !strings.Contains(r.Body, "of those who answered described sales and product as completely aligned") {
			t.Fatalf("the actions page offers no results message: %.400s", r.Body)
		}
		var round survey.Round
		databasetest.Must(t, db.Where("org_id = ?", org.ID).Take(&round).Error)
		path := fmt.Sprintf("/orgs/acme/rounds/%d/message", round.ID)
		if r := leader.Submit("/orgs/acme/actions", path, url.Values{"body": {" "}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="loop-body-error"`) {
			t.Fatalf("empty message: status %d", r.Status)
		}
		if r := leader.Submit("/orgs/acme/actions", path, url.Values{"body": {"We heard you. <b>Planning</b> together from March."}}); r.Status != http.StatusSeeOther {
			t.Fatalf("send: status %d %.300s", r.Status, r.Body)
		}
		var invited, queued int64
		databasetest.Must(t, db.Model(&survey.Invitation{}).Where("round_id = ?", round.ID).Count(&invited).Error)
		databasetest.Must(t, db.Table("mail_messages").Where("kind = ? AND round_id = ?", survey.MailKindResults, round.ID).Count(&queued).Error)
		if queued != invited || invited == 0 {
			t.Errorf("%d results messages queued for %d people invited", queued, invited)
		}
		r = leader.Get("/orgs/acme/actions")
		if !strings.Contains(r.Body, fmt.Sprintf("to the %d people invited", invited)) || !strings.Contains(r.Body, "We heard you. &lt;b&gt;Planning&lt;/b&gt;") {
			t.Errorf("after sending, the page does not say the message went: %.400s", r.Body)
		}
		if r := leader.Submit("/orgs/acme/actions", path, url.Values{"body": {"Again"}}); r.Status != http.StatusConflict {
			t.Errorf("a second message: status %d, want 409", r.Status)
		}
	})
}
