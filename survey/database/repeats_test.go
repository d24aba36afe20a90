package database_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"accord/survey/database"
)

// TestLimitRepeatsWritesOneLinePerErrorAndInterval: 1,000 identical
// failures (differing only in a port number) make one line; a different
// error gets its own; after the interval the next line counts the ones
// left out; lines without an error pass untouched.
func TestLimitRepeatsWritesOneLinePerErrorAndInterval(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(database.LimitRepeats(slog.NewTextHandler(&out, nil), 200*time.Millisecond))
	for i := range 1000 {
		log.Error("internal error", "path", "/s/x", "err", errors.New("dial tcp 127.0.0.1:"+string(rune('0'+i%10))+"5432: connect: connection refused"))
		log.Info("request", "status", 503)
	}
	log.Error("internal error", "err", errors.New("disk full"))
	lines := strings.Count(out.String(), "level=ERROR")
	if lines != 2 {
		t.Fatalf("%d error lines for 1,000 repeats of one error and one other, want 2:\n%s", lines, out.String())
	}
	if n := strings.Count(out.String(), "msg=request"); n != 1000 {
		t.Fatalf("%d request lines, want all 1,000", n)
	}
	time.Sleep(250 * time.Millisecond)
	out.Reset()
	log.Error("internal error", "err", errors.New("dial tcp 127.0.0.1:15432: connect: connection refused"))
	if !strings.Contains(out.String(), "repeated=999") {
		t.Fatalf("the line after the interval does not count the 999 left out: %s", out.String())
	}
}
