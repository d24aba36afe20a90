package main

import (
	"fmt"
	"io"
	"math"
	"net"
	"slices"
	"sort"
	"strconv"
	"strings"

	"accord/analytics/report"
	"accord/survey/mail"
)

// knownVariables are the ACCORD_* variables Accord reads (DESIGN §8 and the
// README); any other is reported at start, since a misspelt one is
// otherwise silently ignored.
var knownVariables = []string{
	"ACCORD_DATABASE_URL", "ACCORD_ADDR", "ACCORD_BASE_URL", "ACCORD_SMTP_URL", "ACCORD_SMTP_RATE",
	"ACCORD_MAIL_FROM", "ACCORD_SECRET_KEY", "ACCORD_ADMIN_EMAIL", "ACCORD_ADMIN_PASSWORD",
	"ACCORD_LOG_FORMAT", "ACCORD_CHROMIUM", "ACCORD_TRUSTED_PROXIES", "ACCORD_DB_MAX_CONNS",
	"ACCORD_METRICS_TOKEN", "ACCORD_METRICS_ADDR",
	"ACCORD_OIDC_ISSUER", "ACCORD_OIDC_CLIENT_ID", "ACCORD_OIDC_CLIENT_SECRET", "ACCORD_PASSWORD_LOGIN",
}

// unknownVariables returns a warning for each ACCORD_* variable in environ
// that Accord does not read, naming the known one it most resembles.
// ACCORD_TEST_* variables belong to the test suite and pass.
func unknownVariables(environ []string) []string {
	var warnings []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "ACCORD_") || strings.HasPrefix(name, "ACCORD_TEST_") || slices.Contains(knownVariables, name) {
			continue
		}
		w := fmt.Sprintf("%s is not a variable Accord reads; it is ignored", name)
		if near := nearest(name); near != "" {
			w += fmt.Sprintf(" (did you mean %s?)", near)
		}
		warnings = append(warnings, w)
	}
	sort.Strings(warnings)
	return warnings
}

// warnUnknownVariables writes unknownVariables to w, one line each.
func warnUnknownVariables(w io.Writer, environ []string) {
	for _, warning := range unknownVariables(environ) {
		fmt.Fprintln(w, "accord: warning:", warning)
	}
}

// nearest returns the known variable within a few edits of name, if any.
func nearest(name string) string {
	best, bestDist := "", 4
	for _, k := range knownVariables {
		if d := editDistance(name, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// Bounds of ACCORD_SMTP_RATE: below one message a minute a round would take
// weeks to send (and tiny values overflow the delivery timeout).
const (
	minSMTPRate = 1.0 / 60
	maxSMTPRate = 100000
)

// loadSMTPRate reads ACCORD_SMTP_RATE, messages per second; 0 is no limit.
func loadSMTPRate(getenv func(string) string, bad func(name, format string, args ...any)) float64 {
	v := getenv("ACCORD_SMTP_RATE")
	if v == "" {
		return mail.DefaultRate
	}
	r, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(r) || r < 0 || r > maxSMTPRate || (r > 0 && r < minSMTPRate) {
		bad("ACCORD_SMTP_RATE", "%q is not a number of messages per second from %.3f (one a minute) to %d, like 20 (0 for no limit)",
			v, minSMTPRate, maxSMTPRate)
		return mail.DefaultRate
	}
	return r
}

// refuseCatchAll rejects a trusted proxy network that covers every address
// (0.0.0.0/0, ::/0): then any client could name its own address in
// X-Forwarded-For and escape the rate limits.
func refuseCatchAll(nets []*net.IPNet) error {
	for _, n := range nets {
		if ones, _ := n.Mask.Size(); ones == 0 {
			return fmt.Errorf("%s trusts every address, so any client could pick its own with X-Forwarded-For; "+
				"list only your reverse proxies' networks, like 10.0.0.0/8", n)
		}
	}
	return nil
}

// warnChromium says at start when PDF reports will not work, rather than
// at the first request for one.
func warnChromium(w io.Writer, getenv func(string) string) {
	if _, err := report.FindChromium(getenv); err != nil {
		fmt.Fprintln(w, "accord: warning:", err)
	}
}
