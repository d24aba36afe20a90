package mailtest

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Address is a mailbox in Mailpit's API.
type Address struct {
	Name    string
	Address string
}

// Summary is one message in Mailpit's list.
type Summary struct {
	ID        string // Mailpit's own id
	MessageID string // the Message-ID header, without angle brackets
	From      Address
	To        []Address
	Subject   string
	Created   time.Time
}

// Detail is one message with its bodies and headers.
type Detail struct {
	Summary
	Text    string
	HTML    string
	Headers map[string][]string
}

// List returns every message Mailpit holds, newest first, page by page.
func (m *Mailpit) List(ctx context.Context) ([]Summary, error) {
	const page = 1000
	var all []Summary
	for start := 0; ; start += page {
		var resp struct {
			Total    int
			Messages []Summary
		}
		if err := m.get(ctx, fmt.Sprintf("/api/v1/messages?start=%d&limit=%d", start, page), &resp); err != nil {
			return nil, err
		}
		all = append(all, resp.Messages...)
		if len(resp.Messages) < page || len(all) >= resp.Total {
			return all, nil
		}
	}
}

// Count returns how many messages Mailpit holds.
func (m *Mailpit) Count(ctx context.Context) (int, error) {
	var resp struct{ Total int }
	err := m.get(ctx, "/api/v1/messages?limit=1", &resp)
	return resp.Total, err
}

// Get returns one message with bodies and headers.
func (m *Mailpit) Get(ctx context.Context, id string) (Detail, error) {
	var d Detail
	if err := m.get(ctx, "/api/v1/message/"+id, &d); err != nil {
		return d, err
	}
	err := m.get(ctx, "/api/v1/message/"+id+"/headers", &d.Headers)
	return d, err
}

// DeleteAll empties the mailbox.
func (m *Mailpit) DeleteAll(ctx context.Context) error {
	return m.do(ctx, http.MethodDelete, "/api/v1/messages", nil)
}

// Messages returns every message, failing tb on error.
func (m *Mailpit) Messages(tb testing.TB) []Summary {
	tb.Helper()
	ms, err := m.List(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return ms
}

// Message returns one message with bodies and headers, failing tb on error.
func (m *Mailpit) Message(tb testing.TB, id string) Detail {
	tb.Helper()
	d, err := m.Get(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// Clear empties the mailbox, failing tb on error.
func (m *Mailpit) Clear(tb testing.TB) {
	tb.Helper()
	if err := m.DeleteAll(context.Background()); err != nil {
		tb.Fatal(err)
	}
}

// WaitFor polls until Mailpit holds at least n messages and returns them,
// failing tb after timeout.
func (m *Mailpit) WaitFor(tb testing.TB, n int, timeout time.Duration) []Summary {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got, err := m.Count(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		if got >= n {
			return m.Messages(tb)
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailpit holds %d messages after %s, want %d", got, timeout, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ByMessageID counts messages per Message-ID: any count above one is a
// duplicate delivery.
func ByMessageID(ms []Summary) map[string]int {
	counts := make(map[string]int, len(ms))
	for _, s := range ms {
		counts[s.MessageID]++
	}
	return counts
}
