package main

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The layering (README, "Architecture"): cmd → analytics → survey → leaf
// packages. TestLayering reads the real import graph with `go list` and
// fails on any import against it, so a shortcut cannot creep in unseen.

// aboveSurvey are the packages under survey/ that may import the survey
// package: its UIs and their web kit, storage, demo data, notifications and
// test helpers.
// Every other package under survey/ is a leaf (or near leaf) of the domain.
var aboveSurvey = []string{"survey/web", "survey/webkit", "survey/database", "survey/demo", "survey/notify"}

// domainForbidden are imports the domain (survey and its leaf packages)
// must not have: pages, assets and HTTP frameworks belong to the UIs.
var domainForbidden = []string{"accord/templates", "accord/static", "github.com/labstack/echo/v4"}

// knownViolations lists edges against the rules that are being removed;
// each must still exist (so the list cannot go stale) and is reported.
// None is left: survey/notify renders the emails the domain used to.
var knownViolations = map[string]string{}

type listedPackage struct {
	ImportPath string
	Imports    []string
}

func TestLayering(t *testing.T) {
	t.Parallel()
	pkgs := goList(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if why := layeringProblem(p.ImportPath, imp); why != "" {
				edge := p.ImportPath + " → " + imp
				if _, known := knownViolations[edge]; known {
					seen[edge] = true
					t.Logf("known layering problem, being removed: %s (%s)", edge, why)
					continue
				}
				t.Errorf("%s imports %s: %s", p.ImportPath, imp, why)
			}
		}
	}
	for edge := range knownViolations {
		if !seen[edge] {
			t.Errorf("%s is listed in knownViolations but no longer exists: remove it from the list", edge)
		}
	}
}

// TestLayeringRules checks the rules themselves on edges that must pass or fail.
func TestLayeringRules(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from, to string
		ok       bool
	}{
		{"accord/cmd/accord", "accord/analytics/web", true},
		{"accord/analytics", "accord/survey", true},
		{"accord/survey", "accord/survey/account", true},
		{"accord/survey/web", "accord/survey", true},
		{"accord/survey/account", "accord/survey/audit", true},
		{"accord/survey", "accord/analytics", false},
		{"accord/survey/web", "accord/analytics/format", false},
		{"accord/analytics", "accord/cmd/accord", false},
		{"accord/survey/account", "accord/survey", false},
		{"accord/survey/roster", "accord/survey", false},
		{"accord/survey", "accord/templates", false},
		{"accord/survey/account", "accord/templates", false},
		{"accord/survey/roster", "accord/survey/web", false},
		{"accord/survey/apperr", "accord/survey/audit", false},
		{"accord/analytics/stats", "accord/survey", false},
		{"accord/survey/web", "accord/survey/webkit", true},
		{"accord/analytics/web", "accord/survey/webkit", true},
		{"accord/survey/webkit", "accord/survey/account", true},
		{"accord/survey/webkit", "accord/survey/web", false},
		{"accord/survey/webkit", "accord/analytics", false},
		{"accord/survey", "accord/survey/webkit", false},
		{"accord/survey/roster", "accord/survey/webkit", false},
	} {
		if got := layeringProblem(c.from, c.to) == ""; got != c.ok {
			t.Errorf("%s → %s allowed = %v, want %v", c.from, c.to, got, c.ok)
		}
	}
}

// layeringProblem says why from may not import to, or "" when it may.
func layeringProblem(from, to string) string {
	rel := func(p string) string { return strings.TrimPrefix(p, "accord/") }
	under := func(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }
	f, tt := rel(from), rel(to)
	local := strings.HasPrefix(to, "accord/")
	switch {
	case local && under(tt, "cmd"):
		return "nothing imports a command"
	case under(f, "survey") && local && under(tt, "analytics"):
		return "survey is below analytics (cmd → analytics → survey → leaf packages)"
	case under(f, "survey/webkit") && !strings.HasSuffix(f, "test") && under(tt, "survey/web"):
		return "the web kit is shared plumbing below the pages: it imports no UI package"
	case under(f, "analytics/stats") && local:
		return "analytics/stats is pure statistics and imports nothing from Accord"
	}
	if !under(f, "survey") || slices.ContainsFunc(aboveSurvey, func(a string) bool { return under(f, a) }) ||
		strings.HasSuffix(f, "test") {
		return ""
	}
	// f is the domain: survey or one of its leaf packages.
	if slices.Contains(domainForbidden, to) || (local && strings.Contains(tt, "/web")) {
		return "the domain does not render pages or serve HTTP; that belongs to the web packages (or survey/notify for email)"
	}
	if f != "survey" && to == "accord/survey" {
		return "leaf packages under survey must not import survey (it imports them)"
	}
	if (f == "survey/apperr" || f == "survey/textcheck" || f == "survey/secrets") && local {
		return f + " is a leaf: it imports nothing from Accord"
	}
	return ""
}

// goList returns every package of the module with its (non-test) imports.
func goList(t *testing.T) []listedPackage {
	t.Helper()
	// go test puts its own GOROOT/bin first on the PATH of the test.
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	cmd := exec.Command(goCmd, "list", "-json=ImportPath,Imports", "accord/...")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []listedPackage
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}
