package report

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPrinterRunsNoInterfacePages checks that the printer's Chromium runs
// only the pages it prints: the browser's own interface pages (the
// address bar's popup, type "browser_ui") kept a core busy for as long as
// an idle printer kept Chromium running (featuresOff).
func TestPrinterRunsNoInterfacePages(t *testing.T) {
	chromium, err := FindChromium(func(key string) string {
		if key == "ACCORD_CHROMIUM" && os.Getenv("ACCORD_TEST_CHROMIUM") != "" {
			return os.Getenv("ACCORD_TEST_CHROMIUM")
		}
		return os.Getenv(key)
	})
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the printer test needs Chromium: %v", err)
		}
		t.Skipf("the printer test needs Chromium (apt-get install -y chromium): %v", err)
	}
	p := NewPrinter(chromium, 1)
	t.Cleanup(p.Close)
	browser, err := p.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer p.release()
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	targets, err := chromedp.Targets(browser)
	if err != nil {
		t.Fatalf("list Chromium's targets: %v", err)
	}
	for _, target := range targets {
		if target.Type != "page" {
			t.Errorf("the printer's Chromium runs %s %s besides the pages it prints", target.Type, target.URL)
		}
	}
}
