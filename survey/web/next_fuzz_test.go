package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext: the page a login sends on to stays on this site however a
// browser reads it (browsers drop tabs and line breaks from URLs and read a
// backslash as a slash).
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/orgs/acme", "//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil.example", "javascript:alert(1)", ""} {
		f.Add(s)
	}
	base, _ := url.Parse("https://accord.test/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := url.Parse(browser)
		if err != nil {
			return // a browser would not follow it anywhere either
		}
		if to := base.ResolveReference(u); to.Host != "accord.test" || to.Scheme != "https" {
			t.Fatalf("safeNext(%q) = %q leads to %s", next, got, to)
		}
	})
}
