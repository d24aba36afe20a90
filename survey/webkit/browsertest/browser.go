// Package browsertest drives a real headless Chromium in tests: it opens
// pages of a test server, types and clicks as a person would, collects the
// console errors, uncaught exceptions and Content-Security-Policy violations
// of every page, and runs the axe-core accessibility checks on it.
//
// Chromium comes from ACCORD_TEST_CHROMIUM, else `chromium` on PATH. When it
// is missing, tests skip with a message, except under CI=true, where they
// fail: a browser test that silently skips in CI protects nothing.
//
// A test helper: it imports nothing from Accord.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ActionTimeout bounds every single browser action (a navigation, a click,
// an axe run), so a page that never loads fails the test instead of hanging it.
const ActionTimeout = 30 * time.Second

// Browser is one Chromium process with a fresh profile, owned by one test.
// Its pages share cookies, as tabs of one browser do.
type Browser struct {
	ctx context.Context // the first tab; it owns the browser process
}

// New starts Chromium for t and stops it, removing its profile, when t ends.
// One browser per test keeps tests independent (no shared cookies or cache);
// a start costs about half a second.
func New(t testing.TB) *Browser {
	t.Helper()
	path := chromiumPath(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), launchOptions(path)...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc() // waits for the process to end and removes the profile
	})
	// The first action starts the browser; its context must not carry a
	// timeout, which would end the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// launchOptions are chromedp's defaults plus what this machine needs: no
// sandbox as root, and no background connections, which a closed network
// refuses (Chromium would log them and slow down).
func launchOptions(path string) []chromedp.ExecAllocatorOption {
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	return append(opts,
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
}

// chromiumPath finds the browser, or skips (locally) or fails (in CI).
func chromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("ACCORD_TEST_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("ACCORD_TEST_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	p, err := exec.LookPath("chromium")
	if err == nil {
		return p
	}
	const msg = "browser test needs Chromium: install it (apt-get install -y chromium) or set ACCORD_TEST_CHROMIUM to its path"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: not skipping)")
	}
	t.Skip(msg)
	return ""
}
