package mail_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

// Child processes are this test binary run again with these variables set.
const (
	helperRole    = "ACCORD_MAIL_HELPER" // crash | worker
	helperDialect = "ACCORD_MAIL_HELPER_DIALECT"
	helperDSN     = "ACCORD_MAIL_HELPER_DSN"
	helperSMTP    = "ACCORD_MAIL_HELPER_SMTP"
	helperCount   = "ACCORD_MAIL_HELPER_COUNT"
)

// TestHelperProcess is not a test: it is the body of the child processes
// of the crash and multi-process tests, and does nothing otherwise.
func TestHelperProcess(t *testing.T) {
	role := os.Getenv(helperRole)
	if role == "" {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	db, err := database.Open(ctx, database.Target{Dialect: os.Getenv(helperDialect), DSN: os.Getenv(helperDSN)}, nil)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	sender := &countingSender{Sender: smtpSender(t, os.Getenv(helperSMTP))}
	opts := mailtest.Options(db, sender)
	opts.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	o, err := mail.New(opts)
	if err == nil {
		err = o.Start(ctx)
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	switch role {
	case "crash":
		// Invitations and their mail commit together; the parent kills
		// this process as soon as it reads "committed".
		n, _ := strconv.Atoi(os.Getenv(helperCount))
		msgs := make([]*mail.Message, n)
		for i := range msgs {
			msgs[i] = testMessage(fmt.Sprintf("p%d@example.com", i), i)
		}
		if err := o.EnqueueNow(ctx, msgs...); err != nil {
			fmt.Println("error:", err)
			os.Exit(2)
		}
		fmt.Println("committed")
		<-ctx.Done()
	case "worker":
		fmt.Println("ready")
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		o.Stop(sctx)
		fmt.Println("sent", sender.n.Load())
	}
	os.Exit(0)
}

// countingSender counts the messages this process handed to the server.
type countingSender struct {
	mail.Sender
	n atomic.Int64
}

func (s *countingSender) Send(ctx context.Context, m *mail.Message) error {
	err := s.Sender.Send(ctx, m)
	if err == nil {
		s.n.Add(1)
	}
	return err
}

// child starts this test binary in a helper role and returns its stdout lines.
func child(t *testing.T, role string, target database.Target, smtpURL string, count int) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperRole+"="+role, helperDialect+"="+target.Dialect,
		helperDSN+"="+target.DSN, helperSMTP+"="+smtpURL, helperCount+"="+strconv.Itoa(count))
	cmd.Stderr = io.Discard
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines
}

// expectLine waits for a child's line starting with prefix.
func expectLine(t *testing.T, lines <-chan string, prefix string, timeout time.Duration) string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("child exited before printing %q", prefix)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
			if strings.HasPrefix(l, "error:") {
				t.Fatalf("child: %s", l)
			}
		case <-deadline:
			t.Fatalf("child printed no %q within %s", prefix, timeout)
		}
	}
}

// blackhole accepts SMTP connections and never answers, so deliveries hang
// until the process dies.
func blackhole(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { l.Close() })
	return "smtp://" + l.Addr().String() + "?tls=none"
}

// migrated opens target and creates every table, River's included.
func migrated(t *testing.T, target database.Target) *gorm.DB {
	t.Helper()
	db, err := database.Open(context.Background(), target, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	if _, err := database.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if err := mail.Migrate(context.Background(), db, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// assertDeliveredOnce checks that Mailpit holds each outbox message exactly once.
func assertDeliveredOnce(t *testing.T, mp *mailtest.Mailpit, stored []mail.Message, n int) {
	t.Helper()
	got := mailtest.ByMessageID(mp.Messages(t))
	if len(stored) != n || len(got) != n {
		t.Fatalf("%d outbox rows, %d distinct Message-IDs in Mailpit; want %d of each", len(stored), len(got), n)
	}
	for _, m := range stored {
		if m.Status != mail.StatusSent || got[m.MessageID] != 1 {
			t.Errorf("%s: status %s, delivered %d times; want sent once", m.MessageID, m.Status, got[m.MessageID])
		}
	}
}
