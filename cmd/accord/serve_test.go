package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while serve writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `accord serve` in-process until the returned cancel is called.
func startServe(t *testing.T, extra map[string]string, args ...string) (addr string, out *syncBuffer, stop func() error) {
	t.Helper()
	addr = freeAddr(t)
	vars := map[string]string{"ACCORD_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "accord.db"), "ACCORD_ADDR": addr}
	for k, v := range extra {
		vars[k] = v
	}
	out = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Main{Args: append([]string{"serve"}, args...), Stdout: out, Stderr: out, Getenv: env(vars)}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	// A guard against a server that never starts, not a speed check:
	// `serve --demo` is ready in about 3 s, but builds its demo data
	// and rollups first, which takes far longer under -race on a busy
	// machine.
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(out.String(), "Accord is running") {
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { stop() })
	return addr, out, stop
}

// TestServeFinishesInFlightRequestsOnShutdown starts a request, stops the
// server (as SIGTERM does) while the request body is still arriving, and
// expects the request to be answered in full.
func TestServeFinishesInFlightRequestsOnShutdown(t *testing.T) {
	t.Parallel()
	addr, out, stop := startServe(t, nil)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "email=a%40b.test&password=whatever"
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])
	time.Sleep(100 * time.Millisecond) // let the server start reading the request
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	time.Sleep(200 * time.Millisecond) // shutdown has begun: the listener is closed
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("server still accepts new connections during shutdown")
	}
	fmt.Fprint(conn, body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request was cut off: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden { // no CSRF token: refused, but answered
		t.Errorf("in-flight request answered %d, want 403", resp.StatusCode)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve returned %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "stopped") {
		t.Errorf("no clean stop logged:\n%s", out)
	}
}

func TestServePrintsFirstAdminOnce(t *testing.T) {
	t.Parallel()
	_, out, stop := startServe(t, map[string]string{"ACCORD_ADMIN_EMAIL": "boss@example.com"})
	stop()
	if !strings.Contains(out.String(), "  email     boss@example.com\n  password  ") {
		t.Fatalf("first start did not print the admin login:\n%s", out)
	}
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	t.Parallel()
	m := &Main{Args: []string{"serve"}, Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{},
		Getenv: env(map[string]string{"ACCORD_DATABASE_URL": "oracle://x"})}
	err := m.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ACCORD_DATABASE_URL") {
		t.Fatalf("serve with a bad URL = %v, want an error naming ACCORD_DATABASE_URL", err)
	}
}
