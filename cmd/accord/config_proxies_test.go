package main

import (
	"fmt"
	"strings"
	"testing"
)

func TestLoadConfigTrustedProxies(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(env(map[string]string{"ACCORD_TRUSTED_PROXIES": " 10.0.0.0/8, 192.0.2.10 ,2001:db8::/32,"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(cfg.TrustedProxies); got != "[10.0.0.0/8 192.0.2.10/32 2001:db8::/32]" {
		t.Errorf("trusted proxies = %s", got)
	}
	if cfg, _ := LoadConfig(env(nil)); len(cfg.TrustedProxies) != 0 {
		t.Errorf("a proxy is trusted by default: %v", cfg.TrustedProxies)
	}
	_, err = LoadConfig(env(map[string]string{"ACCORD_TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"}))
	if err == nil || !strings.Contains(err.Error(), "ACCORD_TRUSTED_PROXIES") || !strings.Contains(err.Error(), "proxy.internal") {
		t.Fatalf("bad entry: %v", err)
	}
}
