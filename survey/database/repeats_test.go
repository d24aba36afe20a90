package database_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"accord/survey/database"
)

// TestLimitRepeatsWritesOneLinePerErrorAndInterval: 1,000 identical
// failures within a minute (differing only in a port number) make one line;
// a different error gets its own; the first line after the interval counts
// the ones left out; lines without an error pass untouched. Records carry
// their own times, so the test does not depend on the machine's speed.
func TestLimitRepeatsWritesOneLinePerErrorAndInterval(t *testing.T) {
	var out bytes.Buffer
	h := database.LimitRepeats(slog.NewTextHandler(&out, nil), time.Minute)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	record := func(at time.Time, level slog.Level, msg string, args ...any) {
		r := slog.NewRecord(at, level, msg, 0)
		r.Add(args...)
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 1000 {
		at := t0.Add(time.Duration(i) * 10 * time.Millisecond)
		record(at, slog.LevelError, "internal error", "path", "/s/x", "err", fmt.Errorf("dial tcp 127.0.0.1:%d: connect: connection refused", 40000+i))
		record(at, slog.LevelInfo, "request", "status", 503)
	}
	record(t0.Add(20*time.Second), slog.LevelError, "internal error", "err", errors.New("disk full"))
	if lines := strings.Count(out.String(), "level=ERROR"); lines != 2 {
		t.Fatalf("%d error lines for 1,000 repeats of one error and one other, want 2:\n%s", lines, out.String())
	}
	if n := strings.Count(out.String(), "msg=request"); n != 1000 {
		t.Fatalf("%d request lines, want all 1,000", n)
	}
	out.Reset()
	record(t0.Add(2*time.Minute), slog.LevelError, "internal error", "err", errors.New("dial tcp 127.0.0.1:15432: connect: connection refused"))
	if !strings.Contains(out.String(), "repeated=999") {
		t.Fatalf("the line after the interval does not count the 999 left out: %s", out.String())
	}
}
