package roster

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"accord/survey/textcheck"
)

// MaxImportBytes is the largest roster file accepted for import.
const MaxImportBytes = 5 << 20

// RosterColumns are the columns of a roster file, in export order. Email
// and function are required; a missing optional column leaves that detail
// of existing people unchanged.
var RosterColumns = []string{"email", "name", "function", "team", "region", "tenure_band", "language"}

// activeColumn is written by the export; an import accepts and ignores it,
// so an exported file can be edited and imported again.
const activeColumn = "active"

// LineError is one problem in a roster file. Line is the 1-based line of
// the file the row starts on; Column is empty for problems with a whole row.
type LineError struct {
	Line    int
	Column  string
	Message string
}

// RosterRow is one valid row of a roster file.
type RosterRow struct {
	Line   int
	Person Person
}

// RosterFile is a parsed roster CSV: its valid rows and every problem found.
// A file with any Errors must not be saved.
type RosterFile struct {
	Columns []string // roster columns present, in RosterColumns order
	Notices []string // things ignored that the user should know about
	Errors  []LineError
	Rows    []RosterRow
}

// Valid reports whether the file can be saved.
func (f *RosterFile) Valid() bool { return len(f.Errors) == 0 }

func (f *RosterFile) fail(line int, column, format string, args ...any) {
	f.Errors = append(f.Errors, LineError{Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
}

// ParseRoster reads a roster CSV: a header row naming the columns in any
// order and case, then one person per row. It accepts a UTF-8 byte order
// mark and either commas or semicolons (as spreadsheets in many locales
// write) between cells. Problems are reported per line, all of them, rather
// than stopping at the first; only a broken CSV structure stops the reading.
func ParseRoster(data []byte) *RosterFile {
	f := &RosterFile{}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffDelimiter(data)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		f.fail(1, "", "The file is empty. The first line must name the columns: %s.", strings.Join(RosterColumns, ", "))
		return f
	} else if err != nil {
		f.failCSV(err)
		return f
	}
	headerLine, _ := r.FieldPos(0)
	index := f.readHeader(headerLine, header)
	if !f.Valid() {
		return f
	}
	firstLine := map[string]int{} // email → line of its first row
	for {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			f.failCSV(err)
			break
		}
		line, _ := r.FieldPos(0)
		if blank(record) {
			continue // spreadsheets often end with empty rows
		}
		p, ok := f.readRow(line, record, index)
		if !ok {
			continue
		}
		if first, dup := firstLine[p.Email]; dup {
			f.fail(first, "email", "%s appears again on line %d: each person may appear only once.", p.Email, line)
			f.fail(line, "email", "%s already appears on line %d: each person may appear only once.", p.Email, first)
			continue
		}
		firstLine[p.Email] = line
		f.Rows = append(f.Rows, RosterRow{Line: line, Person: p})
	}
	sort.SliceStable(f.Errors, func(i, j int) bool { return f.Errors[i].Line < f.Errors[j].Line })
	// The first of two rows with one email was valid when read; it is not.
	bad := make(map[int]bool, len(f.Errors))
	for _, e := range f.Errors {
		bad[e.Line] = true
	}
	f.Rows = slices.DeleteFunc(f.Rows, func(r RosterRow) bool { return bad[r.Line] })
	return f
}

// sniffDelimiter picks ';' when the header line has more semicolons than
// commas, ',' otherwise.
func sniffDelimiter(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

// failCSV explains a broken CSV structure in words a spreadsheet user
// knows, never with the parser's own text.
func (f *RosterFile) failCSV(err error) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		f.fail(0, "", "The file could not be read as CSV.")
		return
	}
	const stop = "The file was not read beyond it; correct it and upload the file again."
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		f.fail(pe.StartLine, "", `This line has a quotation mark (") inside a cell that does not start with one. `+
			`Put the whole cell in quotation marks and double the ones inside it, like "Acme ""West""", or remove it. `+stop)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
		f.fail(pe.StartLine, "", "A cell on this line opens a quotation mark (\") that is never closed, so everything up to line %d "+
			"would be one cell. Add the closing quotation mark, or remove the opening one. %s", pe.Line, stop)
	case errors.Is(pe.Err, csv.ErrQuote):
		f.fail(pe.StartLine, "", `A quoted cell on this line has text after its closing quotation mark ("). `+
			`A quotation mark inside a quoted cell must be doubled, like "Acme ""West""". `+stop)
	default:
		f.fail(pe.StartLine, "", "This line is not valid CSV. Check its quotation marks and separators. "+stop)
	}
}

// readHeader maps each known column to its position and records unknown,
// repeated and missing columns.
func (f *RosterFile) readHeader(line int, header []string) map[string]int {
	index := map[string]int{}
	for i, raw := range header {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case name == activeColumn:
			f.Notices = append(f.Notices, "The active column is ignored: deactivate and reactivate people on the roster page.")
		case !slices.Contains(RosterColumns, name):
			f.Notices = append(f.Notices, fmt.Sprintf("Column %q is not a roster column and is ignored. Roster columns are %s.", raw, strings.Join(RosterColumns, ", ")))
		default:
			if _, dup := index[name]; dup {
				f.fail(line, name, "The column %s appears twice in the header.", name)
			}
			index[name] = i
		}
	}
	for _, required := range []string{"email", "function"} {
		if _, ok := index[required]; !ok {
			f.fail(line, required, "The header has no %s column. The first line must name the columns, for example: %s.", required, strings.Join(RosterColumns, ","))
		}
	}
	for _, c := range RosterColumns {
		if _, ok := index[c]; ok {
			f.Columns = append(f.Columns, c)
		}
	}
	return index
}

// readRow checks one record and returns the person it describes.
func (f *RosterFile) readRow(line int, record []string, index map[string]int) (Person, bool) {
	cell := func(col string) string {
		if i, ok := index[col]; ok && i < len(record) {
			return record[i]
		}
		return ""
	}
	for _, col := range f.Columns {
		if !utf8.ValidString(cell(col)) {
			f.fail(line, col, "This cell is not UTF-8 text. Save the file as \"CSV UTF-8\" and upload it again.")
			return Person{}, false
		}
	}
	p, fields := PersonInput{Email: cell("email"), Name: cell("name"), Function: cell("function"),
		Team: cell("team"), Region: cell("region"), TenureBand: cell("tenure_band"), Language: cell("language")}.Check()
	for _, col := range RosterColumns {
		if msg, bad := fields[col]; bad {
			f.fail(line, col, "%s", msg)
		}
	}
	return p, fields == nil
}

func blank(record []string) bool {
	for _, c := range record {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// exportBatch is how many people are read per query while exporting, so a
// large roster never holds the (single SQLite) connection for long.
const exportBatch = 1000

// WriteRosterCSV streams org's roster to w as CSV: a header row, then one
// person per row with every cell made spreadsheet-safe.
func WriteRosterCSV(ctx context.Context, db *gorm.DB, orgID int64, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(slices.Clone(RosterColumns), activeColumn)); err != nil {
		return fmt.Errorf("export roster: %w", err)
	}
	var batch []Person
	err := db.WithContext(ctx).Where("org_id = ?", orgID).FindInBatches(&batch, exportBatch, func(*gorm.DB, int) error {
		for _, p := range batch {
			active := "no"
			if p.Active {
				active = "yes"
			}
			record := []string{p.Email, p.Name, p.Function, p.Team, p.Region, p.TenureBand, p.Language, active}
			for i := range record {
				record[i] = textcheck.SpreadsheetSafe(record[i])
			}
			if err := cw.Write(record); err != nil {
				return err
			}
		}
		return nil
	}).Error
	if err != nil {
		return fmt.Errorf("export roster: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export roster: %w", err)
	}
	return nil
}
