package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// runMain runs the binary in-process with a SQLite database in dir.
func runMain(t *testing.T, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: env(map[string]string{"ACCORD_DATABASE_URL": "sqlite:" + filepath.Join(dir, "accord.db")})}
	err := m.Run(context.Background())
	return out.String() + errOut.String(), err
}

func TestUserAdd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := runMain(t, dir, "", "user", "add", "--email", "ops@example.com", "--role", "admin")
	if err != nil || !strings.Contains(out, "Created admin ops@example.com") || !strings.Contains(out, "Password: ") {
		t.Fatalf("generated password: %v\n%s", err, out)
	}
	out, err = runMain(t, dir, "a piped password of some length\n", "user", "add", "--email", "two@example.com", "--role", "admin")
	if err != nil || strings.Contains(out, "Password: ") {
		t.Fatalf("piped password: %v\n%s", err, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"user", "add", "--email", "ops@example.com", "--role", "admin"}, "already exists"},
		{[]string{"user", "add", "--email", "x@example.com", "--role", "boss"}, "--role must be"},
		{[]string{"user", "add", "--email", "x@example.com", "--role", "leader"}, "needs --org"},
		{[]string{"user", "add", "--email", "x@example.com", "--role", "leader", "--org", "nope"}, "no such organisation"},
		{[]string{"user", "add", "--email", "not-an-email", "--role", "admin"}, "not a valid email"},
	} {
		out, err := runMain(t, dir, "", tt.args...)
		if err == nil || !strings.Contains(out+err.Error(), tt.want) {
			t.Errorf("%v: err=%v out=%s; want %q", tt.args, err, out, tt.want)
		}
	}
	if _, err := runMain(t, dir, "short\n", "user", "add", "--email", "s@example.com", "--role", "admin"); err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Errorf("short piped password: %v", err)
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	t.Parallel()
	out, err := runMain(t, t.TempDir(), "", "version")
	if err != nil || !strings.HasPrefix(out, "accord ") {
		t.Fatalf("version: %v %q", err, out)
	}
	if _, err := runMain(t, t.TempDir(), "", "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
}
