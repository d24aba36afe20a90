package mail_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		raw      string
		want     mail.SMTPSettings
		errorSay string
	}{
		{raw: "smtp://mail.example.com", want: mail.SMTPSettings{Host: "mail.example.com", Port: 587, TLS: gomail.TLSOpportunistic}},
		{raw: "smtp://u:p%40ss@mail.example.com:2525?tls=mandatory",
			want: mail.SMTPSettings{Host: "mail.example.com", Port: 2525, TLS: gomail.TLSMandatory, Username: "u", Password: "p@ss", Auth: gomail.SMTPAuthAutoDiscover}},
		{raw: "smtps://mail.example.com?insecure_skip_verify=true",
			want: mail.SMTPSettings{Host: "mail.example.com", Port: 465, ImplicitTLS: true, TLS: gomail.TLSMandatory, SkipVerify: true}},
		{raw: "smtp://u:p@localhost:1025?tls=none&auth=plain",
			want: mail.SMTPSettings{Host: "localhost", Port: 1025, TLS: gomail.NoTLS, Username: "u", Password: "p", Auth: gomail.SMTPAuthPlainNoEnc}},
		{raw: "smtp://mail.example.com?tls=sometimes", errorSay: "tls=sometimes"},
		{raw: "smtp://mail.example.com?insecure_skip_verify=maybe", errorSay: "insecure_skip_verify"},
		{raw: "smtp://mail.example.com?auth=kerberos", errorSay: "auth=kerberos"},
		{raw: "smtps://mail.example.com?tls=opportunistic", errorSay: "contradicts smtps"},
		{raw: "smtp://mail.example.com:0", errorSay: "port"},
		{raw: "http://mail.example.com", errorSay: "scheme"},
		{raw: "smtp://mail.example.com?timeout=5", errorSay: "unknown option"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := mail.ParseSMTPURL(u)
		if tt.errorSay != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errorSay) {
				t.Errorf("ParseSMTPURL(%s) error = %v, want one mentioning %q", tt.raw, err, tt.errorSay)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSMTPURL(%s) = %+v, %v; want %+v", tt.raw, got, err, tt.want)
		}
	}
}

func TestSMTPSenderKeepsToTheRate(t *testing.T) {
	mp := mailtest.Start(t)
	u, _ := url.Parse(mp.SMTPURL())
	settings, err := mail.ParseSMTPURL(u)
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSMTPSender(mail.SMTPConfig{Settings: settings, From: "accord@accord.test", Rate: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	for i := range 6 {
		m := testMessage("a@example.com", i)
		m.MessageID = "rate-" + string(rune('a'+i)) + "@accord.test"
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	// Six messages at ten a second: the last may go 0.5 s after the first.
	if elapsed := time.Since(start); elapsed < 500*time.Millisecond {
		t.Fatalf("6 messages at 10/s took %s, want at least 500ms", elapsed)
	}
	mp.WaitFor(t, 6, 10*time.Second)
}

func TestSMTPSenderReplacesAConnectionTheServerDropped(t *testing.T) {
	mp := mailtest.Start(t)
	u, _ := url.Parse(mp.SMTPURL())
	settings, err := mail.ParseSMTPURL(u)
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSMTPSender(mail.SMTPConfig{Settings: settings, From: "accord@accord.test", Conns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first, second := testMessage("a@example.com", 1), testMessage("b@example.com", 2)
	first.MessageID, second.MessageID = "first@accord.test", "second@accord.test"
	if err := s.Send(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	// The server restarts: the pooled connection is dead.
	mp.Stop()
	mp = mailtest.StartAt(t, mp.SMTPAddr)
	if err := s.Send(context.Background(), second); err != nil {
		t.Fatalf("send after the server dropped the pooled connection: %v", err)
	}
	if got := mp.WaitFor(t, 1, 10*time.Second); got[0].MessageID != "second@accord.test" {
		t.Fatalf("restarted server got %+v", got)
	}
}
