package browsertest

import (
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Message is something a page reported while the test ran: a console call,
// an uncaught exception, or an entry of the browser's log (a failed request,
// a Content-Security-Policy violation).
type Message struct {
	Source string // "console", "exception", or the log's source: "network", "security", "javascript"…
	Level  string // "error", "warning", "info", "log", "debug"…
	Text   string
	URL    string // where it came from, when the browser says
	// Document marks the browser's note that the page itself came with an
	// error status (a form re-shown with 422, a 404 page): tests check a
	// page's status directly, so it is not counted among Errors.
	Document bool
}

func (m Message) String() string {
	s := m.Source + " " + m.Level + ": " + m.Text
	if m.URL != "" {
		s += " (" + m.URL + ")"
	}
	return s
}

// IsError reports whether the message is an error a user could suffer from:
// a console error, an uncaught exception, a failed request or a blocked
// resource.
func (m Message) IsError() bool {
	return !m.Document && (m.Level == "error" || m.Source == "exception")
}

// IsCSPViolation reports whether the browser blocked something under the
// page's Content-Security-Policy. Chromium logs these as security errors,
// also when scripts are disabled.
func (m Message) IsCSPViolation() bool {
	return m.Source == "security" && strings.Contains(m.Text, "Content Security Policy")
}

// messageLog collects a tab's messages. Its record runs in the tab's event
// loop, in the order events arrive, so it must stay quick.
type messageLog struct {
	mu        sync.Mutex
	msgs      []Message
	documents map[network.RequestID]bool // requests that loaded a page
}

func (l *messageLog) record(ev any) {
	var m Message
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		m = Message{Source: "console", Level: string(ev.Type), Text: consoleText(ev.Args)}
		if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
			m.URL = ev.StackTrace.CallFrames[0].URL
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		m = Message{Source: "exception", Level: "error", Text: d.Text, URL: d.URL}
		if d.Exception != nil && d.Exception.Description != "" {
			m.Text += " " + d.Exception.Description
		}
	case *network.EventResponseReceived:
		if ev.Type == network.ResourceTypeDocument {
			l.mu.Lock()
			if l.documents == nil {
				l.documents = map[network.RequestID]bool{}
			}
			l.documents[ev.RequestID] = true
			l.mu.Unlock()
		}
		return
	case *log.EventEntryAdded:
		e := ev.Entry
		m = Message{Source: string(e.Source), Level: string(e.Level), Text: e.Text, URL: e.URL}
		l.mu.Lock()
		m.Document = e.NetworkRequestID != "" && l.documents[e.NetworkRequestID]
		l.mu.Unlock()
	default:
		return
	}
	l.mu.Lock()
	l.msgs = append(l.msgs, m)
	l.mu.Unlock()
}

func consoleText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a.Value != nil:
			parts = append(parts, strings.Trim(string(a.Value), `"`))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// Messages returns every message the page reported so far, in order.
// It first makes a round trip to the browser, so every event sent before
// this call has been recorded.
func (p *Page) Messages() []Message {
	p.t.Helper()
	Eval[chromedp.Void](p, `0`)
	p.log.mu.Lock()
	defer p.log.mu.Unlock()
	return append([]Message(nil), p.log.msgs...)
}

// Errors returns the console errors, uncaught exceptions and failed or
// blocked loads the page reported so far.
func (p *Page) Errors() []Message {
	p.t.Helper()
	var errs []Message
	for _, m := range p.Messages() {
		if m.IsError() {
			errs = append(errs, m)
		}
	}
	return errs
}

// CSPViolations returns what the page's Content-Security-Policy blocked.
func (p *Page) CSPViolations() []Message {
	p.t.Helper()
	var v []Message
	for _, m := range p.Messages() {
		if m.IsCSPViolation() {
			v = append(v, m)
		}
	}
	return v
}

// AssertNoErrors fails the test if the page reported any error so far: a
// console error, an exception, a failed request or a CSP violation.
func (p *Page) AssertNoErrors() {
	p.t.Helper()
	if errs := p.Errors(); len(errs) > 0 {
		var b strings.Builder
		for _, m := range errs {
			fmt.Fprintf(&b, "\n  %s", m)
		}
		p.t.Errorf("%s reported %d error(s):%s", p.URL(), len(errs), b.String())
	}
}
