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
