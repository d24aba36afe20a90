package webkit

import (
	"net"

	"github.com/labstack/echo/v4"
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
