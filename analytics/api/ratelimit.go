package api

import (
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"accord/survey/apperr"
	"accord/survey/ratelimit"
)

// Rate limits of the API.
//
// Refused tokens are counted in the database against the client address
// (survey.Limit, shared by every replica and kept across restarts), which
// slows down anyone trying tokens at random; only refusals pay the write.
//
// Accepted requests are counted per account (all its tokens together, so
// more tokens buy no more requests) in this process's memory. Counting
// them in the database as well would cost a committed write per request:
// 1.1 to 2.1 ms on PostgreSQL (the WAL flush), where the whole request
// otherwise takes about 0.8 ms, and 0.2 ms on SQLite, where it takes 0.55
// ms (BenchmarkAPIRequest). The limit protects the server from a runaway
// script, not a secret, so a budget per replica is enough.
const (
	// AccountRate is the sustained number of requests a second per account.
	AccountRate = 10
	// AccountBurst is how many requests an account may make at once.
	AccountBurst = 120
)

var badTokenLimit = ratelimit.Limit{Name: "api-bad-token", Max: 30, Window: 15 * time.Minute}

// accountLimits holds one token bucket per account that has called the
// API since the process started: at most one per account.
type accountLimits struct {
	mu      sync.Mutex
	buckets map[int64]*rate.Limiter
}

// wait takes one request from the account's bucket at now and returns 0,
// or how long until one would be available (taking nothing).
func (l *accountLimits) wait(accountID int64, now time.Time) time.Duration {
	l.mu.Lock()
	b := l.buckets[accountID]
	if b == nil {
		if l.buckets == nil {
			l.buckets = map[int64]*rate.Limiter{}
		}
		b = rate.NewLimiter(AccountRate, AccountBurst)
		l.buckets[accountID] = b
	}
	l.mu.Unlock()
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// tooMany is the 429 answer: the error, whose message has one %s for how
// long to wait, and its Retry-After header.
func tooMany(c echo.Context, wait time.Duration, message string) error {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	words := ratelimit.Verdict{RetryAfter: wait}.Wait()
	return &ratelimit.LimitError{Err: apperr.Errorf(apperr.ETOOMANY, message, words), RetryAfter: wait}
}
