package export

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxSheetRows is how many rows a worksheet holds (Excel's limit); a
// section that grows past it continues on a new sheet.
const maxSheetRows = 1 << 20

// aboutSheet is the first sheet: what the file holds and how to read it.
const aboutSheet = "About"

// xlsxWriter streams rows into one data sheet with excelize's
// StreamWriter, which spills a sheet to a temporary file once its buffer
// passes 16 MB; the workbook is zipped into w at Close. One sheet, not one
// per organisation: a sheet below that size stays in memory until Close,
// so a hundred of them would hold the whole file in memory.
type xlsxWriter struct {
	f      *excelize.File
	w      io.Writer
	cols   []Column
	sw     *excelize.StreamWriter
	sheet  string // the data sheet's name
	part   int    // sheets the data fills
	row    int    // the last row written on the current sheet
	names  map[string]bool
	style  map[Kind]int
	header int
	cells  []any
}

func newXLSX(w io.Writer, meta Meta, cols []Column) (*xlsxWriter, error) {
	f := excelize.NewFile()
	// excelize zips a workbook into a bytes.Buffer before copying it out:
	// the whole file in memory. Its zip writer hook is given that buffer;
	// this one ignores it and zips straight into w instead. The buffer then
	// stays empty (its only other use, zip64 fix-ups, concerns sheets over
	// 4 GB, far beyond a sheet's row limit here).
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	x := &xlsxWriter{f: f, w: w, cols: cols, sheet: meta.Sheet, names: map[string]bool{}, style: map[Kind]int{}, cells: make([]any, len(cols))}
	if x.sheet == "" {
		x.sheet = "Data"
	}
	if err := x.styles(); err != nil {
		f.Close()
		return nil, err
	}
	if err := x.about(meta); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

// styles registers the number formats: built-in 0 "0", 10 "0.00%" would
// do, but one decimal matches the dashboard.
func (x *xlsxWriter) styles() error {
	formats := map[Kind]string{Integer: "0", Number: "0.0", Percent: "0.0%", Day: "yyyy-mm-dd"}
	for k, code := range formats {
		id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return fmt.Errorf("write XLSX: %w", err)
		}
		x.style[k] = id
	}
	id, err := x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	x.header = id
	return nil
}

// about fills the first sheet with the export's title, time and notes.
func (x *xlsxWriter) about(meta Meta) error {
	if err := x.f.SetSheetName("Sheet1", aboutSheet); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	x.names[strings.ToLower(aboutSheet)] = true
	rows := [][]any{
		{excelize.Cell{StyleID: x.header, Value: Neutralise(meta.Title)}},
		{"Generated " + meta.Generated.UTC().Format(time.RFC3339)},
		{},
	}
	for _, n := range meta.Notes {
		rows = append(rows, []any{Neutralise(n)})
	}
	rows = append(rows, []any{}, []any{excelize.Cell{StyleID: x.header, Value: "Column"}, excelize.Cell{StyleID: x.header, Value: "Key (CSV and JSON)"}})
	for _, c := range x.cols {
		rows = append(rows, []any{Neutralise(c.Title), Neutralise(c.Key)})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.f.SetSheetRow(aboutSheet, cell, &r); err != nil {
			return fmt.Errorf("write XLSX: %w", err)
		}
	}
	return x.f.SetColWidth(aboutSheet, "A", "A", 100)
}

// newSheet starts a worksheet for the data, with its header row frozen at
// the top: the first, or the next one when a sheet is full.
func (x *xlsxWriter) newSheet() error {
	x.part++
	name := x.sheet
	if x.part > 1 {
		name = fmt.Sprintf("%s (%d)", name, x.part)
	}
	name = x.unique(name)
	if _, err := x.f.NewSheet(name); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	for i, c := range x.cols {
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return fmt.Errorf("write XLSX: %w", err)
			}
		}
	}
	err = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	head := make([]any, len(x.cols))
	for i, c := range x.cols {
		head[i] = excelize.Cell{StyleID: x.header, Value: Neutralise(c.Title)}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	x.sw, x.row = sw, 1
	return nil
}

// unique turns name into a valid sheet name (at most 31 characters, none
// of : \ / ? * [ ], no apostrophe at either end) that no other sheet has,
// ignoring case as Excel does.
func (x *xlsxWriter) unique(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < ' ' {
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(truncate(name, 31), "' ")
	if name == "" {
		name = "Data"
	}
	base := name
	for i := 2; x.names[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" %d", i)
		name = strings.TrimRight(truncate(base, 31-len(suffix)), "' ") + suffix
	}
	x.names[strings.ToLower(name)] = true
	return name
}

// truncate shortens s to n characters (UTF-16 units count in Excel, but
// runes outside the BMP in sheet names are rare enough to count as one).
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func (x *xlsxWriter) Row(values []Value) error {
	if x.sw == nil || x.row >= maxSheetRows {
		if err := x.flush(); err != nil {
			return err
		}
		if err := x.newSheet(); err != nil {
			return err
		}
	}
	for i := range x.cells {
		x.cells[i] = nil
		if i < len(values) {
			x.cells[i] = x.cell(values[i])
		}
	}
	x.row++
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	if err := x.sw.SetRow(cell, x.cells); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

// cell is a value as excelize writes it: text neutralised, numbers as
// numbers with their display format.
func (x *xlsxWriter) cell(v Value) any {
	switch v.Kind {
	case Text:
		return Neutralise(v.Text)
	case Integer:
		return excelize.Cell{StyleID: x.style[Integer], Value: int64(v.Num)}
	case Number, Percent, Day:
		return excelize.Cell{StyleID: x.style[v.Kind], Value: v.Num}
	}
	return nil
}

func (x *xlsxWriter) flush() error {
	if x.sw == nil {
		return nil
	}
	err := x.sw.Flush()
	x.sw = nil
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close() // removes the temporary files
	if err := x.flush(); err != nil {
		return err
	}
	if x.part == 0 { // no row: the table still has its header
		if err := x.newSheet(); err != nil {
			return err
		}
		if err := x.flush(); err != nil {
			return err
		}
	}
	if _, err := x.f.WriteTo(io.Discard); err != nil { // the zip writer writes to x.w
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}
