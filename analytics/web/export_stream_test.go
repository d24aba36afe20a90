package web_test

import (
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey/database/databasetest"
)

// TestResponseExportStreamsOverHTTP: in every format the download's
// headers and first bytes reach the browser before the export reads any
// response. The read of the first round's responses waits until the
// client has received a byte of the body (or 10 s, when the server holds
// everything back: then the test fails).
func TestResponseExportStreamsOverHTTP(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newPortfolioWorld(t, db)
		con := w.as(t, "con@accord.test")
		for _, format := range []string{"csv", "xlsx", "json"} {
			var once sync.Once
			got := make(chan struct{})
			var timedOut atomic.Bool
			name := "hold_response_reads_" + format
			databasetest.Must(t, db.Callback().Row().Before("gorm:row").Register(name, func(tx *gorm.DB) {
				if strings.Contains(tx.Statement.SQL.String(), "random() AS k") {
					once.Do(func() {
						select {
						case <-got:
						case <-time.After(10 * time.Second):
							timedOut.Store(true)
						}
					})
				}
			}))
			resp, err := con.HTTP.Get(w.srv.URL + "/orgs/acme/export/responses?format=" + format)
			databasetest.Must(t, err)
			first := make([]byte, 1)
			_, err = io.ReadFull(resp.Body, first)
			close(got)
			databasetest.Must(t, err)
			rest, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			db.Callback().Row().Remove(name)
			databasetest.Must(t, err)
			if resp.StatusCode != 200 || len(rest) == 0 {
				t.Errorf("%s: status %d, %d bytes", format, resp.StatusCode, len(rest)+1)
			}
			if timedOut.Load() {
				t.Errorf("%s: no byte reached the client before the export read the responses", format)
			}
		}
	})
}
