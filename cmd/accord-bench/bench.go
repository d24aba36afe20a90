package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to create the benchmark databases
)

// bench is one run: its options, work directory and built binaries.
type bench struct {
	o       options
	s       sizes
	log     io.Writer
	work    string
	tmpWork bool
	bin     map[string]string // command name → built binary
	admin   *sql.DB           // the server of --postgres, for CREATE/DROP DATABASE
	created []string          // databases this run created
}

// commands built before measuring, beside accord itself.
var commands = []string{"accord", "accord-dashbench", "accord-portfoliobench", "accord-mailbench"}

func newBench(ctx context.Context, o options, log io.Writer) (*bench, error) {
	b := &bench{o: o, s: o.sizes(), log: log, work: o.work, bin: map[string]string{}}
	if b.work == "" {
		dir, err := os.MkdirTemp("", "accord-bench-")
		if err != nil {
			return nil, err
		}
		b.work, b.tmpWork = dir, true
	} else if err := os.MkdirAll(b.work, 0o755); err != nil {
		return nil, err
	}
	for _, c := range commands {
		b.bin[c] = filepath.Join(b.work, c)
		b.logf("building %s", c)
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", b.bin[c], "./cmd/"+c).CombinedOutput(); err != nil {
			b.cleanup()
			return nil, fmt.Errorf("go build ./cmd/%s: %w\n%s", c, err, out)
		}
	}
	if o.needsPostgres() {
		db, err := sql.Open("pgx", o.postgres)
		if err == nil {
			err = db.PingContext(ctx)
		}
		if err != nil {
			b.cleanup()
			return nil, fmt.Errorf("PostgreSQL at --postgres: %w", err)
		}
		b.admin = db
	}
	return b, nil
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// cleanup drops the databases this run created (unless --keep) and
// removes a temporary work directory.
func (b *bench) cleanup() {
	if b.admin != nil {
		if !b.o.keep {
			for _, name := range b.created {
				if _, err := b.admin.Exec(`DROP DATABASE IF EXISTS ` + quoteIdent(name) + ` WITH (FORCE)`); err != nil {
					b.logf("drop database %s: %v", name, err)
				}
			}
		}
		b.admin.Close()
	}
	if b.tmpWork {
		os.RemoveAll(b.work)
	}
}

// dbName is the name of benchmark database what, next to --postgres's.
func (b *bench) dbName(what string) string {
	u, err := url.Parse(b.o.postgres)
	base := "accord"
	if err == nil && strings.Trim(u.Path, "/") != "" {
		base = strings.Trim(u.Path, "/")
	}
	return base + "_bench_" + what
}

// dbURL is the URL of database name on --postgres's server.
func (b *bench) dbURL(name string) string {
	u, err := url.Parse(b.o.postgres)
	if err != nil {
		return b.o.postgres
	}
	u.Path = "/" + name
	return u.String()
}

// freshDB (re)creates database name, empty.
func (b *bench) freshDB(ctx context.Context, name string) (string, error) {
	if _, err := b.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+quoteIdent(name)+` WITH (FORCE)`); err != nil {
		return "", fmt.Errorf("drop database %s: %w", name, err)
	}
	if _, err := b.admin.ExecContext(ctx, `CREATE DATABASE `+quoteIdent(name)); err != nil {
		return "", fmt.Errorf("create database %s (the role of --postgres must be allowed to): %w", name, err)
	}
	b.created = append(b.created, name)
	return b.dbURL(name), nil
}

// hasData reports whether database name exists and holds organisations.
func (b *bench) hasData(ctx context.Context, name string) bool {
	db, err := sql.Open("pgx", b.dbURL(name))
	if err != nil {
		return false
	}
	defer db.Close()
	var n int
	return db.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&n) == nil && n > 0
}

// secretFor is the server secret of a benchmark data set: derived from its
// name, so that a kept data set is read by the next run with the same key.
// Benchmark data only; real servers keep a random secret.
func secretFor(name string) string {
	sum := sha256.Sum256([]byte("accord-bench:" + name))
	return hex.EncodeToString(sum[:])
}

// dataset returns the URL of a PostgreSQL data set made by accord demo,
// generating it unless a kept one is there (or fresh is set), and how long
// generating took (0 when reused).
func (b *bench) dataset(ctx context.Context, what string, orgs, people, rounds int, fresh bool) (string, time.Duration, error) {
	name := b.dbName(fmt.Sprintf("%s_%dx%dx%d", what, orgs, people, rounds))
	if !fresh && b.hasData(ctx, name) {
		b.logf("reusing data set %s", name)
		return b.dbURL(name), 0, nil
	}
	u, err := b.freshDB(ctx, name)
	if err != nil {
		return "", 0, err
	}
	b.logf("generating %s: accord demo --orgs %d --people %d --rounds %d", name, orgs, people, rounds)
	start := time.Now()
	_, err = b.run(ctx, b.env(u, name), b.bin["accord"], "demo", "--orgs", fmt.Sprint(orgs), "--people", fmt.Sprint(people),
		"--rounds", fmt.Sprint(rounds), "--seed", "1")
	return u, time.Since(start), err
}

// env is the environment of a command on database u: the caller's without
// its ACCORD_* settings, then the database, its secret and quiet logs.
func (b *bench) env(u, name string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ACCORD_") {
			env = append(env, kv)
		}
	}
	env = append(env, "ACCORD_DATABASE_URL="+u, "ACCORD_SECRET_KEY="+secretFor(name))
	return append(env, extra...)
}

// run runs a command to its end and returns its standard output; the
// error carries the end of its output.
func (b *bench) run(ctx context.Context, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, tail(stderr.String()+stdout.String(), 1500))
	}
	return stdout.String(), nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// server is a running `accord serve`.
type server struct {
	cmd  *exec.Cmd
	addr string
	out  bytes.Buffer
}

// startServer starts accord serve with env on a free local port and
// returns once /readyz answers 200, with the time that took.
func (b *bench) startServer(ctx context.Context, env []string) (*server, time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	s := &server{addr: addr}
	s.cmd = exec.CommandContext(ctx, b.bin["accord"], "serve")
	s.cmd.Env = append(env, "ACCORD_ADDR="+addr)
	s.cmd.Stdout, s.cmd.Stderr = &s.out, &s.out
	start := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, 0, err
	}
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, time.Since(start), nil
			}
		}
		if time.Since(start) > 3*time.Minute || ctx.Err() != nil {
			s.stop()
			return nil, 0, fmt.Errorf("accord serve not ready after %s:\n%s", time.Since(start).Round(time.Second), tail(s.out.String(), 1500))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// rss is the server's resident memory (VmRSS), in MB.
func (s *server) rss() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		return 0, fmt.Errorf("no VmRSS in /proc/%d/status", s.cmd.Process.Pid)
	}
	var kb float64
	fmt.Sscan(string(m[1]), &kb)
	return kb / 1024, nil
}

// stop ends the server as its operator would (SIGTERM) and waits.
func (s *server) stop() {
	if s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
