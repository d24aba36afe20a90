package secrets

import (
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	const url = "https://hooks.slack.com/services/T000/B000/XXXX"
	s, err := Seal(key, "slack", url)
	if err != nil || strings.Contains(s, "hooks.slack.com") || !strings.HasPrefix(s, sealedPrefix) {
		t.Fatalf("Seal = %q, %v", s, err)
	}
	if again, _ := Seal(key, "slack", url); again == s {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	if got, err := Open(key, "slack", s); err != nil || got != url {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := Open([]byte(strings.Repeat("x", 32)), "slack", s); err == nil {
		t.Error("opened with another key")
	}
	if _, err := Open(key, "teams", s); err == nil {
		t.Error("opened for another purpose")
	}
	if _, err := Open(key, "slack", url); err == nil {
		t.Error("opened a value that was never sealed")
	}
	if s, err := Seal(key, "slack", ""); s != "" || err != nil {
		t.Errorf("Seal of nothing = %q, %v", s, err)
	}
}
