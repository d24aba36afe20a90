// Package textcheck holds the checks and clean-ups every form applies to
// typed text: invisible control characters, line breaks in one-line
// fields, and values a spreadsheet would run as a formula. It imports
// nothing from Accord, so any package may import it.
package textcheck

import (
	"fmt"
	"strings"
	"unicode"
)

// ControlMessage returns a field message when s holds a control character
// (NUL, escape, DEL, C1 …): invisible, mostly pasted from another program,
// and NUL cannot be stored in PostgreSQL at all. Multi-line fields may hold
// line breaks and tabs. "" when s is clean.
func ControlMessage(label, s string, multiline bool) string {
	i := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	})
	if i < 0 {
		return ""
	}
	r := []rune(s[i:])[0]
	return fmt.Sprintf("%s contains an invisible control character (U+%04X), often left by copying from another program. Remove it.", label, r)
}
