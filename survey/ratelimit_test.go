package survey_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/ratelimit"
)

func TestLimitTakeRefusesAfterMaxAndSlides(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		l := ratelimit.Limit{Name: "test", Max: 3, Window: 15 * time.Minute}
		start := utc(2026, 3, 10, 9, 0)
		for i := range 3 {
			v, err := l.Take(ctx, db, "a@x.test", start.Add(time.Duration(i)*time.Minute))
			databasetest.Must(t, err)
			if !v.Allowed {
				t.Fatalf("attempt %d refused, want allowed", i+1)
			}
		}
		v, err := l.Take(ctx, db, "a@x.test", start.Add(5*time.Minute))
		databasetest.Must(t, err)
		if v.Allowed {
			t.Fatal("fourth attempt in 15 minutes allowed")
		}
		// Attempts at 9:00, 9:01, 9:02 and 9:05: at 9:16 the first two have
		// left the window, leaving two, so one more fits.
		if want := 11 * time.Minute; v.RetryAfter != want {
			t.Errorf("RetryAfter = %v, want %v", v.RetryAfter, want)
		}
		if v.Wait() != "11 minutes" {
			t.Errorf("Wait() = %q", v.Wait())
		}
		if other, _ := l.Check(ctx, db, "b@x.test", start.Add(5*time.Minute)); !other.Allowed {
			t.Error("another key is limited too")
		}
		if v, _ := l.Check(ctx, db, "a@x.test", start.Add(15*time.Minute)); v.Allowed {
			t.Error("allowed at 9:15, while three attempts are still in the window")
		}
		if v, _ := l.Check(ctx, db, "a@x.test", start.Add(16*time.Minute)); !v.Allowed {
			t.Errorf("refused at 9:16 (retry after %v), want allowed once RetryAfter has passed", v.RetryAfter)
		}
		databasetest.Must(t, l.Clear(ctx, db, "a@x.test"))
		if v, _ := l.Check(ctx, db, "a@x.test", start.Add(6*time.Minute)); !v.Allowed {
			t.Error("still refused after Clear")
		}
	})
}

func TestLimitCheckAndForgiveDoNotCount(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx, now := t.Context(), utc(2026, 3, 10, 9, 0)
		l := ratelimit.Limit{Name: "test", Max: 2, Window: time.Minute}
		for range 5 {
			if v, _ := l.Check(ctx, db, "k", now); !v.Allowed {
				t.Fatal("Check counted an attempt")
			}
		}
		for range 5 { // five right logins, each forgiven
			v, err := l.Take(ctx, db, "k", now)
			databasetest.Must(t, err)
			if !v.Allowed {
				t.Fatal("a forgiven attempt still counts")
			}
			databasetest.Must(t, l.Forgive(ctx, db, "k", now))
		}
	})
}

// TestLimitHoldsUnderConcurrency fires many attempts at once: counting
// before deciding means no more than Max get through.
func TestLimitHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		l := ratelimit.Limit{Name: "test", Max: 5, Window: 15 * time.Minute}
		now := utc(2026, 3, 10, 9, 0)
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for range 30 {
			wg.Go(func() {
				v, err := l.Take(t.Context(), db, "victim@x.test", now)
				if err != nil {
					t.Error(err)
					return
				}
				if v.Allowed {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		// Every attempt counts before it looks, so a burst may even be
		// refused entirely; it never gets more than Max guesses through.
		if allowed > l.Max {
			t.Fatalf("%d of 30 simultaneous attempts allowed, want at most %d", allowed, l.Max)
		}
		if v, _ := l.Check(t.Context(), db, "victim@x.test", now); v.Allowed {
			t.Fatal("allowed again right after the burst")
		}
	})
}

func TestVerdictWait(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		time.Second: "1 second", 40 * time.Second: "40 seconds", 61 * time.Second: "2 minutes",
		time.Hour: "60 minutes", 14*time.Minute + time.Second: "15 minutes",
	} {
		if got := (ratelimit.Verdict{RetryAfter: d}).Wait(); got != want {
			t.Errorf("Wait(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestLoginLimitsPerAccountAndAddress(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx, now := t.Context(), utc(2026, 3, 10, 9, 0)
		mustAccount(t, db, "lead@acme.test", account.RoleLeader)
		for i := range ratelimit.LoginAccountLimit.Max {
			_, err := account.Login(ctx, db, "lead@acme.test", "wrong password!", "192.0.2.1", now)
			if apperr.ErrorCode(err) != apperr.EUNAUTH {
				t.Fatalf("failed login %d: %v, want EUNAUTH", i+1, err)
			}
		}
		_, err := account.Login(ctx, db, "lead@acme.test", password, "192.0.2.2", now)
		if apperr.ErrorCode(err) != apperr.ETOOMANY {
			t.Fatalf("right password after 5 failures: %v, want ETOOMANY", err)
		}
		// An unknown address is limited the same way: the answer tells nothing.
		for range ratelimit.LoginAccountLimit.Max {
			account.Login(ctx, db, "nobody@acme.test", "wrong password!", "192.0.2.3", now)
		}
		if _, err := account.Login(ctx, db, "nobody@acme.test", "x", "192.0.2.4", now); apperr.ErrorCode(err) != apperr.ETOOMANY {
			t.Fatalf("unknown email after 5 failures: %v, want ETOOMANY", err)
		}
		later := now.Add(ratelimit.LoginAccountLimit.Window)
		if _, err := account.Login(ctx, db, "lead@acme.test", password, "192.0.2.2", later); err != nil {
			t.Fatalf("login after the window: %v", err)
		}
		// Per address: 20 failures from one address, over many emails so
		// that no account limit is reached, then a right password.
		for i := range ratelimit.LoginAddressLimit.Max {
			email := fmt.Sprintf("guess%d@acme.test", i)
			if _, err := account.Login(ctx, db, email, "wrong password!", "192.0.2.9", now); apperr.ErrorCode(err) != apperr.EUNAUTH {
				t.Fatalf("failure %d from one address: %v", i+1, err)
			}
		}
		_, err = account.Login(ctx, db, "lead@acme.test", password, "192.0.2.9", now)
		if apperr.ErrorCode(err) != apperr.ETOOMANY || !strings.Contains(apperr.ErrorMessage(err), "your network") {
			t.Fatalf("21st attempt from one address: %v, want ETOOMANY about the network", err)
		}
		if _, err := account.Login(ctx, db, "lead@acme.test", password, "192.0.2.10", now); err != nil {
			t.Fatalf("the same account from another address: %v", err)
		}
	})
}

// BenchmarkUnknownLinkCheck is the cost every respondent request pays for
// the unknown-link limit: one indexed read of rate_counts.
func BenchmarkUnknownLinkCheck(b *testing.B) {
	for _, dialect := range databasetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := databasetest.Open(b, dialect)
			now := utc(2026, 3, 10, 9, 0)
			for i := range 1000 { // other addresses' counts in the table
				databasetest.Must(b, ratelimit.UnknownLinkLimit.Hit(b.Context(), db, fmt.Sprintf("198.51.100.%d", i), now))
			}
			for b.Loop() {
				if _, err := ratelimit.UnknownLinkLimit.Check(b.Context(), db, "203.0.113.1", now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
