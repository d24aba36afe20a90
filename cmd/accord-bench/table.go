package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// row is one line of the table. Reference and Ratio are empty where the
// measure has no reference; Met is "yes", "no" or "" (no target, or not
// measured).
type row struct {
	Measure   string
	Value     string
	Reference string
	Ratio     string
	Target    string
	Met       string
}

// table is what one run prints.
type table struct {
	Rows                  []row
	LoadBefore, LoadAfter string
	Elapsed               time.Duration
	Quick                 bool
}

// print writes the table as Markdown, ready for the README.
func (t *table) print(w io.Writer) {
	fmt.Fprintf(w, "\nload average before: %s; after: %s; %s in all", t.LoadBefore, t.LoadAfter, t.Elapsed.Round(time.Second))
	if t.Quick {
		fmt.Fprint(w, " (--quick: small data sets, the targets do not apply)")
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| measure\t value\t reference (same run)\t ratio\t target\t met? |")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t--- |")
	for _, r := range t.Rows {
		met := r.Met
		if t.Quick && met != "" {
			met = "(" + met + ")"
		}
		fmt.Fprintf(tw, "| %s\t %s\t %s\t %s\t %s\t %s |\n", cell(r.Measure), cell(r.Value), cell(r.Reference), cell(r.Ratio), cell(r.Target), cell(met))
	}
	tw.Flush()
}

// cell keeps a value on one table line.
func cell(s string) string {
	if s == "" {
		return "–"
	}
	return strings.NewReplacer("|", "/", "\n", " ", "\t", " ").Replace(s)
}

// met is "yes" when ok, else "no".
func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// loadAverage is the 1-, 5- and 15-minute load average.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// ms formats a duration in milliseconds, or seconds from 10 s on.
func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
