package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// responseScript is the leanest database work of one stored response: one
// statement inserting the response row and its answers, with no BEGIN/END
// (a single statement is its own transaction).
//
//go:embed response.pgbench.sql
var responseScript string

type pgbenchResult struct {
	transactions int
	failed       int
	tps          float64
}

var (
	tpsRe    = regexp.MustCompile(`tps = ([0-9.]+)`)
	txRe     = regexp.MustCompile(`number of transactions actually processed: (\d+)`)
	failedRe = regexp.MustCompile(`number of failed transactions: (\d+)`)
)

// runPgbench runs the script with the same client count and duration.
func runPgbench(ctx context.Context, f *fixture, clients int, d time.Duration) (pgbenchResult, error) {
	if f.dialect != "postgres" {
		return pgbenchResult{}, fmt.Errorf("--pgbench needs ACCORD_DATABASE_URL to point at PostgreSQL")
	}
	dir, err := os.MkdirTemp("", "accord-load")
	if err != nil {
		return pgbenchResult{}, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "response.sql")
	if err := os.WriteFile(script, []byte(responseScript), 0o600); err != nil {
		return pgbenchResult{}, err
	}
	cmd := exec.CommandContext(ctx, "pgbench", "-n", "-f", script,
		"-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 4)), "-T", strconv.Itoa(int(d.Seconds())),
		"-D", fmt.Sprintf("org=%d", f.orgID), "-D", fmt.Sprintf("round=%d", f.roundID),
		"-D", fmt.Sprintf("instrument=%d", f.instrumentID), f.databaseURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return pgbenchResult{}, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	var r pgbenchResult
	if m := tpsRe.FindSubmatch(out); m != nil {
		r.tps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := txRe.FindSubmatch(out); m != nil {
		r.transactions, _ = strconv.Atoi(string(m[1]))
	}
	if m := failedRe.FindSubmatch(out); m != nil {
		r.failed, _ = strconv.Atoi(string(m[1]))
	}
	if r.tps == 0 {
		return r, fmt.Errorf("pgbench printed no rate:\n%s", out)
	}
	return r, nil
}
