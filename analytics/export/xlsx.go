package export

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxSheetRows is how many rows a worksheet holds (Excel's limit); a
// section that grows past it continues on a new sheet.
const maxSheetRows = 1 << 20

// maxCellChars is the most characters a cell holds (Excel's limit); longer
// text is cut, as excelize cut it.
const maxCellChars = 32767

// aboutSheet is the first sheet: what the file holds and how to read it.
const aboutSheet = "About"

// xlsxWriter writes an Office Open XML workbook straight into a zip
// stream, row by row: the first bytes (the About sheet, the styles) leave
// before the first row is read and the data sheet is compressed into w as
// its rows come, so memory stays bounded and a download starts at once.
// excelize's StreamWriter could not do that: it keeps each sheet in a
// buffer or a temporary file and zips the whole workbook at the end.
//
// The workbook is the minimum the format asks for: content types, the
// package and workbook relationships, the workbook, the styles and one
// worksheet per sheet, with text as inline strings (a shared-strings table
// would have to be complete before the first sheet that uses it). Parts
// whose content depends on the number of sheets (the workbook and its
// relationships) come last; zip readers go by the central directory.
type xlsxWriter struct {
	zw     *zip.Writer
	out    *bufio.Writer // the current sheet's part
	cols   []Column
	refs   []string // each column's letters
	sheet  string   // the data sheet's name
	sheets []string // every sheet's name, About first
	row    int      // the last row written on the current data sheet
	names  map[string]bool
	buf    []byte
	open   bool // a data sheet is being written
}

// Cell styles: indexes into cellXfs of xlsxStyles.
const (
	styleNone = iota
	styleBold
	styleInteger
	styleNumber
	stylePercent
	styleDay
)

func newXLSX(w io.Writer, meta Meta, cols []Column) (*xlsxWriter, error) {
	zw := zip.NewWriter(w)
	// The fastest deflate level: XML compresses well at any level, and the
	// export is bound by how fast it can be written.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	x := &xlsxWriter{zw: zw, cols: cols, sheet: meta.Sheet, names: map[string]bool{}}
	if x.sheet == "" {
		x.sheet = "Data"
	}
	for i := range cols {
		x.refs = append(x.refs, columnName(i+1))
	}
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", xlsxContentTypes},
		{"_rels/.rels", xlsxPackageRels},
		{"xl/styles.xml", xlsxStyles},
	} {
		if err := x.part(p.name, p.body); err != nil {
			return nil, err
		}
	}
	if err := x.about(meta); err != nil {
		return nil, err
	}
	// What is written so far goes out at once: a download starts before
	// the first row is read.
	if err := zw.Flush(); err != nil {
		return nil, fmt.Errorf("write XLSX: %w", err)
	}
	return x, nil
}

// part writes a whole part of the package.
func (x *xlsxWriter) part(name, body string) error {
	w, err := x.zw.Create(name)
	if err == nil {
		_, err = io.WriteString(w, body)
	}
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

// begin starts the next sheet's part with its column widths and, for a
// data sheet, its header row frozen at the top.
func (x *xlsxWriter) begin(name string, widths []float64, frozen bool) error {
	x.sheets = append(x.sheets, name)
	pw, err := x.zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", len(x.sheets)))
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	x.out = bufio.NewWriterSize(pw, 32<<10)
	x.out.WriteString(xml.Header + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`)
	if frozen {
		x.out.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>`)
	}
	var cols []byte
	for i, wd := range widths {
		if wd > 0 {
			cols = fmt.Appendf(cols, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, i+1, i+1, strconv.FormatFloat(wd, 'f', -1, 64))
		}
	}
	if len(cols) > 0 {
		x.out.WriteString("<cols>")
		x.out.Write(cols)
		x.out.WriteString("</cols>")
	}
	x.out.WriteString("<sheetData>")
	return nil
}

// end closes the current sheet's part.
func (x *xlsxWriter) end() error {
	x.out.WriteString("</sheetData></worksheet>")
	if err := x.out.Flush(); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

// about writes the first sheet: the export's title, time and notes, and
// what each column holds.
func (x *xlsxWriter) about(meta Meta) error {
	x.names[strings.ToLower(aboutSheet)] = true
	if err := x.begin(aboutSheet, []float64{100}, false); err != nil {
		return err
	}
	rows := [][]Value{
		{Str(meta.Title)},
		{Str("Generated " + meta.Generated.UTC().Format(time.RFC3339))},
		{},
	}
	for _, n := range meta.Notes {
		rows = append(rows, []Value{Str(n)})
	}
	head := len(rows) + 1 // the row that names the columns of the rows below
	rows = append(rows, []Value{}, []Value{Str("Column"), Str("Key (CSV and JSON)")})
	for _, c := range x.cols {
		rows = append(rows, []Value{Str(c.Title), Str(c.Key)})
	}
	for i, r := range rows {
		x.writeRow(i+1, r, i == 0 || i == head)
	}
	return x.end()
}

// newSheet starts a worksheet for the data: the first, or the next one
// when a sheet is full.
func (x *xlsxWriter) newSheet() error {
	name := x.sheet
	if part := len(x.sheets); part > 1 {
		name = fmt.Sprintf("%s (%d)", name, part)
	}
	widths := make([]float64, len(x.cols))
	head := make([]Value, len(x.cols))
	for i, c := range x.cols {
		widths[i] = c.Width
		head[i] = Str(c.Title)
	}
	if err := x.begin(x.unique(name), widths, true); err != nil {
		return err
	}
	x.writeRow(1, head, true)
	x.row, x.open = 1, true
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
	if !x.open || x.row >= maxSheetRows {
		if x.open {
			if err := x.end(); err != nil {
				return err
			}
		}
		if err := x.newSheet(); err != nil {
			return err
		}
	}
	x.row++
	if len(values) > len(x.cols) {
		values = values[:len(x.cols)]
	}
	// Errors of the underlying writer show at the next flush (Close).
	x.writeRow(x.row, values, false)
	return nil
}

// writeRow writes row n of the current sheet; bold is for headers' text.
func (x *xlsxWriter) writeRow(n int, values []Value, bold bool) {
	b := x.buf[:0]
	b = append(b, `<row r="`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `">`...)
	for i, v := range values {
		if v.Kind == Empty {
			continue
		}
		// A cell's reference is optional, but empty cells are skipped:
		// the column is named after the first of a row and after a gap.
		if i == 0 || values[i-1].Kind == Empty {
			ref := columnName(i + 1)
			if i < len(x.refs) {
				ref = x.refs[i]
			}
			b = append(b, `<c r="`...)
			b = append(b, ref...)
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, '"')
		} else {
			b = append(b, `<c`...)
		}
		switch v.Kind {
		case Text:
			if bold {
				b = append(b, ` s="`...)
				b = strconv.AppendInt(b, styleBold, 10)
				b = append(b, '"')
			}
			text := Neutralise(v.Text)
			b = append(b, ` t="inlineStr"><is><t`...)
			if text != strings.TrimSpace(text) {
				b = append(b, ` xml:space="preserve"`...)
			}
			b = append(b, '>')
			b = appendXMLText(b, text)
			b = append(b, `</t></is></c>`...)
			continue
		case Integer:
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, styleInteger, 10)
			b = append(b, `"><v>`...)
			b = strconv.AppendInt(b, int64(v.Num), 10)
		default:
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, int64(numberStyle(v.Kind)), 10)
			b = append(b, `"><v>`...)
			b = strconv.AppendFloat(b, v.Num, 'f', -1, 64)
		}
		b = append(b, `</v></c>`...)
	}
	b = append(b, `</row>`...)
	x.buf = b
	x.out.Write(b)
}

// appendXMLText appends s escaped as XML character data, without the
// characters XML cannot hold, cut at maxCellChars.
func appendXMLText(b []byte, s string) []byte {
	n := 0
	for _, r := range s {
		if n++; n > maxCellChars {
			break
		}
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\r':
			b = append(b, "&#13;"...)
		case r == '\t' || r == '\n' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 && r <= 0x10FFFF:
			b = utf8.AppendRune(b, r) // invalid UTF-8 became U+FFFD
		default:
			b = append(b, "\uFFFD"...) // a control character XML 1.0 forbids
		}
	}
	return b
}

// numberStyle is the cell style of a kind of number.
func numberStyle(k Kind) int {
	switch k {
	case Integer:
		return styleInteger
	case Percent:
		return stylePercent
	case Day:
		return styleDay
	}
	return styleNumber
}

// columnName is a column's letters: 1 A, 27 AA.
func columnName(n int) string {
	var s []byte
	for ; n > 0; n = (n - 1) / 26 {
		s = append([]byte{byte('A' + (n-1)%26)}, s...)
	}
	return string(s)
}

func (x *xlsxWriter) Close() error {
	if !x.open { // no row: the table still has its header
		if err := x.newSheet(); err != nil {
			return err
		}
	}
	if err := x.end(); err != nil {
		return err
	}
	var sheets, rels strings.Builder
	for i, name := range x.sheets {
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escapeAttr(name), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, nsRel, i+1)
	}
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, len(x.sheets)+1, nsRel)
	workbook := xml.Header + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView/></bookViews><sheets>` +
		sheets.String() + `</sheets></workbook>`
	workbookRels := xml.Header + `<Relationships xmlns="` + nsPkgRel + `">` + rels.String() + `</Relationships>`
	if err := x.part("xl/workbook.xml", workbook); err != nil {
		return err
	}
	if err := x.part("xl/_rels/workbook.xml.rels", workbookRels); err != nil {
		return err
	}
	if err := x.zw.Close(); err != nil { // the central directory; w stays open
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

func escapeAttr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}

const (
	nsMain   = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRel = "http://schemas.openxmlformats.org/package/2006/relationships"
)

// xlsxContentTypes gives every .xml part the worksheet type unless named
// otherwise, so that it can be written before the number of sheets is known.
const xlsxContentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
	`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
	`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
	`</Types>`

const xlsxPackageRels = xml.Header + `<Relationships xmlns="` + nsPkgRel + `">` +
	`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`

// xlsxStyles holds the cell styles, in the order of the style constants:
// default, bold, integer "0", number "0.0", percentage "0.0%" and date
// "yyyy-mm-dd" (one decimal matches the dashboard).
const xlsxStyles = xml.Header + `<styleSheet xmlns="` + nsMain + `">` +
	`<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="0.0%"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="6">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`</cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`
