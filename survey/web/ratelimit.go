package web

import (
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"accord/survey/apperr"
	"accord/survey/ratelimit"
)

// LimitUnknownLinks slows down guessing respondent links: a client address
// that asked for too many unknown links in the last minute gets 429 for a
// while, even for a right one. Known links are not counted, so a whole
// office answering from behind one address is never held up.
//
// Unknown links are counted in the database, so every replica adds to the
// same count, but only a miss reads the count: the verdict is kept in this
// replica's memory and refuses the address's next requests without a
// query. Respondents with right links, nearly every request, never wait
// for the limit; a guesser gets at most one more miss per replica.
func (a *App) LimitUnknownLinks(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		addr, now := c.RealIP(), a.Now()
		if wait, blocked := a.linkGuessers.blocked(addr, now); blocked {
			return tooManyUnknownLinks(c, ratelimit.Verdict{RetryAfter: wait})
		}
		err := next(c)
		if apperr.ErrorCode(err) != apperr.ENOTFOUND {
			return err
		}
		v, herr := ratelimit.UnknownLinkLimit.Take(c.Request().Context(), a.DB, addr, now)
		if herr != nil {
			a.Log.Error("count unknown link", "err", herr)
			return err
		}
		if !v.Allowed {
			a.linkGuessers.block(addr, now.Add(v.RetryAfter), now)
			return tooManyUnknownLinks(c, v)
		}
		return err
	}
}

func tooManyUnknownLinks(c echo.Context, v ratelimit.Verdict) error {
	err := &ratelimit.LimitError{RetryAfter: v.RetryAfter, Err: apperr.Errorf(apperr.ETOOMANY,
		"Too many unknown survey links were opened from your network. Wait %s and open your link again.", v.Wait())}
	setRetryAfter(c, err)
	return err
}

// blockList is this replica's memory of the addresses a limit refused and
// until when.
type blockList struct {
	mu    sync.Mutex
	until map[string]time.Time
}

// maxBlocked bounds the memory a flood of addresses can take: past it,
// expired entries are dropped, and if none have expired the list starts
// afresh (those addresses are found again at their next miss).
const maxBlocked = 100_000

func newBlockList() *blockList { return &blockList{until: map[string]time.Time{}} }

// blocked reports whether addr is refused at now, and for how long.
func (b *blockList) blocked(addr string, now time.Time) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	until, ok := b.until[addr]
	if !ok {
		return 0, false
	}
	if !now.Before(until) {
		delete(b.until, addr)
		return 0, false
	}
	return until.Sub(now), true
}

// block refuses addr until the given time.
func (b *blockList) block(addr string, until, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.until) >= maxBlocked {
		for k, u := range b.until {
			if !now.Before(u) {
				delete(b.until, k)
			}
		}
		if len(b.until) >= maxBlocked {
			clear(b.until)
		}
	}
	b.until[addr] = until
}

// noReferrer keeps a page's secret link (a token in its address) out of
// the Referer header of anything the page loads or links to.
func noReferrer(c echo.Context) {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
}
