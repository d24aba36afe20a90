package database

import (
	"context"
	"log/slog"
	"regexp"
	"sync"
	"time"
)

// LimitRepeats wraps h so that a warning or error carrying an "err"
// attribute is written at most once per interval for each distinct message
// and error: during an outage every request fails the same way, and one
// line with a count says as much as thousands. The next line written for
// that error carries "repeated", how many were left out since. Records
// without an "err" attribute (request lines, for instance) pass untouched.
func LimitRepeats(h slog.Handler, interval time.Duration) slog.Handler {
	return &repeatLimiter{Handler: h, interval: interval, state: &repeatState{seen: map[string]*repeat{}}}
}

type repeatLimiter struct {
	slog.Handler
	interval time.Duration
	state    *repeatState
}

type repeatState struct {
	mu   sync.Mutex
	seen map[string]*repeat
}

type repeat struct {
	last    time.Time
	skipped int
}

// maxDistinct bounds the memory the limiter keeps: past it, it forgets.
const maxDistinct = 1000

// digits makes errors that differ only in numbers (ports, ids, durations)
// count as one.
var digits = regexp.MustCompile(`[0-9]+`)

// Handle implements slog.Handler.
func (l *repeatLimiter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return l.Handler.Handle(ctx, r)
	}
	var errText string
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" {
			errText = a.Value.String()
			return false
		}
		return true
	})
	if errText == "" {
		return l.Handler.Handle(ctx, r)
	}
	key := r.Message + "\x00" + digits.ReplaceAllString(errText, "#")
	skipped, write := l.state.note(key, r.Time, l.interval)
	if !write {
		return nil
	}
	if skipped > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int("repeated", skipped))
	}
	return l.Handler.Handle(ctx, r)
}

// note records one occurrence of key at t: whether to write it, and how
// many occurrences were left out before it.
func (s *repeatState) note(key string, t time.Time, interval time.Duration) (skipped int, write bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, ok := s.seen[key]
	if !ok {
		if len(s.seen) >= maxDistinct {
			clear(s.seen)
		}
		s.seen[key] = &repeat{last: t}
		return 0, true
	}
	if t.Sub(rp.last) < interval {
		rp.skipped++
		return 0, false
	}
	skipped, rp.skipped, rp.last = rp.skipped, 0, t
	return skipped, true
}

// WithAttrs implements slog.Handler.
func (l *repeatLimiter) WithAttrs(as []slog.Attr) slog.Handler {
	return &repeatLimiter{Handler: l.Handler.WithAttrs(as), interval: l.interval, state: l.state}
}

// WithGroup implements slog.Handler.
func (l *repeatLimiter) WithGroup(name string) slog.Handler {
	return &repeatLimiter{Handler: l.Handler.WithGroup(name), interval: l.interval, state: l.state}
}
