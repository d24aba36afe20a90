package survey

import (
	"fmt"
	"strings"
	"unicode"
)

// controlMessage returns a field message when s holds a control character
// (NUL, escape, DEL, C1 …): invisible, mostly pasted from another program,
// and NUL cannot be stored in PostgreSQL at all. Multi-line fields may hold
// line breaks and tabs. "" when s is clean.
func controlMessage(label, s string, multiline bool) string {
	i := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	})
	if i < 0 {
		return ""
	}
	r := []rune(s[i:])[0]
	return fmt.Sprintf("%s contains an invisible control character (U+%04X), often left by copying from another program. Remove it.", label, r)
}
