package main

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database.Dialect != "sqlite" || !strings.Contains(cfg.Database.DSN, "accord.db") {
		t.Errorf("default database = %+v, want SQLite accord.db", cfg.Database)
	}
	if cfg.Addr != ":8080" || cfg.BaseURL.String() != "http://localhost:8080" || cfg.SMTPURL != nil || cfg.SecretKey != nil {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestLoadConfigNamesEveryBadVariable(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig(env(map[string]string{
		"ACCORD_DATABASE_URL":   "mysql://root@localhost/accord",
		"ACCORD_ADDR":           "eighty",
		"ACCORD_BASE_URL":       "accord.example.com",
		"ACCORD_SMTP_URL":       "mail.example.com",
		"ACCORD_SECRET_KEY":     "short",
		"ACCORD_ADMIN_PASSWORD": "hunter2",
		"ACCORD_LOG_FORMAT":     "xml",
	}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, name := range []string{"ACCORD_DATABASE_URL", "ACCORD_ADDR", "ACCORD_BASE_URL", "ACCORD_SMTP_URL", "ACCORD_SECRET_KEY", "ACCORD_ADMIN_PASSWORD", "ACCORD_LOG_FORMAT"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
}

func TestLoadConfigPostgresHidesPassword(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig(env(map[string]string{"ACCORD_DATABASE_URL": "postgres://u:s3cret@/db"}))
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error = %v; want an error that hides the password", err)
	}
	cfg, err := LoadConfig(env(map[string]string{
		"ACCORD_DATABASE_URL": "postgres://accord@db.internal:5432/accord",
		"ACCORD_BASE_URL":     "https://accord.example.com/",
		"ACCORD_SMTP_URL":     "smtp://user:pass@mail.example.com:587",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database.Dialect != "postgres" || cfg.BaseURL.String() != "https://accord.example.com" || cfg.SMTPURL.Host != "mail.example.com:587" {
		t.Errorf("cfg = %+v", cfg)
	}
}
