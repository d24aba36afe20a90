package database

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
)

// TestLoggerRendersOnlyWhatItLogs: errors and slow statements reach the log
// with their SQL; ordinary statements, "not found" and statements their
// caller cancelled (at shutdown) neither reach it nor have their SQL rendered.
func TestLoggerRendersOnlyWhatItLogs(t *testing.T) {
	var buf bytes.Buffer
	l := newLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	rendered := 0
	sql := func(text string) func() (string, int64) {
		return func() (string, int64) { rendered++; return text, 1 }
	}
	ctx := context.Background()
	l.Trace(ctx, time.Now(), sql("SELECT fast"), nil)
	l.Trace(ctx, time.Now(), sql("SELECT missing"), gorm.ErrRecordNotFound)
	l.Trace(ctx, time.Now(), sql("SELECT cancelled"), fmt.Errorf("scan: %w", context.Canceled))
	if rendered != 0 || buf.Len() != 0 {
		t.Fatalf("ordinary statements: rendered %d, logged %q; want neither", rendered, buf.String())
	}
	l.Trace(ctx, time.Now(), sql("SELECT broken"), errors.New("syntax error"))
	l.Trace(ctx, time.Now().Add(-2*slowQuery), sql("SELECT slow"), nil)
	for _, want := range []string{"SELECT broken", "syntax error", "SELECT slow"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestLoggerShortLines: a slow batch insert of thousands of rows is logged
// as one short line (the demo logged lines of 61 KB), naming the
// table, one row of placeholders and the number of rows.
func TestLoggerShortLines(t *testing.T) {
	var buf bytes.Buffer
	l := newLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	row := "(?,?,?,?,?,?)"
	insert := "INSERT INTO `answers` (`response_id`,`question_id`,`value`,`a`,`b`,`c`) VALUES " +
		strings.Repeat(row+",", 4999) + row + " ON CONFLICT DO NOTHING"
	l.Trace(context.Background(), time.Now().Add(-2*slowQuery), func() (string, int64) { return insert, 5000 }, nil)
	line := buf.String()
	if len(line) > 600 || strings.Count(line, "\n") != 1 {
		t.Fatalf("want one short line, got %d bytes:\n%.800s", len(line), line)
	}
	for _, want := range []string{"slow SQL statement", "answers", "5000 rows", "ON CONFLICT DO NOTHING"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %q: %s", want, line)
		}
	}
	long := "SELECT " + strings.Repeat("x, ", 1000) + "y FROM t"
	if got := ShortSQL(long); len(got) > maxLoggedSQL+40 || !strings.Contains(got, "more bytes") {
		t.Errorf("ShortSQL(long) = %q", got)
	}
}

// TestLoggerKeepsValuesOut: GORM asks the logger to filter a statement's
// values before it renders the SQL it logs; ours drops them all, so that a
// slow insert of responses or answers logs placeholders (counted as rows)
// and never a respondent's attributes or comment.
func TestLoggerKeepsValuesOut(t *testing.T) {
	l, ok := newLogger(slog.New(slog.NewTextHandler(io.Discard, nil))).(gorm.ParamsFilter)
	if !ok {
		t.Fatal("the logger does not filter parameters: GORM writes every value into the logged SQL")
	}
	sql, vars := l.ParamsFilter(context.Background(), "INSERT INTO answers (text) VALUES (?),(?)", "my manager", "ignores sales")
	if sql != "INSERT INTO answers (text) VALUES (?),(?)" || len(vars) != 0 {
		t.Errorf("filtered to %q %v; want the statement without its values", sql, vars)
	}
	var buf bytes.Buffer
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: newLogger(slog.New(slog.NewTextHandler(&buf, nil)))})
	if err != nil {
		t.Fatal(err)
	}
	db.Exec("INSERT INTO nowhere (text) VALUES (?),(?)", "my manager", "ignores sales") // fails: logged
	if line := buf.String(); !strings.Contains(line, "nowhere") || strings.Contains(line, "my manager") || !strings.Contains(line, "2 rows") {
		t.Errorf("logged %q; want the failed statement with its rows counted and no value", line)
	}
}
