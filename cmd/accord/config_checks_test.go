package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestBadNumbersAndCatchAllProxiesNameTheirVariable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, value, want string }{
		{"ACCORD_SMTP_RATE", "1e-300", "one a minute"},
		{"ACCORD_SMTP_RATE", "NaN", "messages per second"},
		{"ACCORD_SMTP_RATE", "1e300", "messages per second"},
		{"ACCORD_DB_MAX_CONNS", "1", "number of connections"},
		{"ACCORD_DB_MAX_CONNS", "many", "number of connections"},
		{"ACCORD_TRUSTED_PROXIES", "0.0.0.0/0", "trusts every address"},
		{"ACCORD_TRUSTED_PROXIES", "10.0.0.1, ::/0", "trusts every address"},
	} {
		_, err := LoadConfig(env(map[string]string{tc.name: tc.value}))
		if err == nil || !strings.Contains(err.Error(), tc.name+": ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%s: error %v; want one naming the variable and saying %q", tc.name, tc.value, err, tc.want)
		}
	}
	for name, value := range map[string]string{"ACCORD_SMTP_RATE": "0", "ACCORD_DB_MAX_CONNS": "40"} {
		if _, err := LoadConfig(env(map[string]string{name: value})); err != nil {
			t.Errorf("%s=%s refused: %v", name, value, err)
		}
	}
}

func TestUnknownVariablesAreWarnedAboutAtStart(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	m := &Main{Args: []string{"version"}, Stdout: &out, Stderr: &out, Getenv: env(nil), Environ: func() []string {
		return []string{"ACCORD_SMTP_RAET=5", "ACCORD_DB_MAX_CONNS=8", "ACCORD_METRICS_TOKEN=x", "ACCORD_OIDC_ISSUER=https://id",
			"ACCORD_TEST_POSTGRES_URL=postgres://x", "ACCORD_FROBNICATE=1", "PATH=/bin"}
	}}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"warning: ACCORD_SMTP_RAET is not a variable Accord reads; it is ignored (did you mean ACCORD_SMTP_RATE?)",
		"warning: ACCORD_FROBNICATE is not a variable Accord reads",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, known := range []string{"ACCORD_DB_MAX_CONNS", "ACCORD_METRICS_TOKEN", "ACCORD_OIDC_ISSUER", "ACCORD_TEST_", "PATH"} {
		if strings.Contains(got, known) {
			t.Errorf("warned about %s, which is known:\n%s", known, got)
		}
	}
}

func TestServeWarnsAtStartWhenChromiumIsMissing(t *testing.T) {
	t.Parallel()
	_, out, stop := startServe(t, map[string]string{"ACCORD_CHROMIUM": "/nonexistent/chromium"})
	stop()
	if !strings.Contains(out.String(), "warning: ACCORD_CHROMIUM=/nonexistent/chromium") {
		t.Fatalf("no warning about the missing Chromium at start:\n%s", out)
	}
}
