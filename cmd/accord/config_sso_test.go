package main

import (
	"strings"
	"testing"
)

// TestLoadConfigSSO: single sign-on needs all three variables and an
// https issuer (http on localhost only); password login off without it is
// refused, so that nobody is locked out silently.
func TestLoadConfigSSO(t *testing.T) {
	full := map[string]string{"ACCORD_OIDC_ISSUER": "https://login.example.com/realms/staff", "ACCORD_OIDC_CLIENT_ID": "accord",
		"ACCORD_OIDC_CLIENT_SECRET": "s3cret"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		for k, v := range extra {
			if v == "" {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	cfg, err := LoadConfig(env(with(map[string]string{"ACCORD_PASSWORD_LOGIN": "off"})))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OIDC.Issuer != full["ACCORD_OIDC_ISSUER"] || cfg.OIDC.ClientID != "accord" || !cfg.PasswordLoginOff {
		t.Errorf("cfg = %+v", cfg)
	}
	if cfg, err := LoadConfig(env(with(map[string]string{"ACCORD_OIDC_ISSUER": "http://127.0.0.1:9999"}))); err != nil || cfg.OIDC.Issuer == "" {
		t.Errorf("a local http issuer: %v, %+v", err, cfg.OIDC)
	}
	if cfg, err := LoadConfig(env(nil)); err != nil || cfg.PasswordLoginOff || cfg.OIDC.Issuer != "" {
		t.Errorf("defaults: %v, %+v", err, cfg)
	}
	for _, c := range []struct {
		env  map[string]string
		name string
		says string
	}{
		{map[string]string{"ACCORD_PASSWORD_LOGIN": "off"}, "ACCORD_PASSWORD_LOGIN", "nobody could log in"},
		{with(map[string]string{"ACCORD_PASSWORD_LOGIN": "sometimes"}), "ACCORD_PASSWORD_LOGIN", "on or off"},
		{with(map[string]string{"ACCORD_OIDC_ISSUER": "http://login.example.com"}), "ACCORD_OIDC_ISSUER", "https"},
		{with(map[string]string{"ACCORD_OIDC_CLIENT_ID": ""}), "ACCORD_OIDC_CLIENT_ID", "must be set"},
		{with(map[string]string{"ACCORD_OIDC_CLIENT_SECRET": ""}), "ACCORD_OIDC_CLIENT_SECRET", "must be set"},
		{map[string]string{"ACCORD_OIDC_CLIENT_ID": "accord"}, "ACCORD_OIDC_ISSUER", "https"},
	} {
		_, err := LoadConfig(env(c.env))
		if err == nil || !strings.Contains(err.Error(), c.name) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%v: error = %v; want one naming %s and saying %q", c.env, err, c.name, c.says)
		}
	}
}
