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
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ActionTimeout bounds every single browser action (a navigation, a click,
// an axe run), so a page that never loads fails the test instead of hanging it.
const ActionTimeout = 30 * time.Second

// Browser is a fresh profile in Chromium, owned by one test: its pages
// share cookies, as tabs of one browser do, and nothing else. Under Main
// every Browser is a separate browser context (cookies, cache and storage
// of its own, as an incognito window) in one Chromium process per test
// binary, started on first use and kept warm; without Main each Browser is
// a Chromium process of its own.
type Browser struct {
	ctx context.Context // the first tab; it owns the browser context (or the process)
}

// MaxBrowsers bounds how many tests use the shared Chromium at once; more
// wait in New. Each page Chromium renders costs a core while it loads, and
// the machine the suite runs on may have two.
const MaxBrowsers = 3

// shared is the one Chromium process of a test binary that runs Main.
var shared struct {
	enabled bool // Main runs the tests
	once    sync.Once
	ctx     context.Context // the process's first tab; its cancellation stops the process
	cancel  func()
	err     error

	slots chan struct{} // a token per test using the browser, at most MaxBrowsers
	mu    sync.Mutex
	users map[string]int // Browsers per top-level test holding a slot
}

// Main runs the tests of a package that uses browsers, sharing one warm
// Chromium process between them, and stops it afterwards. Call it from
// TestMain:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
func Main(m *testing.M) {
	shared.enabled = true
	shared.slots = make(chan struct{}, MaxBrowsers)
	shared.users = map[string]int{}
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel() // waits for the process to end and removes its profile
	}
	os.Exit(code)
}

// New gives t a fresh browser, closed when t ends: a new browser context
// of the shared Chromium under Main (browser contexts share no cookies,
// cache or storage, so tests stay independent), else a Chromium process
// of its own (a start costs about half a second).
func New(t testing.TB) *Browser {
	t.Helper()
	path := chromiumPath(t)
	if !shared.enabled {
		return newProcess(t, path)
	}
	shared.once.Do(func() { shared.ctx, shared.cancel, shared.err = start(path) })
	if shared.err != nil {
		t.Fatalf("start Chromium %s: %v", path, shared.err)
	}
	acquire(t)
	ctx, cancel := chromedp.NewContext(shared.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel) // closes the tabs and disposes of the browser context
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a browser context in Chromium %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// acquire waits for a slot for t's top-level test, unless it holds one
// already (a test may use several browsers, and its subtests run
// together), and gives it back when the last of them ends.
func acquire(t testing.TB) {
	root, _, _ := strings.Cut(t.Name(), "/")
	shared.mu.Lock()
	held := shared.users[root] > 0
	shared.users[root]++
	shared.mu.Unlock()
	if !held {
		shared.slots <- struct{}{}
	}
	t.Cleanup(func() {
		shared.mu.Lock()
		shared.users[root]--
		last := shared.users[root] == 0
		shared.mu.Unlock()
		if last {
			<-shared.slots
		}
	})
}

// start starts the shared Chromium process.
func start(path string) (context.Context, func(), error) {
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), launchOptions(path)...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() {
		cancel()
		cancelAlloc()
	}
	// The first action starts the browser; its context must not carry a
	// timeout, which would end the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// newProcess starts Chromium for t alone and stops it, removing its
// profile, when t ends.
func newProcess(t testing.TB, path string) *Browser {
	t.Helper()
	ctx, stop, err := start(path)
	if err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	t.Cleanup(stop)
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
		chromedp.Flag("disable-features", strings.Join(disabledFeatures, ",")),
		chromedp.WindowSize(1280, 900),
	)
}

// disabledFeatures are chromedp's own (its defaults set the same flag,
// which this one replaces) and the address bar's popup, which recent
// Chromium (156 here) builds as a web page of its own ("top chrome" WebUI)
// for every window and tab, and preloads. A headless browser never shows
// it, yet it kept rendering (its caret is animated): with two test
// windows open, an idle Chromium used 1.7 of the machine's 2 cores, more
// than every page the tests load. Chromium ignores names it does not know.
var disabledFeatures = []string{
	"Translate", "BlinkGenPropertyTrees", // chromedp's defaults
	"WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup", "PreloadTopChromeWebUI",
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
