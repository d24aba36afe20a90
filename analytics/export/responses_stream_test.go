package export_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/export"
	"accord/analytics/export/exporttest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of the response export")

// probeWriter records what was written and, when the export starts
// reading a round's responses, how much had been written by then.
type probeWriter struct {
	bytes.Buffer
	atFirstRead int // -1 until the first read of responses
}

// TestResponsesStreamFromTheFirstByte: the CSV header reaches the writer
// before any response is read (the download starts at once), responses
// are read round by round with a cursor, and the rows are the ones the
// export gave before it streamed (testdata/responses-*.csv, written by the
// export that read each round into memory; rows sorted, since their order
// is random).
func TestResponsesStreamFromTheFirstByte(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, c := range []exporttest.Client{
			{Slug: "acme", Name: "Acme", Seed: 7},
			{Slug: "beta", Name: "Beta", Seed: 8, NoMarketing: true},
		} {
			org := exporttest.MustClient(t, db, c)
			if c.NoMarketing {
				databasetest.Must(t, db.Model(org).Update("allow_comment_export", true).Error)
			}
			cons := webtest.MustAccount(t, db, "con@"+c.Slug+".test", account.RoleConsultant, org.ID)
			w := &probeWriter{atFirstRead: -1}
			name := "probe_response_reads_" + c.Slug
			databasetest.Must(t, db.Callback().Row().Before("gorm:row").Register(name, func(tx *gorm.DB) {
				if w.atFirstRead < 0 && strings.Contains(tx.Statement.SQL.String(), "random() AS k") {
					w.atFirstRead = w.Len()
				}
			}))
			err := export.Responses(t.Context(), db, cons, c.Slug, now, export.CSV, w)
			db.Callback().Row().Remove(name)
			databasetest.Must(t, err)

			body := w.String()
			header, _, _ := strings.Cut(body, "\n")
			if w.atFirstRead != len(header)+1 {
				t.Errorf("%s: %d bytes written when the first responses were read, want the header's %d", c.Slug, w.atFirstRead, len(header)+1)
			}
			got := sortedCSV(body)
			golden := filepath.Join("testdata", "responses-"+c.Slug+".csv")
			if *updateGolden {
				databasetest.Must(t, os.MkdirAll("testdata", 0o755))
				databasetest.Must(t, os.WriteFile(golden, []byte(got), 0o644))
				continue
			}
			want, err := os.ReadFile(golden)
			databasetest.Must(t, err)
			if got != string(want) {
				t.Errorf("%s: rows differ from %s:\n%s", c.Slug, golden, got)
			}
		}
	})
}

// sortedCSV is the header line, then the rows in sorted order.
func sortedCSV(body string) string {
	lines := strings.Split(strings.TrimRight(body, "\r\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], "\r")
	}
	slices.Sort(lines[1:])
	return strings.Join(lines, "\n") + "\n"
}
