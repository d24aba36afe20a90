package main

import (
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"

	"accord/survey/account"
	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/secrets"
)

// Config is everything Accord reads from its environment, validated once at
// start and passed explicitly from there on.
type Config struct {
	Database      database.Target
	Addr          string
	BaseURL       *url.URL
	SMTPURL       *url.URL // nil: the development outbox
	SMTP          mail.SMTPSettings
	SMTPRate      float64 // messages per second; 0: no limit
	MailFrom      string  // the From of every email
	SecretKey     []byte  // nil: the key file beside an embedded database (PostgreSQL needs it set)
	AdminEmail    string
	AdminPassword string
	LogFormat     string // "text" or "json"
	// MetricsToken is the bearer token /metrics asks for; MetricsAddr a
	// separate listen address serving only /metrics. Neither: no metrics.
	MetricsToken string
	MetricsAddr  string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client; empty: the connection's peer is the client.
	TrustedProxies []*net.IPNet
	// OIDC is staff single sign-on (ACCORD_OIDC_*); a zero Issuer: none.
	OIDC OIDCConfig
	// PasswordLoginOff refuses password logins (ACCORD_PASSWORD_LOGIN=off).
	PasswordLoginOff bool
}

// OIDCConfig is the OpenID provider staff sign in with.
type OIDCConfig struct {
	Issuer, ClientID, ClientSecret string
}

// LoadConfig reads the ACCORD_* variables through getenv. Every bad value is
// reported, each naming its variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	cfg := Config{Addr: ":8080", LogFormat: "text"}
	t, err := database.ParseURL(getenv("ACCORD_DATABASE_URL"))
	if err != nil {
		bad("ACCORD_DATABASE_URL", "%v", err)
	}
	cfg.Database = t
	// In this order, which is the order of the messages.
	loadAddresses(&cfg, getenv, bad)
	loadMail(&cfg, getenv, bad)
	loadSecrets(&cfg, getenv, bad)
	loadProxiesAndMetrics(&cfg, getenv, bad)
	cfg.Database.MaxConns = loadDBMaxConns(getenv, bad)
	loadSSO(&cfg, getenv, bad)
	if v := getenv("ACCORD_LOG_FORMAT"); v != "" {
		if v != "text" && v != "json" {
			bad("ACCORD_LOG_FORMAT", "must be text or json, not %q", v)
		}
		cfg.LogFormat = v
	}
	return cfg, errors.Join(errs...)
}

// loadAddresses reads where Accord listens (ACCORD_ADDR) and the public
// URL of its links (ACCORD_BASE_URL, by default the listen address).
func loadAddresses(cfg *Config, getenv func(string) string, bad func(name, format string, args ...any)) {
	if v := getenv("ACCORD_ADDR"); v != "" {
		if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
			bad("ACCORD_ADDR", "%q is not a listen address like :8080 or 127.0.0.1:8080", v)
		}
		cfg.Addr = v
	}
	base := getenv("ACCORD_BASE_URL")
	if base == "" {
		host := cfg.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		base = "http://" + host
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("ACCORD_BASE_URL", "%q is not an absolute http(s) URL like https://accord.example.com", base)
	} else {
		u.Path = strings.TrimSuffix(u.Path, "/")
		cfg.BaseURL = u
	}
}

// loadMail reads how mail leaves: the SMTP server (none: the development
// outbox), its rate and the From address (by default at the base URL's host).
func loadMail(cfg *Config, getenv func(string) string, bad func(name, format string, args ...any)) {
	if v := getenv("ACCORD_SMTP_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			bad("ACCORD_SMTP_URL", "not an SMTP URL like smtp://user:pass@mail.example.com:587")
		} else if settings, err := mail.ParseSMTPURL(u); err != nil {
			bad("ACCORD_SMTP_URL", "%v", err)
		} else {
			cfg.SMTPURL, cfg.SMTP = u, settings
		}
	}
	cfg.SMTPRate = loadSMTPRate(getenv, bad)
	cfg.MailFrom = getenv("ACCORD_MAIL_FROM")
	if cfg.MailFrom == "" && cfg.BaseURL != nil {
		cfg.MailFrom = "Accord <accord@" + cfg.BaseURL.Hostname() + ">"
	}
	if cfg.MailFrom != "" {
		if _, err := netmail.ParseAddress(cfg.MailFrom); err != nil {
			bad("ACCORD_MAIL_FROM", "%q is not an address like Accord <accord@example.com>", cfg.MailFrom)
		}
	}
}

// loadSecrets reads the server secret and the first admin's login.
func loadSecrets(cfg *Config, getenv func(string) string, bad func(name, format string, args ...any)) {
	if v := getenv("ACCORD_SECRET_KEY"); v != "" {
		key, err := secrets.ParseSecret(v)
		if err != nil {
			bad("ACCORD_SECRET_KEY", "%v", err)
		}
		cfg.SecretKey = key
	}
	cfg.AdminEmail = strings.TrimSpace(getenv("ACCORD_ADMIN_EMAIL"))
	cfg.AdminPassword = getenv("ACCORD_ADMIN_PASSWORD")
	// Alone it is the password of the default admin@localhost.
	if cfg.AdminPassword != "" && len(cfg.AdminPassword) < account.MinPasswordLength {
		bad("ACCORD_ADMIN_PASSWORD", "must be at least %d characters long", account.MinPasswordLength)
	}
}

// loadProxiesAndMetrics reads the trusted reverse proxies and where the
// metrics are served.
func loadProxiesAndMetrics(cfg *Config, getenv func(string) string, bad func(name, format string, args ...any)) {
	if v := getenv("ACCORD_TRUSTED_PROXIES"); v != "" {
		nets, err := parseCIDRs(v)
		if err == nil {
			err = refuseCatchAll(nets)
		}
		if err != nil {
			bad("ACCORD_TRUSTED_PROXIES", "%v", err)
		}
		cfg.TrustedProxies = nets
	}
	if v := getenv("ACCORD_METRICS_TOKEN"); v != "" {
		if len(v) < 16 {
			bad("ACCORD_METRICS_TOKEN", "must be at least 16 characters; got %d", len(v))
		}
		cfg.MetricsToken = v
	}
	if v := getenv("ACCORD_METRICS_ADDR"); v != "" {
		if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
			bad("ACCORD_METRICS_ADDR", "%q is not a listen address like 127.0.0.1:9090", v)
		} else if v == cfg.Addr {
			bad("ACCORD_METRICS_ADDR", "must differ from ACCORD_ADDR (%s)", cfg.Addr)
		}
		cfg.MetricsAddr = v
	}
}

// parseCIDRs reads a comma-separated list of networks like 10.0.0.0/8 or
// single addresses like 203.0.113.7 (one host).
func parseCIDRs(list string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			ip := net.ParseIP(f)
			if ip == nil {
				return nil, fmt.Errorf("%q is not an address or a network like 10.0.0.0/8", f)
			}
			bits := 8 * len(ip.To16())
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			nets = append(nets, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or a network like 10.0.0.0/8", f)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// loadDBMaxConns reads ACCORD_DB_MAX_CONNS, the most PostgreSQL connections
// one process opens (requests, scheduler and job queue together).
func loadDBMaxConns(getenv func(string) string, bad func(name, format string, args ...any)) int {
	v := getenv("ACCORD_DB_MAX_CONNS")
	if v == "" {
		return database.DefaultMaxConns
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < database.MinMaxConns || n > 10000 {
		bad("ACCORD_DB_MAX_CONNS", "%q is not a number of connections from %d up, like %d", v, database.MinMaxConns, database.DefaultMaxConns)
		return database.DefaultMaxConns
	}
	return n
}

// loadSSO reads single sign-on (ACCORD_OIDC_ISSUER, _CLIENT_ID,
// _CLIENT_SECRET: all three or none) and ACCORD_PASSWORD_LOGIN (on by
// default). Password login off without single sign-on would lock everyone
// out, so it is refused.
func loadSSO(cfg *Config, getenv func(string) string, bad func(name, format string, args ...any)) {
	o := OIDCConfig{Issuer: strings.TrimSpace(getenv("ACCORD_OIDC_ISSUER")), ClientID: strings.TrimSpace(getenv("ACCORD_OIDC_CLIENT_ID")),
		ClientSecret: getenv("ACCORD_OIDC_CLIENT_SECRET")}
	if o.Issuer != "" || o.ClientID != "" || o.ClientSecret != "" {
		ok := true
		if u, err := url.Parse(o.Issuer); err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
			bad("ACCORD_OIDC_ISSUER", "%q is not the https URL of an OpenID provider like https://login.example.com/realms/staff (http only on localhost)", o.Issuer)
			ok = false
		}
		if o.ClientID == "" {
			bad("ACCORD_OIDC_CLIENT_ID", "must be set with ACCORD_OIDC_ISSUER: the client ID Accord is registered under at the provider")
			ok = false
		}
		if o.ClientSecret == "" {
			bad("ACCORD_OIDC_CLIENT_SECRET", "must be set with ACCORD_OIDC_ISSUER: the client secret of that registration")
			ok = false
		}
		if ok {
			cfg.OIDC = o
		}
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("ACCORD_PASSWORD_LOGIN"))); v {
	case "", "on":
	case "off":
		cfg.PasswordLoginOff = true
		if o.Issuer == "" {
			bad("ACCORD_PASSWORD_LOGIN", "is off but single sign-on is not configured (ACCORD_OIDC_ISSUER, ACCORD_OIDC_CLIENT_ID, "+
				"ACCORD_OIDC_CLIENT_SECRET): nobody could log in. Configure single sign-on or leave password login on")
		}
	default:
		bad("ACCORD_PASSWORD_LOGIN", "must be on or off, not %q", v)
	}
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
