// Package mailtest runs a real Mailpit SMTP server for tests and benchmarks
// and reads what it received through its HTTP API.
//
// A test helper: it imports survey/mail only.
package mailtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// BinaryEnv names the variable that may point at the mailpit binary.
const BinaryEnv = "ACCORD_TEST_MAILPIT"

// Mailpit is a running Mailpit process.
type Mailpit struct {
	SMTPAddr string // host:port of its SMTP server
	HTTPAddr string // host:port of its web UI and API
	cmd      *exec.Cmd
	exited   chan struct{}
	http     *http.Client
}

// Binary finds mailpit: $ACCORD_TEST_MAILPIT, then $(go env GOPATH)/bin/mailpit, then $PATH.
func Binary() (string, error) {
	if p := os.Getenv(BinaryEnv); p != "" {
		return p, nil
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("mailpit not found: install it with `go install github.com/axllent/mailpit@v1.33.1` or set %s", BinaryEnv)
}

// Start runs Mailpit on free local ports until tb ends. Without the binary
// the test is skipped locally and fails under CI=true. Extra arguments go
// to mailpit (for example --smtp-allowed-recipients).
func Start(tb testing.TB, args ...string) *Mailpit {
	tb.Helper()
	return StartAt(tb, "", args...)
}

// StartAt is Start with a chosen SMTP address ("" for a free port), so a
// test can stop Mailpit and bring it back where the sender expects it.
func StartAt(tb testing.TB, smtpAddr string, args ...string) *Mailpit {
	tb.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal(err)
		}
		tb.Skip(err)
	}
	m, err := Run(context.Background(), bin, smtpAddr, tb.TempDir(), args...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(m.Stop)
	return m
}

// Run starts mailpit with its database in dir and waits until it answers.
func Run(ctx context.Context, bin, smtpAddr, dir string, args ...string) (*Mailpit, error) {
	if smtpAddr == "" {
		smtpAddr = FreeAddr()
	}
	m := &Mailpit{SMTPAddr: smtpAddr, HTTPAddr: FreeAddr(), exited: make(chan struct{}),
		http: &http.Client{Timeout: 30 * time.Second}}
	base := []string{"--smtp", m.SMTPAddr, "--listen", m.HTTPAddr, "--disable-version-check",
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--max", "0", "--quiet",
		"--database", filepath.Join(dir, fmt.Sprintf("mailpit-%d.db", time.Now().UnixNano()))}
	m.cmd = exec.Command(bin, append(base, args...)...)
	var stderr strings.Builder
	m.cmd.Stdout, m.cmd.Stderr = &stderr, &stderr
	if err := m.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start mailpit: %w", err)
	}
	go func() { m.cmd.Wait(); close(m.exited) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m.ready(ctx) {
			return m, nil
		}
		select {
		case <-m.exited:
			return nil, fmt.Errorf("mailpit exited: %s", stderr.String())
		case <-ctx.Done():
			m.Stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			m.Stop()
			return nil, fmt.Errorf("mailpit did not become ready in 20s: %s", stderr.String())
		}
	}
}

func (m *Mailpit) ready(ctx context.Context) bool {
	c, err := net.DialTimeout("tcp", m.SMTPAddr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return m.get(ctx, "/api/v1/messages?limit=1", nil) == nil
}

// Connect returns a handle on a Mailpit that is already running elsewhere;
// Stop leaves it running.
func Connect(smtpAddr, httpAddr string) *Mailpit {
	return &Mailpit{SMTPAddr: smtpAddr, HTTPAddr: httpAddr, http: &http.Client{Timeout: 30 * time.Second}}
}

// Stop ends the process if this package started it; it is safe to call twice.
func (m *Mailpit) Stop() {
	if m.cmd == nil {
		return
	}
	select {
	case <-m.exited:
		return
	default:
	}
	m.cmd.Process.Kill()
	<-m.exited
}

// SMTPURL is an ACCORD_SMTP_URL for this server (plain text, as Mailpit
// runs without a certificate).
func (m *Mailpit) SMTPURL() string { return "smtp://" + m.SMTPAddr + "?tls=none" }

// FreeAddr returns a local address with a port that was free a moment ago.
func FreeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func (m *Mailpit) get(ctx context.Context, path string, into any) error {
	return m.do(ctx, http.MethodGet, path, into)
}

func (m *Mailpit) do(ctx context.Context, method, path string, into any) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+m.HTTPAddr+path, nil)
	if err != nil {
		return err
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("mailpit %s %s: %s: %s", method, path, resp.Status, b)
	}
	if into == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

var surveyLink = regexp.MustCompile(`https?://[^\s<>"']+/s/[A-Za-z0-9_-]+`)

// Links returns the respondent links (…/s/TOKEN) in a message body, in order.
func Links(body string) []string { return surveyLink.FindAllString(body, -1) }
