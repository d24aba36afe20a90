package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
	"golang.org/x/time/rate"
)

// Defaults for SMTPConfig.
const (
	DefaultSMTPConns = 4  // SMTP connections one process keeps open
	DefaultRate      = 20 // messages per second (ACCORD_SMTP_RATE)
)

// SMTPConfig configures an SMTPSender.
type SMTPConfig struct {
	Settings SMTPSettings
	From     string  // the From header, e.g. "Accord <accord@example.com>"
	Rate     float64 // messages per second; 0 means no limit
	Conns    int     // connections kept open and reused; default DefaultSMTPConns
	Timeout  time.Duration
	Log      *slog.Logger
}

// SMTPSender sends over SMTP with go-mail, reusing a small pool of
// connections and keeping to a sending rate.
type SMTPSender struct {
	client  *gomail.Client // settings and dialer; connections live in idle
	from    string
	limiter *rate.Limiter // nil: unlimited
	slots   chan struct{} // one per connection that may be open
	idle    chan *smtp.Client
	log     *slog.Logger
}

// NewSMTPSender checks cfg and returns a sender; it connects on first use.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Rate < 0 {
		return nil, errors.New("mail: sending rate must not be negative")
	}
	probe := gomail.NewMsg()
	if err := probe.From(cfg.From); err != nil {
		return nil, fmt.Errorf("mail: From address %q: %w", cfg.From, err)
	}
	opts := cfg.Settings.clientOptions()
	if cfg.Timeout > 0 {
		opts = append(opts, gomail.WithTimeout(cfg.Timeout))
	}
	client, err := gomail.NewClient(cfg.Settings.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP client: %w", err)
	}
	conns := cfg.Conns
	if conns <= 0 {
		conns = DefaultSMTPConns
	}
	s := &SMTPSender{client: client, from: cfg.From, slots: make(chan struct{}, conns),
		idle: make(chan *smtp.Client, conns), log: cfg.Log}
	if s.log == nil {
		s.log = slog.Default()
	}
	if cfg.Rate > 0 {
		s.limiter = rate.NewLimiter(rate.Limit(cfg.Rate), 1)
	}
	return s, nil
}

// Send delivers m, waiting for the sending rate and a free connection.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	if s.limiter != nil {
		if err := s.limiter.Wait(ctx); err != nil {
			return fmt.Errorf("waiting for the sending rate: %w", err)
		}
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.slots }()

	conn, reused, err := s.take(ctx)
	if err != nil {
		return err
	}
	err = s.client.SendWithSMTPClient(conn, msg)
	if err != nil && reused && beforeData(err) {
		// The server closed an idle connection; nothing was sent on it.
		s.discard(conn)
		if conn, err = s.dial(ctx); err != nil {
			return err
		}
		err = s.client.SendWithSMTPClient(conn, msg)
	}
	if err == nil || answered(err) {
		s.idle <- conn
	} else {
		s.discard(conn)
	}
	return classify(err, m)
}

// build turns an outbox message into a MIME message: text with an HTML
// alternative and the stored Message-ID.
func (s *SMTPSender) build(m *Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("mail: From address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, Permanent(err, "%q is not a valid email address", m.To)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	// Automated mail: out-of-office replies should not answer it.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// take returns an idle connection or a new one.
func (s *SMTPSender) take(ctx context.Context) (conn *smtp.Client, reused bool, err error) {
	select {
	case conn := <-s.idle:
		return conn, true, nil
	default:
	}
	conn, err = s.dial(ctx)
	return conn, false, err
}

func (s *SMTPSender) dial(ctx context.Context) (*smtp.Client, error) {
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to SMTP server %s: %w", s.client.ServerAddr(), err)
	}
	return conn, nil
}

func (s *SMTPSender) discard(conn *smtp.Client) {
	if conn != nil {
		conn.Close()
	}
}

// Close says goodbye on every idle connection.
func (s *SMTPSender) Close() error {
	for {
		select {
		case conn := <-s.idle:
			s.client.CloseWithSMTPClient(conn)
		default:
			return nil
		}
	}
}

// beforeData reports whether err happened before the message content was
// handed over, with no reply from the server: a dead connection, safe to
// retry on a fresh one.
func beforeData(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.ErrorCode() != 0 {
		return false
	}
	switch se.Reason {
	case gomail.ErrConnCheck, gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData:
		return true
	}
	return false
}

// answered reports whether the server replied to a failed command, so the
// connection is still in step and may be reused (go-mail sent RSET).
func answered(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.ErrorCode() == 0 {
		return false
	}
	return se.Reason == gomail.ErrSMTPMailFrom || se.Reason == gomail.ErrSMTPRcptTo
}

var replyPattern = regexp.MustCompile(`\b[45]\d\d\b.*?(?:, affected |$)`)

// classify turns a go-mail error into the outbox's vocabulary: refusals of
// the recipient or the message (5xx) are permanent; a failure after the
// server accepted the message (the RSET that follows) is a success; a
// broken connection while the server's answer to the message was awaited is
// an unknown outcome; everything else may be retried.
func classify(err error, m *Message) error {
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return err
	}
	switch {
	case se.Reason == gomail.ErrSMTPReset:
		return nil // go-mail resets only after the server accepted the message
	case se.Reason == gomail.ErrSMTPDataClose && se.ErrorCode() == 0:
		return &OutcomeUnknownError{Err: err}
	case se.ErrorCode() < 500:
		return err
	}
	reply := replyPattern.FindString(se.Error())
	if i := len(reply) - len(", affected "); i > 0 && reply[i:] == ", affected " {
		reply = reply[:i]
	}
	switch se.Reason {
	case gomail.ErrSMTPRcptTo:
		return Permanent(err, "The mail server refused the address %s (%s)", m.To, reply)
	case gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		return Permanent(err, "The mail server refused the message to %s (%s)", m.To, reply)
	}
	return err
}
