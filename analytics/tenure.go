package analytics

import (
	"regexp"
	"strconv"
	"strings"
)

// Tenure bands are free text on the roster ("<1 year", "1-2 years", "3y+",
// "6 months"), so their order comes from the first number they hold, in
// years: a band "under" a number comes before the bands starting at it, a
// band "over" it after them. Bands without a number follow, by name.

var firstNumber = regexp.MustCompile(`\d+(\.\d+)?`)

// tenureKey returns the position of a tenure band on a scale of years, and
// false when the band holds no number.
func tenureKey(band string) (float64, bool) {
	s := strings.ToLower(strings.TrimSpace(band))
	loc := firstNumber.FindStringIndex(s)
	if loc == nil {
		return 0, false
	}
	n, err := strconv.ParseFloat(s[loc[0]:loc[1]], 64)
	if err != nil {
		return 0, false
	}
	if strings.Contains(s[loc[1]:], "month") {
		n /= 12
	}
	before, after := s[:loc[0]], s[loc[1]:]
	switch {
	case strings.Contains(before, "<") || strings.Contains(before, "under") || strings.Contains(before, "less") || strings.Contains(before, "up to"):
		n -= 0.001
	case strings.HasPrefix(strings.TrimLeft(after, " yearsmonth"), "+") || strings.Contains(before, ">") ||
		strings.Contains(before, "over") || strings.Contains(before, "more"):
		n += 0.001
	}
	return n, true
}

// compareTenure orders two tenure bands by tenureKey; ok is false when
// either holds no number, leaving the order to their names.
func compareTenure(a, b string) (c int, ok bool) {
	ka, oka := tenureKey(a)
	kb, okb := tenureKey(b)
	switch {
	case oka && okb && ka != kb:
		if ka < kb {
			return -1, true
		}
		return 1, true
	case oka != okb:
		if oka {
			return -1, true
		}
		return 1, true
	}
	return 0, false
}
