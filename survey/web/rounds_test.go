package web_test

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
)

// TestRoundsPageCountsUndeliveredRemindersWithoutAddresses: staff see whose
// invitation could not be delivered, but of reminders only how many: a
// reminder's address would tell them that person had not answered.
func TestRoundsPageCountsUndeliveredRemindersWithoutAddresses(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme, _ := opsServer(t, db)
		c := opsClient(t, srv, "consultant@accord.test")
		f := roundForm()
		f.Set("confirm", "yes")
		expectOps(t, c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds", f), http.StatusSeeOther)
		var round survey.Round
		databasetest.Must(t, db.Take(&round).Error)
		for i, m := range []mail.Message{
			{Kind: mail.KindInvitation, To: "sales0@acme.test", Status: mail.StatusFailed, LastError: "refused"},
			{Kind: mail.KindReminder, To: "sales1@acme.test", Status: mail.StatusFailed, LastError: "refused sales1@acme.test"},
			{Kind: mail.KindReminder, To: "product2@acme.test", Status: mail.StatusHeld, LastError: "unconfirmed"},
		} {
			m.OrgID, m.RoundID, m.Subject, m.Text, m.MessageID = &acme.ID, &round.ID, "s", "t", "failed-"+string(rune('a'+i))
			databasetest.Must(t, db.Create(&m).Error)
		}
		r := c.Get("/orgs/acme/rounds")
		expectOps(t, r, http.StatusOK, "sales0@acme.test (invitation): refused", "2 reminders could not be delivered")
		for _, address := range []string{"sales1@acme.test", "product2@acme.test"} {
			if strings.Contains(r.Body, address) {
				t.Errorf("the rounds page shows the address of an undelivered reminder, %s", address)
			}
		}
	})
}
