package export_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"accord/analytics/export"
	"accord/analytics/export/exporttest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// countingWriter counts bytes and writes, keeping nothing.
type countingWriter struct{ n, writes int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	w.writes++
	return len(p), nil
}

// TestXLSXStreams: the XLSX writer sends its first bytes before the first
// row and the rows as they come, not the whole workbook at Close: with
// 100,000 rows almost all of the file has reached the writer before Close,
// and the heap in use stays far below the file's uncompressed size.
func TestXLSXStreams(t *testing.T) {
	cols := []export.Column{{Key: "id", Title: "ID"}, {Key: "name", Title: "Name"}, {Key: "score", Title: "Score"}, {Key: "day", Title: "Day"}}
	w := &countingWriter{}
	xw, err := export.NewWriter(export.XLSX, w, export.Meta{Title: "t", Generated: now}, cols)
	databasetest.Must(t, err)
	if w.n == 0 {
		t.Fatal("nothing written before the first row: the download would not start at once")
	}
	const rows = 100_000
	row := make([]export.Value, 4)
	for i := range rows {
		row[0], row[1], row[2], row[3] = export.Int(i), export.Str(fmt.Sprintf("name %d", i*7919%rows)), export.Num(float64(i)/7), export.Date(now.AddDate(0, 0, -i%1000))
		databasetest.Must(t, xw.Row(row))
	}
	before := w.n
	databasetest.Must(t, xw.Close())
	if before < w.n*9/10 {
		t.Errorf("%d of %d bytes written before Close: the workbook is not streamed", before, w.n)
	}
}

// TestXLSXRoundTrip: a workbook with every kind of value and hostile text
// opens in excelize with the values, types, styles and sheets the exports
// promise.
func TestXLSXRoundTrip(t *testing.T) {
	cols := []export.Column{{Key: "text", Title: "Text", Width: 20}, {Key: "n", Title: "Count"}, {Key: "x", Title: "Number"},
		{Key: "p", Title: "Share"}, {Key: "d", Title: "Day"}, {Key: "e", Title: "Empty"}}
	var buf bytes.Buffer
	meta := export.Meta{Title: "=Title & <more>", Generated: now, Notes: []string{"a note", "+another"}, Sheet: "Rows/2026"}
	xw, err := export.NewWriter(export.XLSX, &buf, meta, cols)
	databasetest.Must(t, err)
	texts := []string{"plain", "=1+1", " spaced ", "a\tb\nc\r", "<b>&amp;</b>", "bell\x07", "ünïcødé ☃ 🎉", strings.Repeat("x", 40000)}
	for i, s := range texts {
		databasetest.Must(t, xw.Row([]export.Value{export.Str(s), export.Int(i - 3), export.Num(1.0 / 3), export.Pct(0.125), export.Date(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)), {}}))
	}
	databasetest.Must(t, xw.Close())

	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	databasetest.Must(t, err)
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"About", "Rows_2026"}) {
		t.Fatalf("sheets %v, want About and Rows_2026", got)
	}
	about, err := f.GetRows("About")
	databasetest.Must(t, err)
	if about[0][0] != "'=Title & <more>" || about[3][0] != "a note" || about[4][0] != "'+another" {
		t.Errorf("About sheet starts %q", about[:5])
	}
	if last := about[len(about)-1]; !slices.Equal(last, []string{"Empty", "e"}) {
		t.Errorf("About sheet ends with %q, want the last column", last)
	}
	rows, err := f.GetRows("Rows_2026", excelize.Options{RawCellValue: true})
	databasetest.Must(t, err)
	if !slices.Equal(rows[0], []string{"Text", "Count", "Number", "Share", "Day", "Empty"}) {
		t.Errorf("header %q", rows[0])
	}
	want := []string{"plain", "'=1+1", " spaced ", "a\tb\nc\r", "<b>&amp;</b>", "bell\uFFFD", "ünïcødé ☃ 🎉", strings.Repeat("x", 32767)}
	for i, r := range rows[1:] {
		if r[0] != want[i] {
			t.Errorf("row %d text = %q, want %q", i+1, truncateForLog(r[0]), truncateForLog(want[i]))
		}
		if r[1] != fmt.Sprint(i-3) || r[2] != "0.3333333333333333" || r[3] != "0.125" || r[4] != "45901" || len(r) != 5 {
			t.Errorf("row %d = %q", i+1, r[1:])
		}
	}
	shown, err := f.GetRows("Rows_2026")
	databasetest.Must(t, err)
	if r := shown[1]; r[1] != "-3" || r[2] != "0.3" || r[3] != "12.5%" || r[4] != "2025-09-01" {
		t.Errorf("formatted row %q, want -3, 0.3, 12.5%%, 2025-09-01", r)
	}
	for _, cell := range []string{"B2", "C2", "D2", "E2"} {
		if typ, _ := f.GetCellType("Rows_2026", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("cell %s has type %v, want a number", cell, typ)
		}
	}
	style, err := f.GetCellStyle("Rows_2026", "A1")
	databasetest.Must(t, err)
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("the header is not bold (style %d: %+v, %v)", style, s, err)
	}
	panes, err := f.GetPanes("Rows_2026")
	databasetest.Must(t, err)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, want the header row frozen", panes)
	}
	if w, _ := f.GetColWidth("Rows_2026", "A"); w != 20 {
		t.Errorf("column A is %v wide, want 20", w)
	}
}

func truncateForLog(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%s… (%d bytes)", s[:40], len(s))
	}
	return s
}

// TestResponsesXLSXStreamsAndMatchesCSV: the response export's XLSX
// starts before any response is read, and reads back in excelize with
// the same columns and rows as the CSV export (shown values: dates as
// ISO 8601, text neutralised the same way).
func TestResponsesXLSXStreamsAndMatchesCSV(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := exporttest.MustClient(t, db, exporttest.Client{Slug: "beta", Name: "Beta", Seed: 8, NoMarketing: true})
		databasetest.Must(t, db.Model(org).Update("allow_comment_export", true).Error)
		cons := webtest.MustAccount(t, db, "con@beta.test", account.RoleConsultant, org.ID)
		for _, f := range []export.Format{export.XLSX, export.JSON} {
			w := &probeWriter{atFirstRead: -1}
			name := "probe_response_reads_" + string(f)
			databasetest.Must(t, db.Callback().Row().Before("gorm:row").Register(name, func(tx *gorm.DB) {
				if w.atFirstRead < 0 && strings.Contains(tx.Statement.SQL.String(), "random() AS k") {
					w.atFirstRead = w.Len()
				}
			}))
			err := export.Responses(t.Context(), db, cons, "beta", now, f, w)
			db.Callback().Row().Remove(name)
			databasetest.Must(t, err)
			if w.atFirstRead <= 0 {
				t.Errorf("%s: %d bytes written when the first responses were read, want the file's head", f, w.atFirstRead)
			}
			if f != export.XLSX {
				continue
			}
			var c bytes.Buffer
			databasetest.Must(t, export.Responses(t.Context(), db, cons, "beta", now, export.CSV, &c))
			want, err := csv.NewReader(&c).ReadAll()
			databasetest.Must(t, err)
			x, err := excelize.OpenReader(bytes.NewReader(w.Bytes()))
			databasetest.Must(t, err)
			got, err := x.GetRows("Responses")
			x.Close()
			databasetest.Must(t, err)
			if len(got) != len(want) || len(got) < 2 {
				t.Fatalf("XLSX has %d rows, CSV %d", len(got), len(want))
			}
			if len(got[0]) != len(want[0]) {
				t.Errorf("XLSX has %d columns, CSV %d", len(got[0]), len(want[0]))
			}
			if joinRows(got[1:]) != joinRows(want[1:]) {
				t.Errorf("the XLSX rows differ from the CSV's:\n%s\nCSV:\n%s", joinRows(got[1:]), joinRows(want[1:]))
			}
		}
	})
}

// joinRows is the rows as sorted lines, trailing empty cells dropped.
func joinRows(rows [][]string) string {
	var lines []string
	for _, r := range rows {
		for len(r) > 0 && r[len(r)-1] == "" {
			r = r[:len(r)-1]
		}
		lines = append(lines, strings.Join(r, "|"))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
