package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.14.1 (MPL-2.0, from the npm registry; licence in
// testdata/axe-LICENSE.txt), the accessibility engine behind most WCAG
// checkers.
//
//go:embed testdata/axe.min.js
var axeSource string

// Violation is one axe rule a page breaks, with the elements that break it.
type Violation struct {
	ID      string // the rule, e.g. "color-contrast", "label"
	Impact  string // "minor", "moderate", "serious" or "critical"
	Help    string
	HelpURL string
	Nodes   []ViolationNode
}

// ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	Target  string // a CSS selector for the element
	HTML    string
	Summary string // what to fix
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return b.String()
}

// axeRun runs axe's default rule set (WCAG 2.0–2.2 A and AA, and best
// practices) on the whole document and returns the violations only.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
	ID: v.id, Impact: v.impact || "", Help: v.help, HelpURL: v.helpUrl,
	Nodes: v.nodes.map(n => ({Target: n.target.map(String).join(" "), HTML: n.html, Summary: n.failureSummary || ""}))
})))`

// Axe runs axe-core on the page as it is now and returns its violations.
// The engine is evaluated through the DevTools protocol: the page's
// Content-Security-Policy forbids inline scripts, and rightly so.
func (p *Page) Axe() []Violation {
	p.t.Helper()
	// axe works with promises and timers, which stop with the script
	// engine: turn it on for the check only. Scripts the page skipped while
	// loading do not run then, so the checked document stays the same.
	if p.noScript {
		p.setScripts(true)
		defer p.setScripts(false)
	}
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe === "object"`))
	if err == nil && !loaded {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource))
	}
	if err != nil {
		p.t.Fatalf("load axe-core: %v", err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("run axe-core on %s: %v", p.URL(), err)
	}
	return vs
}

// AssertAccessible fails the test for every axe violation on the page at
// or above minImpact ("minor" counts them all).
func (p *Page) AssertAccessible(minImpact string) {
	p.t.Helper()
	var bad []string
	for _, v := range p.Axe() {
		if impactRank[v.Impact] >= impactRank[minImpact] {
			bad = append(bad, v.String())
		} else {
			p.t.Logf("axe, below %s: %s", minImpact, v)
		}
	}
	if len(bad) > 0 {
		p.t.Errorf("axe-core finds %d violation(s) at or above %q on %s:\n  %s", len(bad), minImpact, p.URL(), strings.Join(bad, "\n  "))
	}
}

var impactRank = map[string]int{"": 0, "minor": 1, "moderate": 2, "serious": 3, "critical": 4}
