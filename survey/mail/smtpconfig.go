package mail

import (
	"crypto/tls"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// SMTPSettings is what an ACCORD_SMTP_URL says about the server.
type SMTPSettings struct {
	Host        string
	Port        int
	ImplicitTLS bool // smtps://: TLS from the first byte
	TLS         gomail.TLSPolicy
	SkipVerify  bool
	Username    string
	Password    string
	Auth        gomail.SMTPAuthType // "" with no username: no authentication
}

// ParseSMTPURL reads an SMTP URL:
//
//	smtp://[user:pass@]host[:port][?tls=opportunistic|mandatory|none][&insecure_skip_verify=true][&auth=auto|plain|login|cram-md5]
//	smtps://[user:pass@]host[:port][?insecure_skip_verify=true][&auth=…]
//
// smtp:// defaults to port 587 with STARTTLS when the server offers it;
// smtps:// defaults to port 465 with implicit TLS. Errors are written for
// the operator who set the variable.
func ParseSMTPURL(u *url.URL) (SMTPSettings, error) {
	s := SMTPSettings{Host: u.Hostname(), TLS: gomail.TLSOpportunistic, Port: 587}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.ImplicitTLS, s.TLS, s.Port = true, gomail.TLSMandatory, 465
	default:
		return s, fmt.Errorf("scheme must be smtp:// or smtps://, not %q", u.Scheme)
	}
	if s.Host == "" {
		return s, fmt.Errorf("no host (expected smtp://user:pass@mail.example.com:587)")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return s, fmt.Errorf("port %q is not a number from 1 to 65535", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if err := s.applyQuery(u.Query()); err != nil {
		return s, err
	}
	return s, nil
}

func (s *SMTPSettings) applyQuery(q url.Values) error {
	for key, vals := range q {
		v := strings.ToLower(vals[len(vals)-1])
		switch key {
		case "tls":
			policy, ok := map[string]gomail.TLSPolicy{"none": gomail.NoTLS, "opportunistic": gomail.TLSOpportunistic, "mandatory": gomail.TLSMandatory}[v]
			if !ok {
				return fmt.Errorf("tls=%s: use tls=opportunistic, mandatory or none", v)
			}
			if s.ImplicitTLS && policy != gomail.TLSMandatory {
				return fmt.Errorf("tls=%s contradicts smtps:// (always TLS); use smtp:// instead", v)
			}
			s.TLS = policy
		case "insecure_skip_verify":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("insecure_skip_verify=%s: use true or false", v)
			}
			s.SkipVerify = b
		case "auth":
			auth, ok := map[string]gomail.SMTPAuthType{"auto": gomail.SMTPAuthAutoDiscover, "plain": gomail.SMTPAuthPlain,
				"login": gomail.SMTPAuthLogin, "cram-md5": gomail.SMTPAuthCramMD5}[v]
			if !ok {
				return fmt.Errorf("auth=%s: use auth=auto, plain, login or cram-md5", v)
			}
			s.Auth = auth
		default:
			return fmt.Errorf("unknown option %q (known: tls, insecure_skip_verify, auth)", key)
		}
	}
	if s.Username == "" {
		s.Auth = ""
	} else if s.Auth == "" {
		s.Auth = gomail.SMTPAuthAutoDiscover
	}
	if s.TLS == gomail.NoTLS && s.Auth == gomail.SMTPAuthPlain {
		s.Auth = gomail.SMTPAuthPlainNoEnc // the operator chose no TLS explicitly
	}
	if s.TLS == gomail.NoTLS && s.Auth == gomail.SMTPAuthLogin {
		s.Auth = gomail.SMTPAuthLoginNoEnc
	}
	return nil
}

// clientOptions turns the settings into go-mail client options.
func (s SMTPSettings) clientOptions() []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.Port),
		gomail.WithTLSPolicy(s.TLS),
		gomail.WithTLSConfig(&tls.Config{ServerName: s.Host, InsecureSkipVerify: s.SkipVerify, MinVersion: tls.VersionTLS12}),
		// A stale pooled connection shows up as a failed MAIL FROM, which is
		// safe to retry on a new one; a NOOP before every message would cost
		// a round trip each.
		gomail.WithoutNoop(),
	}
	if s.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	}
	if s.Auth != "" {
		opts = append(opts, gomail.WithSMTPAuth(s.Auth), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	return opts
}
