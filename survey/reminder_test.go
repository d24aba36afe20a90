package survey_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/roster"
)

// answer submits a valid answer with the link in m, at now.
func answer(t *testing.T, db *gorm.DB, m mail.Message, now time.Time) {
	t.Helper()
	s, err := survey.LoadSurvey(context.Background(), db, secret, token(t, m), now)
	databasetest.Must(t, err)
	databasetest.Must(t, s.Submit(context.Background(), db, survey.Submission{"A1": "2"}, now))
}

func TestRemindersGoOnlyToActiveNonRespondentsOnceEach(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, open1)
		inv := w.mails(t, mail.KindInvitation)
		answer(t, db, inv["sam@acme.test"][0], open1.Add(time.Hour))
		databasetest.Must(t, db.Model(w.people["pia"]).Update("active", false).Error)

		w.tick(t, remind1.Add(-time.Minute))
		if n := len(w.mails(t, mail.KindReminder)); n != 0 {
			t.Fatalf("%d reminders before day 3", n)
		}
		for range 3 {
			w.tick(t, remind1)
		}
		if got, want := recipients(w.mails(t, mail.KindReminder)), "[pat×1 sue×1]"; got != want {
			t.Fatalf("first reminder went to %s, want %s (not Sam, who answered; not Pia, deactivated)", got, want)
		}
		// The reminder's new link reaches the same invitation, and
		// answering with it stops the second reminder.
		answer(t, db, w.mails(t, mail.KindReminder)["sue@acme.test"][0], remind1.Add(time.Hour))
		w.tick(t, remind2)
		w.tick(t, remind2.Add(time.Hour))
		if got, want := recipients(w.mails(t, mail.KindReminder)), "[pat×2 sue×1]"; got != want {
			t.Fatalf("after the second reminder: %s, want %s", got, want)
		}
		// Every active person's invitation is processed for each reminder,
		// answered or not, so the counts do not tell who answered.
		var sent []int // Sam, Sue, Pat, Pia
		databasetest.Must(t, db.Model(&survey.Invitation{}).Order("person_id").Pluck("reminders_sent", &sent).Error)
		if got, want := fmt.Sprint(sent), "[2 2 2 0]"; got != want {
			t.Fatalf("reminders recorded per invitation: %s, want %s", got, want)
		}
		answered, err := survey.Answered(context.Background(), db, w.rounds(t)[0].ID)
		databasetest.Must(t, err)
		if responded := len(answered); responded != 2 {
			t.Fatalf("%d invitations answered, want 2 (Sam with the first link, Sue with the reminder's)", responded)
		}
	})
}

func TestConcurrentRemindersAreSentOnce(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, open1)
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				if err := w.s.Tick(context.Background(), remind1); err != nil {
					t.Errorf("Tick: %v", err)
				}
			})
		}
		wg.Wait()
		if got, want := recipients(w.mails(t, mail.KindReminder)), "[pat×1 pia×1 sam×1 sue×1]"; got != want {
			t.Fatalf("reminders from six concurrent ticks: %s, want %s", got, want)
		}
	})
}

// TestEveryLinkOfAnInvitationEditsOneResponse: the response key comes
// from the invitation, not the link, so whoever answered with one link and
// opens another sees and changes the same answers, and two pages open at
// once cannot store a second response.
func TestEveryLinkOfAnInvitationEditsOneResponse(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.tick(t, open1)
		w.tick(t, remind1)
		first := token(t, w.mails(t, mail.KindInvitation)["pat@acme.test"][0])
		second := token(t, w.mails(t, mail.KindReminder)["pat@acme.test"][0])
		now := remind1.Add(time.Hour)
		// Both pages are open in the browser before either is submitted.
		s1, err := survey.LoadSurvey(ctx, db, secret, first, now)
		databasetest.Must(t, err)
		s2, err := survey.LoadSurvey(ctx, db, secret, second, now)
		databasetest.Must(t, err)
		databasetest.Must(t, s1.Submit(ctx, db, survey.Submission{"A1": "1"}, now))
		databasetest.Must(t, s2.Submit(ctx, db, survey.Submission{"A1": "4"}, now))
		s3, err := survey.LoadSurvey(ctx, db, secret, second, now)
		databasetest.Must(t, err)
		if s3.Stored["A1"] != "4" {
			t.Fatalf("the second link shows %v, want A1 = 4", s3.Stored)
		}
		databasetest.Must(t, s1.Submit(ctx, db, survey.Submission{"A1": "3"}, now))
		var rs []survey.Response
		databasetest.Must(t, db.Preload("Answers").Find(&rs).Error)
		if len(rs) != 1 || len(rs[0].Answers) != 1 || *rs[0].Answers[0].Value != 3 {
			t.Fatalf("responses = %+v, want one with A1 = 3", rs)
		}
	})
}

func TestRoundClosesAtTheDeadlineOnce(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, open1)
		m := w.mails(t, mail.KindInvitation)["sue@acme.test"][0]
		w.tick(t, close1.Add(-time.Second))
		if w.closed.Load() != 0 || w.rounds(t)[0].Status != survey.RoundOpen {
			t.Fatal("round closed before its deadline")
		}
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				if err := w.s.Tick(context.Background(), close1); err != nil {
					t.Errorf("Tick: %v", err)
				}
			})
		}
		wg.Wait()
		w.tick(t, close1.Add(time.Hour))
		r := w.rounds(t)[0]
		if r.Status != survey.RoundClosed || r.ClosedAt == nil || !r.ClosedAt.Equal(close1) || w.closed.Load() != 1 {
			t.Fatalf("round %+v, OnClose called %d times; want closed at %s, OnClose once", r, w.closed.Load(), close1)
		}
		if _, err := survey.LoadSurvey(context.Background(), db, secret, token(t, m), close1); apperr.ErrorCode(err) != apperr.EGONE {
			t.Fatalf("link after the deadline: %v, want EGONE", err)
		}
	})
}

func TestFailedOnCloseRetriesAtTheNextTick(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, open1)
		calls := 0
		w.s.OnClose = func(context.Context, *gorm.DB, *survey.Round) error {
			calls++
			if calls == 1 {
				return context.DeadlineExceeded
			}
			return nil
		}
		if err := w.s.Tick(context.Background(), close1); err == nil {
			t.Fatal("Tick hid the failing close hook")
		}
		if r := w.rounds(t)[0]; r.Status != survey.RoundOpen {
			t.Fatalf("round is %s after its close hook failed; want still open", r.Status)
		}
		w.tick(t, close1.Add(30*time.Second))
		if r := w.rounds(t)[0]; r.Status != survey.RoundClosed || calls != 2 {
			t.Fatalf("round %s after %d hook calls; want closed after 2", r.Status, calls)
		}
	})
}

// TestCrashBeforeCommitSkipsAndDuplicatesNothing: when writing the emails
// fails, the round stays planned and no invitation exists; the next Tick
// does all of it, once.
func TestCrashBeforeCommitSkipsAndDuplicatesNothing(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.outbox.failures.Store(1)
		if err := w.s.Tick(context.Background(), open1); err == nil {
			t.Fatal("Tick hid the failing outbox")
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.Invitation{}).Count(&n).Error)
		if r := w.rounds(t)[0]; r.Status != survey.RoundScheduled || n != 0 {
			t.Fatalf("after a failed open: round %s with %d invitations; want scheduled with none", r.Status, n)
		}
		w.tick(t, open1.Add(30*time.Second))
		w.outbox.failures.Store(1)
		if err := w.s.Tick(context.Background(), remind1); err == nil {
			t.Fatal("Tick hid the failing outbox")
		}
		w.tick(t, remind1.Add(30*time.Second))
		if got, want := recipients(w.mails(t, mail.KindInvitation)), "[pat×1 pia×1 sam×1 sue×1]"; got != want {
			t.Fatalf("invitations %s, want %s", got, want)
		}
		if got, want := recipients(w.mails(t, mail.KindReminder)), "[pat×1 pia×1 sam×1 sue×1]"; got != want {
			t.Fatalf("reminders %s, want %s", got, want)
		}
	})
}

func TestTeamChangeAffectsTheNextRoundOnly(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, open1)
		sam := w.people["sam"]
		databasetest.Must(t, db.Model(sam).Update("team", "West").Error)
		w.tick(t, close1)
		w.tick(t, open2)
		var teams []string
		databasetest.Must(t, db.Model(&survey.Invitation{}).Joins("JOIN rounds ON rounds.id = invitations.round_id").
			Where("invitations.person_id = ?", sam.ID).Order("rounds.opens_at").Pluck("invitations.team", &teams).Error)
		if len(teams) != 2 || teams[0] != "North" || teams[1] != "West" {
			t.Fatalf("Sam's invitations have teams %v, want [North West]", teams)
		}
	})
}

func TestMissedWindowClosesWithoutInvitations(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, w.created) // plans March
		w.tick(t, close1.Add(time.Hour))
		rs := w.rounds(t)
		if len(rs) != 2 || rs[0].Status != survey.RoundClosed || rs[1].Status != survey.RoundScheduled {
			t.Fatalf("rounds %+v; want March closed unopened, April planned", rs)
		}
		if n := len(w.mails(t, mail.KindInvitation)); n != 0 {
			t.Fatalf("%d invitations sent for a round whose window had passed", n)
		}
	})
}

// TestEditingAScheduleReplansWithoutAnExtraRound: moving the send time
// replans the next round; moving the start day into the running period
// does not start a second round at once.
func TestEditingAScheduleReplansWithoutAnExtraRound(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.tick(t, open1)
		edit := utc(2026, 3, 4, 12, 0)
		w.sched.SendTime, w.sched.StartDate = "11:00", date(2026, 3, 3)
		databasetest.Must(t, survey.SaveSchedule(ctx, db, w.org, w.sched, edit))
		w.tick(t, edit)
		rs := w.rounds(t)
		if len(rs) != 2 || !rs[0].OpensAt.Equal(open1) || rs[1].Status != survey.RoundScheduled || !rs[1].OpensAt.Equal(utc(2026, 4, 3, 9, 0)) {
			t.Fatalf("rounds after the edit: %+v; want March as it ran and April at 11:00 Berlin on the 3rd", rs)
		}
		if n := len(w.mails(t, mail.KindInvitation)); n != 4 {
			t.Fatalf("%d invitations, want the 4 of March only", n)
		}
	})
}

func TestOpenNowAndCloseNow(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.tick(t, w.created)
		r := w.rounds(t)[0]
		now := w.created.Add(time.Hour)
		if ok, err := w.s.OpenNow(ctx, w.org.ID+1, r.ID, now); apperr.ErrorCode(err) != apperr.ENOTFOUND || ok {
			t.Fatalf("another organisation's round opened: %v", err)
		}
		ok, err := w.s.OpenNow(ctx, w.org.ID, r.ID, now)
		if err != nil || !ok {
			t.Fatalf("OpenNow: %v, %v", ok, err)
		}
		if ok, _ := w.s.OpenNow(ctx, w.org.ID, r.ID, now); ok {
			t.Fatal("an open round opened again")
		}
		if n := len(w.mails(t, mail.KindInvitation)); n != 4 {
			t.Fatalf("%d invitations after opening early, want 4", n)
		}
		ok, err = w.s.CloseNow(ctx, w.org.ID, r.ID, now.Add(time.Hour))
		if err != nil || !ok || w.closed.Load() != 1 {
			t.Fatalf("CloseNow: %v, %v, OnClose %d", ok, err, w.closed.Load())
		}
		got := w.rounds(t)[0]
		if !got.OpensAt.Equal(now) || !got.ClosesAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("round ran %s–%s, want %s–%s", got.OpensAt, got.ClosesAt, now, now.Add(time.Hour))
		}
		w.tick(t, close1)
		if w.closed.Load() != 1 || len(w.mails(t, mail.KindReminder)) != 0 {
			t.Fatal("a round closed early was closed again or reminded")
		}
	})
}

// samHasAnswered opens the first round and has Sam answer it an hour
// later, the time it returns.
func samHasAnswered(t *testing.T, db *gorm.DB) (*world, time.Time) {
	t.Helper()
	w := newWorld(t, db)
	w.tick(t, open1)
	now := open1.Add(time.Hour)
	answer(t, db, w.mails(t, mail.KindInvitation)["sam@acme.test"][0], now)
	return w, now
}

func TestResendSendsANewLinkToOnePerson(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w, now := samHasAnswered(t, db)
		tests := []struct{ email, code string }{
			{"nobody@acme.test", apperr.EINVALID},
			{"eve@acme.test", apperr.EINVALID}, // not in the audience
			{"sam@acme.test", ""},              // answered: the same as for anyone (no participation oracle)
			{"not an address", apperr.EINVALID},
			{"Pat@Acme.test", ""},
		}
		for _, tt := range tests {
			if _, err := w.s.Resend(ctx, w.org.ID, w.rounds(t)[0].ID, tt.email, now); apperr.ErrorCode(err) != tt.code {
				t.Errorf("Resend(%s): %v, want code %q", tt.email, err, tt.code)
			}
		}
		if got, want := recipients(w.mails(t, mail.KindReminder)), "[pat×1 sam×1]"; got != want {
			t.Fatalf("resent to %s, want %s", got, want)
		}
		// Sam's new link shows the answers given with the first.
		sam, err := survey.LoadSurvey(ctx, db, secret, token(t, w.mails(t, mail.KindReminder)["sam@acme.test"][0]), now)
		databasetest.Must(t, err)
		if !sam.Answered() {
			t.Error("the resent link of someone who answered does not show their answers")
		}
		s, err := survey.LoadSurvey(ctx, db, secret, token(t, w.mails(t, mail.KindReminder)["pat@acme.test"][0]), now)
		databasetest.Must(t, err)
		databasetest.Must(t, s.Submit(ctx, db, survey.Submission{"A1": "1"}, now))
	})
}

// TestConcurrentRemindersForALargeRound: three replicas share a reminder
// of more than two batches; everyone gets it exactly once.
func TestConcurrentRemindersForALargeRound(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		more := make([]roster.Person, 1200)
		for i := range more {
			more[i] = roster.Person{OrgID: w.org.ID, Email: fmt.Sprintf("rep%04d@acme.test", i), Function: roster.FunctionSales, Active: true}
		}
		databasetest.Must(t, db.CreateInBatches(more, 500).Error)
		w.tick(t, open1)
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				if err := w.s.Tick(context.Background(), remind1); err != nil {
					t.Errorf("Tick: %v", err)
				}
			})
		}
		wg.Wait()
		var total, people int64
		databasetest.Must(t, db.Model(&mail.Message{}).Where("kind = ?", mail.KindReminder).Count(&total).Error)
		databasetest.Must(t, db.Model(&mail.Message{}).Where("kind = ?", mail.KindReminder).Distinct("to_address").Count(&people).Error)
		if total != 1204 || people != 1204 {
			t.Fatalf("%d reminders to %d people, want one each to 1204", total, people)
		}
	})
}

func TestFreshLinksOpenUnansweredInvitations(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w, now := samHasAnswered(t, db)
		round := w.rounds(t)[0]
		links, err := w.s.FreshLinks(ctx, round.ID, 10, now)
		databasetest.Must(t, err)
		answered, err := survey.Answered(ctx, db, round.ID)
		databasetest.Must(t, err)
		var invited int64
		databasetest.Must(t, db.Model(&survey.Invitation{}).Where("round_id = ?", round.ID).Count(&invited).Error)
		if want := int(invited) - len(answered); len(links) != want {
			t.Fatalf("%d fresh links, want one per unanswered invitation (%d)", len(links), want)
		}
		for _, link := range links {
			s, err := survey.LoadSurvey(ctx, db, secret, link[strings.LastIndex(link, "/")+1:], now)
			databasetest.Must(t, err)
			if s.Answered() {
				t.Errorf("fresh link %s leads to answers already given", link)
			}
		}
		if two, err := w.s.FreshLinks(ctx, round.ID, 2, now); err != nil || len(two) != 2 {
			t.Errorf("FreshLinks(2) = %d links, %v", len(two), err)
		}
	})
}

// TestClosingARoundCancelsItsUnsentInvitations: invitations still queued
// when a round closes (a slow or stopped mail server) are cancelled in the
// closing transaction, so nobody gets a link to a closed survey; what was
// already sent stays sent.
func TestClosingARoundCancelsItsUnsentInvitations(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, w.created)
		w.tick(t, open1)
		var sent mail.Message
		databasetest.Must(t, db.Where("kind = ?", mail.KindInvitation).Order("id").Take(&sent).Error)
		databasetest.Must(t, db.Model(&sent).Update("status", mail.StatusSent).Error)
		w.tick(t, remind1)
		w.tick(t, close1)
		// A cancelled reminder, like a sent one, forgets whom it was for.
		var reminders []mail.Message
		databasetest.Must(t, db.Where("kind = ?", mail.KindReminder).Find(&reminders).Error)
		for _, m := range reminders {
			if m.Status != mail.StatusCancelled || m.To != "" || m.InvitationID != nil || m.Text != "" {
				t.Errorf("reminder after the close: %s, to %q, invitation %v; want cancelled and forgotten", m.Status, m.To, m.InvitationID)
			}
		}
		if len(reminders) != 4 {
			t.Errorf("%d reminders, want 4", len(reminders))
		}
		counts := map[string]int{}
		for _, ms := range w.mails(t, mail.KindInvitation) {
			for _, m := range ms {
				counts[m.Status]++
				if m.Status == mail.StatusCancelled && (m.Text != "" || m.LastError == "") {
					t.Errorf("cancelled invitation to %s keeps its link or gives no reason", m.To)
				}
			}
		}
		if counts[mail.StatusSent] != 1 || counts[mail.StatusCancelled] != 3 || counts[mail.StatusPending] != 0 {
			t.Fatalf("invitations after the close: %v; want 1 sent and 3 cancelled", counts)
		}
	})
}

// TestReminderLeavesNoTraceOfWhoHadAnswered: once a reminder has been
// delivered (into the development outbox), the rows it wrote are the same
// for the person who had answered (Sam) as for those who had not, and none
// names a reminded person, so a database dump cannot tell who was reminded.
func TestReminderLeavesNoTraceOfWhoHadAnswered(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w, _ := samHasAnswered(t, db)
		// The test outbox's invitations have no delivery jobs: say they went.
		databasetest.Must(t, db.Model(&mail.Message{}).Where("status = ?", mail.StatusPending).Update("status", mail.StatusSent).Error)
		s, err := survey.NewScheduler(db, mailtest.DevOutbox(t, db), notifytest.Emails(t), &url.URL{Scheme: "https", Host: "accord.example"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		databasetest.Must(t, err)
		databasetest.Must(t, s.Tick(context.Background(), remind1))
		mailtest.WaitSettled(t, db, 20*time.Second)
		var reminders []mail.Message
		databasetest.Must(t, db.Where("kind = ?", mail.KindReminder).Find(&reminders).Error)
		var dev []mail.DevMail
		databasetest.Must(t, db.Where("kind = ?", mail.KindReminder).Find(&dev).Error)
		if len(reminders) != 3 || len(dev) != 3 {
			t.Fatalf("%d reminders, %d delivered; want 3 (not Sam, who answered)", len(reminders), len(dev))
		}
		var stored strings.Builder
		for _, m := range reminders {
			if m.InvitationID != nil {
				t.Errorf("a sent reminder names invitation %d", *m.InvitationID)
			}
			fmt.Fprintln(&stored, m.To, m.MessageID, m.Text, m.HTML, m.LastError)
		}
		for _, d := range dev {
			fmt.Fprintln(&stored, d.To, d.MessageID, d.Text, d.HTML)
		}
		for name, p := range w.people {
			if strings.Contains(stored.String(), p.Email) || (p.Name != "" && strings.Contains(stored.String(), p.Name)) {
				t.Errorf("a delivered reminder names %s", name)
			}
		}
		var rows []struct {
			PersonID      int64
			RemindersSent int
			Tokens        int
		}
		databasetest.Must(t, db.Raw(`SELECT i.person_id, i.reminders_sent,
  (SELECT COUNT(*) FROM invitation_tokens t WHERE t.invitation_id = i.id) AS tokens
FROM invitations i ORDER BY i.person_id`).Scan(&rows).Error)
		if len(rows) != 4 {
			t.Fatalf("%d invitations, want 4", len(rows))
		}
		for _, r := range rows[1:] {
			if r.RemindersSent != rows[0].RemindersSent || r.Tokens != rows[0].Tokens {
				t.Fatalf("invitations differ by who answered (person, reminders_sent, links): %+v", rows)
			}
		}
	})
}
