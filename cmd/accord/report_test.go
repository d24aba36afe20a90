package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"accord/survey"
	"accord/survey/database"
)

func TestReportCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	vars := map[string]string{"ACCORD_DATABASE_URL": "sqlite:" + filepath.Join(dir, "accord.db")}
	run := func(args ...string) (string, error) {
		var out, errs bytes.Buffer
		m := &Main{Args: args, Stdout: &out, Stderr: &errs, Getenv: env(vars)}
		err := m.Run(context.Background())
		return out.String() + errs.String(), err
	}
	if _, err := run("demo", "--orgs", "2", "--people", "24", "--rounds", "3", "--seed", "3"); err != nil {
		t.Fatalf("accord demo: %v", err)
	}
	target, _ := database.ParseURL(vars["ACCORD_DATABASE_URL"])
	db, err := database.Open(context.Background(), target, nil)
	if err != nil {
		t.Fatal(err)
	}
	var orgs []survey.Organisation
	db.Order("name").Find(&orgs)
	database.Close(db)
	slug := orgs[0].Slug

	html := filepath.Join(dir, "report.html")
	if _, err := run("report", "--org", slug, "--format", "html", "-o", html); err != nil {
		t.Fatalf("accord report html: %v", err)
	}
	if b, _ := os.ReadFile(html); !bytes.Contains(b, []byte("Executive summary")) || !bytes.Contains(b, []byte(orgs[0].Name)) {
		t.Error("the HTML report lacks its summary or the organisation's name")
	}

	xlsx := filepath.Join(dir, "one.xlsx")
	if _, err := run("report", "--org", slug, "--format", "xlsx", "-o", xlsx); err != nil {
		t.Fatalf("accord report xlsx: %v", err)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatalf("open the XLSX: %v", err)
	}
	if sheets := f.GetSheetList(); len(sheets) != 2 {
		t.Errorf("sheets %v, want About and Aggregates", sheets)
	}
	f.Close()

	out, err := run("report", "--all", "--format", "csv", "-o", "-")
	if err != nil {
		t.Fatalf("accord report --all csv: %v", err)
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("CSV on standard output: %v", err)
	}
	seen := map[string]bool{}
	for _, r := range records[1:] {
		seen[r[0]] = true
	}
	if len(seen) != 2 {
		t.Errorf("the portfolio CSV covers %v, want both organisations", seen)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--org", slug}, "-o FILE is required"},
		{[]string{"-o", "x"}, "either --org SLUG or --all"},
		{[]string{"--org", slug, "--all", "-o", "x"}, "either --org SLUG or --all"},
		{[]string{"--all", "--format", "html", "-o", "x"}, "--all exports aggregates"},
		{[]string{"--org", slug, "--format", "docx", "-o", "x"}, "--format must be html, pdf, csv, xlsx or json"},
		{[]string{"--org", "nobody", "-o", filepath.Join(dir, "x.html")}, "--org nobody: no such organisation"},
	} {
		out, err := run(append([]string{"report"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error()+out, tc.want) {
			t.Errorf("accord report %v: %v, want %q", tc.args, err, tc.want)
		}
	}
	vars["ACCORD_CHROMIUM"] = filepath.Join(dir, "no-chromium")
	pdf := filepath.Join(dir, "report.pdf")
	if _, err := run("report", "--org", slug, "--format", "pdf", "-o", pdf); err == nil || !strings.Contains(err.Error(), "no-chromium") {
		t.Errorf("a PDF without Chromium: %v, want the missing path named", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*")) // unfinished temporary files
	if _, err := os.Stat(filepath.Join(dir, "x.html")); err == nil {
		left = append(left, "x.html")
	}
	if len(left) > 0 {
		t.Errorf("failed runs left files: %v", left)
	}
	if _, err := os.Stat(pdf); err == nil {
		t.Error("a failed PDF run left a file")
	}
}
