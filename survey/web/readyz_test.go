package web_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// TestReadyzFailsWhenTheDatabaseCannotBeWritten: a database that answers
// but refuses writes (full, read-only) is not ready, and the log says why
// in plain words; /readyz recovers when writes work again.
func TestReadyzFailsWhenTheDatabaseCannotBeWritten(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, dialect string
		break_, fix   string
		logSays       string
	}{
		// SQLite's page limit fails writes exactly as a full volume does (SQLITE_FULL).
		{"sqlite disk full", database.SQLite, "SELECT 1", "PRAGMA max_page_count = 1073741823", "disk full on the SQLite volume"},
		{"sqlite read-only", database.SQLite, "PRAGMA query_only = ON", "PRAGMA query_only = OFF", "read-only"},
		{"postgres read-only", database.Postgres, "SET default_transaction_read_only = on", "SET default_transaction_read_only = off", "PostgreSQL is read-only"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := databasetest.Open(t, tc.dialect)
			// One connection, so the setting below applies to every query.
			sqlDB, _ := db.DB()
			sqlDB.SetMaxOpenConns(1)
			var logs bytes.Buffer
			srv := sitetest.NewServer(t, db)
			srv.App.Log = slog.New(slog.NewTextHandler(&logs, nil))
			if code := readyz(t, srv); code != http.StatusOK {
				t.Fatalf("/readyz with a writable database = %d", code)
			}
			if tc.name == "sqlite disk full" {
				fill(t, db) // page limit now below the file's size
			}
			databasetest.Must(t, db.Exec(tc.break_).Error)
			if code := readyz(t, srv); code != http.StatusServiceUnavailable {
				t.Fatalf("/readyz with %s = %d, want 503", tc.name, code)
			}
			if !strings.Contains(logs.String(), tc.logSays) {
				t.Errorf("the log does not say %q:\n%s", tc.logSays, logs.String())
			}
			databasetest.Must(t, db.Exec(tc.fix).Error)
			if code := readyz(t, srv); code != http.StatusOK {
				t.Fatalf("/readyz after the fix = %d, want 200", code)
			}
		})
	}
}

func readyz(t *testing.T, srv *webtest.Server) int {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.App.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	io.Copy(io.Discard, rec.Body)
	return rec.Code
}

// fill makes the SQLite file full: it may not grow past its size, and the
// page that holds the readiness row is filled up with other rows.
func fill(t *testing.T, db *gorm.DB) {
	t.Helper()
	databasetest.Must(t, db.Exec("DELETE FROM readiness").Error)
	var pages int
	databasetest.Must(t, db.Raw("PRAGMA page_count").Scan(&pages).Error)
	databasetest.Must(t, db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)).Error)
	for id := 2; ; id++ {
		if err := db.Exec("INSERT INTO readiness (id, checked_at) VALUES (?, ?)", id, time.Now().UTC()).Error; err != nil {
			if !strings.Contains(err.Error(), "full") {
				t.Fatalf("filling the database: %v", err)
			}
			return
		}
	}
}
