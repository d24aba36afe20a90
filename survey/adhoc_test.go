package survey_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/roster"
)

// A round started by hand on Wednesday 11 February 2026, before the
// world's schedule plans anything.
var adhocStart = utc(2026, 2, 11, 10, 0)

func adhoc(title string, days int, reminders ...int) survey.AdHocRound {
	return survey.AdHocRound{Title: title, ClosesIn: time.Duration(days) * 24 * time.Hour, ReminderDays: reminders}
}

// TestStartRoundInvitesRemindsAndCloses runs a round started by hand
// through the scheduler's machinery: invitations to the chosen audience
// only, the reminder to those who did not answer, the close at the deadline.
func TestStartRoundInvitesRemindsAndCloses(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		spec := adhoc("Kick-off pulse", 5, 2)
		spec.Functions = []string{roster.FunctionSales, roster.FunctionEngineering}
		p, err := survey.PreviewRound(ctx, db, w.org, spec, adhocStart)
		databasetest.Must(t, err)
		if p.Problem != nil || p.Invited != 3 || len(p.ByFunction) != 2 || p.ByFunction[0] != (survey.FunctionCount{Function: "sales", People: 2}) {
			t.Fatalf("preview = %+v; want 3 invited (2 active sales, 1 engineering), no problem", p)
		}
		r, invited, err := w.s.StartRound(ctx, w.org, spec, adhocStart)
		databasetest.Must(t, err)
		if invited != 3 || r.Status != survey.RoundOpen || !r.ClosesAt.Equal(adhocStart.Add(5*24*time.Hour)) {
			t.Fatalf("StartRound = %+v, %d invited", r, invited)
		}
		inv := w.mails(t, mail.KindInvitation)
		if got, want := recipients(inv), "[eve×1 sam×1 sue×1]"; got != want {
			t.Fatalf("invitations went to %s, want %s", got, want)
		}
		answer(t, db, inv["sam@acme.test"][0], adhocStart.Add(time.Hour))

		w.tick(t, adhocStart.Add(47*time.Hour))
		if n := len(w.mails(t, mail.KindReminder)); n != 0 {
			t.Fatalf("%d reminders before day 2", n)
		}
		w.tick(t, adhocStart.Add(48*time.Hour))
		w.tick(t, adhocStart.Add(49*time.Hour))
		if got, want := recipients(w.mails(t, mail.KindReminder)), "[eve×1 sue×1]"; got != want {
			t.Fatalf("reminders went to %s, want %s (not Sam, who answered)", got, want)
		}
		w.tick(t, r.ClosesAt)
		var after survey.Round
		databasetest.Must(t, db.Take(&after, r.ID).Error)
		if after.Status != survey.RoundClosed || w.closed.Load() != 1 {
			t.Fatalf("at the deadline the round is %s, OnClose ran %d times", after.Status, w.closed.Load())
		}
	})
}

func TestStartRoundRefusesWithAReason(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		marketing := adhoc("Marketing only", 7)
		marketing.Functions = []string{roster.FunctionMarketing}
		for _, tt := range []struct {
			spec survey.AdHocRound
			want string
		}{
			{adhoc("", 7), "Give the round a title"},
			{adhoc("Nul\x00title", 7), "control character"},
			{adhoc("Short", 0), "at least an hour"},
			{adhoc("Long", 91), "at most 90 days"},
			{adhoc("Late reminder", 3, 3), "reminder on day 3"},
			{marketing, "Nobody active on the roster is in the chosen functions"},
		} {
			p, err := survey.PreviewRound(ctx, db, w.org, tt.spec, adhocStart)
			databasetest.Must(t, err)
			_, _, startErr := w.s.StartRound(ctx, w.org, tt.spec, adhocStart)
			for _, err := range []error{p.Problem, startErr} {
				if apperr.ErrorCode(err) != apperr.EINVALID || !strings.Contains(apperr.ErrorMessage(err), tt.want) {
					t.Errorf("%q: got %v, want EINVALID saying %q", tt.spec.Title, err, tt.want)
				}
			}
		}
		if _, _, err := w.s.StartRound(ctx, w.org, adhoc("First", 7), adhocStart); err != nil {
			t.Fatal(err)
		}
		_, _, err := w.s.StartRound(ctx, w.org, adhoc("Second", 7), adhocStart.Add(time.Hour))
		if apperr.ErrorCode(err) != apperr.EINVALID || !strings.Contains(apperr.ErrorMessage(err), `"First" is still open`) {
			t.Fatalf("second round while the first is open: %v", err)
		}
		// The schedule's first round opens on 2 March: a round from 25
		// February for 7 days would overlap it.
		_, err = w.s.CloseNow(ctx, w.org.ID, w.rounds(t)[0].ID, adhocStart.Add(2*time.Hour))
		databasetest.Must(t, err)
		w.tick(t, utc(2026, 2, 25, 10, 0))
		_, _, err = w.s.StartRound(ctx, w.org, adhoc("Overlapping", 7), utc(2026, 2, 25, 10, 0))
		if apperr.ErrorCode(err) != apperr.EINVALID || !strings.Contains(apperr.ErrorMessage(err), "planned round") {
			t.Fatalf("round overlapping a planned one: %v", err)
		}
		if _, _, err := w.s.StartRound(ctx, w.org, adhoc("Fits before", 4), utc(2026, 2, 25, 10, 0)); err != nil {
			t.Fatalf("a round closing before the planned one opens: %v", err)
		}
	})
}

// TestConcurrentStartsOpenOneRound: two consultants pressing "Start" at
// the same moment get one round, not two.
func TestConcurrentStartsOpenOneRound(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { _, _, errs[i] = w.s.StartRound(context.Background(), w.org, adhoc("Race", 7), adhocStart) })
		}
		wg.Wait()
		started := 0
		for _, err := range errs {
			if err == nil {
				started++
			} else if apperr.ErrorCode(err) != apperr.EINVALID {
				t.Errorf("unexpected error: %v", err)
			}
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.Round{}).Where("status = ?", survey.RoundOpen).Count(&n).Error)
		if started != 1 || n != 1 {
			t.Fatalf("%d starts succeeded, %d rounds open; want 1 and 1", started, n)
		}
	})
}
