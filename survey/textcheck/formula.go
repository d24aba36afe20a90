package textcheck

import (
	"fmt"
	"strings"
)

// SpreadsheetSafe prefixes a cell that a spreadsheet would run as a formula
// with a single quote, which makes spreadsheets show it as text.
func SpreadsheetSafe(s string) string {
	if StartsLikeFormula(s) {
		return "'" + s
	}
	return s
}

// OneLine joins the words of s with single spaces: names typed with line
// breaks must not split an email header or a table row.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// FormulaPrefixes are the first characters that make a spreadsheet program
// treat a cell as a formula ("CSV injection"). Roster values may not start
// with them, and exports neutralise any that do.
const FormulaPrefixes = "=+-@\t\r"

// StartsLikeFormula reports whether a spreadsheet would read s as a formula.
func StartsLikeFormula(s string) bool {
	return s != "" && strings.ContainsRune(FormulaPrefixes, rune(s[0]))
}

// FormulaMessage is the field message for a value s that starts like a formula.
func FormulaMessage(s string) string {
	return fmt.Sprintf("Starts with %q: spreadsheet programs treat such a cell as a formula, which can run commands "+
		"on the computer of whoever opens the file. Remove the leading character.", s[:1])
}
