package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestNoBrowserInterfacePages checks that the shared Chromium runs only
// the tests' own pages: the browser's interface pages (the address bar's
// popup, type "browser_ui"), which a headless browser never shows, kept
// both cores busy while the tests waited (launchOptions).
func TestNoBrowserInterfacePages(t *testing.T) {
	if !shared.enabled {
		t.Skip("needs the shared browser of Main")
	}
	b := New(t)
	for range 3 {
		b.Open(t, "about:blank")
	}
	b.Open(t, "about:blank", Phone())
	targets, err := chromedp.Targets(shared.ctx)
	if err != nil {
		t.Fatalf("list Chromium's targets: %v", err)
	}
	pages := 0
	for _, target := range targets {
		switch target.Type {
		case "page":
			pages++
		case "browser_ui", "webview", "other":
			t.Errorf("Chromium runs %s %s besides the tests' pages", target.Type, target.URL)
		}
	}
	if pages < 4 {
		t.Errorf("%d pages open, want at least the test's 4", pages)
	}
}
