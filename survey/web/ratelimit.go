package web

import (
	"net"

	"github.com/labstack/echo/v4"

	"accord/survey"
)

// ClientIP returns how the client address is found. With no trusted proxy
// it is the connection's peer, and X-Forwarded-For is ignored: anyone can
// write that header, and believing it would let one client pose as many to
// dodge the rate limits. Behind proxies, X-Forwarded-For is read from the
// right, skipping only the listed proxies; Echo's defaults of trusting
// every loopback, link-local and private address are turned off, so a
// client on the same private network cannot forge its address either.
func ClientIP(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// limitUnknownLinks slows down guessing respondent links: a client address
// that asked for too many unknown links in the last minute gets 429 for a
// while, even for a right one. Known links are not counted, so a whole
// office answering from behind one address is never held up.
func (a *App) limitUnknownLinks(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, addr := c.Request().Context(), c.RealIP()
		v, err := survey.UnknownLinkLimit.Check(ctx, a.DB, addr, a.Now())
		if err != nil {
			return err
		} else if !v.Allowed {
			err := &survey.LimitError{RetryAfter: v.RetryAfter, Err: survey.Errorf(survey.ETOOMANY,
				"Too many unknown survey links were opened from your network. Wait %s and open your link again.", v.Wait())}
			setRetryAfter(c, err)
			return err
		}
		err = next(c)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			if herr := survey.UnknownLinkLimit.Hit(ctx, a.DB, addr, a.Now()); herr != nil {
				a.Log.Error("count unknown link", "err", herr)
			}
		}
		return err
	}
}

// noReferrer keeps a page's secret link (a token in its address) out of
// the Referer header of anything the page loads or links to.
func noReferrer(c echo.Context) {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
}
