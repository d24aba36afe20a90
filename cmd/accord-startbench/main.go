// Command accord-startbench measures how fast `accord serve` starts on an
// existing SQLite database and how much memory it holds once idle: for each
// of --runs starts, the time from starting the process to the first 200
// from /readyz (polled every 5 ms), then the resident memory (VmRSS in
// /proc/PID/status) --settle later. It prints each run, the medians and the
// machine's load average before and after, since a busy machine inflates
// both.
//
//	go build -o accord ./cmd/accord
//	go run ./cmd/accord-startbench --binary ./accord --runs 7
//
// The database is a temporary file that a first, unmeasured start creates
// (schema, secret, first admin); Linux only (/proc).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "accord-startbench:", err)
		os.Exit(1)
	}
}

// result is one measured start.
type result struct {
	ready time.Duration
	rssKB int
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("accord-startbench", flag.ContinueOnError)
	binary := fs.String("binary", "./accord", "the accord binary to start")
	runs := fs.Int("runs", 7, "measured starts")
	settle := fs.Duration("settle", 3*time.Second, "how long after ready the idle memory is read")
	if err := fs.Parse(args); err != nil {
		return err
	}
	bin, err := filepath.Abs(*binary)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "accord-startbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(out, "load average before: %s\n", loadavg())
	if _, err := start(bin, dir, 0); err != nil { // creates the database
		return fmt.Errorf("first start: %w", err)
	}
	var rs []result
	for i := range *runs {
		r, err := start(bin, dir, *settle)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		fmt.Fprintf(out, "run %d: ready after %s, idle RSS %.1f MB\n", i+1, r.ready.Round(time.Millisecond), float64(r.rssKB)/1024)
		rs = append(rs, r)
	}
	readies := make([]time.Duration, len(rs))
	rss := make([]int, len(rs))
	for i, r := range rs {
		readies[i], rss[i] = r.ready, r.rssKB
	}
	slices.Sort(readies)
	slices.Sort(rss)
	fmt.Fprintf(out, "median of %d: start to /readyz 200 %s, idle RSS %.1f MB\n", len(rs),
		readies[len(rs)/2].Round(time.Millisecond), float64(rss[len(rs)/2])/1024)
	fmt.Fprintf(out, "load average after: %s\n", loadavg())
	return nil
}

// start runs `accord serve` on the database in dir until /readyz answers
// 200, waits settle, reads its RSS and stops it with SIGTERM.
func start(bin, dir string, settle time.Duration) (result, error) {
	addr, err := freeAddr()
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ACCORD_DATABASE_URL=sqlite:"+filepath.Join(dir, "accord.db"),
		"ACCORD_ADDR="+addr, "ACCORD_ADMIN_PASSWORD=startbench-password-1")
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	client := &http.Client{Timeout: time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if ctx.Err() != nil {
			return result{}, fmt.Errorf("not ready after 30 s; its log:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	r := result{ready: time.Since(began)}
	time.Sleep(settle)
	r.rssKB, err = rss(cmd.Process.Pid)
	return r, err
}

// freeAddr is a loopback address nothing listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// rss reads VmRSS (kB) of process pid.
func rss(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int
			_, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb)
			return kb, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}
