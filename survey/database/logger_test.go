package database

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

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
