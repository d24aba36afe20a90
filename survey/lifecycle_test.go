package survey_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/notify/notifytest"
	"accord/survey/roster"
)

// outbox is a test Enqueuer: it stores messages in the real mail_messages
// table inside the caller's transaction (so a rollback removes them) and
// can be told to fail, like an outbox whose database write fails.
type outbox struct {
	failures atomic.Int32 // this many calls fail before any succeeds
	seq      atomic.Int64
}

func (o *outbox) Enqueue(ctx context.Context, tx *gorm.DB, msgs ...*mail.Message) error {
	if o.failures.Add(-1) >= 0 {
		return errors.New("outbox unavailable")
	}
	for _, m := range msgs {
		m.MessageID = fmt.Sprintf("test-%d@accord.test", o.seq.Add(1))
		m.Status = mail.StatusPending
	}
	return tx.Create(msgs).Error
}

// world is an organisation with a roster, a schedule and a scheduler.
type world struct {
	db      *gorm.DB
	org     *survey.Organisation
	people  map[string]*roster.Person // by email prefix
	sched   *survey.Schedule
	s       *survey.Scheduler
	outbox  *outbox
	closed  atomic.Int32 // OnClose calls
	created time.Time
}

// Berlin monthly schedule from Monday 2 March 2026, 09:00 (08:00 UTC), open
// 7 days, reminders on days 3 and 5, for sales and product.
var (
	open1   = utc(2026, 3, 2, 8, 0)
	close1  = utc(2026, 3, 9, 8, 0)
	remind1 = utc(2026, 3, 5, 8, 0)
	remind2 = utc(2026, 3, 7, 8, 0)
	open2   = utc(2026, 4, 2, 7, 0) // summer time
)

func newWorld(t *testing.T, db *gorm.DB) *world {
	t.Helper()
	w := &world{db: db, people: map[string]*roster.Person{}, outbox: &outbox{}, created: utc(2026, 2, 20, 12, 0)}
	w.org = &survey.Organisation{Slug: "acme", Name: "Acme & Co", MinGroupSize: 5, CommentThreshold: 5}
	databasetest.Must(t, db.Create(w.org).Error)
	for _, p := range []roster.Person{
		{Email: "sam@acme.test", Name: "Sam", Function: roster.FunctionSales, Team: "North"},
		{Email: "sue@acme.test", Name: "Sue", Function: roster.FunctionSales, Team: "South"},
		{Email: "pat@acme.test", Name: "Pat", Function: roster.FunctionProduct, Team: "Core"},
		{Email: "pia@acme.test", Name: "Pia", Function: roster.FunctionProduct, Team: "Core"},
		{Email: "eve@acme.test", Name: "Eve", Function: roster.FunctionEngineering, Team: "Core"},
		{Email: "old@acme.test", Name: "Old", Function: roster.FunctionSales, Team: "North", Active: false},
	} {
		p.OrgID = w.org.ID
		databasetest.Must(t, db.Create(&p).Error)
		if p.Email == "old@acme.test" { // GORM skips a false default on create
			databasetest.Must(t, db.Model(&p).Update("active", false).Error)
		}
		w.people[strings.TrimSuffix(p.Email, "@acme.test")] = &p
	}
	form := survey.ScheduleForm{Name: "Monthly pulse", Cadence: survey.CadenceMonthly, StartDate: "2026-03-02", SendTime: "09:00",
		TimeZone: "Europe/Berlin", WindowDays: "7", ReminderDays: "3, 5", Functions: []string{"sales", "product"}, Active: true}
	w.sched = &survey.Schedule{}
	if errs := form.Parse(w.sched); len(errs) > 0 {
		t.Fatalf("schedule form: %v", errs)
	}
	databasetest.Must(t, survey.SaveSchedule(context.Background(), db, w.org, w.sched, w.created))
	var err error
	w.s, err = survey.NewScheduler(db, w.outbox, notifytest.Emails(t), &url.URL{Scheme: "https", Host: "accord.example"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	databasetest.Must(t, err)
	w.s.OnClose = func(ctx context.Context, tx *gorm.DB, r *survey.Round) error {
		if r.Status != survey.RoundClosed {
			return fmt.Errorf("OnClose saw status %s", r.Status)
		}
		w.closed.Add(1)
		return nil
	}
	return w
}

func (w *world) tick(t *testing.T, now time.Time) {
	t.Helper()
	if err := w.s.Tick(context.Background(), now); err != nil {
		t.Fatalf("Tick(%s): %v", now, err)
	}
}

func (w *world) rounds(t *testing.T) []survey.Round {
	t.Helper()
	var rs []survey.Round
	databasetest.Must(t, w.db.Order("opens_at").Find(&rs).Error)
	return rs
}

// mails returns the outbox messages of kind, by recipient.
func (w *world) mails(t *testing.T, kind string) map[string][]mail.Message {
	t.Helper()
	var ms []mail.Message
	databasetest.Must(t, w.db.Where("kind = ?", kind).Order("id").Find(&ms).Error)
	by := map[string][]mail.Message{}
	for _, m := range ms {
		by[m.To] = append(by[m.To], m)
	}
	return by
}

var linkToken = regexp.MustCompile(`https://accord\.example/s/([A-Za-z0-9_-]{43})`)

// token returns the survey token in an email's text body.
func token(t *testing.T, m mail.Message) string {
	t.Helper()
	match := linkToken.FindStringSubmatch(m.Text)
	if match == nil || !strings.Contains(m.HTML, match[0]) {
		t.Fatalf("no personal link in both bodies of %q:\n%s", m.Subject, m.Text)
	}
	return match[1]
}

func recipients(by map[string][]mail.Message) string {
	var to []string
	for addr, ms := range by {
		to = append(to, fmt.Sprintf("%s×%d", strings.TrimSuffix(addr, "@acme.test"), len(ms)))
	}
	return fmt.Sprint(sortStrings(to))
}

func sortStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

func TestTickCreatesEachRoundOnceAndOpensItOnTime(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, w.created)
		w.tick(t, w.created)
		rs := w.rounds(t)
		if len(rs) != 1 || rs[0].Status != survey.RoundScheduled || !rs[0].OpensAt.Equal(open1) || !rs[0].ClosesAt.Equal(close1) {
			t.Fatalf("after two ticks before the start: %+v; want one scheduled round %s–%s", rs, open1, close1)
		}
		w.tick(t, open1.Add(-time.Second))
		if n := len(w.mails(t, mail.KindInvitation)); n != 0 {
			t.Fatalf("%d invitations a second before opening", n)
		}
		// Eight replicas tick at the opening instant.
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() { errs <- w.s.Tick(context.Background(), open1) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent Tick: %v", err)
			}
		}
		rs = w.rounds(t)
		if len(rs) != 2 || rs[0].Status != survey.RoundOpen || rs[1].Status != survey.RoundScheduled || !rs[1].OpensAt.Equal(open2) {
			t.Fatalf("rounds after opening: %+v; want March open and April planned at %s", rs, open2)
		}
		if got, want := recipients(w.mails(t, mail.KindInvitation)), "[pat×1 pia×1 sam×1 sue×1]"; got != want {
			t.Fatalf("invitations went to %s, want %s (sales and product, active, once each)", got, want)
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.Invitation{}).Where("round_id = ?", rs[0].ID).Count(&n).Error)
		if n != 4 {
			t.Fatalf("%d invitations stored, want 4", n)
		}
	})
}

func TestInvitationEmailCarriesAWorkingLinkAndTheDeadline(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.tick(t, open1)
		m := w.mails(t, mail.KindInvitation)["sam@acme.test"][0]
		for _, want := range []string{"Hello Sam", "Acme & Co", "Monday 9 March 2026, 09:00 (Europe/Berlin time)",
			"stored without your name or email address", "at least 5 people"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("text body lacks %q:\n%s", want, m.Text)
			}
		}
		if !strings.Contains(m.HTML, "Acme &amp; Co") || strings.Contains(m.HTML, "Acme & Co") {
			t.Errorf("HTML body does not escape the organisation's name")
		}
		if m.RoundID == nil || m.InvitationID == nil || m.OrgID == nil || *m.OrgID != w.org.ID {
			t.Errorf("message not linked to its round and invitation: %+v", m)
		}
		s, err := survey.LoadSurvey(context.Background(), db, secret, token(t, m), open1.Add(time.Hour))
		databasetest.Must(t, err)
		if s.Round.ID != *m.RoundID || s.Org.ID != w.org.ID {
			t.Fatalf("the emailed link opens round %d, want %d", s.Round.ID, *m.RoundID)
		}
		var inv survey.Invitation
		databasetest.Must(t, db.Take(&inv, *m.InvitationID).Error)
		if inv.PersonID != w.people["sam"].ID || inv.Team != "North" {
			t.Fatalf("invitation %+v is not Sam's", inv)
		}
	})
}

// TestRoundAsksTheQuestionnaireAsItIsWhenItOpens: a question added after
// a round was planned is in it; one added while it runs is not.
func TestRoundAsksTheQuestionnaireAsItIsWhenItOpens(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.tick(t, w.created)
		likert := survey.QuestionInput{Kind: survey.KindLikert, Prompt: "Roadmaps are shared early."}
		v2, err := survey.AddQuestion(ctx, db, w.org.ID, 1, likert)
		databasetest.Must(t, err)
		w.tick(t, open1)
		likert.Prompt = "Pricing changes are explained."
		_, err = survey.AddQuestion(ctx, db, w.org.ID, 2, likert)
		databasetest.Must(t, err)
		if r := w.rounds(t)[0]; r.InstrumentID != v2.ID {
			t.Fatalf("the open round asks instrument %d, want version 2 (%d)", r.InstrumentID, v2.ID)
		}
		s, err := survey.LoadSurvey(ctx, db, secret, token(t, w.mails(t, mail.KindInvitation)["sam@acme.test"][0]), open1)
		databasetest.Must(t, err)
		if n := len(s.Questions); n != len(survey.PulseQuestions())+1 {
			t.Fatalf("the survey has %d questions, want the pulse and one of the organisation's", n)
		}
	})
}
