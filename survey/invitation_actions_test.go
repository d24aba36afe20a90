package survey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
)

// TestInvitationMentionsTheActionsTaken: the next round's invitation says
// what the organisation is doing about earlier results: its actions not
// dropped, by title and status, newest first, and nothing of who owns them
// or their notes. Reminders do not repeat them; links sent again do. Another
// organisation's actions never appear.
func TestInvitationMentionsTheActionsTaken(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		other := mustOrg(t, db, "globex")
		for _, c := range []struct {
			org           int64
			title, status string
		}{
			{w.org.ID, "Joint pipeline review", survey.ActionDone},
			{w.org.ID, "Quarterly offsite", survey.ActionDropped},
			{other.ID, "Globex's own plan", survey.ActionPlanned},
			{w.org.ID, "Sales & product in sprint reviews", survey.ActionInProgress},
		} {
			_, err := survey.CreateActionPlan(ctx, db, c.org, survey.ActionInput{Target: survey.TargetCompletelyAligned,
				Title: c.title, Owner: "Dana Owner", Status: c.status, Notes: "Private note about Sam"})
			databasetest.Must(t, err)
		}

		databasetest.Must(t, db.Model(w.people["pat"]).Update("language", "de").Error)
		w.tick(t, open1)
		// A German reader's invitation gives the statuses in German.
		if de := w.mails(t, mail.KindInvitation)["pat@acme.test"][0]; !strings.Contains(de.Text,
			"- Sales & product in sprint reviews (in Arbeit)\n- Joint pipeline review (erledigt)\n") {
			t.Errorf("the German invitation's actions:\n%s", de.Text)
		}
		m := w.mails(t, mail.KindInvitation)["sam@acme.test"][0]
		wantText := "Since the last survey, this is what we have been doing about what you told us:\n" +
			"- Sales & product in sprint reviews (in progress)\n- Joint pipeline review (done)\n\nYour personal link"
		if !strings.Contains(m.Text, wantText) {
			t.Errorf("text body lacks the actions taken:\n%s", m.Text)
		}
		if !strings.Contains(m.HTML, "<li>Sales &amp; product in sprint reviews (in progress)</li><li>Joint pipeline review (done)</li>") {
			t.Errorf("HTML body lacks the actions taken, escaped:\n%s", m.HTML)
		}
		for _, body := range []string{m.Text, m.HTML} {
			for _, never := range []string{"Quarterly offsite", "Globex", "Dana Owner", "Private note"} {
				if strings.Contains(body, never) {
					t.Errorf("invitation mentions %q:\n%s", never, body)
				}
			}
		}

		w.tick(t, remind1)
		if r := w.mails(t, mail.KindReminder)["sam@acme.test"]; len(r) != 1 || strings.Contains(r[0].Text, "Since the last survey") {
			t.Errorf("reminders %+v: want one, without the actions", r)
		}

		// An invitation never emailed (as in a round made outside a
		// schedule) goes out through SendLinks, and says the same.
		databasetest.Must(t, db.Model(&survey.Invitation{}).Where("id = ?", *m.InvitationID).Update("sent_at", nil).Error)
		if n, err := w.s.SendLinks(ctx, w.org.ID, *m.RoundID, remind1.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("SendLinks = %d, %v; want 1", n, err)
		}
		again := w.mails(t, mail.KindInvitation)["sam@acme.test"]
		if len(again) != 2 || !strings.Contains(again[1].Text, wantText) {
			t.Errorf("the link sent again does not mention the actions taken: %d invitations", len(again))
		}
	})
}
