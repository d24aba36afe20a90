package main

import (
	"strings"
	"testing"
)

// firstLine is what a script reading the command's output gets first (log
// lines go to standard error, which runMain appends).
func firstLine(s string) string { line, _, _ := strings.Cut(s, "\n"); return line }

func TestOrgAdd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := runMain(t, dir, "", "org", "add", "--name", "Café Déjà Vu", "--timezone", "Europe/Berlin", "--min-group", "7")
	if err != nil || firstLine(out) != "cafe-deja-vu" {
		t.Fatalf("org add printed %q, err %v; want the slug alone", out, err)
	}
	out, err = runMain(t, dir, "", "org", "add", "--name", "Café Déjà Vu")
	if err != nil || firstLine(out) != "cafe-deja-vu-2" {
		t.Fatalf("second org add printed %q, err %v", out, err)
	}
	out, err = runMain(t, dir, "", "org", "add", "--name", "Globex", "--slug", "globex-eu")
	if err != nil || firstLine(out) != "globex-eu" {
		t.Fatalf("org add --slug printed %q, err %v", out, err)
	}
	// The organisation exists with its settings: a leader can be added to it.
	if out, err := runMain(t, dir, "", "user", "add", "--email", "lead@example.com", "--role", "leader", "--org", "cafe-deja-vu"); err != nil {
		t.Fatalf("user add --org cafe-deja-vu: %v\n%s", err, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"org"}, "usage: accord org add"},
		{[]string{"org", "add"}, "--name is required"},
		{[]string{"org", "add", "--name", "X", "extra"}, `unexpected argument "extra"`},
		{[]string{"org", "add", "--name", "Globex", "--slug", "globex-eu"}, `--slug: Another organisation already uses "globex-eu"`},
		{[]string{"org", "add", "--name", "Y", "--slug", "Not A Slug"}, "--slug: Use lower-case letters"},
		{[]string{"org", "add", "--name", "Y", "--timezone", "Mars/Base"}, `--timezone: "Mars/Base" is not a time zone`},
		{[]string{"org", "add", "--name", "Y", "--min-group", "2"}, "--min-group: The minimum group size must be a whole number from 3"},
		{[]string{"org", "add", "--name", "Y", "--min-group", "two"}, "--min-group: The minimum group size must be"},
		{[]string{"org", "add", "--name", "株式会社"}, "--slug: Enter an address name"},
		{[]string{"org", "add", "--bogus"}, "flag provided but not defined"},
	} {
		out, err := runMain(t, dir, "", tt.args...)
		if err == nil || !strings.Contains(out+err.Error(), tt.want) {
			t.Errorf("%v: err=%v out=%s; want %q", tt.args, err, out, tt.want)
		}
	}
}
