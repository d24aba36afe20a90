package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Page is one browser tab. Interactions are real input events (mouse clicks,
// key presses), so they work with JavaScript disabled; reads go through the
// DevTools protocol, which neither a disabled script engine nor the page's
// Content-Security-Policy stops.
type Page struct {
	t        testing.TB
	ctx      context.Context
	log      *messageLog
	noScript bool
}

// Option sets up a page before its first navigation.
type Option func(p *Page)

// NoScript disables JavaScript in the page, as a person who turned it off
// (or whose browser failed to load the scripts) would see it.
func NoScript() Option {
	return func(p *Page) {
		p.t.Helper()
		p.setScripts(false)
		p.noScript = true
	}
}

// setScripts turns the page's script engine on or off.
func (p *Page) setScripts(on bool) {
	p.t.Helper()
	_, err := chromedp.Call(p.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	if err != nil {
		p.t.Fatalf("turn JavaScript on=%v: %v", on, err)
	}
}

// Viewport sets the page's size in CSS pixels; mobile also makes the page
// honour <meta name="viewport"> as a phone does.
func Viewport(width, height int64, mobile bool) Option {
	return func(p *Page) {
		p.t.Helper()
		var opts []chromedp.EmulateViewportOption
		if mobile {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
		}
		p.do(fmt.Sprintf("set viewport %dx%d", width, height), chromedp.EmulateViewport(width, height, opts...))
	}
}

// Phone is a 375×812 portrait phone screen (an iPhone X class device).
func Phone() Option { return Viewport(375, 812, true) }

// Open opens url in a new tab and fails t unless the page loads. The tab
// closes when t ends. With ACCORD_TEST_SCREENSHOTS=dir, a failed test leaves
// a screenshot of the tab in dir.
func (b *Browser) Open(t testing.TB, url string, opts ...Option) *Page {
	t.Helper()
	log := &messageLog{}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(log.record))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("open tab: %v", err)
	}
	p := &Page{t: t, ctx: ctx, log: log}
	if dir := os.Getenv("ACCORD_TEST_SCREENSHOTS"); dir != "" {
		// Cleanups run last-registered first: this one before the tab closes.
		t.Cleanup(func() {
			if t.Failed() {
				p.Screenshot(filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png"))
			}
		})
	}
	for _, o := range opts {
		o(p)
	}
	p.Navigate(url)
	return p
}

// do runs actions with the per-action timeout and fails the test on error.
func (p *Page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// Navigate loads url and returns the HTTP status of the document.
func (p *Page) Navigate(url string) int {
	p.t.Helper()
	return p.navigating("navigate to "+url, chromedp.Navigate(url))
}

// navigating runs an action that loads a new document (a link, a form
// submission) and waits for it; it returns the document's HTTP status.
func (p *Page) navigating(what string, action chromedp.Action[chromedp.Void]) int {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// Click clicks the first element matching the CSS selector with the mouse.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// ClickAndWait clicks the first element matching sel, waits for the page it
// leads to (a link or a submit button) and returns that page's HTTP status.
func (p *Page) ClickAndWait(sel string) int {
	p.t.Helper()
	return p.navigating("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Press sends key presses to the focused element: "\t" is Tab, " " Space,
// "\r" Enter; see github.com/chromedp/chromedp/kb for the others.
func (p *Page) Press(keys string) {
	p.t.Helper()
	p.do("press keys", keyPresses(keys))
}

// PressAndWait sends key presses that load a new page (Enter on a link or a
// submit button), waits for it and returns its HTTP status.
func (p *Page) PressAndWait(keys string) int {
	p.t.Helper()
	return p.navigating("press keys", keyPresses(keys))
}

// keyPresses sends each key as Chromium receives it from a real keyboard: a
// raw key down, then the character, then key up. chromedp.KeyEvent sends a
// cooked "keyDown" instead, after which the renderer does not drop the
// character when the key down was handled: Enter on a link that moves focus
// into a form would also submit the form, which no real keyboard does.
func keyPresses(keys string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range keys {
			for _, k := range kb.Encode(r) {
				if k.Type == input.DispatchKeyEventTypeKeyDown {
					k.Type = input.DispatchKeyEventTypeRawKeyDown
				}
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SetValue sets the value of the first form field matching sel, as a
// script or the browser's autofill would, without key presses.
func (p *Page) SetValue(sel, value string) {
	p.t.Helper()
	ok := Eval[bool](p, `(e => { if (!e) return false; e.value = `+js(value)+`; e.dispatchEvent(new Event("input", {bubbles: true})); return true })(document.querySelector(`+js(sel)+`))`)
	if !ok {
		p.t.Fatalf("set value: no element matches %s on %s", sel, p.URL())
	}
}

// Type focuses the first element matching sel and types text into it.
func (p *Page) Type(sel, text string) {
	p.t.Helper()
	p.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Upload chooses the files at paths in the first file input matching sel.
func (p *Page) Upload(sel string, paths ...string) {
	p.t.Helper()
	p.do("choose files for "+sel, chromedp.SetUploadFiles(chromedp.CSS(sel), paths))
}

// Eval evaluates a JavaScript expression in the page and decodes its result.
// It runs through the DevTools protocol, so it works in a page whose scripts
// are disabled or forbidden by its Content-Security-Policy.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Count returns how many elements match the CSS selector now.
func (p *Page) Count(sel string) int {
	p.t.Helper()
	return Eval[int](p, `document.querySelectorAll(`+js(sel)+`).length`)
}

// Text returns the rendered text of the first element matching sel, or
// fails the test when there is none.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	s := Eval[*string](p, `(function(){const e = document.querySelector(`+js(sel)+`); return e ? e.innerText : null})()`)
	if s == nil {
		p.t.Fatalf("no element matches %s on %s", sel, p.URL())
	}
	return *s
}

// Checked reports whether the first element matching sel is checked.
func (p *Page) Checked(sel string) bool {
	p.t.Helper()
	return Eval[bool](p, `!!(document.querySelector(`+js(sel)+`) || {}).checked`)
}

// Focused returns the id of the focused element ("" when it has none).
func (p *Page) Focused() string {
	p.t.Helper()
	return Eval[string](p, `document.activeElement ? document.activeElement.id : ""`)
}

// URL returns the address of the page now shown.
func (p *Page) URL() string {
	p.t.Helper()
	return Eval[string](p, `location.href`)
}

// Title returns the document title.
func (p *Page) Title() string {
	p.t.Helper()
	return Eval[string](p, `document.title`)
}

// ScrollsSideways reports whether the page is wider than its viewport, so a
// reader must scroll horizontally. It compares with the layout viewport
// (clientWidth): in mobile emulation innerWidth grows with the overflowing
// content, as a phone zooms out, and would hide the problem.
func (p *Page) ScrollsSideways() bool {
	p.t.Helper()
	return Eval[bool](p, `document.documentElement.scrollWidth > document.documentElement.clientWidth`)
}

// Overflowing describes the innermost elements that reach past the right
// edge of the viewport, to say why a page scrolls sideways.
func (p *Page) Overflowing() []string {
	p.t.Helper()
	return Eval[[]string](p, `(() => {
		const w = document.documentElement.clientWidth;
		const over = e => e.getBoundingClientRect().right > w + 0.5;
		return [...document.body.querySelectorAll("*")]
			.filter(e => over(e) && ![...e.children].some(over))
			.slice(0, 10)
			.map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
				(typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\s+/).join(".") : "") +
				" (right edge " + Math.round(e.getBoundingClientRect().right) + "px)");
	})()`)
}

// Screenshot writes a PNG of the whole page to path, for a person to look at.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		p.t.Errorf("screenshot %s: %v", path, err)
	}
}

// WaitFor polls a JavaScript condition until it is true, and fails the test
// when it is still false after ActionTimeout. It polls from Go, not with a
// script in the page, which the page's Content-Security-Policy would block.
func (p *Page) WaitFor(cond string) {
	p.t.Helper()
	deadline := time.Now().Add(ActionTimeout)
	for !Eval[bool](p, "!!("+cond+")") {
		if time.Now().After(deadline) {
			p.t.Fatalf("still false after %v on %s: %s", ActionTimeout, p.URL(), cond)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
