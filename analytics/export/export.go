// Package export writes Accord's numbers as files people take away: CSV,
// XLSX and JSON tables of aggregates and of anonymised responses. Every
// format is written row by row to an io.Writer as the rows are read from
// the database, never built whole in memory, and every text cell a
// spreadsheet could read as a formula is neutralised.
package export

import (
	"io"
	"math"
	"strings"
	"time"

	"accord/survey/apperr"
)

// Format is a file format of the exports.
type Format string

// The formats every table export is written in.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
	JSON Format = "json"
)

// Formats lists the table formats in the order pages offer them.
var Formats = []Format{CSV, XLSX, JSON}

// ParseFormat reads a format name as a URL or flag gives it.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case CSV, XLSX, JSON:
		return f, nil
	}
	return "", apperr.Errorf(apperr.EINVALID, "Unknown export format %q: choose csv, xlsx or json.", s)
}

// ContentType is the media type of the format.
func (f Format) ContentType() string {
	switch f {
	case CSV:
		return "text/csv; charset=utf-8"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/json"
}

// Kind says how a value is written: as text or as which kind of number.
type Kind uint8

// Kinds of values. Numbers are written as numbers, so spreadsheets can
// compute with them; only the displayed format differs.
const (
	Empty   Kind = iota // no value: an empty cell, null in JSON
	Text                // a string, neutralised in CSV and XLSX
	Number              // a decimal, shown with one decimal in XLSX
	Integer             // a count
	Percent             // a fraction 0–1, shown as a percentage in XLSX
	Day                 // a date: ISO 8601 text in CSV and JSON, a date cell in XLSX
)

// Value is one cell.
type Value struct {
	Kind Kind
	Text string
	Num  float64
}

// Str is a text value.
func Str(s string) Value { return Value{Kind: Text, Text: s} }

// Num is a number; NaN and infinities are empty.
func Num(x float64) Value { return number(Number, x) }

// Pct is a fraction shown as a percentage; NaN and infinities are empty.
func Pct(x float64) Value { return number(Percent, x) }

// Int is a count.
func Int(n int) Value { return Value{Kind: Integer, Num: float64(n)} }

// Date is the day of t (UTC): ISO 8601 text (2026-03-10) in CSV and JSON,
// the same in every locale, and a real date in XLSX, so that spreadsheets
// sort and filter it as one. The zero time is empty.
func Date(t time.Time) Value {
	if t.IsZero() {
		return Value{}
	}
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return Value{Kind: Day, Text: day.Format(time.DateOnly), Num: day.Sub(excelEpoch).Hours() / 24}
}

// excelEpoch is day 0 of spreadsheet dates (the 1900 date system, as
// Excel, LibreOffice and Google Sheets count it after 1 March 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func number(k Kind, x float64) Value {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Value{}
	}
	return Value{Kind: k, Num: x}
}

// Column is one column of a table: Key names it in CSV headers and JSON
// objects, Title in spreadsheets.
type Column struct {
	Key, Title string
	Width      float64 // XLSX column width in characters; 0 for the default
}

// Meta describes an export: XLSX shows it on a first sheet, JSON in a
// "meta" object; CSV has no place for it.
type Meta struct {
	Title     string
	Generated time.Time
	Notes     []string // sentences that explain the numbers
	Sheet     string   // the XLSX data sheet's name; "Data" when empty
}

// Writer writes one table, row by row. The file is complete only after
// Close, which does not close the underlying io.Writer.
type Writer interface {
	// Row writes one row, one value per column.
	Row(values []Value) error
	Close() error
}

// NewWriter returns a writer of format f to w.
func NewWriter(f Format, w io.Writer, meta Meta, cols []Column) (Writer, error) {
	switch f {
	case CSV:
		return newCSV(w, cols)
	case XLSX:
		return newXLSX(w, meta, cols)
	case JSON:
		return newJSON(w, meta, cols)
	}
	return nil, apperr.Errorf(apperr.EINVALID, "Unknown export format %q: choose csv, xlsx or json.", f)
}

// Neutralise makes a text cell safe to open in a spreadsheet: text that
// begins with =, +, -, @, a tab, a carriage return or a line feed could be
// read as a formula (and run commands through DDE), so it gets a leading
// apostrophe, which spreadsheets treat as "this is text" (OWASP's advice
// for CSV injection).
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}
